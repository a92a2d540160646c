import type { ConnectionsApi } from '../api';
import {
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
 * newsletter and an `old-forum` no connection is named, never synced yet; `failing` has the
 * forum alone with a post due, every new topic meeting a 502 Bad Gateway on its way (each Sync now
 * is two hours after the one before, so that the post is tried again each time).
 */
export type ConnectionsStart = 'empty' | 'connected' | 'failing';

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
  /**
   * Takes a recorded step (a change, a test, a run) and emits the events Go emitted for it
   * (connections:changed, sync:changed, activity:changed, members:changed), recorded with it.
   */
  change<T>(method: string, args: unknown[]): T;
  /** Go's connections in the current recorded state, for assertions. */
  all(): Connection[];
  /** Every change and test the window asked for, as it sent them, for assertions. */
  calls(): ConnectionCall[];
}

/**
 * Settings > Connections. Every answer replays what Go's ConnectionsService answered in
 * recorded scenarios (app/recorded_connections_test.go) over the recorded workspace with Go's
 * sync engine talking to the repo's platform fakes: the field rejections, the names, what a
 * test found and the secret being kept are Go's, and so are the events it emits after each. The
 * fake only remembers which recorded state it is in.
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
  const change = <T>(method: string, args: unknown[]): T => {
    let heard: { event: string; payload: unknown }[] = [];
    try {
      heard = scenario.read(`events:${method}`, args);
    } catch {
      // Not recorded: the step itself says why (a test's mistake, or demo data).
    }
    const out = scenario.step<T>(method, args);
    for (const e of heard) ctx.emit(e.event, e.payload);
    return out;
  };

  const api: ConnectionsApi = {
    list: () =>
      ctx.settle('connections.list', () => scenario.read<Connection[]>('connections.list', [])),
    add: (input: ConnectionInput) =>
      ctx.settle('connections.add', () => {
        calls.push({ method: 'add', args: [structuredClone(input)] });
        return change<Connection>('connections.add', [marked(input)]);
      }),
    update: (id: string, patch: ConnectionPatch) =>
      ctx.settle('connections.update', () => {
        calls.push({ method: 'update', args: [id, structuredClone(patch)] });
        return change<Connection>('connections.update', [id, marked(patch)]);
      }),
    remove: (id: string) =>
      ctx.settle('connections.remove', () => {
        calls.push({ method: 'remove', args: [id] });
        change<null>('connections.remove', [id]);
      }),
    test: (id: string) =>
      ctx.settle('connections.test', () => {
        calls.push({ method: 'test', args: [id] });
        return change<TestResult>('connections.test', [id]);
      }),
    secretBackend: () =>
      ctx.settle('connections.secretBackend', () =>
        scenario.read<SecretBackend>('connections.secretBackend', []),
      ),
  };

  return {
    api,
    scenario,
    change,
    all: () => scenario.read<Connection[]>('connections.list', []),
    calls: () => structuredClone(calls),
  };
}
