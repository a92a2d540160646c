import { localDateKey } from '../../i18n/zoned';

// The calendar grid is drawn in this computer's zone (the user's): plain Date arithmetic.

export type CalendarView = 'month' | 'week' | 'list';

/** Days the list view shows from its start. */
export const LIST_DAYS = 42;

export const dayKey = localDateKey;

export function startOfDay(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate());
}

export function addDays(d: Date, n: number): Date {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n, d.getHours(), d.getMinutes());
}

/** Weeks start on Monday. */
export function startOfWeek(d: Date): Date {
  const day = startOfDay(d);
  return addDays(day, -((day.getDay() + 6) % 7));
}

export function startOfMonth(d: Date): Date {
  return new Date(d.getFullYear(), d.getMonth(), 1);
}

/** The first and last+1 day each view shows around `anchor`. */
export function viewRange(view: CalendarView, anchor: Date): { from: Date; to: Date } {
  if (view === 'week') {
    const from = startOfWeek(anchor);
    return { from, to: addDays(from, 7) };
  }
  if (view === 'list') {
    const from = startOfDay(anchor);
    return { from, to: addDays(from, LIST_DAYS) };
  }
  // Six full weeks from the Monday on or before the 1st.
  const from = startOfWeek(startOfMonth(anchor));
  return { from, to: addDays(from, 42) };
}

/** Where prev/next take the anchor. */
export function step(view: CalendarView, anchor: Date, dir: 1 | -1): Date {
  if (view === 'month') return new Date(anchor.getFullYear(), anchor.getMonth() + dir, 1);
  return addDays(startOfDay(anchor), dir * (view === 'week' ? 7 : LIST_DAYS));
}

export function days(from: Date, count: number): Date[] {
  return Array.from({ length: count }, (_, i) => addDays(from, i));
}

/** `d`'s time of day moved to the day `key` (YYYY-MM-DD), optionally at `hour`. */
export function moveTo(d: Date, key: string, hour?: number): Date {
  const [y, m, day] = key.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, day, hour ?? d.getHours(), d.getMinutes());
}

/** `2025-06-10T09:30` in this computer's zone, for a datetime-local input. */
export function toLocalInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${dayKey(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
