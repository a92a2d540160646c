import type { NewslettersApi } from '../api';
import type {
  MailboxCheck,
  MailboxReading,
  MailboxSettings,
  Newsletter,
  NewsletterPlan,
  Rendered,
  SmtpSettings,
} from '../types';
import type { FakeContext } from './context';
import {
  daysBetween,
  demoUnrecorded,
  NEWSLETTER_RECORDING,
  RECORDED_NOW,
  recordedKey,
  replay,
  shiftDates,
  Unrecorded,
} from './recorded';

/**
 * The recorded workspaces the newsletter screens can replay (app/recorded_newsletter_test.go):
 * both hold the recorded community (fake/recorded.ts, `recordedMembers()`) and Olivia Brown, an
 * English speaker with no e-mail, "Des nouvelles de mars" (`newsletter-01`, sent a fortnight ago;
 * it bounced at Jack Smith's address, now suppressed), "Cut-off news" (`newsletter-02`, sent to
 * the French speakers three days ago, with Bruno Petit and Chloé Martin left uncertain) and
 * outgoing mail through a loopback server (`127.0.0.1:2525`, no password).
 */
export type NewsletterWorkspace =
  /** Newsletter consent never lapses. */
  | 'community'
  /** Newsletter consent lapses after 5 months (Hélène Dupont's and Ana Lima's have), and Dan Roy withdrew his. */
  | 'lapsing';

export interface FakeNewsletterSeed {
  /** The recorded workspace the screens start in ('community' by default). */
  workspace?: NewsletterWorkspace;
}

/** One event Go emitted during a send, as recorded. */
interface RecordedEvent {
  event: string;
  payload: unknown;
}

/**
 * The newsletter part of the fake. Every answer replays what Go's NewsletterService answered in
 * recorded scenarios over a recorded workspace: validation, merge fields and the Markdown
 * preview, the audience and the consent tally of the send check, the send with the progress and
 * done events it emitted, test messages, the outgoing mail settings and the reply mailbox's (its
 * settings and checks, against a loopback Dovecot) are Go's. The fake only
 * remembers which recorded state it is in: the workspace, then the accepted changes in order,
 * joined by ` › ` as in fake/recorded.ts's Scenario (`community › save[…]||plan[…]`). In demo mode
 * (`demo`), a call nobody recorded (a newsletter typed in) is refused as demo data.
 */
export function createFakeNewsletters(
  ctx: FakeContext,
  opts: FakeNewsletterSeed & { demo?: boolean } = {},
) {
  let steps: string[] = [opts.workspace ?? 'community'];
  const testSends: { id: string; to: string }[] = [];
  /** Demo mode's today is this many days after the recording's: dates are moved, not recomputed. */
  const days = () => daysBetween(RECORDED_NOW, ctx.now());
  const state = () => `${steps.join(' › ')}||`;

  const answer = <T>(prefix: string, method: string, args: unknown[]): T => {
    const sent = shiftDates(args, -days());
    try {
      return shiftDates(
        replay<T>(NEWSLETTER_RECORDING, 'newsletters', prefix + method, sent),
        days(),
      );
    } catch (e) {
      if (opts.demo && e instanceof Unrecorded) throw demoUnrecorded('newsletters', method);
      throw e;
    }
  };
  const read = <T>(method: string, args: unknown[]): T => answer<T>(state(), method, args);
  /** A change Go accepted moves the fake to the state it was recorded in next. */
  const step = <T>(method: string, args: unknown[]): T => {
    const out = read<T>(method, args);
    steps = [...steps, recordedKey(method, shiftDates(args, -days()))];
    return out;
  };
  /** Starts a send as Go did: the job id now, then the events Go emitted, in order. */
  const send = (method: 'send' | 'resendUncertain', id: string) => {
    const before = state();
    const job = step<string>(method, [id]);
    for (const e of answer<RecordedEvent[]>(before, `${method}.events`, [id]))
      ctx.emit(e.event, e.payload);
    return job;
  };

  const api: NewslettersApi = {
    list: () => ctx.settle('newsletters.list', () => read<Newsletter[]>('list', [])),
    get: (id) => ctx.settle('newsletters.get', () => read<Newsletter>('get', [id])),
    save: (input) => ctx.settle('newsletters.save', () => step<Newsletter>('save', [input])),
    preview: (id, memberId) =>
      ctx.settle('newsletters.preview', () => read<Rendered>('preview', [id, memberId])),
    plan: (id) => ctx.settle('newsletters.plan', () => read<NewsletterPlan>('plan', [id])),
    send: (id) => ctx.settle('newsletters.send', () => send('send', id)),
    resendUncertain: (id) =>
      ctx.settle('newsletters.resendUncertain', () => send('resendUncertain', id)),
    // The recorded sends were over when Go was asked to cancel them.
    cancel: (id) => ctx.settle('newsletters.cancel', () => read<void>('cancel', [id])),
    testSend: (id, to) =>
      ctx.settle('newsletters.testSend', () => {
        read<void>('testSend', [id, to]);
        testSends.push({ id, to });
      }),
    settings: () => ctx.settle('newsletters.settings', () => read<SmtpSettings>('settings', [])),
    saveSettings: (input) =>
      ctx.settle('newsletters.saveSettings', () => step<SmtpSettings>('saveSettings', [input])),
    mailboxSettings: () =>
      ctx.settle('newsletters.mailboxSettings', () => read<MailboxSettings>('mailboxSettings', [])),
    saveMailboxSettings: (input) =>
      ctx.settle('newsletters.saveMailboxSettings', () =>
        step<MailboxSettings>('saveMailboxSettings', [input]),
      ),
    mailboxLastCheck: () =>
      ctx.settle('newsletters.mailboxLastCheck', () =>
        read<MailboxReading>('mailboxLastCheck', []),
      ),
    // A check acts on the mailbox (consent withdrawn, addresses suppressed): a change.
    checkMailbox: () =>
      ctx.settle('newsletters.checkMailbox', () => step<MailboxCheck>('checkMailbox', [])),
    delete: (id) => ctx.settle('newsletters.delete', () => step<void>('delete', [id])),
  };

  return { api, testSends: () => [...testSends] };
}
