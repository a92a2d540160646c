import type { TFunction } from 'i18next';
import { REASON_CODES, type Delivery } from '../../api';

/** Why a delivery failed: translated when its code is known, else the Go side's words. */
export function reasonText(t: TFunction, d: Pick<Delivery, 'reason' | 'reasonCode'>): string {
  if (d.reasonCode && (REASON_CODES as readonly string[]).includes(d.reasonCode))
    return t(`sync.reasons.${d.reasonCode}`);
  return d.reason ?? '';
}

/** The Go side's own words, when they add something to the translated reason. */
export function reasonDetails(d: Pick<Delivery, 'reason' | 'reasonCode'>): string {
  return d.reasonCode && (REASON_CODES as readonly string[]).includes(d.reasonCode)
    ? (d.reason ?? '')
    : '';
}
