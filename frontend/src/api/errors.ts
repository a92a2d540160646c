import type { TFunction } from 'i18next';

export const ERROR_KINDS = ['invalid', 'not_found', 'conflict', 'unavailable', 'internal'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface FieldError {
  /** Path into the input, e.g. `name`, `emails[0]`, `handles[1].platform`. */
  field: string;
  /** `required`, `email`, `max`, `min`, `unique`, `platform`, `duplicate`, … */
  code: string;
  params?: Record<string, string>;
}

export interface ApiErrorShape {
  kind: ErrorKind;
  /** `invalid_input`, `member_not_found`, `email_taken`, `workspace_unavailable`, `internal`, … */
  code: string;
  /** English fallback from the Go side. */
  message: string;
  /** Fill the translated message, e.g. `mb` for `disk_full`. */
  params?: Record<string, string>;
  fields?: FieldError[];
}

/** The one error type every Api call rejects with. */
export class ApiError extends Error implements ApiErrorShape {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly params?: Record<string, string>;
  readonly fields?: FieldError[];

  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.kind = shape.kind;
    this.code = shape.code;
    if (shape.params && Object.keys(shape.params).length > 0) this.params = shape.params;
    if (shape.fields && shape.fields.length > 0) this.fields = shape.fields;
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isKind = (v: unknown): v is ErrorKind =>
  typeof v === 'string' && (ERROR_KINDS as readonly string[]).includes(v);

function toStringRecord(v: unknown): Record<string, string> | undefined {
  if (!isRecord(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) {
    if (val !== undefined && val !== null) out[k] = String(val);
  }
  return out;
}

function toFieldErrors(v: unknown): FieldError[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out: FieldError[] = [];
  for (const item of v) {
    if (!isRecord(item) || typeof item.field !== 'string') continue;
    const params = toStringRecord(item.params);
    out.push({
      field: item.field,
      code: typeof item.code === 'string' && item.code ? item.code : 'invalid',
      ...(params ? { params } : {}),
    });
  }
  return out;
}

function fromObject(o: Record<string, unknown>): ApiError | undefined {
  if (!isKind(o.kind) && typeof o.code !== 'string') return undefined;
  const kind: ErrorKind = isKind(o.kind) ? o.kind : 'internal';
  const params = toStringRecord(o.params);
  return new ApiError({
    kind,
    code: typeof o.code === 'string' && o.code ? o.code : kind,
    message: typeof o.message === 'string' ? o.message : '',
    ...(params ? { params } : {}),
    fields: toFieldErrors(o.fields),
  });
}

function fromString(s: string): ApiError {
  const trimmed = s.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (isRecord(parsed)) {
        const err = fromObject(parsed);
        if (err) return err;
      }
    } catch {
      // Not JSON after all: fall through to a plain message.
    }
  }
  return new ApiError({ kind: 'internal', code: 'internal', message: trimmed });
}

/**
 * Normalises whatever a rejected call produced — the structured object the Go
 * side sends, that object as a JSON string, a plain string or an Error — into
 * an ApiError.
 */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  if (typeof reason === 'string') return fromString(reason);
  if (reason instanceof Error) return fromString(reason.message);
  if (isRecord(reason)) {
    const err = fromObject(reason);
    if (err) return err;
    if (typeof reason.message === 'string') return fromString(reason.message);
  }
  return new ApiError({ kind: 'internal', code: 'internal', message: String(reason ?? '') });
}

/** `handles[0].platform` → `handles_platform`: the key of the field's label. */
export function fieldLabelKey(path: string): string {
  return path
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\..*$/, (rest) => (rest === '.handle' || rest === '.platform' ? rest : ''))
    .replace('.', '_');
}

/** "E-mail: not a valid address" / "E-mail : adresse non valide". */
export function describeFieldError(t: TFunction, fe: FieldError): string {
  const labelKey = `fields.${fieldLabelKey(fe.field)}`;
  const field = t(labelKey, { defaultValue: fe.field });
  const params = fe.params ?? {};
  const message = t(`errors.field.${fe.code}`, {
    ...params,
    defaultValue: t('errors.field.invalid'),
  });
  return t('errors.fieldMessage', { field, message });
}

/** A translated title and message for a notification. */
export function describeError(t: TFunction, err: ApiError): { title: string; message: string } {
  const title = t(`errors.kind.${err.kind}`);
  const fallback = err.message || t('errors.code.internal');
  let message = t(`errors.code.${err.code}`, { ...err.params, defaultValue: fallback });
  // An unexpected failure: keep the Go side's words, they help a bug report.
  if (err.kind === 'internal' && err.message && message !== err.message) {
    message = `${message}\n${t('errors.details', { message: err.message })}`;
  }
  if (err.fields && err.fields.length > 0) {
    message = [message, ...err.fields.map((f) => describeFieldError(t, f))].join('\n');
  }
  return { title, message };
}
