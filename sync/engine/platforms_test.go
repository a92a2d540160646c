package engine_test

import (
	"hearth/backend/connections"
	"hearth/sync/discord"
	"hearth/sync/discord/discordtest"
	"hearth/sync/discourse"
	"hearth/sync/discourse/discoursetest"
	"hearth/sync/mailchimp"
	"hearth/sync/mailchimp/mailchimptest"
	"hearth/sync/mastodon"
	"hearth/sync/mastodon/mastodontest"
)

// The real platform clients against their fakes, for the kill test.
func init() {
	killFactories[connections.Discourse] = discourse.New
	killFactories[connections.Discord] = discord.New
	killFactories[connections.Mastodon] = mastodon.New
	killFactories[connections.Mailchimp] = mailchimp.New
}

// platformFakes are the fakes of the real platforms.
func platformFakes() []platformFake {
	return []platformFake{
		{name: "Forum", platform: connections.Discourse, fake: discoursetest.New(discoursetest.Options{}), secret: "test-api-key",
			settings: func(u string) connections.Settings { return connections.Settings{URL: u, Username: "system"} }},
		{name: "discord-annonces", platform: connections.Discord, fake: discordtest.New(discordtest.Options{}), secret: discordtest.DefaultToken,
			settings: func(u string) connections.Settings {
				return connections.Settings{APIURL: u, Channel: discordtest.DefaultChannelID, Guild: discordtest.DefaultGuildID}
			}},
		{name: "Mastodon", platform: connections.Mastodon, fake: mastodontest.New(mastodontest.Options{}), secret: "mastodon-test-token",
			settings: func(u string) connections.Settings { return connections.Settings{URL: u} }},
		{name: "newsletter", platform: connections.Mailchimp, fake: mailchimptest.New(mailchimptest.Options{}), secret: mailchimptest.DefaultKey,
			settings: func(u string) connections.Settings {
				return connections.Settings{APIURL: u + "/3.0", ListID: mailchimptest.DefaultList}
			}},
	}
}
