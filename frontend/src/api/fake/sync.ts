import type { SyncApi } from '../api';
import { ApiError } from '../errors';
import {
  ACTIVITY_CHANGED,
  SYNC_CHANGED,
  type ConnectionReport,
  type ConnectionStatus,
  type Delivery,
  type FeedItem,
  type FeedPage,
  type RunReport,
  type SyncOverview,
} from '../types';
import type { FakeConnections } from './connections';
import { notFound, type FakeContext } from './context';

/** What the engine remembers of a connection, without the counts computed on read. */
export type FakeStatus = Omit<ConnectionStatus, 'name' | 'platform' | 'queued' | 'parked'>;

export interface FakeSyncOptions {
  deliveries?: Delivery[];
  feed?: FeedItem[];
  statuses?: FakeStatus[];
  lastRunAt?: string;
  /** How long a run takes (demo mode), to see the running state. */
  runMs?: number;
}

/** Attempts after which a failing delivery is parked. */
export const MAX_ATTEMPTS = 5;
const DEFAULT_FEED_LIMIT = 50;
const DEFAULT_DELIVERY_LIMIT = 200;

const emptyStatus = (connection: string): FakeStatus => ({
  connection,
  online: false,
  pulledPeople: 0,
  pulledActivity: 0,
  pushed: 0,
  totalActivity: 0,
  totalNewMembers: 0,
});

const newestFirst = (a: FeedItem, b: FeedItem) =>
  a.at < b.at ? 1 : a.at > b.at ? -1 : a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

export interface FakeSync {
  api: SyncApi;
  deliveries(): Delivery[];
  feed(): FeedItem[];
}

/**
 * The sync engine as the window sees it: deliveries that a run sends when their connection
 * answers (and parks after MAX_ATTEMPTS failures), statuses learnt from runs and tests, and an
 * incoming feed that a run adds to.
 */
