import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FeedItem } from '../../api';
import { RECORDED_NOW } from '../../api/fake/recorded';
import { HELENE, renderApp } from '../../test/renderApp';

// The answers are Go's (app/recorded_connections_test.go), recorded on 16 March 2026 over the
// platform fakes. 'connected' has forum (Discourse), discord (a bot), mastodon (an instance
// that cannot be reached), newsletter (Mailchimp, its key refused) and veille (a blog's feed),
// and posts due for each and for an old-forum no connection is named; it was never synced.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => {
  vi.useRealTimers();
});

function feedItem(i: number, over: Partial<FeedItem> = {}): FeedItem {
  return {
    id: `f${String(i).padStart(3, '0')}`,
    connection: 'conn-forum',
    platform: 'discourse',
    remoteId: String(i),
    kind: 'reply',
    memberId: '',
    memberName: `Person ${i}`,
    at: new Date(Date.UTC(2026, 2, 1, 10, 0) - i * 60_000).toISOString(),
    channel: 'General',
    link: `https://forum.example.org/t/1/${i}`,
    title: '',
    text: `Reply ${i}`,
    createdAt: RECORDED_NOW.toISOString(),
    ...over,
  };
}

/** Opens the Sync screen of the recorded workspace, after `runs` Sync now. */
async function openSync(opts: Parameters<typeof renderApp>[0] = {}, runs = 0) {
  const app = await renderApp({ connections: 'connected', ...opts });
  for (let i = 0; i < runs; i++) await app.api.sync.runNow();
  await app.user.click(screen.getByTestId('nav-sync'));
  await screen.findByTestId('screen-sync');
  return app;
}

const card = (name: string) =>
  screen.getAllByTestId('sync-connection').find((c) => c.dataset.name === name)!;
const row = (name: string, id: string) => within(card(name)).getByTestId(`sync-row-${id}`);

