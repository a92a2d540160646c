import type { ConnectionsApi } from '../api';
import type { FieldError } from '../errors';
import {
  CONNECTION_PLATFORMS,
  CONNECTIONS_CHANGED,
  type Connection,
  type ConnectionInput,
  type ConnectionSettings,
  type SecretBackend,
  type TestResult,
} from '../types';
import { invalid, notFound, type FakeContext } from './context';

/** A stored connection with its secret (which the Api never hands back). */
export interface FakeConnection {
  connection: Connection;
  secret: string;
}

export interface FakeConnectionsOptions {
  /** Stored at start, with their secrets. */
  connections?: FakeConnection[];
  secretBackend?: SecretBackend;
}

export const NAME_MAX = 100;

const isUrl = (s: string) => {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
};

const DIGITS = /^\d+$/;

const hostOf = (s: string) => {
  try {
    return new URL(s).host;
  } catch {
    return s;
  }
};

/** Trims what the Go side trims and drops settings the platform does not use. */
export function cleanSettings(platform: string, s: ConnectionSettings): ConnectionSettings {
  const v = (x?: string) => (x ?? '').trim();
  const keep = (o: ConnectionSettings) =>
    Object.fromEntries(
      Object.entries(o).filter(([, x]) => x !== '' && x !== false && x !== undefined),
    ) as ConnectionSettings;
  switch (platform) {
    case 'discourse':
      return keep({ url: v(s.url), username: v(s.username), category: v(s.category) });
    case 'discord':
      return s.webhook
        ? { webhook: true }
        : keep({ channel: v(s.channel), guild: v(s.guild), apiUrl: v(s.apiUrl) });
    case 'mastodon':
      return keep({ url: v(s.url) });
    case 'mailchimp':
      return keep({ listId: v(s.listId), apiUrl: v(s.apiUrl) });
    case 'rss': {
      const keywords = (s.keywords ?? []).map((k) => k.trim()).filter((k) => k !== '');
      return { ...keep({ url: v(s.url) }), ...(keywords.length > 0 ? { keywords } : {}) };
    }
    default:
      return {};
  }
}

/**
 * The Go rules, same paths and codes: a name (unique, case-insensitive), a known platform, and
 * per platform its required settings and secret. `hasSecret`: a secret is stored already
 * (editing), so an empty one keeps it.
 */
export function validateConnection(
  input: ConnectionInput,
  hasSecret: boolean,
  others: Connection[],
): FieldError[] {
  const errs: FieldError[] = [];
  const { name, platform, settings: s, secret } = input;
  const required = (field: string, value: string | undefined) => {
    if (!value) errs.push({ field, code: 'required' });
  };
  const url = (field: string, value: string | undefined, mandatory: boolean) => {
    if (!value) {
      if (mandatory) errs.push({ field, code: 'required' });
    } else if (!isUrl(value)) errs.push({ field, code: 'url' });
  };
  const digits = (field: string, value: string | undefined) => {
    if (value && !DIGITS.test(value)) errs.push({ field, code: 'numeric' });
  };
  const needSecret = () => {
    if (!secret && !hasSecret) errs.push({ field: 'secret', code: 'required' });
  };

  if (name === '') errs.push({ field: 'name', code: 'required' });
  else if (name.length > NAME_MAX)
    errs.push({ field: 'name', code: 'max', params: { max: String(NAME_MAX) } });
  else if (/\p{Cc}/u.test(name)) errs.push({ field: 'name', code: 'label' });
  else if (others.some((c) => c.name.toLowerCase() === name.toLowerCase()))
    errs.push({ field: 'name', code: 'unique' });

  switch (platform) {
    case 'discourse':
      url('settings.url', s.url, true);
      required('settings.username', s.username);
      digits('settings.category', s.category);
      needSecret();
      break;
    case 'discord':
      if (s.webhook) {
        needSecret();
        if (secret) url('secret', secret, true);
      } else {
        required('settings.channel', s.channel);
        digits('settings.channel', s.channel);
        digits('settings.guild', s.guild);
        url('settings.apiUrl', s.apiUrl, false);
        needSecret();
      }
      break;
    case 'mastodon':
      url('settings.url', s.url, true);
      needSecret();
      break;
    case 'mailchimp':
      required('settings.listId', s.listId);
      url('settings.apiUrl', s.apiUrl, false);
      needSecret();
      break;
    case 'rss':
      url('settings.url', s.url, true);
      break;
    default:
      errs.push({ field: 'platform', code: 'oneof' });
  }
  return errs;
}

/** What a test tells, depending on the settings: believable outcomes for the demo and tests. */
function probe(c: FakeConnection): Omit<TestResult, 'checkedAt'> {
  const { connection: conn, secret } = c;
  const where = conn.settings.url ?? conn.settings.apiUrl ?? '';
  if (/offline|unreachable|invalid\.example/.test(where))
    return {
      ok: false,
      kind: 'unreachable',
      message: `cannot reach ${hostOf(where)}: connection refused`,
    };
  if (/bad|wrong|expired/.test(secret))
    return {
      ok: false,
      kind: 'auth',
      message: `${conn.platform} refused the credentials (HTTP 401)`,
    };
  switch (conn.platform) {
    case 'discourse':
      return { ok: true, message: `signed in as ${conn.settings.username ?? ''}` };
    case 'discord':
      return conn.settings.webhook
        ? { ok: true, message: 'webhook found' }
        : { ok: true, message: `channel ${conn.settings.channel ?? ''} found` };
    case 'mastodon':
      return { ok: true, message: 'signed in as @community' };
    case 'mailchimp':
      return { ok: true, message: `audience ${conn.settings.listId ?? ''} found` };
    default:
      return { ok: true, message: 'feed read: 12 items' };
  }
}

