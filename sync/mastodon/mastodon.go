// Package mastodon is the connector for a Mastodon account: it posts statuses and pulls the
// account's followers and notifications, through the instance's REST API (/api/v1) with the
// user's access token (Authorization: Bearer).
//
// Settings: URL, the instance ("https://mastodon.social"), required; the secret is the user's
// access token (scopes write:statuses, read:accounts, read:notifications).
//
// Publish posts Title, a blank line, then the Markdown body as plain text: Mastodon takes plain
// text and links URLs, hashtags and mentions itself, so links become "text (url)", and heading
// marks, bold and italic asterisks, double underscores and backticks are dropped; everything else
// is kept as written. Visibility is public. Exactly once: every attempt sends the entry's Key as
// Idempotency-Key (the instance returns the original status for a repeat within an hour), the
// status id is checkpointed as soon as it is known, and an entry with a checkpointed id is
// looked up (GET /api/v1/statuses/:id) before anything is created again. The key is only kept
// an hour: an entry without a checkpointed id whose first attempt (Post.TriedAt) is older than
// KeyWindow may have posted with its answer lost (a crash between the POST and the checkpoint),
// so before posting again the pending scheduled statuses and the account's own statuses since
// the first attempt (GET /api/v1/accounts/:id/statuses, then each one's /source) are searched for the
// same text; one found is taken as the post. A Post whose
// ScheduledAt is at least MinSchedule ahead becomes a scheduled status (remote id
// "scheduled:<id>"), published by the instance even when Hearth is closed.
//
// Pull brings in followers (people, handles made fully qualified "user@instance") and the
// notifications worth keeping: mention, favourite, reblog, follow and status. Followers are
// paged only through the Link headers the instance sends (their ids are follow ids, not account
// ids); a later pull walks from the newest follower down to the newest one seen before.
// Notifications come newest first the first time (at most FirstPullPages pages), then with
// min_id after the newest one seen. The cursor is JSON and is reported after every page.
//
// Conversations: the pull sees other people's statuses only through notifications, a mention
// (someone wrote to or about the account, replies to its statuses included) or a status (from
// someone the account gets notified about). Such a status with in_reply_to_id is a Reply with
// Thread = in_reply_to_id, the status it answers, whether or not the pull saw that one (the
// account's own statuses, which people answer most, never come in); one without is kept as a
// Mention or Post with Thread = its own status id, since it may start a conversation (a question
// to the account). Chains are not followed: a reply to a reply names the reply it answers.
// Favourites and reblogs are about the account's own statuses and carry no Thread. The account's
// own answers are not pulled either, so a question it answered itself looks unanswered here.
//
// Requests are paced at the documented 300 per 5 minutes, and the X-RateLimit-* headers
// (reset as an ISO-8601 time) pause the connection when the quota is spent; a 429 from
// Rack::Attack carries no Retry-After, so its wait is worked out from X-RateLimit-Reset.
package mastodon

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hearth/sync/connector"
)

// Pacing: the documented limit is 300 requests per 5 minutes (300 s) per account, one a second.
const (
	perSecond = 1.0
	burst     = 10
)

// MinSchedule is how far ahead a Post's ScheduledAt must be for it to become a scheduled status:
// the instance refuses less than 5 minutes, and a margin covers the two clocks disagreeing.
const MinSchedule = 5*time.Minute + 30*time.Second

// FirstPullPages bounds how many pages of past notifications the first pull walks back.
const FirstPullPages = 10

// pageLimit is the largest page the instance serves for followers and notifications.
const pageLimit = 80

// Client is a connection to one Mastodon account.
type Client struct {
	http   *connector.Client
	base   *url.URL
	secret string
	now    func() time.Time
}

var _ connector.Connector = (*Client)(nil)

