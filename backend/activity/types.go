// Package activity keeps what people did on the platforms (posts, replies, messages, reactions,
// joins, follows, mentions) and what watched feeds published, as pulled by the sync engine.
//
// Each record is unique by (connection, remote id), so pulling the same page twice stores it
// once. Records about a member are sealed under the member's subject key: erasing the member
// makes them unreadable. People coming in from a platform are matched to members by e-mail or
// handle; unknown people become members with a handle on the platform; suppressed (erased)
// people are never re-created and their activity is dropped.
package activity

import "time"

// Kind is what happened.
type Kind string

// The kinds of activity.
const (
	Post     Kind = "post"     // a new topic, status or top-level message
	Reply    Kind = "reply"    // an answer in a thread
	Message  Kind = "message"  // a chat message (Discord)
	Reaction Kind = "reaction" // a like, favourite, reblog
	Join     Kind = "join"     // joined the community
	Follow   Kind = "follow"   // followed the account
	Mention  Kind = "mention"  // mentioned the account
	Article  Kind = "article"  // a watched feed published an item (no member)
	Event    Kind = "event"    // attended an event
	Goal     Kind = "goal"     // reached the community's goal (e.g. became a customer)
)

// Person is someone as a platform knows them. Handle is their name there (username, Discord
// user name, Mastodon acct "user@instance"); Email is set only where the platform shares it.
type Person struct {
	RemoteID string    `json:"remoteId"`
	Handle   string    `json:"handle"`
	Name     string    `json:"name,omitempty"`
	Email    string    `json:"email,omitempty"`
	JoinedAt time.Time `json:"joinedAt,omitzero"`
	// Stats are platform counters worth keeping (post_count, likes_received, days_visited...).
	Stats map[string]int `json:"stats,omitempty"`
}

// Incoming is one thing that happened, as a connector reports it.
type Incoming struct {
	// RemoteID is unique within the connection (a post id, a message id, a notification id,
	// a feed item's GUID or link).
	RemoteID string    `json:"remoteId"`
	Kind     Kind      `json:"kind"`
	At       time.Time `json:"at"`
	// Channel is where it happened, as people know it: a category, a Discord channel's name
	// ("general", as Discord gives it, without the "#"; its id for a direct message, which has
	// no name), "notifications", the feed.
	Channel string `json:"channel,omitempty"`
	// Link opens it on the platform (https only; anything else is dropped on ingest).
	Link  string `json:"link,omitempty"`
	Title string `json:"title,omitempty"`
	// Text is a plain-text excerpt (HTML stripped by the connector), kept for moderation.
	Text string `json:"text,omitempty"`
	// Author did it; nil for feed articles.
	Author *Person `json:"author,omitempty"`
	// Thread names the conversation within the connection, as the platform's id of its first
	// message (a Discourse topic id, the Discord message or Mastodon status answered). It is set
	// on the conversation's first record (its own id) and on every Reply in it, so that
	// analytics can tell which questions were answered, by whom and how fast.
	Thread string `json:"thread,omitempty"`
}

// IngestCounts is what an ingest did so far.
type IngestCounts struct {
	// People seen, of whom Created became new members; Suppressed were erased people skipped.
	People     int `json:"people"`
	Created    int `json:"created"`
	Suppressed int `json:"suppressed"`
	// Activity records stored (duplicates of earlier pulls are not counted), and Dropped ones
	// (by suppressed people, or invalid).
	Activity int `json:"activity"`
	Dropped  int `json:"dropped"`
	// Conflicts are people whose handle and e-mail belong to two different members (their
	// activity goes to the handle's owner); Invalid are people who cannot be members (a handle
	// too long, no handle nor e-mail): their activity is dropped.
	Conflicts int `json:"conflicts"`
	Invalid   int `json:"invalid"`
}
