import type { TFunction } from 'i18next';

/** One merge field the composer offers, labelled and with a fallback in the person's language. */
export interface MergeFieldChoice {
  id: string;
  label: string;
  /** What is inserted: the Go side's merge syntax, `{{field}}` or `{{field|fallback}}`. */
  tag: string;
}

/**
 * The composer's merge fields. The field names are the Go side's (checked on save); what a
 * person reads is the label, and the fallback text is written in their language, to follow a
 * greeting: "Bonjour {{first_name|à toutes et à tous}}," / "Hi {{first_name|there}},".
 */
export function mergeFieldChoices(t: TFunction): MergeFieldChoice[] {
  return [
    {
      id: 'first_name',
      label: t('newsletter.merge.first_name'),
      tag: `{{first_name|${t('newsletter.merge.firstNameFallback')}}}`,
    },
    { id: 'name', label: t('newsletter.merge.name'), tag: '{{name}}' },
    { id: 'email', label: t('newsletter.merge.email'), tag: '{{email}}' },
    { id: 'custom.city', label: t('newsletter.merge.city'), tag: '{{custom.city}}' },
  ];
}
