import { toApiError, type FieldError } from '../api';
import { notifyError } from './notifyError';

/**
 * For forms outside the member form: a rejection's field errors grouped by
 * field, to show inline; without field errors, the usual notification.
 */
export function fieldErrorsOrNotify(reason: unknown): Record<string, FieldError[]> {
  const err = toApiError(reason);
  if (!err.fields) {
    notifyError(err);
    return {};
  }
  const out: Record<string, FieldError[]> = {};
  for (const f of err.fields) (out[f.field] ??= []).push(f);
  return out;
}
