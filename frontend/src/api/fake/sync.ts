import type { SyncApi } from '../api';
import {
  ACTIVITY_CHANGED,
  SYNC_CHANGED,
  type Delivery,
  type DeliveryQuery,
  type FeedPage,
  type FeedQuery,
  type RunReport,
  type SyncOverview,
} from '../types';
import type { FakeConnections } from './connections';
import type { FakeContext } from './context';

export interface FakeSyncOptions {
  /** How long a run takes (demo mode), to see the running state and stop it. */
  runMs?: number;
}

export interface FakeSync {
  api: SyncApi;
  /** Go's queued, sending and parked deliveries in the current recorded state. */
  deliveries(): Delivery[];
}

/** The delivery lists the Sync screen asks for, as it asks (app/recorded_connections_test.go). */
const LISTED = ['queued', 'sending', 'parked'] as const;

/**
 * The Sync screen and the status bar. Every answer replays what Go's SyncService answered in
 * the recorded scenarios of fake/connections.ts, in the same recorded workspace: the statuses
 * and what was pulled, the queue, what a run publishes, keeps for later or parks and why, a
 * retry, the incoming feed. A run moves the recorded state on (`sync.runNow`); Stop during the
 * run (demo mode's `runMs`) answers Go's error for a run stopped before it did anything, and
 * nothing changes. The fake emits what the window hears: sync:changed when a run starts and
 * ends and after a retry, activity:changed after a run.
 */
export function createFakeSync(
  ctx: FakeContext,
  conns: FakeConnections,
  opts: FakeSyncOptions = {},
): FakeSync {
  const { scenario } = conns;
  let running = false;
  let stopped = false;

  const read = <T>(method: string, args: unknown[]) => scenario.read<T>(method, args);
  const api: SyncApi = {
    overview: () =>
      ctx.settle('sync.overview', () => {
        const ov = read<SyncOverview>('sync.overview', []);
        return running ? { ...ov, running } : ov;
      }),
    deliveries: (q: DeliveryQuery) =>
      ctx.settle('sync.deliveries', () => read<Delivery[]>('sync.deliveries', [q])),
    retry: (id: string) =>
      ctx.settle('sync.retry', () => {
        const d = scenario.step<Delivery>('sync.retry', [id]);
        ctx.emit(SYNC_CHANGED, {});
        return d;
      }),
    cancel: async () => {
      stopped = running;
    },
    runNow: async () => {
      await ctx.settle('sync.runNow', () => {
        running = true;
        stopped = false;
        ctx.emit(SYNC_CHANGED, {});
      });
      if (opts.runMs) await new Promise((resolve) => setTimeout(resolve, opts.runMs));
      return ctx.settle('sync.runNow.finish', () => {
        try {
          if (stopped) return read<RunReport>('sync.runNow:stopped', []);
          const report = scenario.step<RunReport>('sync.runNow', []);
          ctx.emit(ACTIVITY_CHANGED, {});
          return report;
        } finally {
          running = false;
          stopped = false;
          ctx.emit(SYNC_CHANGED, {});
        }
      });
    },
    feed: (q: FeedQuery) => ctx.settle('sync.feed', () => read<FeedPage>('sync.feed', [q])),
  };

  return {
    api,
    deliveries: () =>
      LISTED.flatMap((state) => read<Delivery[]>('sync.deliveries', [{ state, limit: 200 }])),
  };
}
