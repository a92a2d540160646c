import type { TFunction } from 'i18next';

/** Custom fields an import commonly brings, named in the person's language. */
const KNOWN = [
  'phone',
  'mobile',
  'city',
  'country',
  'address',
  'postcode',
  'company',
  'job_title',
  'website',
  'birthday',
  'language',
] as const;

/**
 * A custom field's key as people read it: "phone" → "Téléphone" / "Phone", "email3" →
 * "E-mail 3", any other key with its separators turned to spaces and a capital ("member_since"
 * → "Member since"). The key itself stays what is stored and what merge fields use.
 */
export function customFieldLabel(t: TFunction, key: string): string {
  const k = key.trim();
  const norm = k.toLowerCase().replace(/[\s-]+/g, '_');
  if ((KNOWN as readonly string[]).includes(norm)) return t(`customFields.${norm}`);
  const email = /^e_?mail_?(\d+)$/.exec(norm);
  if (email) return t('customFields.emailN', { n: email[1] });
  const words = k
    .replace(/[_.-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return words.charAt(0).toLocaleUpperCase() + words.slice(1);
}
