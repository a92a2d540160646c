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
    const err = await api.reports.exportKpi('2026-03-16', '2026-03-01', '', 'en').catch((e) => e);
    expect((err as ApiError).fields).toEqual([{ field: 'to', code: 'after_from' }]);
    expect(api.reportExports()).toEqual([]);
  });

  it('in demo mode on another day, answers the periods counted from today and keeps Monday runs on Mondays', async () => {
    const now = new Date(RECORDED_NOW.getTime() + 100 * 86_400_000);
    vi.setSystemTime(now);
    const api = createDemoApi(0);
    const day = (ago: number) =>
      new Date(now.getTime() - ago * 86_400_000).toISOString().slice(0, 10);
    // The recording's last 30 days answer today's, the workbook named after today's first day.
    expect(await api.reports.exportKpi(day(29), day(0), '', 'en')).toBe(
      `/home/demo/Documents/hearth-kpi-${day(29)}.xlsx`,
    );
    const schedule = await api.reports.schedule();
    expect(schedule.weekday).toBe('monday');
    expect(new Date(schedule.lastSlot!).getUTCDay()).toBe(1);
    expect(schedule.lastFile).toBe(
      `/home/demo/Documents/Reports/hearth-kpi-${schedule.lastSlot!.slice(0, 10)}.xlsx`,
    );
  });

  it('refuses what Go never answered in demo mode as demo data', async () => {
    const api = createDemoApi(0);
    await expect(api.reports.exportKpi('2020-01-01', '2020-01-31', '', 'en')).rejects.toMatchObject(
      {
        kind: 'unavailable',
        code: 'demo_unrecorded',
      },
    );
  });
});
