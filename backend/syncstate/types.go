// Package syncstate is what the sync engine remembers between runs, and what the window and the
// CLI read about it: one Delivery per (outbox entry, connection) with its attempts, remote id and
// parking reason; one Status per connection (online/offline, last check, last pull, pull
// cursor, counts); one Pulled per connection and replica (what its pulls stored, all runs
// together). The engine (sync/engine) writes it; app/ only reads it and asks for retries.
package syncstate

import "time"

// DeliveryState is where one entry stands on one connection.
type DeliveryState string

// The delivery states.
const (
	// Queued: not yet attempted, or waiting for its next attempt (NextAt).
	Queued DeliveryState = "queued"
	// Sending: an attempt started; on restart the engine reconciles before retrying.
	Sending DeliveryState = "sending"
	// Sent: it took effect; RemoteID says where.
	Sent DeliveryState = "sent"
	// Parked: given up after repeated failures or a permanent refusal; Reason says why, and a
	// person may retry it.
	Parked DeliveryState = "parked"
)

// Reason codes of parked (and failed) deliveries, for the window to translate.
const (
	// ReasonNoConnection: the channel names no connection (or its connection was removed).
	ReasonNoConnection = "no_connection"
	// ReasonAuth: the platform refused the credentials.
	ReasonAuth = "auth"
	// ReasonInvalid: the platform refused this content for good.
	ReasonInvalid = "invalid"
	// ReasonGone: the target (channel, webhook, list) no longer exists.
	ReasonGone = "gone"
	// ReasonTooManyFailures: MaxAttempts attempts failed.
	ReasonTooManyFailures = "too_many_failures"
	// ReasonTemporary: the last attempt failed and will be retried.
	ReasonTemporary = "temporary"
	// ReasonUnreachable: the platform could not be reached; retried when it is back.
	ReasonUnreachable = "unreachable"
	// ReasonRateLimited: the platform asked to wait.
	ReasonRateLimited = "rate_limited"
)

// Delivery is one outbox entry on one connection.
type Delivery struct {
	ID string `json:"id"`
	// EntryID and EntryKey name the outbox entry; Connection its connection id; Channel the
	// channel name the calendar item used.
	EntryID    string        `json:"entryId"`
	EntryKey   string        `json:"entryKey"`
	Connection string        `json:"connection"`
	Channel    string        `json:"channel"`
	Title      string        `json:"title"`
	State      DeliveryState `json:"state"`
	Attempts   int           `json:"attempts"`
	NextAt     time.Time     `json:"nextAt,omitzero"`
	// Reason is the last failure, readable (no secrets); ReasonCode classifies it for the
	// window to translate (see the Reason* constants).
	Reason     string `json:"reason,omitempty"`
	ReasonCode string `json:"reasonCode,omitempty"`
	RemoteID   string `json:"remoteId,omitempty"`
	URL        string `json:"url,omitempty"`
	// TriedAt is when the first attempt began (the delivery first marked sending); zero before
	// it. Later attempts tell their connector, whose platform may have forgotten the idempotency
	// key by then: any attempt since may have created the post.
	TriedAt time.Time `json:"triedAt,omitzero"`
	// DueAt is the occurrence time the entry was queued for.
	DueAt     time.Time `json:"dueAt"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Status is what the engine knows of one connection.
type Status struct {
	Connection string `json:"connection"`
	// Online is the result of the last check or request; CheckedAt when it was learnt.
	Online    bool      `json:"online"`
	CheckedAt time.Time `json:"checkedAt,omitzero"`
	// LastError is the last failure of a check, push or pull (readable, no secrets).
	LastError string `json:"lastError,omitempty"`
	// LastErrorKind classifies it for the window, which says it in the person's language:
	// unreachable, temporary, rate_limited, auth, invalid, gone.
	LastErrorKind string `json:"lastErrorKind,omitempty"`
	// AuthFailed: the platform refused the credentials; nothing is tried until they change or
	// a person tests the connection again.
	AuthFailed bool `json:"authFailed,omitempty"`
	// PausedUntil is set while the platform asked us to wait (rate limit).
	PausedUntil time.Time `json:"pausedUntil,omitzero"`
	// Cursor is the connector's pull cursor (opaque).
	Cursor     string    `json:"cursor,omitempty"`
	LastPullAt time.Time `json:"lastPullAt,omitzero"`
	// Pulled counts what the last pull brought (people seen, activity stored); Pushed how many
	// deliveries the last run completed.
	PulledPeople   int `json:"pulledPeople"`
	PulledActivity int `json:"pulledActivity"`
	Pushed         int `json:"pushed"`
	// Queued and Parked count its deliveries in those states (filled when read).
	Queued int `json:"queued"`
	Parked int `json:"parked"`
	// TotalActivity and TotalNewMembers are what every pull of this connection stored, and
	// LastNewAt when a pull last brought anything new (filled when read from the replicas'
	// Pulled records; see Pulled for how they merge).
	TotalActivity   int       `json:"totalActivity"`
	TotalNewMembers int       `json:"totalNewMembers"`
	LastNewAt       time.Time `json:"lastNewAt,omitzero"`
}

// RunReport is what one sync run did (`hearth sync run --once --json`).
type RunReport struct {
	StartedAt   time.Time          `json:"startedAt"`
	FinishedAt  time.Time          `json:"finishedAt"`
	Connections []ConnectionReport `json:"connections"`
}

// ConnectionReport is one connection's part of a run.
type ConnectionReport struct {
	Connection string `json:"connection"`
	Name       string `json:"name"`
	Platform   string `json:"platform"`
	Online     bool   `json:"online"`
	// Pushed deliveries took effect; Failed attempts failed (retried later or parked); Parked
	// deliveries were given up in this run; Pulled counts activity records stored and
	// PulledPeople the people seen.
	Pushed       int `json:"pushed"`
	Failed       int `json:"failed"`
	Parked       int `json:"parked"`
	Pulled       int `json:"pulled"`
	PulledPeople int `json:"pulledPeople"`
	// Audience is the audience push (Mailchimp), when there was one.
	AudienceUpserted int    `json:"audienceUpserted,omitempty"`
	Error            string `json:"error,omitempty"`
}
