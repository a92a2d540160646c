import { WEEKDAYS, type Recurrence, type Weekday } from '../../api';

/**
 * What the editor's Repeat select offers. 'custom' is a rule the editor cannot build (made in
 * the command line or imported): offered only for such a rule, which is then kept as it is.
 */
export const REPEAT_KINDS = [
  'none',
  'weekly',
  'daily',
  'monthlyDay',
  'monthlyNth',
  'custom',
] as const;
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
  /** The stored rule, kept whole, when the editor cannot build it (kind 'custom'). */
  custom: Recurrence | null;
  /** The series' exceptions and extra dates (RFC 3339), kept through edits. */
  exDates: string[];
  rDates: string[];
}

export const noRepeat = (): RepeatForm => ({
  kind: 'none',
  interval: 1,
  weekdays: [],
  end: 'never',
  until: '',
  count: 10,
  custom: null,
  exDates: [],
  rDates: [],
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
  if (form.kind === 'custom') return form.custom;
  const r = buildSimple(form, start);
  if (form.exDates.length > 0) r.exDates = form.exDates;
  if (form.rDates.length > 0) r.rDates = form.rDates;
  return r;
}

function buildSimple(form: RepeatForm, start: string): Recurrence {
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
    default:
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

/**
 * The editor's form for a stored rule, for a series starting on the wall date `start`
 * (YYYY-MM-DD). A rule the editor would not rebuild as it is (a custom RRULE, a yearly rule, a
 * monthly one every 2 months...) becomes kind 'custom' and is kept whole.
 */
export function fromRecurrence(r: Recurrence | null | undefined, start = ''): RepeatForm {
  if (!r) return noRepeat();
  const dates = { exDates: r.exDates ?? [], rDates: r.rDates ?? [] };
  const custom: RepeatForm = { ...noRepeat(), ...dates, kind: 'custom', custom: r };
  if (r.rule) return custom;
  const weekdays = r.weekdays.filter((d): d is Weekday =>
    (WEEKDAYS as readonly string[]).includes(d),
  );
  const end: RepeatEnd = r.count > 0 ? 'count' : r.until ? 'until' : 'never';
  const form: RepeatForm = {
    ...noRepeat(),
    ...dates,
    interval: Math.max(1, r.interval),
    weekdays,
    end,
    until: r.until,
    count: r.count > 0 ? r.count : 10,
    kind:
      r.freq === 'monthly'
        ? r.week !== 0
          ? 'monthlyNth'
          : 'monthlyDay'
        : r.freq === 'weekly'
          ? 'weekly'
          : 'daily',
  };
  if (!start) return r.freq === 'yearly' ? custom : form;
  const stored: Recurrence = {
    ...r,
    weekdays: r.freq === 'weekly' && weekdays.length === 0 ? [weekdayOf(start)] : weekdays,
  };
  return toRRule(buildSimple(form, start)) === toRRule(stored) ? form : custom;
}

/** Whether two rules are the same series (same RRULE, exceptions and extra dates). */
export function sameRecurrence(a: Recurrence | null | undefined, b: Recurrence | null | undefined) {
  if (!a || !b) return !a === !b;
  const instants = (ds: string[] | undefined) =>
    (ds ?? []).map((d) => new Date(d).getTime()).join(',');
  return (
    toRRule(a) === toRRule(b) &&
    instants(a.exDates) === instants(b.exDates) &&
    instants(a.rDates) === instants(b.rDates)
  );
}

/** RFC 5545 RRULE value, as the Go side writes it ("FREQ=WEEKLY;BYDAY=MO;COUNT=6"); a custom rule as stored. */
export function toRRule(r: Recurrence): string {
  if (r.rule) return r.rule;
  const parts = [`FREQ=${r.freq.toUpperCase()}`];
  if (r.interval > 1) parts.push(`INTERVAL=${r.interval}`);
  const weekdays = r.weekdays;
  if (weekdays.length > 0)
    parts.push(`BYDAY=${weekdays.map((d) => (r.week !== 0 ? `${r.week}${d}` : d)).join(',')}`);
  if (r.monthDay !== 0) parts.push(`BYMONTHDAY=${r.monthDay}`);
  if (r.count > 0) parts.push(`COUNT=${r.count}`);
  if (r.until) parts.push(`UNTIL=${r.until.replaceAll('-', '')}`);
  return parts.join(';');
}
