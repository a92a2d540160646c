import type { TFunction } from 'i18next';
import type { FieldError } from '../../api';
import type { FieldDef, Variant } from './platforms';

/** Fields with an explanation under their label. */
const HINTED = new Set<string>([
  'username',
  'category',
  'channel',
  'guild',
  'apiUrl',
  'listId',
  'keywords',
]);

/** The label of a form field, which for the address and the secret depends on the platform. */
export function fieldLabel(t: TFunction, variant: Variant, key: FieldDef['key'] | 'name'): string {
  if (key === 'secret')
    return t(`connections.secret.${variant}`, { defaultValue: t('connections.fields.secret') });
  if (key === 'url')
    return t(`connections.url.${variant}`, { defaultValue: t('connections.fields.url') });
  return t(`connections.fields.${key}`);
}

export function fieldHint(t: TFunction, key: FieldDef['key']): string | undefined {
  return HINTED.has(key) ? t(`connections.hints.${key}`) : undefined;
}

/** `settings.url` → `url`, `settings.keywords[1]` → `keywords`, `secret`, `name`. */
export function formKey(path: string): string {
  return path.replace(/^settings\./, '').replace(/\[.*$/, '');
}

/** "Forum address: not a valid web address", in the current language. */
export function describeConnectionError(t: TFunction, variant: Variant, e: FieldError): string {
  const key = formKey(e.field) as FieldDef['key'] | 'name';
  const params = e.params ?? {};
  const message = t(`connections.errors.${e.code}`, {
    ...params,
    defaultValue: t(`errors.field.${e.code}`, {
      ...params,
      defaultValue: t('errors.field.invalid'),
    }),
  });
  const known = ['name', 'secret', 'url', 'keywords'].includes(key) || HINTED.has(key);
  const field = known ? fieldLabel(t, variant, key) : e.field;
  return t('errors.fieldMessage', { field, message });
}
