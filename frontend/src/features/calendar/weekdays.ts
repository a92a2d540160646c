import { WEEKDAYS, type Weekday } from '../../api';

/** A weekday's name in the UI language; 2024-01-01 was a Monday. */
export function weekdayName(d: Weekday, lng: string | undefined, style: 'short' | 'long'): string {
  const date = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(d), 12));
  return new Intl.DateTimeFormat(lng, { weekday: style, timeZone: 'UTC' }).format(date);
}
