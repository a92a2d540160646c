import { describe, expect, it } from 'vitest';
import { fromRecurrence, noRepeat, toRRule, toRecurrence, weekOfMonth } from './repeat';

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
