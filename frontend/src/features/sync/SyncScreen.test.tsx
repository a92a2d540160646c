import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Delivery, FeedItem } from '../../api';
import { fakeConnection } from '../../api/fake/connections';
import type { FakeStatus } from '../../api/fake/sync';
import { HELENE, renderApp } from '../../test/renderApp';

const STAMP = '2025-03-01T10:00:00.000Z';

const FORUM = fakeConnection(
  {
    id: 'c1',
    name: 'forum',
    platform: 'discourse',
    settings: { url: 'https://forum.example.org', username: 'hearth' },
  },
  'good-key',
);
const TOOT = fakeConnection(
  {
    id: 'c2',
    name: 'mastodon',
    platform: 'mastodon',
    settings: { url: 'https://offline.example' },
  },
  'token',
);

const status = (connection: string, online: boolean): FakeStatus => ({
  connection,
  online,
  checkedAt: STAMP,
  lastPullAt: STAMP,
  pulledPeople: 0,
  pulledActivity: 0,
  pushed: 1,
  totalActivity: 3142,
  totalNewMembers: 87,
  lastNewAt: '2025-01-01T10:00:00.000Z',
});

function delivery(over: Partial<Delivery> & Pick<Delivery, 'id' | 'state' | 'title'>): Delivery {
  return {
    entryId: `e-${over.id}`,
    entryKey: `k-${over.id}`,
    connection: 'c1',
    channel: 'forum',
    attempts: 0,
    dueAt: STAMP,
    createdAt: STAMP,
    updatedAt: STAMP,
    ...over,
  };
}

function feedItem(i: number, over: Partial<FeedItem> = {}): FeedItem {
  return {
    id: `f${String(i).padStart(3, '0')}`,
    connection: 'c1',
    platform: 'discourse',
    remoteId: String(i),
    kind: 'reply',
    memberId: '',
    memberName: `Person ${i}`,
    at: new Date(Date.UTC(2025, 2, 1, 10, 0) - i * 60_000).toISOString(),
    channel: 'General',
    link: `https://forum.example.org/t/1/${i}`,
    title: '',
    text: `Reply ${i}`,
    createdAt: STAMP,
    ...over,
  };
}

async function openSync(opts: Parameters<typeof renderApp>[0] = {}) {
  const app = await renderApp(opts);
  await app.user.click(screen.getByTestId('nav-sync'));
  await screen.findByTestId('screen-sync');
  return app;
}

