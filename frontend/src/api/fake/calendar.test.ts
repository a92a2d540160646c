import { describe, expect, it } from 'vitest';
import type { CalendarItem } from '../types';
import { expand } from './calendar';

const base: CalendarItem = {
  id: 'i',
  kind: 'post',
  title: 'x',
  body: '',
  attachments: [],
  channels: [],
  status: 'scheduled',
  assignee: '',
  campaign: '',
  notes: '',
  timeZone: 'Europe/Paris',
  at: '2026-01-13T09:00:00+01:00',
  latePolicy: 'publish',
  graceMinutes: 0,
  createdAt: '',
  updatedAt: '',
};

describe('fake calendar recurrence', () => {
  it('expands "2nd Tuesday" monthly at the same wall time across daylight saving', () => {
    const item = {
      ...base,
      repeat: {
        freq: 'monthly',
        interval: 1,
        weekdays: ['TU'],
        monthDay: 0,
        week: 2,
        until: '',
        count: 4,
      },
    } satisfies CalendarItem;
    expect(expand(item, new Date('2027-01-01')).map((d) => d.toISOString())).toEqual([
      '2026-01-13T08:00:00.000Z',
      '2026-02-10T08:00:00.000Z',
      '2026-03-10T08:00:00.000Z',
      '2026-04-14T07:00:00.000Z',
    ]);
  });

  it('stops weekly series at their until date', () => {
    const item = {
      ...base,
      repeat: {
        freq: 'weekly',
        interval: 2,
        weekdays: ['TU', 'TH'],
        monthDay: 0,
        week: 0,
        until: '2026-01-29',
        count: 0,
      },
    } satisfies CalendarItem;
    expect(expand(item, new Date('2027-01-01')).map((d) => d.toISOString().slice(0, 10))).toEqual([
      '2026-01-13',
      '2026-01-15',
      '2026-01-27',
      '2026-01-29',
    ]);
  });
});
