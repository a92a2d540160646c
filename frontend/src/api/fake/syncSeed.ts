import type { FakeConnectionsOptions } from './connections';

/**
 * Demo mode's connections and sync cards: the recorded workspace with a connection on each
 * platform, after one Sync now (app/recorded_connections_test.go): the forum, Discord and the
 * blog's feed online with what Go pulled from the platform fakes, Mastodon unreachable with its
 * post kept for later, the newsletter's key refused, a post for a forum no connection names
 * parked. Nothing here is made up: the cards, the queue and the feed are Go's answers.
 */
export const DEMO_SYNC: FakeConnectionsOptions = { start: 'connected', synced: true };
