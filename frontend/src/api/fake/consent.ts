import type { ConsentApi } from '../api';
import {
  CONSENT_CHANGED,
  type ConsentEvent,
  type ConsentInput,
  type ConsentStatus,
  type Notice,
  type Purpose,
} from '../types';
import { daysBetween, CONSENT_BLANK, CONSENT_RECORDING, RECORDED_NOW, Scenario } from './recorded';
import type { FakeContext } from './context';

/**
 * The consent part of the fake. The consent screens (a member's panel and history, Settings'
 * purposes and notices) replay what Go's ConsentService answered in recorded scenarios
 * (app/recorded_consent_test.go): states, expiry, validation and notice hashes are Go's. A
 * member the recording does not know is answered as the recorded member with no consent. In
 * demo mode (`demo`), a call nobody recorded is refused with a notice that this is demo data.
 *
 * Besides, it keeps a log of consent events for the fake's other parts and for tests: the
 * events it was seeded with, those an import adds, and the window's grants and withdrawals.
 */
export function createFakeConsent(
  ctx: FakeContext,
  seed: { purposes?: Purpose[]; events?: ConsentEvent[]; demo?: boolean } = {},
) {
  const scenario = new Scenario(
    CONSENT_RECORDING,
    'consent',
    CONSENT_BLANK,
    () => daysBetween(RECORDED_NOW, ctx.now()),
    { demo: seed.demo },
  );
  let events: ConsentEvent[] = [...(seed.events ?? [])];

  const change = (kind: 'grant' | 'withdraw', input: ConsentInput): ConsentStatus => {
    const memberId = input.memberId ?? '';
    ctx.members.require(memberId);
    const status = scenario.step<ConsentStatus>(kind, [input], memberId);
    events.push({
      id: status.eventId,
      memberId,
      purpose: status.purpose,
      kind: kind === 'grant' ? 'granted' : 'withdrawn',
      at: status.since ?? ctx.now().toISOString(),
      method: status.method as ConsentEvent['method'], // set for every event Go records
      by: status.by,
      noticeVersion: status.noticeVersion,
      noticeSha256: '',
      recordedAt: ctx.now().toISOString(),
      source: status.source,
      proof: { ip: '', file: '', row: 0, formData: {} },
    });
    ctx.audit(kind === 'grant' ? 'consent_granted' : 'consent_withdrawn', memberId, status.purpose);
    ctx.emit(CONSENT_CHANGED, { memberId });
    return status;
  };

  const api: ConsentApi = {
    purposes: () => ctx.settle('consent.purposes', () => scenario.read<Purpose[]>('purposes', [])),
    savePurpose: (input) =>
      ctx.settle('consent.savePurpose', () => scenario.step<Purpose>('savePurpose', [input])),
    // Go lists notices and history oldest first; the Api gives the newest first (api/wails.ts).
    notices: (purpose) =>
      ctx.settle('consent.notices', () => scenario.read<Notice[]>('notices', [purpose]).reverse()),
    publishNotice: (input) =>
      ctx.settle('consent.publishNotice', () => scenario.step<Notice>('publishNotice', [input])),
    summary: (memberId) =>
      ctx.settle('consent.summary', () => {
        ctx.members.require(memberId);
        return scenario.read<ConsentStatus[]>('summary', [memberId], memberId);
      }),
    history: (memberId) =>
      ctx.settle('consent.history', () =>
        scenario.read<ConsentEvent[]>('history', [memberId], memberId).reverse(),
      ),
    grant: (input) => ctx.settle('consent.grant', () => change('grant', input)),
    withdraw: (input) => ctx.settle('consent.withdraw', () => change('withdraw', input)),
  };

  return {
    api,
    /** Adds an event to the log (an import's consent evidence). */
    record(event: ConsentEvent) {
      events.push(event);
      ctx.audit(
        event.kind === 'granted' ? 'consent_granted' : 'consent_withdrawn',
        event.memberId,
        event.purpose,
      );
      ctx.emit(CONSENT_CHANGED, { memberId: event.memberId });
    },
    /** The purposes the fake was seeded with, for the newsletter's send check. */
    seededPurpose: (id: string): Purpose | undefined => seed.purposes?.find((p) => p.id === id),
    /** The purposes in force, as Go answered them in the current state. */
    purposes: (): Purpose[] => scenario.read<Purpose[]>('purposes', []),
    /** Forgets every event of an erased member. */
    forget(memberId: string) {
      events = events.filter((e) => e.memberId !== memberId);
    },
    events: () => events.map((e) => structuredClone(e)),
  };
}

export type FakeConsent = ReturnType<typeof createFakeConsent>;
