package main

import (
	"log/slog"

	"hearth/backend/notify"
	"hearth/backend/wiring"
	"hearth/sync/platforms"
)

// newSyncer returns how wiring.Open builds the sync engine. It lives here, not in backend/, so
// that backend/ and app/ do not depend on sync/.
func newSyncer(logger *slog.Logger, n notify.Notifier) func(b *wiring.Backend) wiring.Syncer {
	return func(b *wiring.Backend) wiring.Syncer { return platforms.Engine(syncDeps(b, logger, n)) }
}

// syncDeps are the backend services the sync engine works over.
func syncDeps(b *wiring.Backend, logger *slog.Logger, n notify.Notifier) platforms.Deps {
	return platforms.Deps{
		Store: b.Workspace.Store, Outbox: b.Outbox, State: b.SyncState, Connections: b.Connections,
		Activity: b.Activity, Members: b.Members, Consent: b.Consent, Dir: b.Workspace.Dir,
		Logger: logger, Notifier: n,
	}
}
