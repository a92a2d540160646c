import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiError } from '../errors';
import { createFakeApi } from '.';
import { DASHBOARD_RECORDINGS, RECORDED_NOW, recordedKey, recordedMembers } from './recorded';

const rec = DASHBOARD_RECORDINGS.community;
/** What Go answered, as recorded. */
const go = (method: string, ...args: unknown[]) => rec.answers[recordedKey(method, args)]!;

describe('fake dashboard (answers recorded from Go)', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(RECORDED_NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('replays what Go answered for a period', async () => {
    const api = createFakeApi({ members: recordedMembers() });
    expect(await api.dashboard.stats('2026-02-15', '2026-03-16', '')).toEqual(
      go('stats', '2026-02-15', '2026-03-16', '').ok,
    );
    expect(await api.dashboard.funnel('2026-02-15', '2026-03-16')).toEqual(
      go('funnel', '2026-02-15', '2026-03-16').ok,
    );
  });

  it('fails loudly, naming the call, for a period Go was not asked about', async () => {
    const api = createFakeApi();
    await expect(api.dashboard.stats('2025-01-01', '2025-01-31', '')).rejects.toThrow(
      /no answer recorded from Go for dashboard\.stats\["2025-01-01","2025-01-31",""\]/,
    );
  });

  it('rejects as Go rejected', async () => {
    const api = createFakeApi();
    await expect(api.dashboard.stats('2026-02-30', '2026-03-16', '')).rejects.toMatchObject({
      kind: 'invalid',
      fields: [{ field: 'from', code: 'date' }],
    } satisfies Partial<ApiError>);
    await expect(api.dashboard.stats('2026-03-16', '2026-03-01', '')).rejects.toMatchObject({
      fields: [{ field: 'to', code: 'after_from' }],
    });
  });

  it('gives the start of the list Go ranked when asked for fewer members', async () => {
    const api = createFakeApi();
    const all = go('membersBehind', '2026-02-15', '2026-03-16', 'super_users', '', 20).ok as {
      id: string;
    }[];
    const top = await api.dashboard.membersBehind('2026-02-15', '2026-03-16', 'super_users', '', 2);
    expect(top.map((m) => m.id)).toEqual(all.slice(0, 2).map((m) => m.id));
  });

  it('keeps the settings form Go accepted last, and refuses what Go refused', async () => {
    const api = createFakeApi();
    const input = { costPerMonth: 300, valuePerConversion: 120.5, currency: 'EUR' };
    await api.dashboard.saveRoiSettings(input);
    expect(await api.dashboard.roiSettings()).toEqual(go('saveRoiSettings', input).ok);
    await expect(
      api.dashboard.saveRoiSettings({
        costPerMonth: -1,
        valuePerConversion: 0,
        currency: 'EUR',
      }),
    ).rejects.toMatchObject({ fields: [{ field: 'costPerMonth', code: 'min' }] });
  });
});

describe('another day (demo mode, screens of other features)', () => {
  it('replays the recorded last 30 days as today’s', async () => {
    const api = createFakeApi({ now: () => new Date(2026, 11, 7, 9) });
    const k = await api.dashboard.stats('2026-11-08', '2026-12-07', '');
    const recorded = go('stats', '2026-02-15', '2026-03-16', '').ok as { daily: { day: string }[] };
    expect(k.membersTotal).toBe((recorded as unknown as { membersTotal: number }).membersTotal);
    expect(k.daily.at(-1)?.day).toBe('2026-12-07');
    expect(k.daily).toHaveLength(recorded.daily.length);
  });
});
