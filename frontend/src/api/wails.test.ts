import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWailsApi } from './wails';

const SERIES = {
  id: 's',
  timeZone: 'Europe/Paris',
  at: '2026-03-02T09:00:00+01:00',
  repeat: {
    freq: 'weekly',
    interval: 1,
    weekdays: ['MO'],
    monthDay: 0,
    week: 0,
    until: '',
    count: 0,
  },
};

function bind(item: object) {
  const calendar = {
    Get: vi.fn(async () => item),
    Update: vi.fn(async () => item),
    List: vi.fn(async () => []),
  };
  (window as unknown as { go: unknown }).go = { app: { CalendarService: calendar } };
  return calendar;
}

afterEach(() => {
  delete (window as unknown as { go?: unknown }).go;
});

describe('Wails calendar adapter', () => {
  it('lists with the Go query shape', async () => {
    const calendar = bind(SERIES);
    await expect(
      createWailsApi().calendar.list('2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'),
    ).resolves.toEqual([]);
    expect(calendar.List).toHaveBeenCalledWith({
      from: '2026-03-01T00:00:00Z',
      to: '2026-04-01T00:00:00Z',
      channel: '',
    });
  });

  it('moves one occurrence of a series with an Update naming it', async () => {
    const calendar = bind(SERIES);
    await createWailsApi().calendar.reschedule(
      's',
      '2026-03-30T09:00:00+02:00',
      '2026-03-31T09:00:00+02:00',
      'one',
    );
    expect(calendar.Update).toHaveBeenCalledWith('s', {
      at: '2026-03-31T09:00:00+02:00',
      occurrence: '2026-03-30T09:00:00+02:00',
    });
  });

  it('moves a whole series by the same wall time, across daylight saving', async () => {
    const calendar = bind(SERIES);
    // An occurrence after the change to summer time, dragged one day later.
    await createWailsApi().calendar.reschedule(
      's',
      '2026-03-30T09:00:00+02:00',
      '2026-03-31T09:00:00+02:00',
      'series',
    );
    expect(calendar.Update).toHaveBeenCalledWith('s', { at: '2026-03-03T09:00:00+01:00' });
  });

  it('moves a one-off item to the new time', async () => {
    const calendar = bind({ ...SERIES, repeat: null });
    await createWailsApi().calendar.reschedule(
      's',
      '2026-03-02T09:00:00+01:00',
      '2026-03-04T15:00:00+01:00',
      'one',
    );
    expect(calendar.Update).toHaveBeenCalledWith('s', { at: '2026-03-04T15:00:00+01:00' });
  });
});

describe('Wails sync adapter', () => {
  it('asks for a feed page with the query as given', async () => {
    const answer = { items: [], next: '' };
    const Feed = vi.fn(async () => answer);
    (window as unknown as { go: unknown }).go = { app: { SyncService: { Feed } } };
    await expect(createWailsApi().sync.feed({ limit: 10 })).resolves.toBe(answer);
    expect(Feed).toHaveBeenCalledWith({ limit: 10 });
  });

  it('turns a Go error string into an ApiError with field errors', async () => {
    const Add = vi.fn(async () => {
      throw JSON.stringify({
        kind: 'invalid',
        code: 'invalid_input',
        message: 'invalid input',
        fields: [{ field: 'settings.url', code: 'required' }],
      });
    });
    (window as unknown as { go: unknown }).go = { app: { ConnectionsService: { Add } } };
    await expect(
      createWailsApi().connections.add({
        name: 'f',
        platform: 'discourse',
        settings: {},
        secret: '',
      }),
    ).rejects.toMatchObject({
      kind: 'invalid',
      fields: [{ field: 'settings.url', code: 'required' }],
    });
  });
});
