// Date ranges of the dashboard: calendar days (YYYY-MM-DD) in the local zone, both ends included,
// which is what DashboardService.Stats takes.

export const PRESETS = [
  'last7',
  'last30',
  'last90',
  'thisMonth',
  'lastMonth',
  'thisYear',
  'custom',
] as const;
export type Preset = (typeof PRESETS)[number];

/** A period of whole days, `from` and `to` included. */
export interface DayRange {
  from: string;
  to: string;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar day of `d`, YYYY-MM-DD. */
export function dayOf(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Local midnight of a YYYY-MM-DD day; null when it is not a real date. */
export function parseDay(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dayOf(d) === day ? d : null;
}

/** `day` moved by `n` calendar days (daylight saving changes nothing: only the date counts). */
export function addDays(day: string, n: number): string {
  const d = parseDay(day);
  if (!d) return day;
  return dayOf(new Date(d.getFullYear(), d.getMonth(), d.getDate() + n));
}

/** Number of days in a range, both ends counted. */
export function lengthInDays(r: DayRange): number {
  const from = parseDay(r.from);
  const to = parseDay(r.to);
  if (!from || !to) return 0;
  // Noon-to-noon UTC stamps of the same dates, so a 23- or 25-hour day still counts as one.
  const utc = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.round((utc(to) - utc(from)) / 86_400_000) + 1;
}

/** The range a preset means on `today` (local). `custom` keeps the last 30 days as a start. */
export function presetRange(preset: Preset, today: Date): DayRange {
  const y = today.getFullYear();
  const m = today.getMonth();
  const d = today.getDate();
  const day = (yy: number, mm: number, dd: number) => dayOf(new Date(yy, mm, dd));
  switch (preset) {
    case 'last7':
      return { from: day(y, m, d - 6), to: day(y, m, d) };
    case 'last90':
      return { from: day(y, m, d - 89), to: day(y, m, d) };
    case 'thisMonth':
      return { from: day(y, m, 1), to: day(y, m, d) };
    case 'lastMonth':
      // Day 0 of this month is the last day of the previous one (28, 29, 30 or 31).
      return { from: day(y, m - 1, 1), to: day(y, m, 0) };
    case 'thisYear':
      return { from: day(y, 0, 1), to: day(y, m, d) };
    case 'last30':
    case 'custom':
      return { from: day(y, m, d - 29), to: day(y, m, d) };
  }
}

/** The period of equal length just before `r`: what the KPIs are compared with. */
export function previousRange(r: DayRange): DayRange {
  const n = lengthInDays(r);
  return { from: addDays(r.from, -n), to: addDays(r.from, -1) };
}

/** True when both ends are real days in order. */
export function isValidRange(r: DayRange): boolean {
  return parseDay(r.from) !== null && parseDay(r.to) !== null && r.from <= r.to;
}
