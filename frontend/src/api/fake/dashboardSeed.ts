import type { Member } from '../types';
import type { FakeActivity } from './dashboard';

/** Members who get activity in the demo; the rest only lurk (keeps `?demo=100000` quick). */
const ACTIVE_POOL = 4000;
const DAYS = 400;

const KINDS: [string, number][] = [
  ['reply', 0.34],
  ['post', 0.22],
  ['reaction', 0.22],
  ['message', 0.14],
  ['mention', 0.05],
  ['follow', 0.03],
];
const CHANNELS: [string, number][] = [
  ['forum', 0.45],
  ['discord-annonces', 0.3],
  ['mastodon', 0.17],
  ['newsletter', 0.08],
];

/** Activities per day for each kind of member: super users, regulars, occasional, lurkers. */
const TIERS: [share: number, rate: number][] = [
  [0.02, 1.2],
  [0.08, 0.16],
  [0.25, 0.035],
  [0.65, 0.004],
];

function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted(rand: () => number, xs: [string, number][]): string {
  let r = rand();
  for (const [x, w] of xs) if ((r -= w) < 0) return x;
  return xs[xs.length - 1]![0];
}

/**
 * A believable year of community life for the demo, the same on every run for the same
 * members and day: a few super users doing most of the talking, quieter weekends, slow growth,
 * people drifting away, and some of the most active going quiet in the last weeks.
 */
export function demoActivities(members: Member[], now = new Date()): FakeActivity[] {
  const rand = mulberry32(7);
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - DAYS);
  const out: FakeActivity[] = [];
  for (const m of members.slice(0, ACTIVE_POOL)) {
    let tier = 0;
    for (let r = rand(); tier < TIERS.length - 1 && (r -= TIERS[tier]![0]) >= 0;) tier++;
    const rate = TIERS[tier]![1];
    const joined = new Date(m.createdAt);
    // A third drift away at some point; a quarter of the most active went quiet 8-25 days ago.
    let stop = rand() < 0.33 ? first.getTime() + rand() * DAYS * 86_400_000 : Infinity;
    if (tier <= 1 && rand() < 0.25) stop = today.getTime() - (8 + rand() * 17) * 86_400_000;
    const home = weighted(rand, CHANNELS);
    if (joined >= first)
      out.push({ memberId: m.id, kind: 'join', channel: home, at: joined.toISOString() });
    for (let i = 0; i <= DAYS; i++) {
      const day = new Date(first.getFullYear(), first.getMonth(), first.getDate() + i);
      const start = Math.max(day.getTime(), joined.getTime());
      if (start > stop || day.getTime() + 86_400_000 <= joined.getTime()) continue;
      const weekend = day.getDay() === 0 || day.getDay() === 6 ? 0.55 : 1;
      const growth = 0.7 + (0.6 * i) / DAYS;
      let expected = rate * weekend * growth;
      while (expected > 0 && rand() < Math.min(expected, 0.95)) {
        expected -= 1;
        const at = new Date(day.getTime() + (8 + rand() * 14) * 3_600_000);
        if (at > now || at.getTime() < joined.getTime()) continue;
        out.push({
          memberId: m.id,
          kind: weighted(rand, KINDS),
          channel: rand() < 0.7 ? home : weighted(rand, CHANNELS),
          at: at.toISOString(),
        });
      }
    }
  }
  return withConversations(out);
}

const QUESTIONS = [
  'Comment exporter la liste des membres ?',
  'How do I reset my password?',
  'Quelqu’un vient à l’atelier de jeudi ?',
  'Where are the slides from the meetup?',
  'Pourquoi je ne reçois plus la newsletter ?',
];

/**
 * Turns some posts into questions and threads replies under recent ones by other members, so
 * the demo's questions answered and response times have something to say (its own generator:
 * the rest of the demo stays the same).
 */
function withConversations(acts: FakeActivity[]): FakeActivity[] {
  const rand = mulberry32(11);
  const open: FakeActivity[] = [];
  const byTime = [...acts].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  byTime.forEach((a, i) => {
    if (a.kind === 'post' && rand() < 0.3) {
      a.thread = `q${i}`;
      a.title = QUESTIONS[Math.floor(rand() * QUESTIONS.length)];
      open.push(a);
      if (open.length > 40) open.shift();
    } else if (a.kind === 'reply' && open.length > 0 && rand() < 0.5) {
      const q = open[Math.floor(rand() * open.length)]!;
      if (q.memberId !== a.memberId) a.thread = q.thread;
    }
  });
  return acts;
}
