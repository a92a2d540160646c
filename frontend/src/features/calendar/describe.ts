import type { TFunction } from 'i18next';
import { WEEKDAYS, type Recurrence, type Weekday } from '../../api';
import { toRRule } from './repeat';
import { weekdayName } from './weekdays';

/** An RRULE value taken apart (RFC 5545 §3.3.10), for describing it in people's words. */
export interface RuleParts {
  freq: string;
  interval: number;
  count: number;
  /** UNTIL as written: YYYYMMDD, YYYYMMDDTHHMMSS (floating) or …Z (UTC); '' when none. */
  until: string;
  bySecond: number[];
  byMinute: number[];
  byHour: number[];
  byDay: { n: number; day: Weekday }[];
  byMonthDay: number[];
  byYearDay: number[];
  byWeekNo: number[];
  byMonth: number[];
  bySetPos: number[];
  wkst: Weekday;
}

const FREQS = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];

/** Reads an RRULE value in any case, with or without its name; null when it is not one. */
export function parseRRule(text: string): RuleParts | null {
  const s = text
    .trim()
    .toUpperCase()
    .replace(/^RRULE:/, '');
  const p: RuleParts = {
    freq: '',
    interval: 1,
    count: 0,
    until: '',
    bySecond: [],
    byMinute: [],
    byHour: [],
    byDay: [],
    byMonthDay: [],
    byYearDay: [],
    byWeekNo: [],
    byMonth: [],
    bySetPos: [],
    wkst: 'MO',
  };
  const ints = (v: string) => v.split(',').map(Number);
  for (const part of s.split(';')) {
    const [name, value = ''] = part.split('=');
    switch (name) {
      case 'FREQ':
        p.freq = value;
        break;
      case 'INTERVAL':
        p.interval = Number(value);
        break;
      case 'COUNT':
        p.count = Number(value);
        break;
      case 'UNTIL':
        p.until = value;
        break;
      case 'WKST':
        p.wkst = value as Weekday;
        break;
      case 'BYSECOND':
        p.bySecond = ints(value);
        break;
      case 'BYMINUTE':
        p.byMinute = ints(value);
        break;
      case 'BYHOUR':
        p.byHour = ints(value);
        break;
      case 'BYMONTHDAY':
        p.byMonthDay = ints(value);
        break;
      case 'BYYEARDAY':
        p.byYearDay = ints(value);
        break;
      case 'BYWEEKNO':
        p.byWeekNo = ints(value);
        break;
      case 'BYMONTH':
        p.byMonth = ints(value);
        break;
      case 'BYSETPOS':
        p.bySetPos = ints(value);
        break;
      case 'BYDAY':
        for (const d of value.split(',')) {
          const m = /^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$/.exec(d);
          if (!m) return null;
          p.byDay.push({ n: Number(m[1] ?? 0), day: m[2] as Weekday });
        }
        break;
      default:
        return null;
    }
  }
  const numbers = [p.interval, p.count, ...p.byMonthDay, ...p.byYearDay, ...p.byWeekNo];
  if (!FREQS.includes(p.freq) || !WEEKDAYS.includes(p.wkst) || numbers.some(Number.isNaN))
    return null;
  return p;
}

/** The rule of r as RRULE parts; `start` (YYYY-MM-DD…) fills what older yearly rules left implicit. */
export function ruleParts(r: Recurrence, start = ''): RuleParts | null {
  if (r.rule) return parseRRule(r.rule);
  const p = parseRRule(toRRule(r));
  if (p && r.freq === 'yearly' && (r.monthDay !== 0 || r.week !== 0) && start)
    p.byMonth = [Number(start.slice(5, 7))];
  return p;
}

export interface DescribeOptions {
  /** The item's IANA zone, to show an UNTIL instant in. */
  timeZone?: string;
  /** The first occurrence's wall date, YYYY-MM-DD… */
  start?: string;
}

const UNITS: Record<string, string> = {
  SECONDLY: 'second',
  MINUTELY: 'minute',
  HOURLY: 'hour',
  DAILY: 'day',
  WEEKLY: 'week',
  MONTHLY: 'month',
  YEARLY: 'year',
};

/**
 * A series' rule in people's words, from the catalogs: "Every 2 weeks on Monday and Wednesday,
 * until Dec 31, 2026" / "Toutes les 2 semaines le lundi et le mercredi, jusqu'au 31 déc. 2026".
 * Any RRULE is described, not only the ones the editor builds.
 */
