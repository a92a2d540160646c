package main

import (
	"log/slog"

	"hearth/app"
	"hearth/backend/notify"
	"hearth/sync/platforms"
)

// newSyncer returns how OpenBackend builds the sync engine. It lives here, not in app/, so that
// app/ depends on backend/ only.
func newSyncer(logger *slog.Logger, n notify.Notifier) func(b *app.Backend) app.Syncer {
	return func(b *app.Backend) app.Syncer { return platforms.Engine(syncDeps(b, logger, n)) }
}

// syncDeps are the backend services the sync engine works over.
func syncDeps(b *app.Backend, logger *slog.Logger, n notify.Notifier) platforms.Deps {
	return platforms.Deps{
		Store: b.Workspace.Store, Outbox: b.Outbox, State: b.SyncState, Connections: b.Connections,
		Activity: b.Activity, Members: b.Members, Consent: b.Consent, Dir: b.Workspace.Dir,
		Logger: logger, Notifier: n,
	}
}
