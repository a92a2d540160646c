// Package discourse is the connector to a Discourse forum (self-hosted: the base URL is the
// connection's URL setting), a thin client of its JSON API over connector.Client.
//
// Auth: every request carries Api-Key (the connection's secret, an admin key) and Api-Username
// (the Username setting). Pacing: under the admin API's 60 requests a minute
// (max_admin_api_reqs_per_minute) with a burst of 10 then 50 a minute, off with Config.NoLimit.
// Discourse sends no rate-limit headers on success, so the only signal is a 429's Retry-After
// (or extras.wait_seconds), honoured by pausing the gate.
//
// Publish creates a topic with POST /posts.json {title, raw, category, external_id}: the body
// is sent as Markdown in raw, which Discourse renders itself; an empty title falls back to the
// body's first line. external_id is "hearth-" plus 40 characters derived from the Post's Key
// (47 characters of [a-z0-9-], under Discourse's 50). Exactly once: a RemoteID from an earlier
// attempt is returned as is; otherwise GET /t/external_id/{id}.json (which redirects to the
// topic) is asked first and an existing topic is returned instead of creating one; a create
// refused with 422 is reconciled the same way (an earlier attempt may have won). The topic id is
// the remote id, checkpointed as soon as it is known; the URL is {base}/t/{slug}/{id}.
//
// Pull reads people with GET /admin/users/list/active.json?order=created&asc=true&page=N
// &show_emails=true&stats=true (bare arrays of 100, 1-based pages, oldest first so that new
// members land on the last page) and posts with GET /posts.json?before=N (50 per page, newest
// first). People become activity.Person (Handle = username, Email, JoinedAt = created_at,
// Stats = post_count, days_visited, posts_read_count, topics_entered, time_read, trust_level);
// every person seen for the first time also gives a Join activity ("join:<user id>") at their
// created_at, so the first pull records the forum's whole membership history. Posts become Post
// (post_number 1) or Reply activities ("post:<id>") with Channel = the category's name (from
// GET /site.json, its id when unknown), Link = {base}/t/{slug}/{topic id}/{post number} and
// Text = the cooked HTML stripped to 500 characters, and Thread = the topic id: a topic is the
// conversation, its first post the question, every later post an answer in it (whether or not it
// quotes or replies to a particular post: reply_to_post_number is not read), so a reply pulled
// without its topic's first post (an old topic, outside the walk) still names its conversation.
// See pull.go for the cursor.
package discourse

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"hearth/sync/connector"
)

// Pacing: Discourse's admin API allows 60 requests in any minute per key by default; a burst
// of 10 then 50 a minute never goes over that in any 60-second window.
const (
	requestsPerSecond = 50.0 / 60
	requestBurst      = 10
)

// Client is a connection to one Discourse forum.
type Client struct {
	http     connector.Client
	base     string
	username string
	category int
	secret   string
	now      func() time.Time
}

var _ connector.Connector = (*Client)(nil)

// New returns a connector for cfg: Settings.URL (the forum) and Settings.Username are required,
// Settings.Category is an optional category id; Secret is the API key.
func New(cfg connector.Config) (connector.Connector, error) {
	st := cfg.Connection.Settings
	base, err := forumURL(st.URL)
	if err != nil {
		return nil, err
	}
	if strings.TrimSpace(st.Username) == "" {
		return nil, &connector.Error{Kind: connector.Invalid, Code: "username",
			Message: "setting username is required (the Api-Username the key acts as)"}
	}
	if cfg.Secret == "" {
		return nil, &connector.Error{Kind: connector.Invalid, Code: "secret", Message: "the API key is missing"}
	}
	c := &Client{base: base, username: strings.TrimSpace(st.Username), secret: cfg.Secret, now: cfg.Now}
	if c.now == nil {
		c.now = time.Now
	}
	if cat := strings.TrimSpace(st.Category); cat != "" {
		id, err := strconv.Atoi(cat)
		if err != nil || id <= 0 {
			return nil, &connector.Error{Kind: connector.Invalid, Code: "category",
				Message: "setting category must be a category id (a positive number)"}
		}
		c.category = id
	}
	rps := requestsPerSecond
	if cfg.NoLimit {
		rps = 0
	}
	c.http = connector.Client{
		Base:     base,
		HTTP:     cfg.HTTP,
		Auth:     c.auth,
		Gate:     connector.NewGate(rps, requestBurst, signals, c.now),
		Classify: c.classify,
	}
	return c, nil
}

