import type { TFunction } from 'i18next';
import type { AuditEntry } from '../../api';

/** Params Go records as counts: interpolated as numbers, so they read 3,142 / 3 142 and pluralise. */
const COUNTS = new Set(['count', 'created', 'updated', 'unchanged', 'rejected']);

/**
 * An audit entry's details in the reader's language: the entry's params (a file's name, counts,
 * a connection, an outcome) worded from the catalogs by action; the free text of entries
 * written before params existed, as it was.
 */
export function auditDetails(t: TFunction, e: AuditEntry): string {
  const p = e.params;
  if (!p || Object.keys(p).length === 0) return e.details;
  const values: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(p)) values[k] = COUNTS.has(k) ? Number(v) : v;
  if (p.platform) values.platform = t(`platforms.${p.platform}`, { defaultValue: p.platform });
  if (p.fields) {
    values.fields = p.fields
      .split(', ')
      .map((f) => t(`audit.fields.${f}`, { defaultValue: f }))
      .join(', ');
  }
  let text = t(`audit.detail.${e.action}`, { ...values, defaultValue: '' });
  if (!text) text = p.file ?? p.name ?? '';
  if (p.outcome) text += ` (${t(`audit.outcome.${p.outcome}`, { defaultValue: p.outcome })})`;
  return text;
}
