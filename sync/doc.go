// Package sync is the home of Hearth's platform synchronisation; the code lives in its
// sub-packages:
//
//   - connector: the one interface every platform client implements, its error kinds and the
//     shared HTTP/JSON plumbing (auth, rate-limit gates, error classification);
//   - discourse, discord, mastodon, mailchimp, rss: thin net/http clients, each with an httptest
//     fake (<platform>test) that behaves like the real API;
//   - smtp: the newsletter sender;
//   - engine: drains backend/outbox when a platform is reachable and pulls people and activity
//     in, exactly once, whatever the network does.
//
// sync imports backend, never app; main.go wires the engine into the app.
package sync
