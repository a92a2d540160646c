import type { Delivery, FeedItem, Member } from '../types';
import { fakeConnection, type FakeConnection } from './connections';
import type { FakeStatus } from './sync';

/** Demo connections, deliveries (one of each state worth seeing), statuses and a feed. */
export function demoSync(now: Date, members: Member[]) {
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000).toISOString();
  const connections: FakeConnection[] = [
    fakeConnection(
      {
        id: 'c-forum',
        name: 'forum',
        platform: 'discourse',
        settings: { url: 'https://forum.example.org', username: 'hearth', category: '4' },
      },
      'discourse-api-key',
    ),
    fakeConnection(
      {
        id: 'c-discord',
        name: 'discord-annonces',
        platform: 'discord',
        settings: { channel: '112233445566778899', guild: '998877665544332211' },
      },
      'expired-bot-token',
    ),
    fakeConnection(
      {
        id: 'c-mastodon',
        name: 'mastodon',
        platform: 'mastodon',
        settings: { url: 'https://mastodon.example' },
      },
      'mastodon-token',
    ),
    fakeConnection(
      {
        id: 'c-watch',
        name: 'veille',
        platform: 'rss',
        settings: { url: 'https://blog.example.net/feed.xml', keywords: ['community', 'forum'] },
      },
      '',
    ),
  ];
  const statuses: FakeStatus[] = [
    {
      connection: 'c-forum',
      online: true,
      checkedAt: at(-12),
      lastPullAt: at(-12),
      pulledPeople: 14,
      pulledActivity: 52,
      pushed: 1,
      totalActivity: 3142,
      totalNewMembers: 87,
      lastNewAt: at(-12),
    },
    {
      connection: 'c-discord',
      online: false,
      checkedAt: at(-12),
      lastError: 'discord refused the credentials (HTTP 401)',
      lastErrorKind: 'auth',
      authFailed: true,
      pulledPeople: 0,
      pulledActivity: 0,
      pushed: 0,
      totalActivity: 0,
      totalNewMembers: 0,
    },
    {
      connection: 'c-mastodon',
      online: true,
      checkedAt: at(-12),
      lastPullAt: at(-12),
      pausedUntil: at(3),
      pulledPeople: 3,
      pulledActivity: 9,
      pushed: 0,
      totalActivity: 412,
      totalNewMembers: 12,
      lastNewAt: at(-12),
    },
    {
      connection: 'c-watch',
      online: true,
      checkedAt: at(-12),
      lastPullAt: at(-12),
      pulledPeople: 0,
      pulledActivity: 0,
      pushed: 0,
      totalActivity: 38,
      totalNewMembers: 0,
      lastNewAt: at(-3 * 24 * 60),
    },
  ];
  const delivery = (
    over: Partial<Delivery> & Pick<Delivery, 'id' | 'connection' | 'channel' | 'title' | 'state'>,
  ): Delivery => ({
    entryId: `e-${over.id}`,
    entryKey: `k-${over.id}`,
    attempts: 0,
    dueAt: at(-30),
    createdAt: at(-60),
    updatedAt: at(-12),
    ...over,
  });
  const deliveries: Delivery[] = [
    delivery({
      id: 'd1',
      connection: 'c-mastodon',
      channel: 'mastodon',
      title: 'Meetup on Thursday',
      state: 'queued',
      nextAt: at(3),
      attempts: 1,
      reason: 'mastodon asked to wait (HTTP 429)',
      reasonCode: 'rate_limited',
    }),
    delivery({
      id: 'd2',
      connection: 'c-forum',
      channel: 'forum',
      title: 'Welcome, new members!',
      state: 'queued',
      dueAt: at(45),
    }),
    delivery({
      id: 'd3',
      connection: 'c-discord',
      channel: 'discord-annonces',
      title: 'Server rules updated',
      state: 'parked',
      attempts: 1,
      reason: 'discord refused the credentials (HTTP 401)',
      reasonCode: 'auth',
    }),
    delivery({
      id: 'd4',
      connection: 'c-forum',
      channel: 'forum',
      title: 'Call for speakers',
      state: 'parked',
      attempts: 5,
      reason: 'forum.example.org answered 502 Bad Gateway five times',
      reasonCode: 'too_many_failures',
    }),
    delivery({
      id: 'd5',
      connection: 'c-forum',
      channel: 'forum',
      title: 'Summer picnic',
      state: 'sent',
      attempts: 1,
      remoteId: '812',
      url: 'https://forum.example.org/t/812',
      dueAt: at(-1440),
    }),
  ];
  const who = (i: number) => members[i % Math.max(1, members.length)];
  const item = (
    i: number,
    over: Partial<FeedItem> & Pick<FeedItem, 'connection' | 'platform' | 'kind'>,
  ): FeedItem => ({
    id: `f${String(i).padStart(3, '0')}`,
    remoteId: String(1000 + i),
    memberId: who(i)?.id ?? '',
    memberName: who(i)?.name ?? 'someone',
    at: at(-20 - i * 37),
    channel: '',
    link: '',
    title: '',
    text: '',
    createdAt: at(-12),
    ...over,
  });
  const feed: FeedItem[] = [
    item(1, {
      connection: 'c-forum',
      platform: 'discourse',
      kind: 'post',
      channel: 'General',
      title: 'Ideas for the next meetup',
      text: 'What about a workshop on moderation?',
      link: 'https://forum.example.org/t/ideas/820',
    }),
    item(2, {
      connection: 'c-forum',
      platform: 'discourse',
      kind: 'reply',
      channel: 'General',
      text: 'Count me in! <script>alert("hi")</script> <b>not bold</b>',
      link: 'https://forum.example.org/t/ideas/820/2',
    }),
    item(3, {
      connection: 'c-mastodon',
      platform: 'mastodon',
      kind: 'mention',
      channel: '@community',
      text: '@community thanks for the great evening',
      link: 'https://mastodon.example/@ana/1100',
    }),
    item(4, {
      connection: 'c-mastodon',
      platform: 'mastodon',
      kind: 'follow',
      text: '',
      link: 'javascript:alert(1)',
    }),
    item(5, {
      connection: 'c-watch',
      platform: 'rss',
      kind: 'article',
      memberId: '',
      memberName: '',
      channel: 'blog.example.net',
      title: 'How forums keep communities alive',
      text: 'A long read about community forums.',
      link: 'https://blog.example.net/forums',
    }),
    item(6, { connection: 'c-forum', platform: 'discourse', kind: 'join', channel: '', text: '' }),
  ];
  for (let i = 7; i < 60; i++)
    feed.push(
      item(i, {
        connection: 'c-forum',
        platform: 'discourse',
        kind: i % 3 === 0 ? 'reaction' : 'reply',
        channel: 'General',
        text: `Reply number ${i}`,
        link: `https://forum.example.org/t/ideas/820/${i}`,
      }),
    );
  return { connections, statuses, deliveries, feed };
}
