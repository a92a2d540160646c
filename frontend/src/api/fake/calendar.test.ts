import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDemoApi, createFakeApi } from '.';
import { viewRange } from '../../features/calendar/dates';
import { RECORDED_NOW } from './recorded';

// Go's answers recorded at RECORDED_NOW (app/recorded_calendar_test.go).
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => vi.useRealTimers());

describe('fake calendar', () => {
  it('answers Go’s expansion of "2nd Tuesday" monthly at the same wall time across daylight saving', async () => {
    const api = createFakeApi();
    const list = await api.calendar.list('2026-01-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z');
    const paris = list.filter((o) => o.itemId === 'cal-paris');
    expect(paris.map((o) => new Date(o.at).toISOString())).toEqual([
      '2026-01-13T08:00:00.000Z',
      '2026-02-10T08:00:00.000Z',
      '2026-03-10T08:00:00.000Z',
      '2026-04-14T07:00:00.000Z',
    ]);
    expect(
      paris.every((o) => o.at.endsWith('T09:00:00+01:00') || o.at.endsWith('T09:00:00+02:00')),
    ).toBe(true);
  });

  it('deletes one occurrence of a series, then the series, as Go did', async () => {
    const api = createFakeApi();
    const mondays = async () =>
      (await api.calendar.list('2026-02-23T00:00:00.000Z', '2026-04-06T00:00:00.000Z'))
        .filter((o) => o.itemId === 'cal-digest')
        .map((o) => o.at);
    expect(await mondays()).toHaveLength(3);
    await api.calendar.delete('cal-digest', '2026-03-09T09:30:00Z');
    expect(await mondays()).toEqual(['2026-03-02T09:30:00Z', '2026-03-16T09:30:00Z']);
    await api.calendar.delete('cal-digest');
    expect(await mondays()).toEqual([]);
    expect(api.calendarItems().map((i) => i.id)).not.toContain('cal-digest');
  });

  it('refuses to delete an item twice, as Go did', async () => {
    const api = createFakeApi();
    await api.calendar.delete('cal-release');
    await expect(api.calendar.delete('cal-release')).rejects.toMatchObject({
      kind: 'not_found',
      code: 'calendar_item_not_found',
    });
  });

  it('fails loudly, naming the call, when Go never answered it', async () => {
    const api = createFakeApi();
    await expect(api.calendar.list('2020-01-01T00:00:00Z', '2020-02-01T00:00:00Z')).rejects.toThrow(
      /no answer recorded from Go for calendar/,
    );
  });

  it('in demo mode on another day, moves the recording by whole weeks: views answer, Mondays stay Mondays', async () => {
    for (const later of [1, 100, 116, -40]) {
      const now = new Date(RECORDED_NOW.getTime() + later * 86_400_000);
      vi.setSystemTime(now);
      const api = createDemoApi(0);
      for (const view of ['month', 'week', 'list'] as const) {
        const { from, to } = viewRange(view, now);
        const list = await api.calendar.list(from.toISOString(), to.toISOString());
        if (view === 'month') expect(list.length).toBeGreaterThan(0);
        const digest = list.filter((o) => o.itemId === 'cal-digest');
        // Go's weekly series on Mondays, relabelled: still on Mondays.
        expect(digest.every((o) => new Date(o.at).getUTCDay() === 1)).toBe(true);
      }
    }
  });

  it('in demo mode, answers the recorded slots and refuses a period nobody recorded as demo data', async () => {
    vi.setSystemTime(new Date(RECORDED_NOW.getTime() + 100 * 86_400_000));
    const api = createDemoApi(0);
    expect((await api.calendar.slots()).map((cs) => cs.channel)).toEqual(['discourse', 'mastodon']);
    await expect(
      api.calendar.list('2026-06-03T00:00:00.000Z', '2026-06-05T00:00:00.000Z'),
    ).rejects.toMatchObject({ kind: 'unavailable', code: 'demo_unrecorded' });
  });
});