export interface FakeConnections {
  api: ConnectionsApi;
  /** Stored connections, for the sync fake and for assertions. */
  all(): FakeConnection[];
  find(id: string): FakeConnection | undefined;
  /** Whether the platform would answer now (the same rule as Test). */
  probe(id: string): Omit<TestResult, 'checkedAt'>;
  /** Registered by the sync fake: a connection was tested, changed or removed. */
  onChange(callback: (id: string, result?: TestResult) => void): void;
}

export function createFakeConnections(
  ctx: FakeContext,
  opts: FakeConnectionsOptions = {},
): FakeConnections {
  const store = new Map<string, FakeConnection>();
  for (const c of opts.connections ?? []) store.set(c.connection.id, structuredClone(c));
  let seq = 0;
  const listeners: ((id: string, result?: TestResult) => void)[] = [];
  const changed = (id: string, result?: TestResult) => {
    listeners.forEach((l) => l(id, result));
    ctx.emit(CONNECTIONS_CHANGED, { ids: [id] });
  };

  const requireConn = (id: string) => {
    const c = store.get(id);
    if (!c) throw notFound('connection_not_found', `connection ${id}`);
    return c;
  };
  const others = (id: string) =>
    [...store.values()].map((c) => c.connection).filter((c) => c.id !== id);

  const api: ConnectionsApi = {
    list: () =>
      ctx.settle('connections.list', () =>
        [...store.values()].map((c) => c.connection).sort((a, b) => a.name.localeCompare(b.name)),
      ),
    add: (raw) =>
      ctx.settle('connections.add', () => {
        const platform = raw.platform;
        const input: ConnectionInput = {
          name: raw.name.trim(),
          platform,
          settings: cleanSettings(platform, raw.settings ?? {}),
          secret: raw.secret.trim(),
        };
        if (!(CONNECTION_PLATFORMS as readonly string[]).includes(platform))
          throw invalid([{ field: 'platform', code: 'oneof' }]);
        const errs = validateConnection(input, false, others(''));
        if (errs.length > 0) throw invalid(errs);
        const stamp = ctx.now().toISOString();
        const connection: Connection = {
          id: `c${ctx.now().getTime().toString(36)}${(seq++).toString(36)}`,
          name: input.name,
          platform,
          settings: input.settings,
          hasSecret: input.secret !== '',
          paused: false,
          createdAt: stamp,
          updatedAt: stamp,
        };
        store.set(connection.id, { connection, secret: input.secret });
        changed(connection.id);
        return connection;
      }),
    update: (id, patch) =>
      ctx.settle('connections.update', () => {
        const current = requireConn(id);
        const c = current.connection;
        const secret = patch.secret?.trim() ? patch.secret.trim() : current.secret;
        const input: ConnectionInput = {
          name: patch.name != null ? patch.name.trim() : c.name,
          platform: c.platform,
          settings: cleanSettings(c.platform, patch.settings ?? c.settings),
          secret: patch.secret?.trim() ?? '',
        };
        // Switching a Discord connection between bot and webhook needs the new kind of secret.
        const sameKind = !!input.settings.webhook === !!c.settings.webhook;
        const errs = validateConnection(input, current.secret !== '' && sameKind, others(id));
        if (errs.length > 0) throw invalid(errs);
        const connection: Connection = {
          ...c,
          name: input.name,
          settings: input.settings,
          hasSecret: secret !== '',
          paused: patch.paused ?? c.paused,
          updatedAt: ctx.now().toISOString(),
        };
        store.set(id, { connection, secret });
        changed(id);
        return connection;
      }),
    remove: (id) =>
      ctx.settle('connections.remove', () => {
        requireConn(id);
        store.delete(id);
        changed(id);
      }),
    test: (id) =>
      ctx.settle('connections.test', (): TestResult => {
        const c = requireConn(id);
        const result = { ...probe(c), checkedAt: ctx.now().toISOString() };
        changed(id, result);
        return result;
      }),
    secretBackend: () =>
      ctx.settle('connections.secretBackend', () => opts.secretBackend ?? 'keychain'),
  };

  return {
    api,
    all: () => [...store.values()],
    find: (id) => store.get(id),
    probe: (id) => {
      const c = store.get(id);
      return c ? probe(c) : { ok: false, message: 'no such connection' };
    },
    onChange: (callback) => listeners.push(callback),
  };
}

/** A connection record for seeds and tests. */
export function fakeConnection(
  over: Partial<Connection> & Pick<Connection, 'id' | 'name' | 'platform'>,
  secret = 'secret-token',
): FakeConnection {
  const stamp = new Date(Date.UTC(2025, 0, 1)).toISOString();
  return {
    connection: {
      settings: {},
      hasSecret: secret !== '',
      paused: false,
      createdAt: stamp,
      updatedAt: stamp,
      ...over,
    },
    secret,
  };
}
