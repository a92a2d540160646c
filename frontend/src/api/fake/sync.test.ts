import { describe, expect, it, vi } from 'vitest';
import { createDemoApi, createFakeApi } from '.';
import type { ApiError } from '../errors';
import type { ConnectionInput } from '../types';
import { secretMark } from './connections';
import { CONNECTIONS_RECORDING } from './recorded';

const rejection = async (p: Promise<unknown>) =>
  (await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: ApiError) => e,
  )) as ApiError;
const fieldsOf = async (p: Promise<unknown>) =>
  (await rejection(p)).fields?.map((f) => `${f.field}:${f.code}`);

// The answers are Go's (app/recorded_connections_test.go): these tests say what Go does.
describe('fake connections and sync', () => {
  it('answers each platform’s missing settings and secrets as Go does', async () => {
    const api = createFakeApi();
    const add = (platform: string, settings = {}, secret = '', name = 'x') =>
      fieldsOf(
        api.connections.add({ name, platform, settings, secret } as unknown as ConnectionInput),
      );
    expect(await add('discord')).toEqual(['secret:required', 'settings.channel:required']);
    // Go wants a Discord webhook address, not any URL.
    expect(await add('discord', { webhook: true }, 'not a url')).toEqual(['secret:webhook_url']);
    expect(await add('mailchimp', { apiUrl: 'ftp://x' })).toEqual([
      'settings.apiUrl:url',
      'settings.listId:required',
      'secret:required',
    ]);
    // A Mailchimp key names its data centre, or the API URL is needed.
    expect(await add('mailchimp', { listId: 'a1b2c3d4e5' }, 'no-data-centre')).toEqual([
      'secret:mailchimp_key',
    ]);
    expect(await add('mastodon', { url: 'https://m.example' })).toEqual(['secret:required']);
    expect(await add('rss')).toEqual(['settings.url:required']);
    // Names: at most 64 characters, no control characters; SMTP is not a connection.
    const feed = { url: 'https://blog.example.net/rss.xml' };
    expect(await add('rss', feed, '', 'n'.repeat(65))).toEqual(['name:max']);
    expect(await add('rss', feed, '', 'a\u0007b')).toEqual(['name:label']);
    expect(await add('smtp')).toEqual(['platform:platform']);
  });

  it('refuses a second connection with the same name, whatever its case', async () => {
    const api = createFakeApi();
    const forum = await api.connections.add({
      name: 'forum',
      platform: 'discourse',
      settings: { url: 'https://forum.example.org', username: 'hearth' },
      secret: 's3cret-key',
    });
    expect(forum.hasSecret).toBe(true);
    expect(await api.connections.test(forum.id)).toMatchObject({ ok: true });
    const taken = await rejection(
      api.connections.add({
        name: 'Forum',
        platform: 'rss',
        settings: { url: 'https://blog.example.net/rss.xml' },
        secret: '',
      }),
    );
    expect(taken).toMatchObject({ kind: 'conflict', code: 'connection_name_taken' });
    expect(taken.fields?.map((f) => `${f.field}:${f.code}`)).toEqual(['name:name_taken']);
  });

  it('edits a connection as Go does: rejections, a fixed address, a new kind of secret', async () => {
    const api = createFakeApi({ connections: 'connected' });
    const id = async (name: string) =>
      (await api.connections.list()).find((c) => c.name === name)!.id;
    const mastodon = await id('mastodon');
    const discord = await id('discord');
    expect(
      await fieldsOf(api.connections.update(mastodon, { name: 'mastodon', settings: {} })),
    ).toEqual(['settings.url:required']);
    // Names are unique whatever their case, on edit too.
    const taken = await rejection(
      api.connections.update(discord, {
        name: 'Forum',
        settings: { channel: '1100000000000000003' },
      }),
    );
    expect(taken).toMatchObject({ code: 'connection_name_taken' });
    // A bot becoming a webhook: the bot token kept is no webhook address.
    expect(
      await fieldsOf(
        api.connections.update(discord, { name: 'discord', settings: { webhook: true } }),
      ),
    ).toEqual(['secret:webhook_url']);
    // The instance that could not be reached, fixed: Go reaches Mastodon's fake.
    await api.connections.update(mastodon, {
      name: 'mastodon',
      settings: { url: 'https://mastodon.example' },
    });
    expect(await api.connections.test(mastodon)).toMatchObject({ ok: true });
  });

  it('retries only a parked delivery, back in the queue with no attempt counted', async () => {
    const api = createFakeApi({ connections: 'connected' });
    await api.sync.runNow();
    const queued = await api.sync.deliveries({ state: 'queued', limit: 200 });
    const [parked] = await api.sync.deliveries({ state: 'parked', limit: 200 });
    // What no connection is named for is parked; what waits for an unreachable or refusing
    // platform stays queued.
    expect(parked).toMatchObject({ channel: 'old-forum', reasonCode: 'no_connection' });
    expect(queued.map((d) => d.channel).sort()).toEqual(['mastodon', 'newsletter']);
    await expect(api.sync.retry(queued[0]!.id)).rejects.toMatchObject({ code: 'sync_not_parked' });
    expect(await api.sync.retry(parked!.id)).toMatchObject({ state: 'queued', attempts: 0 });
    expect((await api.sync.overview()).queued).toBe(3);
    // The next run parks it again: there is still no connection of that name.
    await api.sync.runNow();
    expect(await api.sync.deliveries({ state: 'parked', limit: 200 })).toMatchObject([
      { channel: 'old-forum', reasonCode: 'no_connection' },
    ]);
  });

  it('emits the events Go emitted with each step', async () => {
    const api = createFakeApi({ connections: 'connected' });
    const heard: string[] = [];
    api.events.onConnectionsChanged(() => heard.push('connections'));
    api.events.onSyncChanged(() => heard.push('sync'));
    api.events.onActivityChanged(() => heard.push('activity'));
    const forum = (await api.connections.list()).find((c) => c.name === 'forum');
    await api.connections.test(forum!.id);
    await vi.waitFor(() => expect(heard).toEqual(['sync']));

    const run = createFakeApi({ connections: 'connected' });
    heard.length = 0;
    run.events.onActivityChanged(() => heard.push('activity'));
    await run.sync.runNow();
    // Go's: one activity:changed per connection that brought something in (Discord, the forum,
    // the feed).
    await vi.waitFor(() => expect(heard.filter((e) => e === 'activity')).toHaveLength(3));
  });

  it('holds no secret the window sent in its recordings', () => {
    const text = JSON.stringify(CONNECTIONS_RECORDING);
    for (const secret of ['s3cret-key', 'mastodon-token', 'test-bot-token', 'wrong-key'])
      expect(text).not.toContain(secret);
    expect(text).toContain(secretMark('s3cret-key'));
  });

  it('shows demo mode Go’s cards after a sync, and refuses what nobody recorded', async () => {
    const api = createDemoApi(5);
    const ov = await api.sync.overview();
    expect(ov.connections.map((c) => [c.name, c.online])).toEqual([
      ['discord', true],
      ['forum', true],
      ['mastodon', false],
      ['newsletter', false],
      ['veille', true],
    ]);
    // What a visitor tries first is recorded: testing a connection, syncing again.
    const forum = ov.connections.find((c) => c.name === 'forum')!;
    expect(await api.connections.test(forum.connection)).toMatchObject({ ok: true });
    expect((await createDemoApi(0).sync.runNow()).connections).toHaveLength(5);
    await expect(
      api.connections.add({
        name: 'mine',
        platform: 'rss',
        settings: { url: 'https://example.org/feed.xml' },
        secret: '',
      }),
    ).rejects.toMatchObject({ code: 'demo_unrecorded' });
  });
});