// forumURL validates the forum's address: https, or http only to this machine (a local fake).
func forumURL(raw string) (string, error) {
	raw = strings.TrimRight(strings.TrimSpace(raw), "/")
	if raw == "" {
		return "", &connector.Error{Kind: connector.Invalid, Code: "url", Message: "setting url is required (the forum's address)"}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.RawQuery != "" || u.User != nil {
		return "", &connector.Error{Kind: connector.Invalid, Code: "url", Message: "setting url is not a valid forum address (https://forum.example.org)"}
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", &connector.Error{Kind: connector.Invalid, Code: "url", Message: "setting url must use https: the API key would travel in clear"}
	}
	return raw, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func (c *Client) auth(r *http.Request) {
	r.Header.Set("Api-Key", c.secret)
	r.Header.Set("Api-Username", c.username)
}

// PausedUntil is when the connection may send again after a rate-limit signal.
func (c *Client) PausedUntil() time.Time { return c.http.Gate.PausedUntil() }

// Check lists the staff: one small request that needs the admin key Pull needs too.
func (c *Client) Check(ctx context.Context) error {
	var staff []json.RawMessage
	_, err := c.http.Do(ctx, connector.Request{Path: "/admin/users/list/staff.json"}, &staff)
	var ce *connector.Error
	if errors.As(err, &ce) && ce.Kind == connector.Gone {
		// Admin routes answer 404 to keys without admin rights.
		return &connector.Error{Kind: connector.Auth, Status: ce.Status, Code: ce.Code,
			Message: "the admin API answered 404: the key needs admin rights, or the URL is not a Discourse forum"}
	}
	return err
}

// apiError is Discourse's error body.
type apiError struct {
	Errors    []string `json:"errors"`
	ErrorType string   `json:"error_type"`
	Extras    struct {
		WaitSeconds float64 `json:"wait_seconds"`
		TimeLeft    string  `json:"time_left"`
	} `json:"extras"`
}

// classify turns an error response into a *connector.Error with Discourse's own message and
// error type, never the response's HTML and never the key.
func (c *Client) classify(status int, h http.Header, body []byte) *connector.Error {
	return classify(status, h, body, c.now(), c.secret)
}

func classify(status int, h http.Header, body []byte, now time.Time, secret string) *connector.Error {
	var ae apiError
	_ = json.Unmarshal(body, &ae)
	msg := strings.Join(ae.Errors, "; ")
	if strings.TrimSpace(msg) == "" {
		msg = "Discourse answered " + strconv.Itoa(status)
		if t := http.StatusText(status); t != "" {
			msg += " " + t
		}
	}
	e := connector.ClassifyStatus(status, h, connector.Snippet([]byte(redact(msg, secret))))
	e.Code = connector.Snippet([]byte(redact(ae.ErrorType, secret)))
	if status == http.StatusTooManyRequests {
		e.RetryAfter = connector.RetryAfter(h, now)
		if e.RetryAfter == 0 && ae.Extras.WaitSeconds > 0 && ae.Extras.WaitSeconds < 86400 {
			e.RetryAfter = time.Duration(ae.Extras.WaitSeconds * float64(time.Second))
		}
		if code := h.Get("Discourse-Rate-Limit-Error-Code"); code != "" {
			e.Code = connector.Snippet([]byte(redact(code, secret)))
		}
	}
	return e
}

// redact removes the key from a text that came from the network (a server may echo it).
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}

// signals reads Discourse's only rate-limit signal: a 429's Retry-After.
func signals(status int, h http.Header, now time.Time) time.Time {
	if status != http.StatusTooManyRequests {
		return time.Time{}
	}
	if d := connector.RetryAfter(h, now); d > 0 {
		return now.Add(d)
	}
	return time.Time{}
}
