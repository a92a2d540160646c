import type { RisingTopic, Sentiment } from '../types';

/** What the fake needs of an activity to give it a mood and keywords. */
interface TextAct {
  memberId: string;
  t: number;
  day: string;
}

type Mood = 'positive' | 'negative' | 'neutral';

/** Topics of the demo: later ones appear more in recent weeks, so some are rising. */
const TOPICS = [
  'export',
  'webinar',
  'meetup',
  'newsletter',
  'atelier',
  'discord',
  'release',
  'podcast',
];

function hash(a: TextAct): number {
  let h = 2166136261;
  for (const c of a.memberId + a.t) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return h >>> 0;
}

/** The fake's stand-in for the backend's lexicon: 55 % positive, 20 % negative, 25 % neutral. */
export function fakeMood(a: TextAct): Mood {
  const h = hash(a) % 20;
  return h < 11 ? 'positive' : h < 15 ? 'negative' : 'neutral';
}

/** One or two keywords; topics later in TOPICS are likelier for recent activity. */
export function fakeKeywords(a: TextAct): string[] {
  const h = hash(a);
  const weeks = Math.floor(a.t / (7 * 86_400_000));
  const first = TOPICS[(h >>> 3) % TOPICS.length]!;
  const second = TOPICS[(weeks + (h % 3)) % TOPICS.length]!;
  return first === second ? [first] : [first, second];
}

/** Sentiment of acts over the given days (YYYY-MM-DD, in order). */
export function fakeSentiment(acts: TextAct[], days: string[]): Sentiment {
  const byDay = new Map(days.map((day) => [day, { day, positive: 0, negative: 0, neutral: 0 }]));
  const s: Sentiment = { positive: 0, negative: 0, neutral: 0, score: 0, daily: [] };
  for (const a of acts) {
    const mood = fakeMood(a);
    s[mood]++;
    const d = byDay.get(a.day);
    if (d) d[mood]++;
  }
  s.daily = [...byDay.values()];
  if (s.positive + s.negative > 0) s.score = (s.positive - s.negative) / (s.positive + s.negative);
  return s;
}

/** The backend's rule: at least 3 records now, more than before, by change, count, word. */
export function fakeRising(cur: TextAct[], prev: TextAct[]): RisingTopic[] {
  const count = (acts: TextAct[]) => {
    const m = new Map<string, number>();
    for (const a of acts) for (const w of fakeKeywords(a)) m.set(w, (m.get(w) ?? 0) + 1);
    return m;
  };
  const now = count(cur);
  const before = count(prev);
  const out: RisingTopic[] = [];
  for (const [word, n] of now) {
    const p = before.get(word) ?? 0;
    if (n < 3 || n <= p) continue;
    out.push({ word, count: n, previous: p, change: (n - p) / Math.max(p, 1) });
  }
  out.sort((a, b) => b.change - a.change || b.count - a.count || (a.word < b.word ? -1 : 1));
  return out.slice(0, 10);
}