// New returns a client for cfg: Settings.URL is the instance, Secret the access token.
func New(cfg connector.Config) (connector.Connector, error) {
	raw := strings.TrimSpace(cfg.Connection.Settings.URL)
	if raw == "" {
		return nil, connector.Errorf(connector.Invalid, "mastodon: the instance address (settings.url) is missing")
	}
	base, err := url.Parse(raw)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, connector.Errorf(connector.Invalid, "mastodon: the instance address (settings.url) must be an http(s) address such as https://mastodon.social")
	}
	base.Path, base.RawQuery, base.Fragment = strings.TrimRight(base.Path, "/"), "", ""
	secret := strings.TrimSpace(cfg.Secret)
	if secret == "" {
		return nil, connector.Errorf(connector.Invalid, "mastodon: the access token (secret) is missing")
	}
	c := &Client{base: base, secret: secret, now: cfg.Now}
	if c.now == nil {
		c.now = time.Now
	}
	hc := cfg.HTTP
	if hc == nil {
		hc = connector.DefaultHTTP()
	}
	var gate *connector.Gate
	if cfg.NoLimit {
		gate = connector.NewGate(0, 0, signals, c.now)
	} else {
		gate = connector.NewGate(perSecond, burst, signals, c.now)
	}
	c.http = &connector.Client{
		Base:     base.String(),
		HTTP:     hc,
		Auth:     func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+secret) },
		Gate:     gate,
		Classify: c.classify,
	}
	return c, nil
}

// Check asks the instance who the token belongs to.
func (c *Client) Check(ctx context.Context) error {
	_, err := c.me(ctx)
	return err
}

// account is the part of a Mastodon Account the connector reads.
type account struct {
	ID             string    `json:"id"`
	Username       string    `json:"username"`
	Acct           string    `json:"acct"`
	DisplayName    string    `json:"display_name"`
	URL            string    `json:"url"`
	CreatedAt      time.Time `json:"created_at"`
	FollowersCount int       `json:"followers_count"`
	FollowingCount int       `json:"following_count"`
	StatusesCount  int       `json:"statuses_count"`
}

func (c *Client) me(ctx context.Context) (account, error) {
	var a account
	if _, err := c.http.Do(ctx, connector.Request{Path: "/api/v1/accounts/verify_credentials"}, &a); err != nil {
		return a, err
	}
	if a.ID == "" {
		return a, &connector.Error{Kind: connector.Temporary, Status: http.StatusOK,
			Message: "malformed response: verify_credentials returned no account id"}
	}
	return a, nil
}

// signals reads Mastodon's rate-limit headers: when the quota is spent, the time it comes back.
func signals(_ int, h http.Header, _ time.Time) time.Time {
	remaining := strings.TrimSpace(h.Get("X-RateLimit-Remaining"))
	if remaining == "" {
		return time.Time{}
	}
	if n, err := strconv.Atoi(remaining); err != nil || n > 0 {
		return time.Time{}
	}
	return parseReset(h.Get("X-RateLimit-Reset"))
}

// parseReset reads X-RateLimit-Reset, an ISO-8601 time with microseconds
// ("2025-03-01T12:05:00.123456Z"); zero when absent or unreadable.
func parseReset(v string) time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}
	}
	return t
}

// apiError is Mastodon's error body.
type apiError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// classify turns an error response into an *Error, with the instance's own message.
func (c *Client) classify(status int, h http.Header, body []byte) *connector.Error {
	var ae apiError
	msg := ""
	if json.Unmarshal(body, &ae) == nil && ae.Error != "" {
		msg = ae.Error
		if ae.Description != "" && ae.Description != ae.Error {
			msg += ": " + ae.Description
		}
	} else {
		msg = connector.Snippet(body)
	}
	if msg == "" {
		msg = http.StatusText(status)
	}
	msg = c.redact(msg)
	now := c.now()
	e := connector.ClassifyStatus(status, h, msg)
	if e.Kind == connector.RateLimited {
		e.RetryAfter = connector.RetryAfter(h, now)
		if reset := parseReset(h.Get("X-RateLimit-Reset")); e.RetryAfter == 0 && reset.After(now) {
			e.RetryAfter = reset.Sub(now)
		}
	}
	e.Message = "mastodon: " + e.Message
	return e
}

// redact keeps the token out of a message, whatever the server echoed.
func (c *Client) redact(s string) string {
	if c.secret == "" {
		return s
	}
	return strings.ReplaceAll(s, c.secret, "[token]")
}

// malformed is the error for a 2xx body that does not say what it should.
func malformed(what string) error {
	return &connector.Error{Kind: connector.Temporary, Status: http.StatusOK, Message: "mastodon: malformed response: " + what}
}
