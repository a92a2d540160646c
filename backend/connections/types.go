// Package connections keeps the workspace's platform connections: which Discourse forum,
// Discord channel, Mastodon account, Mailchimp audience or RSS feeds Hearth talks to, under a
// name that calendar items use as their channel ("forum", "discord-annonces").
//
// A connection's settings live in the workspace; its secret (API key, bot token, webhook URL)
// never does: it is kept by a SecretStore (the OS keychain, or an encrypted file in the user's
// config directory, see backend/credentials), under a reference made of the workspace id and
// the connection id, so that exporting or copying the workspace carries no credential.
package connections

import "time"

// Platform is the kind of service a connection talks to.
type Platform string

// The platforms.
const (
	Discourse Platform = "discourse"
	Discord   Platform = "discord"
	Mastodon  Platform = "mastodon"
	Mailchimp Platform = "mailchimp"
	RSS       Platform = "rss"
)

// Platforms lists every platform a connection can have.
var Platforms = []Platform{Discourse, Discord, Mastodon, Mailchimp, RSS}

// Settings are a connection's non-secret settings; which ones apply depends on the platform:
//
//	discourse: URL, Username, Category (optional category id to post in)
//	discord:   Channel (+ Guild to pull members, APIURL to point elsewhere than discord.com)
//	           with a bot token secret; or Webhook mode (the secret is the webhook URL)
//	mastodon:  URL (the instance)
//	mailchimp: ListID (+ APIURL; by default derived from the key's data centre)
//	rss:       URL (the feed), Keywords (items matching none are ignored; empty keeps all)
type Settings struct {
	URL      string   `json:"url,omitempty"`
	Username string   `json:"username,omitempty"`
	Category string   `json:"category,omitempty"`
	Channel  string   `json:"channel,omitempty"`
	Guild    string   `json:"guild,omitempty"`
	APIURL   string   `json:"apiUrl,omitempty"`
	Webhook  bool     `json:"webhook,omitempty"`
	ListID   string   `json:"listId,omitempty"`
	Keywords []string `json:"keywords,omitempty"`
}

// Connection is the stored record of one connection (never its secret).
type Connection struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Platform Platform `json:"platform"`
	Settings Settings `json:"settings"`
	// HasSecret says a secret is stored for it (the window shows "•••• saved").
	HasSecret bool      `json:"hasSecret"`
	Paused    bool      `json:"paused"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// AddInput is what a caller sends to add a connection. Secret is the API key, bot token or
// webhook URL; it goes to the SecretStore, never to the workspace.
type AddInput struct {
	Name     string   `json:"name"`
	Platform Platform `json:"platform"`
	Settings Settings `json:"settings"`
	Secret   string   `json:"secret"`
}

// Patch changes some of a connection; a nil field is left as it is. An empty Secret pointer
// keeps the stored secret; a non-empty one replaces it.
type Patch struct {
	Name     *string   `json:"name,omitempty"`
	Settings *Settings `json:"settings,omitempty"`
	Secret   *string   `json:"secret,omitempty"`
	Paused   *bool     `json:"paused,omitempty"`
}

// SecretStore keeps connection secrets outside the workspace. Get of a reference never set
// returns an errs.NotFound error.
type SecretStore interface {
	Get(ref string) (string, error)
	Set(ref, secret string) error
	Delete(ref string) error
}
