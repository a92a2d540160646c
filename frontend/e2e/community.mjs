// Writes a small generated community as the CLI imports it: members.csv (name, email, tags,
// since) and activity.csv (member, kind, at, channel, id, thread, title, text), dated relative
// to today so the dashboard's default range (the 30 days ending today) sees it. Deterministic
// for a given day. Usage: node e2e/community.mjs OUT_DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const out = process.argv[2];
if (!out) {
  console.error('usage: node e2e/community.mjs OUT_DIR');
  process.exit(2);
}

// mulberry32: a small seeded generator, so every run makes the same community.
let seed = 20261124;
function rand() {
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)];

const DAY = 86_400_000;
// Noon UTC today: every generated instant is whole minutes before it, never in the future.
const now = new Date();
const noon = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12);
const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
const csv = (v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

const FIRST = [
  'Alice',
  'Bruno',
  'Chloé',
  'Driss',
  'Emma',
  'Farid',
  'Gaëlle',
  'Hugo',
  'Inès',
  'Jules',
];
const LAST = ['Martin', 'Bernard', 'Dubois', 'Moreau', 'Laurent', 'Simon', 'Michel', 'Leroy'];

const members = [];
for (let i = 0; i < 150; i++) {
  const since = noon - Math.floor(rand() * 120) * DAY - 3 * 3_600_000;
  members.push({
    name: `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`,
    email: `membre${i}@communaute.example`,
    tags: i < 5 ? 'team' : i % 7 === 0 ? 'bénévole' : '',
    since,
    // Some members are far more active than others.
    weight: i < 5 ? 3 : rand() < 0.15 ? 12 : rand() < 0.5 ? 2 : 0.3,
  });
}
const total = members.reduce((s, m) => s + m.weight, 0);
function someone() {
  let x = rand() * total;
  for (const m of members) {
    x -= m.weight;
    if (x <= 0) return m;
  }
  return members[members.length - 1];
}

const rows = [];
function add(m, kind, at, channel, extra = {}) {
  if (at < m.since) at = m.since + 60_000;
  if (at > noon) at = noon;
  rows.push({ member: m.email, kind, at, channel, ...extra });
}

const KINDS = ['post', 'reply', 'message', 'message', 'reaction', 'reaction', 'event'];
for (let i = 0; i < 1800; i++) {
  const m = someone();
  const at = noon - Math.floor(rand() * 75 * 24 * 60) * 60_000;
  const kind = pick(KINDS);
  const channel = kind === 'event' ? 'events' : kind === 'message' ? 'discord' : 'forum';
  const text = pick([
    'Merci pour cet atelier, super !',
    'Great meetup, thanks',
    'Rien de neuf',
    'ok',
  ]);
  add(m, kind, at, channel, { id: `a${i}`, text });
}
for (let i = 0; i < 12; i++)
  add(someone(), 'goal', noon - Math.floor(rand() * 60) * DAY, 'crm', { id: `g${i}` });

const QUESTIONS = [
  'Comment exporter mes données ?',
  'How do I reset my password?',
  'Quelqu’un a testé la nouvelle version ?',
  'Where is the next meetup?',
];
for (let q = 0; q < 40; q++) {
  const asker = someone();
  const at = noon - Math.floor(rand() * 60 * 24 * 60) * 60_000;
  const id = `q${q}`;
  add(asker, 'post', at, 'forum', { id, thread: id, title: pick(QUESTIONS) });
  const answers = rand() < 0.7 ? 1 + Math.floor(rand() * 3) : 0;
  let when = at;
  for (let a = 0; a < answers; a++) {
    let who = someone();
    if (who === asker) who = members[(members.indexOf(asker) + 1) % members.length];
    when += (5 + Math.floor(rand() * 600)) * 60_000;
    add(who, 'reply', when, 'forum', { id: `${id}r${a}`, thread: id, text: 'Voici comment faire' });
  }
}

mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'members.csv'),
  'name,email,tags,since\n' +
    members.map((m) => [m.name, m.email, m.tags, iso(m.since)].map(csv).join(',')).join('\n') +
    '\n',
);
writeFileSync(
  join(out, 'activity.csv'),
  'member,kind,at,channel,id,thread,title,text\n' +
    rows
      .map((r) =>
        [
          r.member,
          r.kind,
          iso(r.at),
          r.channel,
          r.id ?? '',
          r.thread ?? '',
          r.title ?? '',
          r.text ?? '',
        ]
          .map(csv)
          .join(','),
      )
      .join('\n') +
    '\n',
);
console.log(`community: ${members.length} members, ${rows.length} activities in ${out}`);
