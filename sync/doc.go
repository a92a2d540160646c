// Package sync will hold Hearth's platform connectors (Discourse, Discord, Mastodon, Mailchimp,
// SMTP e-mail, RSS) and the engine that drains the backend's outbox and pulls activity in when
// the laptop is online. It imports backend/, never app/. Nothing is synced yet: this package
// only fixes the place and the contract for that work.
package sync
