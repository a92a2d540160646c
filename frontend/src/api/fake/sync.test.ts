import { describe, expect, it } from 'vitest';
import { createFakeApi } from '.';
import type { ApiError } from '../errors';

const fieldsOf = async (p: Promise<unknown>) =>
  (
    (await p.then(
      () => {
        throw new Error('expected a rejection');
      },
      (e: ApiError) => e,
    )) as ApiError
  ).fields?.map((f) => `${f.field}:${f.code}`);

describe('fake connections and sync', () => {
  it('asks each platform for what the Go side requires', async () => {
    const api = createFakeApi();
    const add = (
      platform: 'discord' | 'mailchimp' | 'rss' | 'mastodon',
      settings = {},
      secret = '',
    ) => fieldsOf(api.connections.add({ name: 'x', platform, settings, secret }));
    expect(await add('discord')).toEqual(['settings.channel:required', 'secret:required']);
    expect(await add('discord', { webhook: true }, 'not a url')).toEqual(['secret:url']);
    expect(await add('mailchimp', { apiUrl: 'ftp://x' })).toEqual([
      'settings.listId:required',
      'settings.apiUrl:url',
      'secret:required',
    ]);
    expect(await add('mastodon', { url: 'https://m.example' })).toEqual(['secret:required']);
    expect(await add('rss')).toEqual(['settings.url:required']);
  });

  it('refuses a second connection with the same name, whatever its case', async () => {
    const api = createFakeApi();
    const rss = {
      platform: 'rss' as const,
      settings: { url: 'https://a.example/feed' },
      secret: '',
    };
    await api.connections.add({ name: 'Watch', ...rss });
    expect(await fieldsOf(api.connections.add({ name: 'watch', ...rss }))).toEqual(['name:unique']);
  });

  it('retries only a parked delivery, back in the queue with no attempt counted', async () => {
    const stamp = '2025-01-01T00:00:00Z';
    const base = { entryId: 'e', entryKey: 'k', connection: 'c', channel: 'forum', title: 't' };
    const times = { dueAt: stamp, createdAt: stamp, updatedAt: stamp };
    const api = createFakeApi({
      deliveries: [
        {
          ...base,
          ...times,
          id: 'p',
          state: 'parked',
          attempts: 5,
          reasonCode: 'too_many_failures',
        },
        { ...base, ...times, id: 'q', state: 'queued', attempts: 1 },
      ],
    });
    await expect(api.sync.retry('q')).rejects.toMatchObject({ code: 'delivery_not_parked' });
    expect(await api.sync.retry('p')).toMatchObject({ state: 'queued', attempts: 0 });
    expect((await api.sync.overview()).queued).toBe(2);
  });

  it('parks what no connection names when syncing', async () => {
    const stamp = '2025-01-01T00:00:00Z';
    const api = createFakeApi({
      deliveries: [
        {
          id: 'd',
          entryId: 'e',
          entryKey: 'k',
          connection: 'gone',
          channel: 'old-forum',
          title: 't',
          state: 'queued',
          attempts: 0,
          dueAt: stamp,
          createdAt: stamp,
          updatedAt: stamp,
        },
      ],
    });
    await api.sync.runNow();
    expect(api.deliveriesAll()[0]).toMatchObject({ state: 'parked', reasonCode: 'no_connection' });
  });
});
