import { describe, expect, it } from 'vitest';
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
});