describe('Sync screen', () => {
  it('shows each connection’s state and counts', async () => {
    await openSync({
      connections: [FORUM, TOOT],
      syncStatuses: [
        status('c1', true),
        { ...status('c2', false), lastError: 'cannot reach offline.example', authFailed: true },
      ],
    });
    await waitFor(() => expect(screen.getAllByTestId('sync-connection')).toHaveLength(2));
    const [forum, toot] = screen.getAllByTestId('sync-connection');
    expect(forum).toHaveAttribute('data-online', 'true');
    expect(forum).toHaveTextContent('Online');
    // What was pulled so far, not the last run's zeros.
    expect(within(forum!).getByTestId('sync-row-total')).toHaveTextContent(
      '3,142 activities · 87 new members',
    );
    expect(within(forum!).getByTestId('sync-row-last-new')).toHaveTextContent('Jan 1, 2025');
    expect(within(forum!).getByTestId('sync-row-last-pull')).toHaveTextContent(
      'nothing new, Mar 1',
    );
    expect(toot).toHaveAttribute('data-online', 'false');
    expect(within(toot!).getByTestId('sync-last-error')).toHaveTextContent(
      'cannot reach offline.example',
    );
    expect(within(toot!).getByTestId('sync-auth-failed')).toBeInTheDocument();
  });

  it('says what was pulled in French, with French numbers and dates', async () => {
    await openSync({
      lang: 'fr',
      connections: [FORUM, TOOT],
      syncStatuses: [
        status('c1', true),
        { ...status('c2', true), pulledActivity: 1, totalActivity: 1, totalNewMembers: 0 },
      ],
    });
    await waitFor(() => expect(screen.getAllByTestId('sync-connection')).toHaveLength(2));
    const [forum, toot] = screen.getAllByTestId('sync-connection');
    const total = within(forum!).getByTestId('sync-row-total');
    // French groups thousands with a narrow no-break space.
    expect(total.textContent).toMatch(/3\u202f142 activités · 87 nouveaux membres/);
    expect(within(forum!).getByTestId('sync-row-last-new')).toHaveTextContent('1 janv. 2025');
    expect(within(forum!).getByTestId('sync-row-last-pull')).toHaveTextContent(
      'rien de nouveau, 1 mars 2025',
    );
    expect(within(toot!).getByTestId('sync-row-total')).toHaveTextContent(
      /^Récupéré à ce jour1 activité$/,
    );
    expect(within(toot!).getByTestId('sync-row-last-pull')).toHaveTextContent('1 nouveauté');
    for (const card of [forum!, toot!])
      expect(card.textContent).not.toMatch(/\bsync\.|nothing|never|activities/);
  });

  it('names Discord channels, and leaves out bare channel ids', async () => {
    await openSync({
      connections: [FORUM],
      feed: [
        feedItem(1, { platform: 'discord', channel: 'general' }),
        feedItem(2, { platform: 'discord', channel: '112233445566778899' }),
      ],
    });
    await waitFor(() => expect(screen.getAllByTestId('feed-item')).toHaveLength(2));
    const [named, bare] = screen.getAllByTestId('feed-item');
    expect(named).toHaveTextContent('forum · #general');
    expect(bare).not.toHaveTextContent('112233445566778899');
    expect(bare).toHaveTextContent('forum');
  });

  it('retries a parked entry, with its reason translated or shown as given', async () => {
    const { api, user } = await openSync({
      lang: 'fr',
      connections: [FORUM],
      deliveries: [
        delivery({
          id: 'd1',
          state: 'parked',
          title: 'Call for speakers',
          attempts: 5,
          reasonCode: 'too_many_failures',
          reason: '502 Bad Gateway five times',
        }),
        delivery({
          id: 'd2',
          state: 'parked',
          title: 'Odd one',
          reasonCode: 'something_new',
          reason: 'the platform said <b>no</b>',
        }),
      ],
    });
    const parked = screen.getByTestId('sync-parked');
    await waitFor(() => expect(within(parked).getAllByTestId('parked-row')).toHaveLength(2));
    const [first, second] = within(parked).getAllByTestId('parked-row');
    expect(first).toHaveTextContent('Trop d’essais ont échoué.');
    expect(first).toHaveTextContent('502 Bad Gateway five times');
    expect(within(second!).getByTestId('parked-reason')).toHaveTextContent(
      'the platform said <b>no</b>',
    );

    await user.click(within(first!).getByTestId('delivery-retry'));
    await waitFor(() => expect(within(parked).getAllByTestId('parked-row')).toHaveLength(1));
    const queue = screen.getByTestId('sync-queue');
    await waitFor(() =>
      expect(within(queue).getByTestId('queue-row')).toHaveTextContent('Call for speakers'),
    );
    expect(api.deliveriesAll().find((d) => d.id === 'd1')).toMatchObject({
      state: 'queued',
      attempts: 0,
    });
  });

  it('stops a sync under way, saying nothing was lost', async () => {
    const { api, user } = await openSync({
      connections: [FORUM],
      deliveries: [delivery({ id: 'd1', state: 'queued', title: 'Welcome' })],
      syncRunMs: 300,
    });
    await user.click(screen.getByTestId('sync-now'));
    await user.click(await screen.findByTestId('sync-stop'));
    expect(await screen.findByText('Sync stopped')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('sync-stop')).toBeNull());
    expect(api.deliveriesAll()[0]?.state).toBe('queued');
  });

  it('syncs now: publishes what waits and shows the connection online', async () => {
    const { api, user } = await openSync({
      connections: [FORUM],
      deliveries: [delivery({ id: 'd1', state: 'queued', title: 'Welcome' })],
    });
    const queue = screen.getByTestId('sync-queue');
    await within(queue).findByTestId('queue-row');
    expect(screen.getByTestId('sync-connection')).toHaveTextContent('Not checked yet');

    await user.click(screen.getByTestId('sync-now'));
    await waitFor(() =>
      expect(screen.getByTestId('sync-connection')).toHaveAttribute('data-online', 'true'),
    );
    await waitFor(() => expect(within(queue).queryByTestId('queue-row')).toBeNull());
    expect(await screen.findByText('forum: 1 published, 1 received')).toBeInTheDocument();
    expect(api.deliveriesAll()[0]?.state).toBe('sent');
    await waitFor(() => expect(screen.getAllByTestId('feed-item')).toHaveLength(1));
  });

  it('shows platform content as text, and only web links', async () => {
    const helene = HELENE();
    const { user } = await openSync({
      members: [helene],
      connections: [FORUM],
      feed: [
        feedItem(1, {
          memberId: helene.id,
          memberName: helene.name,
          text: 'Hi <script>window.pwned = true</script><img src=x onerror="window.pwned=true">',
        }),
        feedItem(2, { link: 'javascript:alert(1)', title: '<b>Bold?</b>', kind: 'article' }),
      ],
    });
    await waitFor(() => expect(screen.getAllByTestId('feed-item')).toHaveLength(2));
    const [first, second] = screen.getAllByTestId('feed-item');
    expect(within(first!).getByTestId('feed-text').textContent).toBe(
      'Hi <script>window.pwned = true</script><img src=x onerror="window.pwned=true">',
    );
    const feed = screen.getByTestId('sync-feed');
    expect(feed.querySelector('script, img, b')).toBeNull();
    expect((window as unknown as { pwned?: boolean }).pwned).toBeUndefined();
    expect(within(first!).getByTestId('feed-link')).toHaveAttribute(
      'href',
      'https://forum.example.org/t/1/1',
    );
    expect(within(second!).getByTestId('feed-title')).toHaveTextContent('<b>Bold?</b>');
    expect(within(second!).queryByTestId('feed-link')).toBeNull();
    expect(second).toHaveTextContent('Article');

    // The member's name opens the member.
    await user.click(within(first!).getByTestId('feed-member'));
    expect(await screen.findByDisplayValue('helene@example.org')).toBeInTheDocument();
  });

  it('loads older activity with “Load more”', async () => {
    const feed = Array.from({ length: 60 }, (_, i) => feedItem(i));
    const { user } = await openSync({ connections: [FORUM], feed });
    await screen.findByTestId('feed-more');
    const list = screen.getByTestId('feed-list');
    // Virtualised: the list is as tall as 50 rows, but only some are in the DOM.
    expect(within(list).getAllByTestId('feed-item').length).toBeLessThan(50);
    await user.click(screen.getByTestId('feed-more'));
    await waitFor(() => expect(screen.queryByTestId('feed-more')).toBeNull());
    expect(list.firstElementChild).toHaveStyle({ height: `${60 * 88}px` });
  });
});