export function describeRecurrence(
  r: Recurrence,
  t: TFunction,
  lng: string,
  opts: DescribeOptions = {},
): string {
  const p = ruleParts(r, opts.start);
  if (!p) return t('item.repeatText.unreadable', { rule: r.rule ?? '' });
  const k = (key: string, params?: Record<string, unknown>) =>
    t(`item.repeatText.${key}`, params ?? {});
  const list = (items: string[]) => new Intl.ListFormat(lng, { type: 'conjunction' }).format(items);
  const ordinals = new Intl.PluralRules(lng, { type: 'ordinal' });
  const ord = (n: number, set = 'ordinal') => k(`${set}.${ordinals.select(n)}`, { n });
  const fromEnd = (n: number, what: 'day' | 'weekday' | 'position', name = '') =>
    n === -1
      ? k(`last.${what}`, { day: name })
      : n === -2
        ? k(`secondToLast.${what}`, { day: name })
        : k(`fromEnd.${what}`, { nth: ord(-n), day: name });

  const unit = UNITS[p.freq]!;
  const out: string[] = [k(`every.${unit}`, { count: p.interval })];

  if (p.byMonth.length > 0) {
    const month = new Intl.DateTimeFormat(lng, { month: 'long', timeZone: 'UTC' });
    const names = p.byMonth.map((m) => month.format(new Date(Date.UTC(2024, m - 1, 1))));
    out.push(k('inMonths', { months: list(names) }));
  }
  if (p.byWeekNo.length > 0)
    out.push(
      k('inWeeks', {
        count: p.byWeekNo.length,
        weeks: list(p.byWeekNo.map(String)),
      }),
    );
  if (p.byYearDay.length > 0)
    out.push(
      k('onYearDays', {
        count: p.byYearDay.length,
        days: list(p.byYearDay.map(String)),
      }),
    );

  const dayPhrase = (d: { n: number; day: Weekday }) => {
    const name = weekdayName(d.day, lng, 'long');
    if (d.n === 0) return k('weekday', { day: name });
    return d.n > 0 ? k('nthWeekday', { nth: ord(d.n), day: name }) : fromEnd(d.n, 'weekday', name);
  };
  const days = p.byDay.length > 0 ? list(p.byDay.map(dayPhrase)) : '';
  const monthDays =
    p.byMonthDay.length > 0
      ? list(
          p.byMonthDay.map((n) =>
            n > 0 ? k('monthDay', { nth: ord(n, 'dayOrdinal') }) : fromEnd(n, 'day'),
          ),
        )
      : '';
  const ofYear =
    p.freq === 'YEARLY' &&
    p.byMonth.length === 0 &&
    p.byWeekNo.length === 0 &&
    p.byDay.some((d) => d.n !== 0)
      ? k('ofTheYear')
      : '';
  if (days && monthDays) out.push(k('onDaysFalling', { days, monthDays }));
  else if (days) out.push(k('onDays', { days }) + ofYear);
  else if (monthDays) out.push(k('onMonthDays', { days: monthDays }));

  const times = timesOf(p, lng, k, list);
  if (times) out.push(times);
  if (p.bySetPos.length > 0) {
    const positions = list(
      p.bySetPos.map((n) => (n > 0 ? k('position', { nth: ord(n) }) : fromEnd(n, 'position'))),
    );
    out.push(k('setPos', { positions, period: k(`period.${unit}`) }));
  }
  if (p.wkst !== 'MO') out.push(k('weekStart', { day: weekdayName(p.wkst, lng, 'long') }));

  let text = out.join(' ');
  if (p.count > 0) text += k('times', { count: p.count });
  else if (p.until) text += k('until', { date: untilText(p.until, lng, opts.timeZone) });
  const dates = (ds: string[] | undefined) =>
    list(
      (ds ?? []).map((d) =>
        new Intl.DateTimeFormat(lng, {
          dateStyle: 'medium',
          timeStyle: 'short',
          timeZone: opts.timeZone || undefined,
        }).format(new Date(d)),
      ),
    );
  if ((r.exDates?.length ?? 0) > 0)
    text += k('except', { count: r.exDates!.length, dates: dates(r.exDates) });
  if ((r.rDates?.length ?? 0) > 0)
    text += k('also', { count: r.rDates!.length, dates: dates(r.rDates) });
  return text;
}

/** "at 9:00 and 17:30", or hours and minutes apart when there are many combinations. */
function timesOf(
  p: RuleParts,
  lng: string,
  k: (key: string, params?: Record<string, unknown>) => string,
  list: (items: string[]) => string,
): string {
  const { byHour: h, byMinute: m, bySecond: s } = p;
  if (h.length + m.length + s.length === 0) return '';
  if (h.length > 0 && m.length > 0 && h.length * m.length <= 6 && s.length === 0) {
    const fmt = new Intl.DateTimeFormat(lng, { timeStyle: 'short', timeZone: 'UTC' });
    const times = h.flatMap((hh) =>
      m.map((mm) => fmt.format(new Date(Date.UTC(2024, 0, 1, hh, mm)))),
    );
    return k('atTimes', { times: list(times) });
  }
  const parts: string[] = [];
  if (h.length > 0) parts.push(k('atHours', { count: h.length, hours: list(h.map(String)) }));
  if (m.length > 0) parts.push(k('atMinutes', { count: m.length, minutes: list(m.map(String)) }));
  if (s.length > 0) parts.push(k('atSeconds', { count: s.length, seconds: list(s.map(String)) }));
  return parts.join(' ');
}

/** UNTIL as people read it: a date, or a date and time in the item's zone. */
function untilText(until: string, lng: string, timeZone?: string): string {
  const y = +until.slice(0, 4);
  const mo = +until.slice(4, 6) - 1;
  const d = +until.slice(6, 8);
  if (until.length === 8)
    return new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeZone: 'UTC' }).format(
      new Date(Date.UTC(y, mo, d, 12)),
    );
  const instant = new Date(
    Date.UTC(y, mo, d, +until.slice(9, 11), +until.slice(11, 13), +until.slice(13, 15)),
  );
  const utc = until.endsWith('Z');
  return new Intl.DateTimeFormat(lng, {
    dateStyle: 'medium',
    timeStyle: 'short',
    // A floating UNTIL is a wall time already: show it as written.
    timeZone: utc ? timeZone || undefined : 'UTC',
  }).format(instant);
}
