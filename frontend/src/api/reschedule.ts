import { shiftInZone, toRfc3339, userTimeZone } from '../i18n/zoned';
import type { CalendarItem, ItemPatch, RescheduleScope } from './types';

/**
 * The Update that moves an occurrence dragged from `occurrence` to `newAt`: Go moves one
 * occurrence of a series with an Update naming it, and a series (or a one-off item) with an
 * Update of its first time, the series shifted by as much wall time as the dragged occurrence.
 * The window (wails.ts) and the fake both send this.
 */
export function reschedulePatch(
  item: CalendarItem,
  occurrence: string,
  newAt: string,
  scope: RescheduleScope,
): ItemPatch {
  if (item.repeat && scope === 'one') return { at: newAt, occurrence };
  const zone = item.timeZone || userTimeZone();
  const at =
    item.repeat && item.at
      ? toRfc3339(shiftInZone(new Date(item.at), new Date(occurrence), new Date(newAt), zone), zone)
      : newAt;
  return { at };
}