describe('Status bar', () => {
  it('counts online connections and the queue, and opens the Sync screen', async () => {
    const { user } = await renderApp({
      connections: [FORUM, TOOT],
      syncStatuses: [status('c1', true), status('c2', false)],
      deliveries: [
        delivery({ id: 'd1', state: 'queued', title: 'A' }),
        delivery({ id: 'd2', state: 'sending', title: 'B' }),
        delivery({ id: 'd3', state: 'queued', title: 'C' }),
        delivery({ id: 'd4', state: 'parked', title: 'D', reasonCode: 'auth' }),
        delivery({ id: 'd5', state: 'sent', title: 'E' }),
      ],
    });
    expect(await screen.findByTestId('status-online')).toHaveTextContent('1 of 2 online');
    expect(screen.getByTestId('status-online')).toHaveAttribute('data-reach', 'some');
    expect(screen.getByTestId('status-queue')).toHaveTextContent('3 waiting to be published');
    expect(screen.getByTestId('status-parked')).toHaveTextContent('1 parked');
    await user.click(screen.getByTestId('status-sync'));
    expect(await screen.findByTestId('screen-sync')).toBeInTheDocument();
  });

  it('says when there is no connection, and follows changes', async () => {
    const { api } = await renderApp({ lang: 'fr' });
    expect(await screen.findByTestId('status-online')).toHaveTextContent('Aucune connexion');
    expect(screen.getByTestId('status-queue')).toHaveTextContent('Rien en attente');
    await api.connections.add({
      name: 'veille',
      platform: 'rss',
      settings: { url: 'https://example.org/feed.xml' },
      secret: '',
    });
    await api.sync.runNow();
    await waitFor(() =>
      expect(screen.getByTestId('status-online')).toHaveTextContent('Toutes en ligne'),
    );
  });
});
