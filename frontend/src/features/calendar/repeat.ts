import { WEEKDAYS, type Recurrence, type Weekday } from '../../api';

/** What the editor's Repeat select offers. */
export const REPEAT_KINDS = ['none', 'weekly', 'daily', 'monthlyDay', 'monthlyNth'] as const;
export type RepeatKind = (typeof REPEAT_KINDS)[number];

export const REPEAT_ENDS = ['never', 'until', 'count'] as const;
export type RepeatEnd = (typeof REPEAT_ENDS)[number];

export interface RepeatForm {
  kind: RepeatKind;
  /** Every N days (daily) or weeks (weekly). */
  interval: number;
  weekdays: Weekday[];
  end: RepeatEnd;
  /** YYYY-MM-DD */
  until: string;
  count: number;
}

export const noRepeat = (): RepeatForm => ({
  kind: 'none',
  interval: 1,
  weekdays: [],
  end: 'never',
  until: '',
  count: 10,
});

/** The weekday of a wall date `YYYY-MM-DD`. */
export function weekdayOf(date: string): Weekday {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7]!;
}

/** Which `weekday` of its month the date is: 1..4, or -1 when it is the last one. */
export function weekOfMonth(date: string): number {
  const nth = Math.ceil(Number(date.slice(8, 10)) / 7);
  return nth >= 5 ? -1 : nth;
}

/** The series rule for a start on the wall date `start` (YYYY-MM-DD); null for none. */
export function toRecurrence(form: RepeatForm, start: string): Recurrence | null {
  if (form.kind === 'none') return null;
  const base: Recurrence = {
    freq: 'daily',
    interval: Math.max(1, form.interval),
    weekdays: [],
    monthDay: 0,
    week: 0,
    until: form.end === 'until' ? form.until : '',
    count: form.end === 'count' ? Math.max(1, form.count) : 0,
  };
  switch (form.kind) {
    case 'daily':
      return base;
    case 'weekly':
      return {
        ...base,
        freq: 'weekly',
        weekdays: form.weekdays.length > 0 ? sortDays(form.weekdays) : [weekdayOf(start)],
      };
    case 'monthlyDay':
      return { ...base, freq: 'monthly', interval: 1, monthDay: Number(start.slice(8, 10)) };
    case 'monthlyNth':
      return {
        ...base,
        freq: 'monthly',
        interval: 1,
        week: weekOfMonth(start),
        weekdays: [weekdayOf(start)],
      };
  }
}

const sortDays = (days: Weekday[]) => WEEKDAYS.filter((d) => days.includes(d));

/** The editor's form for a stored rule. */
export function fromRecurrence(r: Recurrence | null | undefined): RepeatForm {
  if (!r) return noRepeat();
  const end: RepeatEnd = r.count > 0 ? 'count' : r.until ? 'until' : 'never';
  const common = {
    interval: Math.max(1, r.interval),
    weekdays: r.weekdays,
    end,
    until: r.until,
    count: r.count > 0 ? r.count : 10,
  };
  if (r.freq === 'monthly') return { ...common, kind: r.week !== 0 ? 'monthlyNth' : 'monthlyDay' };
  if (r.freq === 'weekly') return { ...common, kind: 'weekly' };
  return { ...common, kind: 'daily' };
}

/** RFC 5545 RRULE value, as the Go side writes it ("FREQ=WEEKLY;BYDAY=MO;COUNT=6"). */
export function toRRule(r: Recurrence): string {
  const parts = [`FREQ=${r.freq.toUpperCase()}`];
  if (r.interval > 1) parts.push(`INTERVAL=${r.interval}`);
  if (r.weekdays.length > 0)
    parts.push(`BYDAY=${r.weekdays.map((d) => (r.week !== 0 ? `${r.week}${d}` : d)).join(',')}`);
  if (r.monthDay !== 0) parts.push(`BYMONTHDAY=${r.monthDay}`);
  if (r.count > 0) parts.push(`COUNT=${r.count}`);
  if (r.until) parts.push(`UNTIL=${r.until.replaceAll('-', '')}`);
  return parts.join(';');
}
