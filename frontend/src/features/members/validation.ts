import type { FieldError } from '../../api';
import type { FormValues } from './formModel';

const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Loose shape check; the Go side has the final word. */
export function looksLikeEmail(s: string): boolean {
  return EMAIL_SHAPE.test(s.trim());
}

/**
 * Light checks before calling Go, reported with the same paths and codes the
 * Go side uses so the messages read the same.
 */
export function validateForm(v: FormValues): FieldError[] {
  const errors: FieldError[] = [];
  // Like the Go side: a member needs an e-mail or a platform handle (Discord members often
  // have no known address).
  const hasHandle = v.handles.some((h) => h.handle.trim() !== '');
  if (!hasHandle && v.emails.every((e) => e.trim() === '')) {
    errors.push({ field: 'emails[0]', code: 'required' });
  }
  v.emails.forEach((e, i) => {
    if (e.trim() !== '' && !looksLikeEmail(e))
      errors.push({ field: `emails[${i}]`, code: 'email' });
  });
  return errors;
}
