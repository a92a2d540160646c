// Package connector is the contract between the sync engine and the platform clients.
//
// Every platform (sync/discourse, sync/discord, sync/mastodon, sync/mailchimp, sync/rss)
// implements Connector with a thin net/http client that takes its base URL and an injected
// *http.Client. The engine owns retries, backoff, parking and persistence; a connector makes one
// attempt per call and reports what happened as an *Error of a Kind the engine understands.
//
// Exactly-once publishing is a shared duty: the engine gives every Post a stable Key and the
// remote id recorded by an earlier attempt, and persists any remote id the connector reports
// through Checkpoint before the connector goes on. The connector uses the platform's idempotency
// mechanism with Key (Mastodon's Idempotency-Key, Discord's nonce, Discourse's external_id) and,
// before creating anything again, reconciles: if an earlier attempt already took effect it
// returns that result instead of creating a second copy.
package connector

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"hearth/backend/activity"
	"hearth/backend/connections"
)

// Post is one outbox entry to publish on one connection.
type Post struct {
	// Key is stable across every attempt for this entry and connection (at most 80 characters of
	// [A-Za-z0-9._:@-]). Connectors derive what their platform accepts from it (Discord's nonce
	// is at most 25 characters: use ShortKey).
	Key  string
	Kind string // post, announcement, newsletter, event_promo
	// Title and Body (Markdown) of the content; Attachments are absolute file paths.
	Title       string
	Body        string
	Attachments []string
	// RemoteID is what an earlier attempt checkpointed (a Mailchimp campaign created but not
	// yet sent); empty on a first attempt.
	RemoteID string
	// TriedAt is when the first attempt at this post began, zero on a first attempt: any attempt
	// since may have reached the platform without its answer being recorded (a crash
	// mid-request, a lost answer). A connector whose platform forgets its idempotency key sooner
	// than that looks for what those attempts created before creating it again.
	TriedAt time.Time
	// ScheduledAt, when set and far enough ahead, asks a platform that can hold a post to
	// publish it then (Mastodon's scheduled statuses); zero or near means now.
	ScheduledAt time.Time
}

// Published is what a successful Publish produced.
type Published struct {
	RemoteID string `json:"remoteId"`
	// URL opens the published content, when the platform gives one.
	URL string `json:"url,omitempty"`
}

// Checkpoint durably records a remote id as soon as it is known, before the connector makes
// its next request; its error must stop Publish.
type Checkpoint func(remoteID string) error

// Sink receives what Pull brings in. Each call is durable when it returns.
type Sink interface {
	// People are members of the platform (matched to Hearth members by e-mail or handle).
	People(ctx context.Context, people []activity.Person) error
	// Activities are things that happened, each with its author (nil for feed items).
	Activities(ctx context.Context, items []activity.Incoming) error
	// Cursor records how far the pull got; a Pull interrupted after it resumes from there.
	Cursor(ctx context.Context, cursor string) error
}

// Connector is one configured connection to one platform.
type Connector interface {
	// Check makes one cheap authenticated request: nil means reachable and authorised.
	Check(ctx context.Context) error
	// Publish makes p take effect exactly once on the platform (see the package comment).
	// A connector that cannot publish (RSS) returns an *Error of kind Invalid.
	Publish(ctx context.Context, p Post, save Checkpoint) (Published, error)
	// Pull brings in what happened since cursor ("" the first time), reporting to sink in
	// batches and recording its progress with sink.Cursor as it goes. It returns the final
	// cursor.
	Pull(ctx context.Context, cursor string, sink Sink) (string, error)
}

// Config is what a connector is built from.
type Config struct {
	Connection connections.Connection
	// Secret is the connection's API key, bot token or webhook URL.
	Secret string
	// HTTP is the client to use (its Timeout bounds each request); nil means a client with a
	// 30-second timeout.
	HTTP *http.Client
	// NoLimit turns off the connector's own request pacing (benchmarks against a local fake);
	// rate-limit signals from the platform are still honoured.
	NoLimit bool
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Kind classifies a failed request for the engine.
type Kind string

// The kinds of failure.
const (
	// Unreachable: the platform could not be reached (DNS, refused, reset, timeout). The
	// connection is offline; the entry is retried when it is back, without counting an attempt.
	Unreachable Kind = "unreachable"
	// Temporary: the platform answered but failed (5xx, a malformed body): retry with backoff.
	Temporary Kind = "temporary"
	// RateLimited: wait RetryAfter, then retry, without counting an attempt.
	RateLimited Kind = "rate_limited"
	// Auth: the credentials were refused (401/403): the connection needs the person's attention.
	Auth Kind = "auth"
	// Invalid: the platform refused this content for good (422, 400, too long): park the entry.
	Invalid Kind = "invalid"
	// Gone: the target no longer exists (unknown channel, deleted webhook): park the entry.
	Gone Kind = "gone"
)

// Error is a failed request. Message is safe to show and store: it never carries a secret.
type Error struct {
	Kind Kind
	// Status is the HTTP status (0 when there was no response); Code the platform's own error
	// code when it gives one ("50035", "admin_api_key_rate_limit").
	Status  int
	Code    string
	Message string
	// RetryAfter is how long the platform asked to wait (RateLimited), zero when it did not say.
	RetryAfter time.Duration
	Err        error
}

func (e *Error) Error() string {
	s := "connector: " + string(e.Kind)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the Kind of err: that of an *Error in its chain, Unreachable for a network
// error or deadline, Temporary otherwise.
func KindOf(err error) Kind {
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Kind
	}
	if IsNetwork(err) {
		return Unreachable
	}
	return Temporary
}

// Errorf returns an *Error of kind k with a formatted message.
func Errorf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Message: fmt.Sprintf(format, args...)}
}

// ErrCannotPublish is returned (wrapped in an Invalid *Error) by connectors that only read.
var ErrCannotPublish = errors.New("connector: this connection only reads")
