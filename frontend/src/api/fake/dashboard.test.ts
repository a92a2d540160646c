import { describe, expect, it } from 'vitest';
import type { ApiError } from '../errors';
import { createFakeApi } from '.';
import { demoActivities } from './dashboardSeed';
import { demoMembers } from './seed';

const NOW = new Date(2025, 5, 15, 18);

function demo() {
  const members = demoMembers(2000, NOW.getTime());
  return createFakeApi({ members, activities: () => demoActivities(members, NOW) });
}

describe('fake dashboard', () => {
  it('gives the demo a believable community, the same on every run', async () => {
    const a = await demo().dashboard.stats('2025-05-17', '2025-06-15');
    const b = await demo().dashboard.stats('2025-05-17', '2025-06-15');
    expect(a).toEqual(b);
    expect(a.daily).toHaveLength(30);
    expect(a.members_active).toBeGreaterThan(100);
    expect(a.members_active).toBeLessThan(a.members_total);
    expect(a.activities).toBeGreaterThan(1000);
    expect(a.stickiness).toBeGreaterThan(0);
    expect(a.stickiness).toBeLessThan(1);
    expect(a.super_users).toHaveLength(20);
    expect(a.gone_quiet.length).toBeGreaterThan(0);
    expect(a.cohorts.length).toBeGreaterThan(0);
    expect(a.levels.reduce((n, l) => n + l.members, 0)).toBe(a.members_total);
    expect(a.previous?.daily).toHaveLength(30);
    expect(a.daily.at(-1)?.members_total).toBe(a.members_total);
  });

  it('answers a whole year quickly enough for the demo', async () => {
    const api = demo();
    await api.dashboard.stats('2025-06-01', '2025-06-01');
    const started = performance.now();
    const k = await api.dashboard.stats('2025-01-01', '2025-06-15');
    expect(k.daily).toHaveLength(166);
    // Not a benchmark: a generous bound that catches an accidental quadratic loop.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('lists the members behind a number, at most the limit', async () => {
    const api = demo();
    const k = await api.dashboard.stats('2025-05-17', '2025-06-15');
    const top = await api.dashboard.membersBehind('2025-05-17', '2025-06-15', 'super_users', 5);
    expect(top.map((m) => m.id)).toEqual(k.super_users.slice(0, 5).map((u) => u.member_id));
    const fresh = await api.dashboard.membersBehind('2025-05-17', '2025-06-15', 'new', 500);
    expect(fresh).toHaveLength(k.members_new);
    const ambassadors = await api.dashboard.membersBehind(
      '2025-05-17',
      '2025-06-15',
      'level:1',
      500,
    );
    expect(ambassadors).toHaveLength(k.levels[0]!.members);
  });

  it('rejects days that are not real or out of order', async () => {
    const api = createFakeApi();
    await expect(api.dashboard.stats('2025-02-30', '2025-03-01')).rejects.toMatchObject({
      kind: 'invalid',
      fields: [{ field: 'from', code: 'date' }],
    } satisfies Partial<ApiError>);
    await expect(api.dashboard.stats('2025-03-02', '2025-03-01')).rejects.toMatchObject({
      fields: [{ field: 'to' }],
    });
    await expect(
      api.dashboard.membersBehind('2025-03-01', '2025-03-02', 'active', 0),
    ).rejects.toMatchObject({ fields: [{ field: 'limit' }] });
  });
});
