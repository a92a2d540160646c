// Package platforms is the one list of the connectors Hearth ships (which package builds the
// connector for each platform a connection can have) and builds a workspace's sync engine with
// them (main.go wires it into the app).
package platforms

import (
	"log/slog"
	"time"

	"hearth/backend/activity"
	"hearth/backend/connections"
	"hearth/backend/consent"
	"hearth/backend/members"
	"hearth/backend/notify"
	"hearth/backend/outbox"
	"hearth/backend/store"
	"hearth/backend/syncstate"
	"hearth/sync/connector"
	"hearth/sync/discord"
	"hearth/sync/discourse"
	"hearth/sync/engine"
	"hearth/sync/mailchimp"
	"hearth/sync/mastodon"
	"hearth/sync/rss"
)

// Factory builds a connector from a connection's configuration.
type Factory = func(connector.Config) (connector.Connector, error)

// Factories returns a connector factory for every platform in connections.Platforms.
func Factories() map[connections.Platform]Factory {
	return map[connections.Platform]Factory{
		connections.Discourse: discourse.New,
		connections.Discord:   discord.New,
		connections.Mastodon:  mastodon.New,
		connections.Mailchimp: mailchimp.New,
		connections.RSS:       rss.New,
	}
}

// Deps are the backend services a workspace's sync engine works over.
type Deps struct {
	Store       *store.Store
	Outbox      *outbox.Service
	State       *syncstate.Service
	Connections *connections.Service
	Activity    *activity.Service
	Members     *members.Service
	Consent     *consent.Service
	// Dir is the workspace directory (attachments are relative to it).
	Dir      string
	Logger   *slog.Logger
	Notifier notify.Notifier
	// NoLimit turns off the connectors' own request pacing (benchmarks against local fakes).
	NoLimit bool
}

// PullEvery is how often the periodic sync reads each platform (publishing is checked every
// minute); "Sync now" reads them all at once.
const PullEvery = 15 * time.Minute

// Engine builds the sync engine of one workspace with every platform's connector: pulls go to
// the activity store, Mailchimp audiences are pushed from members' newsletter consent.
func Engine(d Deps) *engine.Engine {
	factories := make(map[connections.Platform]engine.Factory, len(connections.Platforms))
	for p, f := range Factories() {
		factories[p] = f
	}
	return engine.New(engine.Options{
		Store:       d.Store,
		Outbox:      d.Outbox,
		State:       d.State,
		Connections: d.Connections,
		Factories:   factories,
		Ingest:      func(c connections.Connection) engine.Ingester { return d.Activity.Ingest(c) },
		Audience:    engine.MemberAudience(d.Store, d.Members, d.Consent, nil),
		Logger:      d.Logger,
		Notifier:    d.Notifier,
		Dir:         d.Dir,
		PullEvery:   PullEvery,
		NoLimit:     d.NoLimit,
	})
}
