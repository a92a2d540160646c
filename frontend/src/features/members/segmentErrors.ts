import type { TFunction } from 'i18next';
import type { FieldError, SegmentSyntaxError } from '../../api';

/** The syntax error codes Go names (backend/segments/syntax.go, Codes). */
const SYNTAX_CODES = new Set([
  'empty',
  'expected_field',
  'expected_operator',
  'expected_value',
  'expected_close',
  'expected_and_or',
  'unclosed_string',
  'unexpected_char',
  'operator_invalid',
  'bad_level',
  'bad_state',
  'bad_kind',
  'bad_number',
  'bad_date',
  'bad_duration',
  'events',
  'bad_args',
  'unknown_function',
  'expected_purpose',
]);

/** Where and why an expression does not read, in the reader's language. */
export function syntaxErrorText(t: TFunction, e: SegmentSyntaxError): string {
  const why = t(`segments.err.${SYNTAX_CODES.has(e.code) ? e.code : 'unknown'}`);
  const found = e.found === '' ? t('segments.foundEnd') : t('segments.found', { found: e.found });
  return t('segments.syntax', { pos: e.pos, why, found });
}

/** A refused save's field error on `where`, as the syntax error it carries (null for others). */
export function syntaxOfField(f: FieldError): SegmentSyntaxError | null {
  const p = f.params;
  if (f.code !== 'invalid' || !p?.syntax) return null;
  return { pos: Number(p.pos), code: p.syntax, found: p.found ?? '' };
}
