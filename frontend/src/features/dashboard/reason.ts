import type { TFunction } from 'i18next';
import { ACTIVITY_KINDS } from '../../api';

/** Kinds named in a reason, at most: a longer sentence stops being read. */
export const REASON_KINDS = 4;

/** Activity kinds, and "answered" (questions of others answered: analytics.AnsweredCount). */
const known = new Set<string>([...ACTIVITY_KINDS, 'answered']);

/**
 * Why a member ranks where they do, in the person's language, from their activity counts:
 * "posted 42 times, replied 17 times in 30 days" / "a publié 42 fois, répondu 17 fois en 30
 * jours". The most frequent kinds come first; kinds the window does not know are named as is.
 */
export function reasonText(t: TFunction, counts: Record<string, number>, days: number): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([ka, a], [kb, b]) => b - a || (ka < kb ? -1 : ka > kb ? 1 : 0))
    .slice(0, REASON_KINDS)
    .map(([kind, count]) =>
      known.has(kind)
        ? t(`dashboard.did.${kind}`, { count })
        : t('dashboard.did.other', { count, kind }),
    );
  if (parts.length === 0) return t('dashboard.reasonNone');
  return t('dashboard.reason', { list: parts.join(', '), count: days });
}
