import { describe, expect, it } from 'vitest';
import type { Recurrence } from '../../api';
import {
  fromRecurrence,
  noRepeat,
  sameRecurrence,
  toRRule,
  toRecurrence,
  weekOfMonth,
} from './repeat';

describe('repeat rules', () => {
  it.each([
    [
      'weekly on chosen days',
      { kind: 'weekly', weekdays: ['FR', 'MO'] },
      'FREQ=WEEKLY;BYDAY=MO,FR',
    ],
    ['weekly on the start day by default', { kind: 'weekly' }, 'FREQ=WEEKLY;BYDAY=TU'],
    [
      'every 3 days, 5 times',
      { kind: 'daily', interval: 3, end: 'count', count: 5 },
      'FREQ=DAILY;INTERVAL=3;COUNT=5',
    ],
    ['monthly by day', { kind: 'monthlyDay' }, 'FREQ=MONTHLY;BYMONTHDAY=10'],
    [
      'monthly on the 2nd Tuesday',
      { kind: 'monthlyNth', end: 'until', until: '2026-12-31' },
      'FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231',
    ],
  ] as const)('builds %s', (_, form, rule) => {
    // 2026-03-10 is the second Tuesday of March.
    const r = toRecurrence(
      { ...noRepeat(), ...form, weekdays: [...(('weekdays' in form && form.weekdays) || [])] },
      '2026-03-10',
    );
    expect(toRRule(r!)).toBe(rule);
    expect(toRecurrence(fromRecurrence(r), '2026-03-10')).toEqual(r);
  });

  it('has no rule for a one-off item', () => {
    expect(toRecurrence(noRepeat(), '2026-03-10')).toBeNull();
  });

  it('calls the fifth weekday of a month the last', () => {
    expect(weekOfMonth('2026-03-31')).toBe(-1);
    expect(weekOfMonth('2026-03-24')).toBe(4);
  });
});

describe('rules the editor cannot build', () => {
  const custom: Recurrence = {
    freq: '',
    interval: 0,
    weekdays: [],
    monthDay: 0,
    week: 0,
    until: '',
    count: 0,
    rule: 'FREQ=YEARLY;BYDAY=2SU',
    exDates: ['2027-01-10T09:00:00+01:00'],
  };

  it('keeps a custom RRULE whole, with its exceptions', () => {
    const form = fromRecurrence(custom, '2026-01-11');
    expect(form.kind).toBe('custom');
    expect(toRecurrence(form, '2026-01-11')).toBe(custom);
  });

  it.each([
    ['a yearly rule', { freq: 'yearly' }],
    ['monthly every 2 months', { freq: 'monthly', interval: 2, monthDay: 10 }],
    ['monthly on the last day', { freq: 'monthly', monthDay: -1 }],
    ['daily on weekdays', { freq: 'daily', weekdays: ['MO', 'TU'] }],
  ] as const)('keeps %s as it is rather than rebuild it differently', (_, fields) => {
    const r: Recurrence = {
      ...custom,
      rule: undefined,
      exDates: undefined,
      ...fields,
    } as Recurrence;
    const form = fromRecurrence(r, '2026-03-10');
    expect(form.kind).toBe('custom');
    expect(toRecurrence(form, '2026-03-10')).toBe(r);
  });

  it('edits simple rules in place, keeping their exceptions and extra dates', () => {
    const r: Recurrence = {
      ...custom,
      rule: undefined,
      freq: 'weekly',
      weekdays: ['TU'],
      rDates: ['2026-03-12T10:00:00+01:00'],
    };
    const form = fromRecurrence(r, '2026-03-10');
    expect(form.kind).toBe('weekly');
    const back = toRecurrence({ ...form, weekdays: ['TU', 'TH'] }, '2026-03-10')!;
    expect(back).toMatchObject({ weekdays: ['TU', 'TH'], exDates: r.exDates, rDates: r.rDates });
    expect(sameRecurrence(r, toRecurrence(form, '2026-03-10'))).toBe(true);
    expect(sameRecurrence(r, back)).toBe(false);
  });

  it('sees an interval of 0 (older versions) as 1', () => {
    const r: Recurrence = {
      ...custom,
      rule: undefined,
      exDates: undefined,
      freq: 'daily',
      interval: 0,
    };
    expect(sameRecurrence(r, toRecurrence(fromRecurrence(r, '2026-03-10'), '2026-03-10'))).toBe(
      true,
    );
  });
});
