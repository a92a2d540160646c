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
  if (v.emails.every((e) => e.trim() === '')) {
    errors.push({ field: 'emails[0]', code: 'required' });
  }
  v.emails.forEach((e, i) => {
    if (e.trim() !== '' && !looksLikeEmail(e))
      errors.push({ field: `emails[${i}]`, code: 'email' });
  });
  return errors;
}
