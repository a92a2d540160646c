import { describe, expect, it } from 'vitest';
import { dashboardFormat } from './format';

describe('dashboardFormat.duration', () => {
  const en = dashboardFormat('en');
  const fr = dashboardFormat('fr');
  const plain = (s: string) => s.replaceAll('\u00a0', ' ');

  it('says a response time with its two largest units', () => {
    expect(plain(en.duration(0))).toBe('0 s');
    expect(plain(en.duration(45))).toBe('45 s');
    expect(plain(en.duration(12 * 60 + 30))).toBe('12 min 30 s');
    expect(plain(en.duration(2 * 3600 + 5 * 60 + 59))).toBe('2 h 5 min');
    expect(plain(en.duration(3 * 86400 + 4 * 3600))).toBe('3 d 4 h');
    // An empty second unit is left out.
    expect(plain(en.duration(3 * 86400 + 5 * 60))).toBe('3 d');
  });

  it('speaks French: days are "j"', () => {
    expect(plain(fr.duration(86400 + 3600))).toBe('1 j 1 h');
    expect(plain(fr.duration(1.4))).toBe('1 s');
  });
});
