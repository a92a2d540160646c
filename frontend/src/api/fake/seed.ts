import type { ConsentEvent, Enrolment, Member } from '../types';

const FIRST = [
  'Hélène',
  'Zoë',
  'José',
  'Amélie',
  'Noël',
  'François',
  'Léa',
  'Chloé',
  'Jérôme',
  'Maëlle',
  'Søren',
  'Ana',
  'Björn',
  'Inès',
  'Mohammed',
  'Priya',
  'Kenji',
  'Olusegun',
  'Mei',
  'Łukasz',
  'Émile',
  'Agnès',
  'Benoît',
  'Camille',
  'Dmitri',
  'Fatou',
  'Giulia',
  'Hiroshi',
  'Yasmine',
  'Tomás',
];
const LAST = [
  'Dupont',
  'Martin',
  'Bernard',
  'Lefèvre',
  'García',
  'Müller',
  'Rossi',
  'Nguyen',
  'Kowalski',
  'Okafor',
  'Silva',
  'Tanaka',
  'Petit',
  'Moreau',
  'Fournier',
  'Girard',
  'Bonnet',
  'Núñez',
  'Johansson',
  'Haddad',
];
const TAGS = [
  'volunteer',
  'speaker',
  'sponsor',
  'newsletter',
  'core-team',
  'meetup-paris',
  'meetup-lyon',
  'discord-mod',
  'donor',
  'beta-tester',
];
const PLATFORMS = ['discourse', 'discord', 'mastodon', 'mailchimp'];

/** Small deterministic PRNG so demo data is the same on every start. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ascii = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

/** `count` plausible members with accented names, tags and handles. */
export function demoMembers(count: number, now = Date.now()): Member[] {
  const rand = mulberry32(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const threeYears = 3 * 365 * 24 * 3600 * 1000;
  const out: Member[] = [];
  for (let i = 0; i < count; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const email = `${ascii(first)}.${ascii(last)}${i}@example.org`;
    const created = now - Math.floor(rand() * threeYears);
    const updated = created + Math.floor(rand() * (now - created));
    const tags = [
      ...new Set(Array.from({ length: Math.floor(rand() * 3) }, () => pick(TAGS))),
    ].sort();
    const handles =
      rand() < 0.5 ? [{ platform: pick(PLATFORMS), handle: `${ascii(first)}_${i}` }] : [];
    out.push({
      id: `demo-${String(i).padStart(6, '0')}`,
      name: i % 17 === 5 ? '' : `${first} ${last}`,
      emails: rand() < 0.1 ? [email, `${ascii(first)}${i}@mail.example.net`] : [email],
      handles,
      tags,
      customFields: rand() < 0.2 ? { city: pick(['Paris', 'Lyon', 'Lille', 'Nantes']) } : {},
      notes: '',
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(updated).toISOString(),
    });
  }
  return out;
}

/** Consent for some demo members: newsletter sign-ups from a Mailchimp import, some withdrawn. */
export function demoConsentEvents(members: Member[]): ConsentEvent[] {
  const out: ConsentEvent[] = [];
  members.slice(0, 5000).forEach((m, i) => {
    if (i % 3 !== 0) return;
    const row = i + 2;
    out.push({
      id: `demo-c${i}`,
      memberId: m.id,
      purpose: 'newsletter',
      kind: 'granted',
      at: m.createdAt,
      method: 'import',
      by: 'demo',
      noticeVersion: '1',
      noticeSha256: '',
      recordedAt: m.createdAt,
      source: '',
      proof: {
        file: 'mailchimp-subscribed.csv',
        row,
        ip: `203.0.113.${i % 250}`,
        formData: {},
      },
    });
    if (i % 7 === 0)
      out.push({
        id: `demo-w${i}`,
        memberId: m.id,
        purpose: 'newsletter',
        kind: 'withdrawn',
        at: m.updatedAt,
        method: 'form',
        by: 'demo',
        noticeVersion: '1',
        noticeSha256: '',
        recordedAt: m.updatedAt,
        source: '',
        proof: { ip: '', file: '', row: 0, formData: { reason: 'Too many e-mails' } },
      });
  });
  return out;
}

/** Members part-way through the ready-made welcome automation. */
export function demoEnrolments(now: Date, members: Member[]): Enrolment[] {
  return members.slice(0, 3).map((m, i) => {
    const enrolled = new Date(now.getTime() - (i + 1) * 86_400_000);
    return {
      id: `demo-e${i}`,
      automationId: 'welcome',
      memberId: m.id,
      status: 'active',
      step: 1,
      nextAt: new Date(enrolled.getTime() + 7 * 86_400_000).toISOString(),
      enrolledAt: enrolled.toISOString(),
      updatedAt: enrolled.toISOString(),
      history: [
        {
          step: 0,
          stepId: 'welcome-email',
          kind: 'send_email',
          key: `welcome/${m.id}/s1`,
          startedAt: enrolled.toISOString(),
          doneAt: enrolled.toISOString(),
          outcome: 'done',
        },
      ],
    };
  });
}
