import type { TFunction } from 'i18next';
import type { ImportRowError } from '../../api';

/** i18next reads `:` as a namespace separator, so field codes become `handle_discord`-like keys. */
const keyOf = (field: string) => field.replace(/:/g, '_');

/** "E-mail", "Handle: Discord", "Custom field “Favourite language”", … */
export function fieldLabel(t: TFunction, field: string): string {
  if (field.startsWith('handle:')) {
    const platform = field.slice('handle:'.length);
    return t('import.fieldHandle', {
      platform: t(`platforms.${platform}`, { defaultValue: platform }),
    });
  }
  if (field.startsWith('custom:')) return t('import.fieldCustom', { name: field.slice(7) });
  return t(`import.field.${keyOf(field)}`, { defaultValue: field });
}

/** The group a target field is listed under in a column's menu. */
export function fieldGroup(field: string): 'person' | 'handles' | 'custom' | 'consent' | 'other' {
  if (field.startsWith('handle:')) return 'handles';
  if (field.startsWith('custom:')) return 'custom';
  if (field.startsWith('consent:')) return 'consent';
  if (field === 'ignore') return 'other';
  return 'person';
}

/** A rejected row's reason in the user's language; the Go side's words when the code is unknown. */
export function describeRowError(t: TFunction, e: ImportRowError): string {
  const fallback = e.message || t('import.reason.invalid');
  if (e.reason === 'invalid' || e.reason === '') return fallback;
  // A whole-import failure (line 0: a full disk…) is named by its error code.
  return t([`import.reason.${e.reason}`, `errors.code.${e.reason}`], {
    ...(e.params ?? {}),
    defaultValue: fallback,
  });
}

/** "," → "comma". */
export function delimiterLabel(t: TFunction, d: string): string {
  const names: Record<string, string> = {
    ',': 'comma',
    ';': 'semicolon',
    '\t': 'tab',
    '|': 'pipe',
  };
  const name = names[d];
  return name ? t(`import.delimiter.${name}`) : JSON.stringify(d);
}
