import type { ConsentApi } from '../api';
import {
  CONSENT_CHANGED,
  type ConsentEvent,
  type ConsentInput,
  type ConsentMethod,
  type ConsentProof,
  type ConsentStatus,
  type Notice,
  type Purpose,
} from '../types';
import { FAKE_ACTOR, addMonths, invalid, type FakeContext } from './context';

export const DEMO_PURPOSES: Purpose[] = [
  {
    id: 'newsletter',
    name: 'Newsletter',
    description: 'The monthly community newsletter.',
    expiryMonths: null,
    archived: false,
    builtin: true,
    createdAt: '2024-01-15T09:00:00Z',
    updatedAt: '2024-01-15T09:00:00Z',
  },
  {
    id: 'events',
    name: 'Event invitations',
    description: 'Invitations to meetups and online events.',
    expiryMonths: 12,
    archived: false,
    builtin: false,
    createdAt: '2024-01-15T09:00:00Z',
    updatedAt: '2024-01-15T09:00:00Z',
  },
];

export const DEMO_NOTICES: Notice[] = [
  {
    purpose: 'newsletter',
    version: '1',
    text: 'We send a monthly newsletter about the community. You can unsubscribe at any time with the link in every e-mail.',
    sha256: '6f593bbcdf7c3719a50b294f928677dcb44d350dc60056402e916dbd75e623a3',
    publishedAt: '2024-01-15T09:00:00Z',
    id: 'n-newsletter-1',
    recordedAt: '2024-01-15T09:00:00Z',
  },
  {
    purpose: 'newsletter',
    version: '2',
    text: 'We send a monthly newsletter about the community and occasional announcements of major releases. You can unsubscribe at any time with the link in every e-mail, or by writing to us.',
    sha256: '7f29d5d7dad2c5cd674f888ce9901acfbf182fc99b9ae930bdea3e43a06d9252',
    publishedAt: '2025-03-01T09:00:00Z',
    id: 'n-newsletter-2',
    recordedAt: '2025-03-01T09:00:00Z',
  },
  {
    purpose: 'events',
    version: '1',
    text: 'We invite you to meetups and online events near you, about once a month.',
    sha256: '2bceee7d8174126acb90b2bdc258490536dcc2d94a2fd95865c5b91db13f60ed',
    publishedAt: '2024-01-15T09:00:00Z',
    id: 'n-events-1',
    recordedAt: '2024-01-15T09:00:00Z',
  },
];

const PURPOSE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface RecordInput {
  memberId: string;
  purpose: string;
  kind: ConsentEvent['kind'];
  at: string;
  method: ConsentMethod;
  noticeVersion?: string;
  proof?: Partial<ConsentProof>;
}

