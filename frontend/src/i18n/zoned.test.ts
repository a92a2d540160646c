import { describe, expect, it } from 'vitest';
import { instantToZoned, toRfc3339, zonedToInstant } from './zoned';

describe('zoned times', () => {
  it('turns a wall time in a zone into the instant, across daylight saving', () => {
    expect(zonedToInstant('2025-03-29T09:00', 'Europe/Paris')?.toISOString()).toBe(
      '2025-03-29T08:00:00.000Z',
    );
    expect(zonedToInstant('2025-03-31T09:00', 'Europe/Paris')?.toISOString()).toBe(
      '2025-03-31T07:00:00.000Z',
    );
    expect(zonedToInstant('2025-07-01T09:00', 'America/New_York')?.toISOString()).toBe(
      '2025-07-01T13:00:00.000Z',
    );
  });

  it('shows an instant as the wall time of a zone, with its offset', () => {
    const d = new Date('2025-07-01T13:00:00Z');
    expect(instantToZoned(d, 'Asia/Tokyo')).toBe('2025-07-01T22:00');
    expect(toRfc3339(d, 'Europe/Paris')).toBe('2025-07-01T15:00:00+02:00');
    expect(toRfc3339(d, 'UTC')).toBe('2025-07-01T13:00:00Z');
  });

  it('refuses what is not a time or a zone', () => {
    expect(zonedToInstant('tomorrow', 'Europe/Paris')).toBeNull();
    expect(zonedToInstant('2025-07-01T09:00', 'Mars/Olympus')).toBeNull();
  });
});
