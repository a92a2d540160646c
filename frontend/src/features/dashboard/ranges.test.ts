import { describe, expect, it } from 'vitest';
import {
  addDays,
  isValidRange,
  lengthInDays,
  parseDay,
  presetRange,
  previousRange,
  type Preset,
} from './ranges';

/** Local noon of a day, as "today". */
const on = (y: number, m: number, d: number) => new Date(y, m - 1, d, 12);

describe('date presets', () => {
  it.each<[string, Preset, Date, string, string]>([
    ['the last 7 days end today', 'last7', on(2025, 3, 3), '2025-02-25', '2025-03-03'],
    ['the last 30 days cross a month', 'last30', on(2025, 3, 10), '2025-02-09', '2025-03-10'],
    ['the last 90 days cross a year', 'last90', on(2025, 1, 15), '2024-10-18', '2025-01-15'],
    [
      'this month runs from the 1st to today',
      'thisMonth',
      on(2025, 3, 31),
      '2025-03-01',
      '2025-03-31',
    ],
    ['this month on the 1st is one day', 'thisMonth', on(2025, 4, 1), '2025-04-01', '2025-04-01'],
    [
      'last month is the whole previous month',
      'lastMonth',
      on(2025, 3, 31),
      '2025-02-01',
      '2025-02-28',
    ],
    [
      'last month in a leap year ends on the 29th',
      'lastMonth',
      on(2024, 3, 1),
      '2024-02-01',
      '2024-02-29',
    ],
    ['last month in January is December', 'lastMonth', on(2025, 1, 10), '2024-12-01', '2024-12-31'],
    [
      'last month of a 31st is not shifted',
      'lastMonth',
      on(2025, 5, 31),
      '2025-04-01',
      '2025-04-30',
    ],
    ['this year starts on January 1st', 'thisYear', on(2025, 7, 14), '2025-01-01', '2025-07-14'],
  ])('%s', (_, preset, today, from, to) => {
    expect(presetRange(preset, today)).toEqual({ from, to });
  });

  it('counts a preset’s days, both ends included', () => {
    expect(lengthInDays(presetRange('last7', on(2025, 3, 3)))).toBe(7);
    expect(lengthInDays(presetRange('last90', on(2025, 3, 3)))).toBe(90);
    expect(lengthInDays(presetRange('lastMonth', on(2024, 3, 1)))).toBe(29);
  });

  it('counts days across a daylight saving change as whole days', () => {
    // Europe and North America both change clocks in March: whatever the zone, still 31 days.
    expect(lengthInDays({ from: '2025-03-01', to: '2025-03-31' })).toBe(31);
    expect(addDays('2025-03-29', 2)).toBe('2025-03-31');
    expect(addDays('2025-11-01', 2)).toBe('2025-11-03');
  });
});

describe('the previous period', () => {
  it('has the same length and ends the day before', () => {
    expect(previousRange({ from: '2025-02-25', to: '2025-03-03' })).toEqual({
      from: '2025-02-18',
      to: '2025-02-24',
    });
  });

  it('of a month is as many days, not the previous month', () => {
    // February 2025 has 28 days: compared with the 28 days before it.
    expect(previousRange({ from: '2025-02-01', to: '2025-02-28' })).toEqual({
      from: '2025-01-04',
      to: '2025-01-31',
    });
  });

  it('of a single day is the day before', () => {
    expect(previousRange({ from: '2025-01-01', to: '2025-01-01' })).toEqual({
      from: '2024-12-31',
      to: '2024-12-31',
    });
  });
});

describe('custom ranges', () => {
  it('accept real days in order only', () => {
    expect(isValidRange({ from: '2025-03-01', to: '2025-03-01' })).toBe(true);
    expect(isValidRange({ from: '2025-03-02', to: '2025-03-01' })).toBe(false);
    expect(isValidRange({ from: '2025-02-30', to: '2025-03-01' })).toBe(false);
    expect(isValidRange({ from: '', to: '2025-03-01' })).toBe(false);
    expect(parseDay('2025-13-01')).toBeNull();
  });
});