/** The consent part of the fake: purposes, notices, and state derived from recorded events. */
export function createFakeConsent(
  ctx: FakeContext,
  seed: { purposes?: Purpose[]; notices?: Notice[]; events?: ConsentEvent[] } = {},
) {
  const purposes = new Map((seed.purposes ?? DEMO_PURPOSES).map((p) => [p.id, { ...p }]));
  const notices: Notice[] = [...(seed.notices ?? DEMO_NOTICES)];
  let events: ConsentEvent[] = [...(seed.events ?? [])];
  let seq = 0;

  const latestNotice = (purpose: string) =>
    notices
      .filter((n) => n.purpose === purpose)
      .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))[0];

  const statusOf = (memberId: string, purpose: Purpose): ConsentStatus => {
    const last = events
      .filter((e) => e.memberId === memberId && e.purpose === purpose.id)
      .sort((a, b) => b.at.localeCompare(a.at))[0];
    if (!last)
      return {
        purpose: purpose.id,
        state: 'none',
        method: '',
        source: '',
        by: '',
        noticeVersion: '',
        eventId: '',
      };
    const base = {
      purpose: purpose.id,
      method: last.method,
      source: last.proof.file || last.by,
      by: last.by,
      noticeVersion: last.noticeVersion,
      eventId: last.id,
    };
    if (last.kind === 'withdrawn') return { ...base, state: 'withdrawn', since: last.at };
    const months = purpose.expiryMonths ?? 0; // null or 0: never, as in Go
    if (months > 0) {
      const expires = addMonths(last.at, months);
      if (expires <= ctx.now()) return { ...base, state: 'expired', since: expires.toISOString() };
    }
    return { ...base, state: 'granted', since: last.at };
  };

  const activePurpose = (id: string): Purpose => {
    const p = purposes.get(id);
    if (!p) throw invalid([{ field: 'purpose', code: 'invalid' }], 'purpose_not_found');
    if (p.archived) throw invalid([{ field: 'purpose', code: 'archived' }], 'purpose_archived');
    return p;
  };

  /** Records one event (no validation of the member: callers have it). */
  const record = (r: RecordInput): ConsentEvent => {
    const event: ConsentEvent = {
      id: `c${(seq++).toString(36).padStart(5, '0')}`,
      memberId: r.memberId,
      purpose: r.purpose,
      kind: r.kind,
      at: r.at,
      method: r.method,
      by: FAKE_ACTOR,
      noticeVersion: r.noticeVersion ?? latestNotice(r.purpose)?.version ?? '',
      noticeSha256: latestNotice(r.purpose)?.sha256 ?? '',
      recordedAt: r.at,
      source: '',
      proof: { ip: '', file: '', row: 0, formData: {}, ...r.proof },
    };
    events.push(event);
    ctx.audit(
      r.kind === 'granted' ? 'consent_granted' : 'consent_withdrawn',
      r.memberId,
      r.purpose,
    );
    ctx.emit(CONSENT_CHANGED, { memberId: r.memberId });
    return event;
  };

  const change = (kind: ConsentEvent['kind'], input: ConsentInput): ConsentStatus => {
    const memberId = input.memberId ?? '';
    ctx.members.require(memberId);
    const purpose = activePurpose(input.purpose ?? '');
    if (
      input.noticeVersion &&
      !notices.some((n) => n.purpose === purpose.id && n.version === input.noticeVersion)
    )
      throw invalid([{ field: 'noticeVersion', code: 'invalid' }]);
    record({
      memberId,
      purpose: purpose.id,
      kind,
      at: ctx.now().toISOString(),
      method: 'manual',
      noticeVersion: input.noticeVersion,
    });
    return statusOf(memberId, purpose);
  };

  const api: ConsentApi = {
    purposes: () =>
      ctx.settle('consent.purposes', () =>
        [...purposes.values()].sort((a, b) => Number(a.archived) - Number(b.archived)),
      ),
    savePurpose: (input) =>
      ctx.settle('consent.savePurpose', () => {
        const fields = [];
        const id = input.id ?? '';
        const name = input.name ?? '';
        if (!PURPOSE_ID.test(id)) fields.push({ field: 'id', code: 'slug' });
        if (name.trim() === '') fields.push({ field: 'name', code: 'required' });
        if (name.length > 100) fields.push({ field: 'name', code: 'max', params: { max: '100' } });
        if (
          input.expiryMonths != null &&
          (!Number.isInteger(input.expiryMonths) ||
            input.expiryMonths < 0 ||
            input.expiryMonths > 1200)
        )
          fields.push({
            field: 'expiryMonths',
            code: 'expiry_range',
            params: { value: String(input.expiryMonths), max: '1200' },
          });
        if (fields.length > 0) throw invalid(fields);
        const before = purposes.get(id);
        const saved: Purpose = {
          id,
          name: name.trim(),
          description: (input.description ?? '').trim(),
          expiryMonths: input.expiryMonths || null, // 0 and null both mean never: stored as null
          archived: input.archived ?? before?.archived ?? false,
          builtin: before?.builtin ?? false,
          createdAt: before?.createdAt ?? ctx.now().toISOString(),
          updatedAt: ctx.now().toISOString(),
        };
        purposes.set(saved.id, saved);
        return saved;
      }),
    notices: (purpose) =>
      ctx.settle('consent.notices', () =>
        notices
          .filter((n) => n.purpose === purpose)
          .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt)),
      ),
    publishNotice: async (input) => {
      const { purpose = '', version = '', text = '' } = input;
      const hash = await sha256(text);
      return ctx.settle('consent.publishNotice', () => {
        activePurpose(purpose);
        const fields = [];
        if (version.trim() === '') fields.push({ field: 'version', code: 'required' });
        else if (notices.some((n) => n.purpose === purpose && n.version === version.trim()))
          fields.push({ field: 'version', code: 'duplicate' });
        if (text.trim() === '') fields.push({ field: 'text', code: 'required' });
        if (fields.length > 0) throw invalid(fields);
        const notice: Notice = {
          purpose,
          version: version.trim(),
          text,
          sha256: hash,
          publishedAt: ctx.now().toISOString(),
          id: `n-${purpose}-${version.trim()}`,
          recordedAt: ctx.now().toISOString(),
        };
        notices.push(notice);
        return notice;
      });
    },
    summary: (memberId) =>
      ctx.settle('consent.summary', () => {
        ctx.members.require(memberId);
        return [...purposes.values()]
          .map((p) => statusOf(memberId, p))
          .filter((s) => s.state !== 'none' || !purposes.get(s.purpose)?.archived);
      }),
    history: (memberId) =>
      ctx.settle('consent.history', () =>
        events.filter((e) => e.memberId === memberId).sort((a, b) => b.at.localeCompare(a.at)),
      ),
    grant: (input) => ctx.settle('consent.grant', () => change('granted', input)),
    withdraw: (input) => ctx.settle('consent.withdraw', () => change('withdrawn', input)),
  };

  return {
    api,
    record,
    /** A member's state for a purpose now ('none' for an unknown purpose). */
    stateOf(memberId: string, purposeId: string) {
      const p = purposes.get(purposeId);
      return p ? statusOf(memberId, p).state : 'none';
    },
    /** A member's status for a purpose now (`since` is the expiry time when expired). */
    statusOf(memberId: string, purposeId: string): ConsentStatus | null {
      const p = purposes.get(purposeId);
      return p ? statusOf(memberId, p) : null;
    },
    purpose: (id: string): Purpose | undefined => purposes.get(id),
    hasPurpose: (id: string) => purposes.get(id)?.archived === false,
    /** Forgets every event of an erased member. */
    forget(memberId: string) {
      events = events.filter((e) => e.memberId !== memberId);
    },
    events: () => events.map((e) => structuredClone(e)),
  };
}

export type FakeConsent = ReturnType<typeof createFakeConsent>;
