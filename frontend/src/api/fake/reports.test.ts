import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../errors';
import { createDemoApi, createFakeApi } from '.';
import { RECORDED_NOW } from './recorded';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => vi.useRealTimers());

describe('fake reports', () => {
  it('rejects a schedule with the fields and codes Go recorded', async () => {
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
    // Nothing was saved.
    expect((await api.reports.schedule()).enabled).toBe(false);
  });

  it('answers a KPI period Go refuses with its field error, before any dialog', async () => {
    const api = createFakeApi();
    api.cancelNextDialog();
    const err = await api.reports.exportKpi('2026-03-16', '2026-03-01', 'en').catch((e) => e);
    expect((err as ApiError).fields).toEqual([{ field: 'to', code: 'after_from' }]);
    expect(api.reportExports()).toEqual([]);
  });

  it('refuses what Go never answered in demo mode as demo data', async () => {
    const api = createDemoApi(0);
    await expect(api.reports.exportKpi('2020-01-01', '2020-01-31', 'en')).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'demo_unrecorded',
    });
  });
});
