import type { ConnectionsApi } from '../api';
import {
  CONNECTIONS_CHANGED,
  SYNC_CHANGED,
  type Connection,
  type ConnectionInput,
  type ConnectionPatch,
  type SecretBackend,
  type TestResult,
} from '../types';
import type { FakeContext } from './context';
import { CONNECTIONS_RECORDING, daysBetween, RECORDED_NOW, Scenario } from './recorded';

/**
 * The recorded workspaces the Connections and Sync screens start from
 * (app/recorded_connections_test.go): `empty` has the recorded members and no connection;
 * `connected` has one connection per platform (`forum` on Discourse, a `discord` bot, `mastodon`
 * on an instance that cannot be reached, a `newsletter` Mailchimp audience whose key is refused,
 * the `veille` blog feed) and calendar posts due for the forum, Mastodon, Discord, the
 * newsletter and an `old-forum` no connection is named, never synced yet.
 */
export type ConnectionsStart = 'empty' | 'connected';

export interface FakeConnectionsOptions {
  /** The recorded workspace to start from ('empty' by default). */
  start?: ConnectionsStart;
  /** Starts after a first Sync now (demo mode's cards). */
  synced?: boolean;
  /** Demo mode: a call nobody recorded is refused as demo data (fake/recorded.ts). */
  demo?: boolean;
}

/** A call the window made, with the secret it sent (which no recording holds). */
export interface ConnectionCall {
  method: 'add' | 'update' | 'remove' | 'test';
  args: unknown[];
}

/**
 * How a recording's key names a secret the window sent: its FNV-1a hash, never the secret
 * (app/recorded_connections_test.go, secretMark, writes it alike).
 */
export function secretMark(secret: string): string {
  if (secret === '') return '';
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(secret)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return `secret:${h.toString(16).padStart(8, '0')}`;
}

const marked = <T extends { secret?: string | null }>(v: T): T =>
  typeof v.secret === 'string' ? { ...v, secret: secretMark(v.secret) } : v;

export interface FakeConnections {
  api: ConnectionsApi;
  /** The scenario the Sync screen's fake replays too: both read one recorded workspace. */
  scenario: Scenario;
  /** Go's connections in the current recorded state, for assertions. */
  all(): Connection[];
  /** Every change and test the window asked for, as it sent them, for assertions. */
  calls(): ConnectionCall[];
}

/**
 * Settings > Connections. Every answer replays what Go's ConnectionsService answered in
 * recorded scenarios (app/recorded_connections_test.go) over the recorded workspace with Go's
 * sync engine talking to the repo's platform fakes: the field rejections, the names, what a
 * test found and the secret being kept are Go's. The fake only remembers which recorded state it
 * is in, and emits what the window hears after a change (connections:changed, and sync:changed
 * after a test, which updates the connection's status).
 */
export function createFakeConnections(
  ctx: FakeContext,
  opts: FakeConnectionsOptions = {},
): FakeConnections {
  const scenario = new Scenario(
    CONNECTIONS_RECORDING,
    'connections',
    '',
    () => daysBetween(RECORDED_NOW, ctx.now()),
    { demo: opts.demo },
  );
  scenario.step('seed', [opts.start ?? 'empty']);
  if (opts.synced) scenario.step('sync.runNow', []);
  const calls: ConnectionCall[] = [];
  const changed = (id: string) => {
    ctx.emit(CONNECTIONS_CHANGED, { ids: [id] });
    ctx.emit(SYNC_CHANGED, {});
  };

  const api: ConnectionsApi = {
    list: () =>
      ctx.settle('connections.list', () => scenario.read<Connection[]>('connections.list', [])),
    add: (input: ConnectionInput) =>
      ctx.settle('connections.add', () => {
        calls.push({ method: 'add', args: [structuredClone(input)] });
        const c = scenario.step<Connection>('connections.add', [marked(input)]);
        changed(c.id);
        return c;
      }),
    update: (id: string, patch: ConnectionPatch) =>
      ctx.settle('connections.update', () => {
        calls.push({ method: 'update', args: [id, structuredClone(patch)] });
        const c = scenario.step<Connection>('connections.update', [id, marked(patch)]);
        changed(id);
        return c;
      }),
    remove: (id: string) =>
      ctx.settle('connections.remove', () => {
        calls.push({ method: 'remove', args: [id] });
        scenario.step<null>('connections.remove', [id]);
        changed(id);
      }),
    test: (id: string) =>
      ctx.settle('connections.test', () => {
        calls.push({ method: 'test', args: [id] });
        const result = scenario.step<TestResult>('connections.test', [id]);
        ctx.emit(SYNC_CHANGED, {});
        return result;
      }),
    secretBackend: () =>
      ctx.settle('connections.secretBackend', () =>
        scenario.read<SecretBackend>('connections.secretBackend', []),
      ),
  };

  return {
    api,
    scenario,
    all: () => scenario.read<Connection[]>('connections.list', []),
    calls: () => structuredClone(calls),
  };
}
