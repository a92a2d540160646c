import type { NewslettersApi } from '../api';
import { ApiError, type FieldError } from '../errors';
import {
  newsletterDoneEvent,
  newsletterProgressEvent,
  type Member,
  type Newsletter,
  type NewsletterCounts,
  type NewsletterPlan,
  type NewsletterProgress,
  type Purpose,
  type SmtpSettings,
} from '../types';
import type { FakeConsent } from './consent';
import { addMonths, invalid, notFound, type FakeContext } from './context';
import { fold, isEmail } from './text';

export const NO_COUNTS: NewsletterCounts = {
  recipients: 0,
  sent: 0,
  failedTemp: 0,
  failedPerm: 0,
  pending: 0,
  uncertain: 0,
  excludedNoConsent: 0,
  excludedSuppressed: 0,
  excludedNoEmail: 0,
};

const MERGE = /\{\{\s*([a-z_][a-z0-9_.]*)\s*(?:\|([^}]*))?\}\}/g;
const KNOWN_FIELDS = /^(first_name|last_name|name|email|custom\.[\w-]+)$/;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function merge(text: string, m: Member | undefined): string {
  return text.replace(MERGE, (_, field: string, fallback = '') => {
    const first = m?.name.split(/\s+/)[0] ?? '';
    const value =
      field === 'first_name'
        ? first
        : field === 'last_name'
          ? (m?.name.split(/\s+/).slice(1).join(' ') ?? '')
          : field === 'name'
            ? (m?.name ?? '')
            : field === 'email'
              ? (m?.emails[0] ?? '')
              : (m?.customFields[field.replace(/^custom\./, '')] ?? '');
    return value || fallback;
  });
}

/** Just enough Markdown for the demo: paragraphs, bold, italics; everything escaped. */
function toHtml(markdown: string): string {
  return markdown
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map(
      (p) =>
        `<p>${escapeHtml(p)
          .replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
          .replace(/\*(.+?)\*/g, '<em>$1</em>')
          .replace(/\n/g, '<br>')}</p>`,
    )
    .join('\n');
}

/** A sent newsletter as the fake dashboard's campaign results see it. */
export interface FakeSend {
  id: string;
  subject: string;
  /** RFC 3339 */
  sentAt: string;
  /** The members it was delivered to. */
  members: string[];
}

export interface FakeNewsletterSeed {
  newsletters?: Newsletter[];
  /** Addresses on the newsletter suppression list (bounces, unsubscribes). */
  suppressed?: string[];
  smtp?: SmtpSettings;
  /** Delay between progress events of a send. */
  sendStepMs?: number;
}

