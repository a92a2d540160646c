import type { TFunction } from 'i18next';
import type { ConsentProof, ConsentState } from '../../api';

export const STATE_COLORS: Record<ConsentState, string> = {
  granted: 'green',
  withdrawn: 'red',
  expired: 'yellow',
  none: 'gray',
};

export const methodLabel = (t: TFunction, method: string) =>
  method ? t(`consent.method.${method}`, { defaultValue: method }) : '';

/** "IP 203.0.113.7 · mailchimp.csv, row 4 · form: reason = …", as plain text. */
export function proofText(t: TFunction, proof: ConsentProof): string {
  const parts: string[] = [];
  if (proof.ip) parts.push(t('consent.proof.ip', { ip: proof.ip }));
  if (proof.file)
    parts.push(
      proof.row
        ? t('consent.proof.fileRow', { file: proof.file, row: proof.row })
        : t('consent.proof.file', { file: proof.file }),
    );
  const form = Object.entries(proof.formData ?? {});
  if (form.length > 0)
    parts.push(t('consent.proof.form', { fields: form.map(([k, v]) => `${k} = ${v}`).join(', ') }));
  return parts.join(' · ');
}
