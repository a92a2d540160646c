import type { SyncApi } from '../api';
import {
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
 * nothing changes. After a run or a retry the fake emits the events Go emitted (recorded with
 * them); sync:changed also says when its own run starts and ends (its `running`).
 */
export function createFakeSync(
  ctx: FakeContext,
  conns: FakeConnections,
  opts: FakeSyncOptions = {},
): FakeSync {
  const { scenario, change } = conns;
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
        return change<Delivery>('sync.retry', [id]);
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
          return change<RunReport>('sync.runNow', []);
        } finally {
          running = false;
          stopped = false;
          // The window's own running state ends (Go's own events came with the run).
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