/** The newsletter part of the fake: drafts, audience, consent and suppression, sending. */
export function createFakeNewsletters(
  ctx: FakeContext,
  consent: FakeConsent,
  seed: FakeNewsletterSeed = {},
) {
  const store = new Map((seed.newsletters ?? []).map((n) => [n.id, structuredClone(n)]));
  const suppressed = new Set((seed.suppressed ?? []).map((e) => e.toLowerCase()));
  let smtp: SmtpSettings = seed.smtp ?? {
    host: '',
    port: 587,
    tls: 'starttls',
    username: '',
    passwordSet: false,
    fromAddress: '',
    fromName: '',
    ratePerSecond: 10,
  };
  const sentTests: { id: string; to: string }[] = [];
  /** Who each sent newsletter reached (the dashboard's campaign results). */
  const reached = new Map<string, string[]>();
  const cancelled = new Set<string>();
  let seq = 0;

  const require = (id: string) => {
    const n = store.get(id);
    if (!n) throw notFound('newsletter_not_found', `newsletter ${id}`);
    return n;
  };

  const audience = (n: Newsletter): Member[] => {
    const tags = n.tags.map((t) => t.toLowerCase());
    const words = fold(n.search).split(/\s+/).filter(Boolean);
    return ctx.members.all().filter((m) => {
      if (tags.length > 0 && !m.tags.some((t) => tags.includes(t.toLowerCase()))) return false;
      const hay = fold(
        [m.name, ...m.emails, ...m.tags, ...m.handles.map((h) => h.handle)].join(' '),
      );
      return words.every((w) => hay.includes(w));
    });
  };

  /**
   * A member's newsletter consent now, from the fake's consent log under the purpose's expiry.
   * This is Go's consent rule written again for the send check, the part of this file still to
   * be replaced by answers recorded from Go (issue #11); the consent screens replay Go's.
   */
  const newsletterStatus = (memberId: string, purpose: Purpose | undefined) => {
    const last = consent
      .events()
      .filter((e) => e.memberId === memberId && e.purpose === 'newsletter')
      .sort((a, b) => b.at.localeCompare(a.at))[0];
    if (!last) return { state: 'none' as const };
    if (last.kind === 'withdrawn') return { state: 'withdrawn' as const };
    const months = purpose?.expiryMonths ?? 0; // null or 0: never, as in Go
    if (months > 0) {
      const expires = addMonths(last.at, months);
      if (expires <= ctx.now()) return { state: 'expired' as const, since: expires.toISOString() };
    }
    return { state: 'granted' as const };
  };

  const planOf = (n: Newsletter): NewsletterPlan & { members: Member[] } => {
    const purpose =
      consent.seededPurpose('newsletter') ?? consent.purposes().find((p) => p.id === 'newsletter');
    const expired: NewsletterPlan['expired'] = {
      purpose: 'newsletter',
      purposeName: purpose?.name ?? '',
      expiryMonths: purpose?.expiryMonths ?? 0,
      count: 0,
    };
    const plan = {
      newsletterId: n.id,
      recipients: 0,
      excludedNoConsent: 0,
      excludedNotAsked: 0,
      excludedWithdrawn: 0,
      expired,
      excludedSuppressed: 0,
      excludedNoEmail: 0,
      alreadySent: 0,
      uncertain: 0,
      sample: [] as NewsletterPlan['sample'],
      members: [] as Member[],
    };
    for (const m of audience(n)) {
      const email = m.emails[0];
      if (!email) plan.excludedNoEmail++;
      else if (suppressed.has(email.toLowerCase())) plan.excludedSuppressed++;
      else if (newsletterStatus(m.id, purpose).state !== 'granted') {
        plan.excludedNoConsent++;
        const status = newsletterStatus(m.id, purpose);
        if (status.state === 'withdrawn') plan.excludedWithdrawn++;
        else if (status.state === 'expired') {
          // The same tally as Go's consent.Lapsed: how many, the earliest and latest expiry.
          expired.count++;
          if (!expired.first || status.since < expired.first) expired.first = status.since;
          if (!expired.last || status.since > expired.last) expired.last = status.since;
        } else plan.excludedNotAsked++;
      } else {
        plan.recipients++;
        plan.members.push(m);
        if (plan.sample.length < 5) plan.sample.push({ memberId: m.id, name: m.name, email });
      }
    }
    return plan;
  };

  const api: NewslettersApi = {
    list: () =>
      ctx.settle('newsletters.list', () =>
        [...store.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
      ),
    get: (id) => ctx.settle('newsletters.get', () => require(id)),
    save: (input) =>
      ctx.settle('newsletters.save', () => {
        const errs: FieldError[] = [];
        if (input.subject.trim() === '') errs.push({ field: 'subject', code: 'required' });
        if (input.subject.length > 300)
          errs.push({ field: 'subject', code: 'max', params: { max: '300' } });
        for (const m of input.bodyMarkdown.matchAll(MERGE))
          if (!KNOWN_FIELDS.test(m[1] ?? ''))
            errs.push({
              field: 'bodyMarkdown',
              code: 'merge_field',
              params: { field: m[1] ?? '' },
            });
        if (errs.length > 0) throw invalid(errs);
        const stamp = ctx.now().toISOString();
        const existing = input.id ? require(input.id) : undefined;
        if (existing && existing.status !== 'draft')
          throw new ApiError({
            kind: 'conflict',
            code: 'newsletter_not_draft',
            message: 'newsletter already sent',
          });
        const n: Newsletter = {
          id: existing?.id ?? `n${ctx.now().getTime().toString(36)}${(seq++).toString(36)}`,
          subject: input.subject.trim(),
          bodyMarkdown: input.bodyMarkdown,
          lang: input.lang || 'en',
          tags: input.tags,
          search: input.search,
          status: 'draft',
          createdAt: existing?.createdAt ?? stamp,
          updatedAt: stamp,
          sentAt: null,
          counts: { ...NO_COUNTS },
        };
        store.set(n.id, n);
        return n;
      }),
    preview: (id, memberId) =>
      ctx.settle('newsletters.preview', () => {
        const n = require(id);
        const m = memberId ? ctx.members.require(memberId) : undefined;
        const body = merge(n.bodyMarkdown, m);
        return { subject: merge(n.subject, m), html: toHtml(body), text: body };
      }),
    plan: (id) =>
      ctx.settle('newsletters.plan', () => {
        const { members: _m, ...plan } = planOf(require(id));
        return plan;
      }),
    send: (id) =>
      ctx.settle('newsletters.send', () => {
        const n = require(id);
        if (n.status !== 'draft')
          throw new ApiError({
            kind: 'conflict',
            code: 'newsletter_not_draft',
            message: 'newsletter already sent',
          });
        if (!smtp.host || !smtp.fromAddress)
          throw new ApiError({
            kind: 'invalid',
            code: 'smtp_not_configured',
            message: 'no SMTP settings',
          });
        const plan = planOf(n);
        n.status = 'sending';
        const total = plan.recipients;
        const step = seed.sendStepMs ?? 0;
        const batches = Math.max(1, Math.min(5, total));
        const progress = (done: number): NewsletterProgress => ({
          newsletterId: id,
          total,
          done,
          sent: done,
          failedTemp: 0,
          failedPerm: 0,
          uncertain: 0,
          round: 1,
        });
        for (let b = 1; b <= batches; b++) {
          setTimeout(() => {
            if (cancelled.has(id)) return;
            const done = Math.round((total * b) / batches);
            ctx.emit(newsletterProgressEvent(id), progress(done));
            if (b === batches) {
              n.status = 'sent';
              n.sentAt = ctx.now().toISOString();
              reached.set(
                id,
                plan.members.map((m) => m.id),
              );
              n.counts = {
                ...NO_COUNTS,
                recipients: total,
                sent: total,
                excludedNoConsent: plan.excludedNoConsent,
                excludedSuppressed: plan.excludedSuppressed,
                excludedNoEmail: plan.excludedNoEmail,
              };
              ctx.emit(newsletterDoneEvent(id), {
                ...progress(total),
                status: n.status,
                counts: n.counts,
              });
            }
          }, step * b);
        }
        return id;
      }),
    resendUncertain: (id) =>
      ctx.settle('newsletters.resendUncertain', () => {
        const n = require(id);
        // As the Go side: only a newsletter with uncertain recipients; here they all get it.
        const resent = n.counts.uncertain;
        if (resent === 0)
          throw new ApiError({
            kind: 'conflict',
            code: 'newsletter_already_sent',
            message: 'newsletter already sent',
          });
        n.counts = { ...n.counts, sent: n.counts.sent + resent, uncertain: 0 };
        setTimeout(() => {
          ctx.emit(newsletterDoneEvent(id), {
            newsletterId: id,
            total: resent,
            done: resent,
            sent: n.counts.sent,
            failedTemp: n.counts.failedTemp,
            failedPerm: n.counts.failedPerm,
            uncertain: 0,
            round: 1,
            status: n.status,
            counts: n.counts,
          });
        }, 0);
        return id;
      }),
    cancel: (id) =>
      ctx.settle('newsletters.cancel', () => {
        const n = require(id);
        cancelled.add(id);
        n.status = 'draft';
        // As the Go side: the last progress, and the error that stopped the send.
        ctx.emit(newsletterDoneEvent(id), {
          newsletterId: id,
          total: 0,
          done: 0,
          sent: 0,
          failedTemp: 0,
          failedPerm: 0,
          uncertain: 0,
          round: 1,
          status: n.status,
          error: { kind: 'internal', code: 'cancelled', message: 'cancelled' },
        });
      }),
    testSend: (id, to) =>
      ctx.settle('newsletters.testSend', () => {
        require(id);
        if (!isEmail(to)) throw invalid([{ field: 'to', code: 'email' }]);
        if (!smtp.host)
          throw new ApiError({
            kind: 'invalid',
            code: 'smtp_not_configured',
            message: 'no SMTP settings',
          });
        sentTests.push({ id, to });
      }),
    settings: () => ctx.settle('newsletters.settings', () => smtp),
    saveSettings: (raw) =>
      ctx.settle('newsletters.saveSettings', () => {
        const { password, ...given } = raw;
        const input = {
          host: '',
          port: 0,
          tls: 'starttls' as const,
          username: '',
          fromAddress: '',
          fromName: '',
          ratePerSecond: 0,
          ...given,
        };
        const errs: FieldError[] = [];
        if (input.host.trim() === '') errs.push({ field: 'host', code: 'required' });
        if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535)
          errs.push({ field: 'port', code: 'invalid' });
        if (!isEmail(input.fromAddress)) errs.push({ field: 'fromAddress', code: 'email' });
        if (input.ratePerSecond < 0)
          errs.push({ field: 'ratePerSecond', code: 'min', params: { min: '0' } });
        if (errs.length > 0) throw invalid(errs);
        smtp = {
          ...input,
          passwordSet: password === undefined ? smtp.passwordSet : password !== '',
          updatedAt: ctx.now().toISOString(),
        };
        return smtp;
      }),
    delete: (id) =>
      ctx.settle('newsletters.delete', () => {
        const n = require(id);
        if (n.status !== 'draft')
          throw new ApiError({
            kind: 'conflict',
            code: 'newsletter_not_draft',
            message: `newsletter ${id} was sent; it is kept as a record`,
          });
        store.delete(id);
      }),
  };
  /** The sent newsletters with the members they reached, oldest first. */
  const sends = (): FakeSend[] =>
    [...store.values()]
      .filter((n) => n.status === 'sent' && n.sentAt)
      .map((n) => ({
        id: n.id,
        subject: n.subject,
        sentAt: n.sentAt!,
        members: reached.get(n.id) ?? [],
      }))
      .sort((a, b) => a.sentAt.localeCompare(b.sentAt));

  return { api, testSends: () => [...sentTests], sends };
}