describe('Sync screen', () => {
  it('shows each connection’s state and what was pulled from it', async () => {
    await openSync({}, 1);
    await waitFor(() => expect(screen.getAllByTestId('sync-connection')).toHaveLength(5));
    expect(card('forum')).toHaveAttribute('data-online', 'true');
    expect(card('forum')).toHaveTextContent('Online');
    // What Go pulled from the forum's fake: 10 activities by 3 people new to the workspace.
    expect(row('forum', 'total')).toHaveTextContent('10 activities · 3 new members');
    expect(row('forum', 'last-pull')).toHaveTextContent('10 new');
    expect(row('forum', 'last-new')).toHaveTextContent('Mar 16, 2026');
    expect(row('forum', 'pushed')).toHaveTextContent('1');
    expect(row('veille', 'total')).toHaveTextContent(/^Brought in so far4 activities$/);

    expect(card('mastodon')).toHaveAttribute('data-online', 'false');
    expect(within(card('mastodon')).getByTestId('sync-last-error')).toHaveTextContent(
      'could not reach offline.example',
    );
    expect(row('mastodon', 'queued')).toHaveTextContent('1');
    expect(within(card('newsletter')).getByTestId('sync-auth-failed')).toBeInTheDocument();
    expect(within(card('newsletter')).getByTestId('sync-last-error')).toHaveTextContent(
      'API Key Invalid',
    );
  });

  it('says what was pulled in French, with French numbers and dates', async () => {
    const { api, user } = await renderApp({ lang: 'fr', connections: 'connected' });
    // A second run, once the parked post was retried: the platforms had nothing new.
    await api.sync.runNow();
    const [parked] = await api.sync.deliveries({ state: 'parked', limit: 200 });
    await api.sync.retry(parked!.id);
    await api.sync.runNow();
    await screen.findByTestId('status-online');
    await user.click(screen.getByTestId('nav-sync'));
    await waitFor(() => expect(screen.getAllByTestId('sync-connection')).toHaveLength(5));
    expect(row('forum', 'total')).toHaveTextContent('10 activités · 3 nouveaux membres');
    expect(row('forum', 'last-new')).toHaveTextContent('16 mars 2026');
    expect(row('forum', 'last-pull')).toHaveTextContent('rien de nouveau, 16 mars 2026');
    expect(row('veille', 'total')).toHaveTextContent(/^Récupéré à ce jour4 activités$/);
    for (const c of screen.getAllByTestId('sync-connection'))
      expect(c.textContent).not.toMatch(/\bsync\.|nothing|never|activities/);
  });

  it('names Discord channels, and leaves out bare channel ids', async () => {
    const { api, user } = await renderApp({ connections: 'connected' });
    await api.sync.runNow();
    // What Go pulled from the Discord fake's channel, named "general" by Discord; and the same
    // message had Discord not named its channel.
    const [named] = (await api.sync.feed({ limit: 50, connection: 'conn-discord' })).items;
    expect(named?.channel).toBe('general');
    const bare = { ...named!, id: 'bare', channel: '1100000000000000003' };
    vi.spyOn(api.sync, 'feed').mockResolvedValue({ items: [named!, bare], next: '' });
    await user.click(screen.getByTestId('nav-sync'));
    await waitFor(() => expect(screen.getAllByTestId('feed-item')).toHaveLength(2));
    const [first, second] = screen.getAllByTestId('feed-item');
    expect(first).toHaveTextContent('discord · #general');
    expect(second).not.toHaveTextContent('1100000000000000003');
    expect(second).toHaveTextContent('discord');
  });

  it('retries a parked entry, with its reason translated and Go’s words as detail', async () => {
    const { api, user } = await openSync({ lang: 'fr' }, 1);
    const parked = screen.getByTestId('sync-parked');
    await waitFor(() => expect(within(parked).getAllByTestId('parked-row')).toHaveLength(1));
    const [first] = within(parked).getAllByTestId('parked-row');
    expect(first).toHaveTextContent('Call for speakers');
    expect(first).toHaveTextContent('Aucune connexion ne porte le nom de ce canal.');
    expect(within(first!).getByTestId('parked-reason')).toHaveTextContent(
      'no connection named "old-forum"',
    );

    await user.click(within(first!).getByTestId('delivery-retry'));
    await waitFor(() => expect(within(parked).queryAllByTestId('parked-row')).toHaveLength(0));
    const queue = screen.getByTestId('sync-queue');
    await waitFor(() =>
      expect(
        within(queue)
          .getAllByTestId('queue-row')
          .some((r) => r.textContent?.includes('Call for speakers')),
      ).toBe(true),
    );
    expect(api.deliveriesAll().find((d) => d.title === 'Call for speakers')).toMatchObject({
      state: 'queued',
      attempts: 0,
    });
  });

  it('parks a post the platform keeps failing, and retries it from scratch', async () => {
    const { api, user } = await renderApp({ lang: 'fr', connections: 'failing' });
    // Go tries it at each run, two hours apart, and gives up after 8 attempts.
    for (let run = 1; run <= 7; run++) {
      await api.sync.runNow();
      expect(api.deliveriesAll()).toMatchObject([
        { title: 'Call for speakers', state: 'queued', attempts: run, reasonCode: 'temporary' },
      ]);
    }
    await api.sync.runNow();
    // Parked, with the eighth attempt counted, as the reason says.
    expect(api.deliveriesAll()).toMatchObject([{ state: 'parked', attempts: 8 }]);
    await user.click(screen.getByTestId('nav-sync'));
    const parked = await screen.findByTestId('sync-parked');
    const row = await within(parked).findByTestId('parked-row');
    expect(row).toHaveTextContent('Trop d’essais ont échoué.');
    expect(within(row).getByTestId('parked-reason')).toHaveTextContent(
      'gave up after 8 attempts: connector: temporary (HTTP 502): Discourse answered 502 Bad Gateway',
    );
    await user.click(within(row).getByTestId('delivery-retry'));
    await waitFor(() => expect(within(parked).queryAllByTestId('parked-row')).toHaveLength(0));
    expect(api.deliveriesAll()).toMatchObject([{ state: 'queued', attempts: 0 }]);
  });

  it('stops a sync under way, saying nothing was lost', async () => {
    const { api, user } = await openSync({ syncRunMs: 1000 });
    const before = api.deliveriesAll();
    await user.click(screen.getByTestId('sync-now'));
    await user.click(await screen.findByTestId('sync-stop'));
    expect(
      await screen.findByText('Sync stopped', undefined, { timeout: 3000 }),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('sync-stop')).toBeNull());
    expect(api.deliveriesAll()).toEqual(before);
  });

  it('syncs now: publishes what is due and shows the connections online', async () => {
    const { api, user } = await openSync();
    await waitFor(() => expect(screen.getAllByTestId('sync-connection')).toHaveLength(5));
    expect(card('forum')).toHaveTextContent('Not checked yet');
    // Go puts the due posts in the queue as a run picks them up.
    expect(api.deliveriesAll()).toEqual([]);

    await user.click(screen.getByTestId('sync-now'));
    await waitFor(() => expect(card('forum')).toHaveAttribute('data-online', 'true'));
    expect(await screen.findByText(/forum: 1 published, 10 received/)).toBeInTheDocument();
    // What waits for Mastodon (unreachable) and Mailchimp (key refused) stays in the queue.
    const queue = screen.getByTestId('sync-queue');
    await waitFor(() => expect(within(queue).getAllByTestId('queue-row')).toHaveLength(2));
    expect(queue).toHaveTextContent('Meetup on Thursday');
    expect(queue).toHaveTextContent('Spring newsletter');
    expect(api.deliveriesAll().map((d) => [d.title, d.state])).toEqual([
      ['Spring newsletter', 'queued'],
      ['Meetup on Thursday', 'queued'],
      ['Call for speakers', 'parked'],
    ]);
    await waitFor(() => expect(screen.getAllByTestId('feed-item').length).toBeGreaterThan(0));
  });

  it('shows platform content as text, and only web links', async () => {
    const helene = HELENE();
    const { api, user } = await renderApp({ members: [helene], connections: 'connected' });
    // Content a platform could send, hostile: the screen must not run or render it.
    vi.spyOn(api.sync, 'feed').mockResolvedValue({
      items: [
        feedItem(1, {
          memberId: helene.id,
          memberName: helene.name,
          text: 'Hi <script>window.pwned = true</script><img src=x onerror="window.pwned=true">',
        }),
        feedItem(2, { link: 'javascript:alert(1)', title: '<b>Bold?</b>', kind: 'article' }),
      ],
      next: '',
    });
    await user.click(screen.getByTestId('nav-sync'));
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

  it('shows what Go pulled as text', async () => {
    await openSync({}, 1);
    // The forum fake's post says "hello & welcome <everyone>!".
    expect((await screen.findAllByText(/hello & welcome <everyone>!/)).length).toBeGreaterThan(0);
  });

  it('loads older activity with “Load more”', async () => {
    const { api, user } = await renderApp({ connections: 'connected' });
    // More activity than a page: the screen asks for the next one with Go's cursor.
    const items = Array.from({ length: 60 }, (_, i) => feedItem(i));
    vi.spyOn(api.sync, 'feed').mockImplementation(async (q) => {
      const start = q.before ? items.findIndex((f) => f.id === q.before) + 1 : 0;
      const page = items.slice(start, start + (q.limit ?? 50));
      const more = start + page.length < items.length;
      return { items: page, next: more ? page.at(-1)!.id : '' };
    });
    await user.click(screen.getByTestId('nav-sync'));
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
    const { api, user } = await renderApp({ connections: 'connected' });
    await api.sync.runNow();
    // Forum, Discord and the feed answered; Mastodon and Mailchimp did not.
    await waitFor(() =>
      expect(screen.getByTestId('status-online')).toHaveTextContent('3 of 5 online'),
    );
    expect(screen.getByTestId('status-online')).toHaveAttribute('data-reach', 'some');
    expect(screen.getByTestId('status-queue')).toHaveTextContent('2 waiting to be published');
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
      settings: { url: 'https://blog.example.net/rss.xml' },
      secret: '',
    });
    await api.sync.runNow();
    await waitFor(() =>
      expect(screen.getByTestId('status-online')).toHaveTextContent('Toutes en ligne'),
    );
  });
});
