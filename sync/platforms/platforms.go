// Package platforms is the one list of the connectors Hearth ships: which package builds the
// connector for each platform a connection can have. main wiring passes it to the sync engine.
package platforms

import (
	"hearth/backend/connections"
	"hearth/sync/connector"
	"hearth/sync/discord"
	"hearth/sync/discourse"
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