export function createFakeSync(
  ctx: FakeContext,
  conns: FakeConnections,
  opts: FakeSyncOptions = {},
): FakeSync {
  const deliveries: Delivery[] = structuredClone(opts.deliveries ?? []);
  const feed: FeedItem[] = structuredClone(opts.feed ?? []).sort(newestFirst);
  const statuses = new Map<string, FakeStatus>();
  for (const s of opts.statuses ?? []) statuses.set(s.connection, structuredClone(s));
  let running = false;
  let cancelled = false;
  let lastRunAt = opts.lastRunAt;
  let seq = 0;
  const status = (id: string) => {
    const s = statuses.get(id) ?? emptyStatus(id);
    statuses.set(id, s);
    return s;
  };

  conns.onChange((id, result) => {
    if (!conns.find(id)) {
      statuses.delete(id);
    } else if (result) {
      const s = status(id);
      s.online = result.ok;
      s.checkedAt = result.checkedAt;
      if (result.ok) {
        delete s.lastError;
        delete s.lastErrorKind;
        delete s.authFailed;
      } else {
        s.lastError = result.message;
        s.lastErrorKind = result.kind;
        if (result.kind === 'auth') s.authFailed = true;
      }
    }
    ctx.emit(SYNC_CHANGED, {});
  });

  const pending = (d: Delivery) => d.state === 'queued' || d.state === 'sending';

  const overview = (): SyncOverview => ({
    running,
    ...(lastRunAt ? { lastRunAt } : {}),
    queued: deliveries.filter(pending).length,
    parked: deliveries.filter((d) => d.state === 'parked').length,
    connections: conns
      .all()
      .map(({ connection: c }) => ({
        ...status(c.id),
        name: c.name,
        platform: c.platform,
        queued: deliveries.filter((d) => d.connection === c.id && pending(d)).length,
        parked: deliveries.filter((d) => d.connection === c.id && d.state === 'parked').length,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  });

  const fail = (d: Delivery, reasonCode: string, reason: string, at: string) => {
    d.attempts++;
    d.updatedAt = at;
    d.reason = reason;
    d.reasonCode = reasonCode;
    const permanent = reasonCode === 'auth' || reasonCode === 'no_connection';
    if (permanent || d.attempts >= MAX_ATTEMPTS) {
      d.state = 'parked';
      if (!permanent) d.reasonCode = 'too_many_failures';
      delete d.nextAt;
    } else {
      d.state = 'queued';
      d.nextAt = new Date(Date.parse(at) + 2 ** d.attempts * 30_000).toISOString();
    }
  };

  /** One pass over every connection: push what is queued, pull something new. */
  const run = (): RunReport => {
    const startedAt = ctx.now().toISOString();
    const reports: ConnectionReport[] = [];
    let pulledAny = false;
    for (const d of deliveries)
      if (pending(d) && !conns.find(d.connection))
        fail(d, 'no_connection', `no connection named "${d.channel}"`, startedAt);
    for (const { connection: c } of conns.all()) {
      if (c.paused) continue;
      const s = status(c.id);
      const answer = conns.probe(c.id);
      const report: ConnectionReport = {
        connection: c.id,
        name: c.name,
        platform: c.platform,
        online: answer.ok,
        pushed: 0,
        failed: 0,
        parked: 0,
        pulled: 0,
        pulledPeople: 0,
      };
      s.online = answer.ok;
      s.checkedAt = startedAt;
      const mine = deliveries.filter((d) => d.connection === c.id && pending(d));
      if (!answer.ok) {
        const auth = answer.kind === 'auth';
        s.lastError = answer.message;
        s.lastErrorKind = answer.kind;
        if (auth) s.authFailed = true;
        for (const d of mine) {
          fail(d, auth ? 'auth' : 'unreachable', answer.message, startedAt);
          report.failed++;
          if (d.state === 'parked') report.parked++;
        }
        report.error = answer.message;
      } else {
        delete s.lastError;
        delete s.authFailed;
        for (const d of mine) {
          d.state = 'sent';
          d.attempts++;
          d.remoteId = `r${++seq}`;
          d.updatedAt = startedAt;
          delete d.reason;
          delete d.reasonCode;
          delete d.nextAt;
          report.pushed++;
        }
        if (c.platform !== 'mailchimp') {
          const member = ctx.members.all()[seq % Math.max(1, ctx.members.all().length)];
          feed.unshift({
            id: `f${ctx.now().getTime().toString(36)}${++seq}`,
            connection: c.id,
            platform: c.platform,
            remoteId: `remote-${seq}`,
            kind: c.platform === 'rss' ? 'article' : 'post',
            memberId: c.platform === 'rss' ? '' : (member?.id ?? ''),
            memberName: c.platform === 'rss' ? '' : (member?.name ?? 'someone'),
            at: startedAt,
            channel: c.name,
            link: c.settings.url ?? '',
            title: c.platform === 'rss' ? 'A new article' : '',
            text: 'Fresh from the last sync.',
            createdAt: startedAt,
          });
          feed.sort(newestFirst);
          report.pulled = 1;
          report.pulledPeople = c.platform === 'rss' ? 0 : 1;
          pulledAny = true;
        }
        s.lastPullAt = startedAt;
        s.pulledActivity = report.pulled;
        s.pulledPeople = report.pulledPeople;
        s.pushed = report.pushed;
        if (report.pulled > 0) {
          s.totalActivity += report.pulled;
          s.lastNewAt = startedAt;
        }
      }
      reports.push(report);
    }
    lastRunAt = startedAt;
    if (pulledAny) ctx.emit(ACTIVITY_CHANGED, {});
    return { startedAt, finishedAt: ctx.now().toISOString(), connections: reports };
  };

  const api: SyncApi = {
    overview: () => ctx.settle('sync.overview', overview),
    deliveries: (q) =>
      ctx.settle('sync.deliveries', () =>
        deliveries
          .filter((d) => !q.state || d.state === q.state)
          .filter((d) => !q.connection || d.connection === q.connection)
          .sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0))
          .slice(0, q.limit && q.limit > 0 ? q.limit : DEFAULT_DELIVERY_LIMIT),
      ),
    retry: (id) =>
      ctx.settle('sync.retry', () => {
        const d = deliveries.find((x) => x.id === id);
        if (!d) throw notFound('delivery_not_found', `delivery ${id}`);
        if (d.state !== 'parked')
          throw new ApiError({
            kind: 'conflict',
            code: 'delivery_not_parked',
            message: 'only a parked delivery can be retried',
          });
        d.state = 'queued';
        d.attempts = 0;
        d.nextAt = ctx.now().toISOString();
        d.updatedAt = d.nextAt;
        delete d.reason;
        delete d.reasonCode;
        ctx.emit(SYNC_CHANGED, {});
        return d;
      }),
    cancel: async () => {
      cancelled = running;
    },
    runNow: async () => {
      await ctx.settle('sync.runNow', () => {
        if (running)
          throw new ApiError({
            kind: 'conflict',
            code: 'sync_running',
            message: 'a sync is running already',
          });
        running = true;
        ctx.emit(SYNC_CHANGED, {});
      });
      if (opts.runMs) await new Promise((resolve) => setTimeout(resolve, opts.runMs));
      return ctx.settle('sync.runNow.finish', () => {
        try {
          if (cancelled)
            throw new ApiError({
              kind: 'unavailable',
              code: 'cancelled',
              message: 'sync: cancelled',
            });
          return run();
        } finally {
          running = false;
          cancelled = false;
          ctx.emit(SYNC_CHANGED, {});
        }
      });
    },
    feed: (q) =>
      ctx.settle('sync.feed', (): FeedPage => {
        const matching = feed
          .filter((f) => !q.connection || f.connection === q.connection)
          .filter((f) => !q.kind || f.kind === q.kind);
        // An unknown cursor (its item is gone) ends the feed rather than starting it over.
        const start = q.before
          ? matching.findIndex((f) => f.id === q.before) + 1 || matching.length
          : 0;
        const limit = q.limit && q.limit > 0 ? q.limit : DEFAULT_FEED_LIMIT;
        const items = matching.slice(start, start + limit);
        const more = start + limit < matching.length;
        return { items, next: more ? (items[items.length - 1]?.id ?? '') : '' };
      }),
  };

  return {
    api,
    deliveries: () => structuredClone(deliveries),
    feed: () => structuredClone(feed),
  };
}
