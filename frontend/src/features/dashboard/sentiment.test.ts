import { describe, expect, it } from 'vitest';
import { fakeRising, fakeSentiment } from '../../api/fake/dashboardText';
import { dayScore, positiveShare } from './sentiment';

describe('sentiment', () => {
  it('scores a day from its positive and negative records, and nothing without them', () => {
    expect(dayScore({ positive: 3, negative: 1 })).toBe(0.5);
    expect(dayScore({ positive: 0, negative: 0 })).toBeNull();
  });

  it('gives the share of positive records among all of them', () => {
    const s = { positive: 3, negative: 1, neutral: 1, score: 0.5, daily: [] };
    expect(positiveShare(s)).toBe(0.6);
    expect(positiveShare({ ...s, positive: 0, negative: 0, neutral: 0 })).toBe(0);
  });

  it('fills the fake sentiment so that moods add up to the records and days', () => {
    const acts = Array.from({ length: 50 }, (_, i) => ({
      memberId: `m${i % 7}`,
      t: Date.UTC(2026, 2, 1 + (i % 5), 10),
      day: `2026-03-0${1 + (i % 5)}`,
    }));
    const days = ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'];
    const s = fakeSentiment(acts, days);
    expect(s.positive + s.negative + s.neutral).toBe(50);
    expect(s.daily.map((d) => d.day)).toEqual(days);
    expect(s.score).toBeCloseTo((s.positive - s.negative) / (s.positive + s.negative));
    for (const r of fakeRising(acts, [])) {
      expect(r.count).toBeGreaterThanOrEqual(3);
      expect(r.change).toBe(r.count);
    }
  });
});
