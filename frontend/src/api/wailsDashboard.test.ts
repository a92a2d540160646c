import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWailsApi } from './wails';

afterEach(() => {
  delete (window as unknown as { go?: unknown }).go;
});

const GO_KPIS = {
  from: '2025-03-01T00:00:00+01:00',
  to: '2025-04-01T00:00:00+02:00',
  members_total: 3,
  members_new: 1,
  members_churned: 0,
  members_active: 1,
  dau: 0.1,
  wau: 0.5,
  mau: 1,
  stickiness: 0.1,
  growth_rate: 0.5,
  engagement_rate: 0.33,
  activities: 2,
  activities_by_kind: null,
  activities_by_channel: null,
  daily: null,
  cohorts: [{ month: '2025-03', size: 1, retention: null }],
  levels: null,
  super_users: [{ member_id: 'm1', name: 'Ana', score: 3, level: 3, counts: null }],
  gone_quiet: null,
  previous: { members_total: 2, super_users: null },
};

describe('Wails dashboard adapter', () => {
  it('asks Stats for the range and turns Go’s nulls into empty values', async () => {
    const service = { Stats: vi.fn(async () => GO_KPIS), MembersBehind: vi.fn() };
    (window as unknown as { go: unknown }).go = { app: { DashboardService: service } };
    const k = await createWailsApi().dashboard.stats('2025-03-01', '2025-03-31');
    expect(service.Stats).toHaveBeenCalledWith('2025-03-01', '2025-03-31');
    expect(k.activities_by_kind).toEqual({});
    expect(k.daily).toEqual([]);
    expect(k.levels).toEqual([]);
    expect(k.gone_quiet).toEqual([]);
    expect(k.cohorts[0]!.retention).toEqual([]);
    expect(k.super_users[0]!.counts).toEqual({});
    expect(k.previous?.super_users).toEqual([]);
    expect(k.previous?.previous).toBeNull();
  });

  it('lists the members behind a metric as members', async () => {
    const service = {
      Stats: vi.fn(),
      MembersBehind: vi.fn(async () => [{ id: 'm1', name: 'Ana', emails: null }]),
    };
    (window as unknown as { go: unknown }).go = { app: { DashboardService: service } };
    const members = await createWailsApi().dashboard.membersBehind(
      '2025-03-01',
      '2025-03-31',
      'level:1',
      20,
    );
    expect(service.MembersBehind).toHaveBeenCalledWith('2025-03-01', '2025-03-31', 'level:1', 20);
    expect(members[0]).toMatchObject({ id: 'm1', emails: [], tags: [], handles: [] });
  });
});
