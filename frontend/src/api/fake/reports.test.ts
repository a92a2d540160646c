import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors';
import { createFakeApi } from '.';
import { nextSlot } from './reports';

describe('fake reports', () => {
  it('rejects a schedule with the Go side’s fields and codes', async () => {
    const api = createFakeApi();
    const err = await api.reports
      .setSchedule({ enabled: true, weekday: 'someday', at: '8h', folder: '', lang: 'de' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).fields?.map((f) => `${f.field}:${f.code}`)).toEqual([
      'weekday:oneof',
      'at:time_of_day',
      'folder:required',
      'lang:oneof',
    ]);
  });

  it('accepts Windows folders and keeps a switched-off schedule without a next run', async () => {
    const api = createFakeApi();
    const off = await api.reports.setSchedule({
      enabled: false,
      weekday: ' Friday ',
      at: '17:30',
      folder: 'C:\\Reports',
      lang: 'fr',
    });
    expect(off).toMatchObject({ enabled: false, weekday: 'friday', folder: 'C:\\Reports' });
    expect(off.nextSlot).toBeUndefined();
  });

  it('finds the next slot later the same day or a week on', () => {
    const wednesday = new Date(2025, 2, 5, 10, 0);
    expect(nextSlot('wednesday', '11:00', wednesday)).toEqual(new Date(2025, 2, 5, 11, 0));
    expect(nextSlot('wednesday', '10:00', wednesday)).toEqual(new Date(2025, 2, 12, 10, 0));
    expect(nextSlot('sunday', '08:00', wednesday)).toEqual(new Date(2025, 2, 9, 8, 0));
  });
});
