import { afterEach, describe, expect, it, vi } from 'vitest';
import { createWailsApi } from './wails';

afterEach(() => {
  delete (window as unknown as { go?: unknown }).go;
});

describe('Wails dashboard adapter', () => {
  it('asks Stats for the range and hands its answer on as Go sent it', async () => {
    const kpis = { from: '2025-03-01T00:00:00+01:00', daily: [], levels: [] };
    const service = { Stats: vi.fn(async () => kpis) };
    (window as unknown as { go: unknown }).go = { app: { DashboardService: service } };
    await expect(createWailsApi().dashboard.stats('2025-03-01', '2025-03-31', '')).resolves.toBe(
      kpis,
    );
    expect(service.Stats).toHaveBeenCalledWith('2025-03-01', '2025-03-31', '');
  });

  it('turns a rejection into an ApiError', async () => {
    const service = {
      MembersBehind: vi.fn(async () => {
        throw new Error('{"kind":"invalid","code":"invalid_input","message":"bad metric"}');
      }),
    };
    (window as unknown as { go: unknown }).go = { app: { DashboardService: service } };
    await expect(
      createWailsApi().dashboard.membersBehind('2025-03-01', '2025-03-31', 'level:1', '', 20),
    ).rejects.toMatchObject({ name: 'ApiError', kind: 'invalid', code: 'invalid_input' });
  });
});
