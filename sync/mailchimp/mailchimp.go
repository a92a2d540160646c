// Package mailchimp connects Hearth to one Mailchimp audience through the Marketing API v3.
//
// Settings: ListID (the audience, required) and APIURL (optional; by default
// https://<dc>.api.mailchimp.com/3.0, the data centre being the part of the API key after its
// last "-"). The secret is the API key, sent as the password of HTTP Basic auth.
//
// Publish: a calendar item whose channel is a Mailchimp connection is sent as a regular
// campaign to the whole audience. The Post's Title is the subject line (cut to Mailchimp's 150
// characters); its Markdown Body is rendered to HTML with goldmark (GitHub flavour, raw HTML
// dropped) and also sent as the plain-text part, both followed by an unsubscribe link. The
// sender name and reply-to address are the audience's campaign defaults (connections have no
// setting for them); attachments are not sent (a campaign has none). Mailchimp has no
// idempotency key, so a campaign is titled "Hearth <Post.Key>" and its id is checkpointed as
// soon as it is created; a later attempt reconciles first: with a checkpointed id it reads the
// campaign (sent, sending or scheduled: done; a draft: carry on; deleted in Mailchimp: start
// again), without one it looks for a draft of that title left by a crashed attempt. The send
// is made only after re-reading that the campaign is still a draft, and a refused send is
// re-read too: a campaign already sent counts as done.
//
// Pull brings the audience's members in as people (Email, Name from FNAME/LNAME, stats as
// percentages), newest change first with offset paging, and only members changed since the
// previous pull; the cursor is JSON {"since","offset","newest"}, times as Mailchimp writes them.
// since_last_changed is taken as strictly after (the documentation says "after"; if it were
// inclusive, the members changed in that very second would come again, which is harmless).
// A member's subscription status is not carried: activity.Person has no field for it.
//
// SyncAudience pushes Hearth's consent state (see its comment). Mailchimp allows 10
// simultaneous connections per key: every request of a Client goes through a semaphore of
// 10. A 429 (no Retry-After documented) pauses the connection for 10 s unless it says how long.
// Errors are read from Mailchimp's problem+json documents; the key never appears in them.
package mailchimp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"hearth/sync/connector"
)

// MaxConcurrent is Mailchimp's limit of simultaneous connections per API key.
const MaxConcurrent = 10

// DefaultRetryAfter is how long to back off after a 429 that does not say.
const DefaultRetryAfter = 10 * time.Second

// Client is a connection to one Mailchimp audience. Safe for concurrent use.
type Client struct {
	api    *connector.Client
	list   string
	secret string
	now    func() time.Time
	sem    chan struct{}
}

var (
	_ connector.Connector      = (*Client)(nil)
	_ connector.AudienceSyncer = (*Client)(nil)
)

var dataCentre = regexp.MustCompile(`^[a-z]{2,}[0-9]+$`)

// New returns a Client for cfg; a missing setting or key is an Invalid *connector.Error naming
// it.
func New(cfg connector.Config) (connector.Connector, error) {
	return NewClient(cfg)
}

// NewClient is New returning the concrete type (which also implements AudienceSyncer).
func NewClient(cfg connector.Config) (*Client, error) {
	s := cfg.Connection.Settings
	list := strings.TrimSpace(s.ListID)
	if list == "" {
		return nil, connector.Errorf(connector.Invalid, "mailchimp: the listId setting (the audience id) is required")
	}
	if cfg.Secret == "" {
		return nil, connector.Errorf(connector.Invalid, "mailchimp: the API key is required")
	}
	base := strings.TrimSpace(s.APIURL)
	if base == "" {
		i := strings.LastIndexByte(cfg.Secret, '-')
		if i < 0 || !dataCentre.MatchString(cfg.Secret[i+1:]) {
			return nil, connector.Errorf(connector.Invalid,
				"mailchimp: the API key does not end with a data centre (like -us21): set the apiUrl setting")
		}
		base = "https://" + cfg.Secret[i+1:] + ".api.mailchimp.com/3.0"
	} else if u, err := url.Parse(base); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, connector.Errorf(connector.Invalid, "mailchimp: the apiUrl setting is not an http(s) address")
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	c := &Client{list: list, secret: cfg.Secret, now: now, sem: make(chan struct{}, MaxConcurrent)}
	hc := cfg.HTTP
	if hc == nil {
		hc = connector.DefaultHTTP()
	}
	key := cfg.Secret
	c.api = &connector.Client{
		Base: strings.TrimRight(base, "/"),
		HTTP: hc,
		Auth: func(r *http.Request) { r.SetBasicAuth("hearth", key) },
		// Mailchimp publishes no request rate, only the connection limit (the semaphore) and
		// no rate-limit headers on success: the gate only holds 429 pauses.
		Gate:     connector.NewGate(0, 0, nil, now),
		Classify: c.classify,
	}
	return c, nil
}

// do makes one request within the connection limit; errors never carry the key.
func (c *Client) do(ctx context.Context, r connector.Request, out any) (*connector.Response, error) {
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	resp, err := c.api.Do(ctx, r, out)
	<-c.sem
	var ce *connector.Error
	if errors.As(err, &ce) {
		ce.Message = c.redact(ce.Message)
	}
	return resp, err
}

func (c *Client) redact(s string) string {
	if c.secret == "" {
		return s
	}
	return strings.ReplaceAll(s, c.secret, "[API key]")
}

// Check reads the audience: it proves the key, the data centre and the list id.
func (c *Client) Check(ctx context.Context) error {
	var l struct {
		ID string `json:"id"`
	}
	_, err := c.do(ctx, connector.Request{Path: "/lists/" + url.PathEscape(c.list),
		Query: url.Values{"fields": {"id,name"}}}, &l)
	if err != nil {
		return err
	}
	if l.ID == "" {
		return &connector.Error{Kind: connector.Temporary, Status: http.StatusOK, Message: "malformed response: no audience id"}
	}
	return nil
}

// problem is Mailchimp's error document.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// classify reads a problem+json error: 400 → Invalid (naming the fields at fault), 401/403 →
// Auth, 404 → Gone, 429 → RateLimited (Retry-After if any, else 10 s), 5xx → Temporary.
func (c *Client) classify(status int, h http.Header, body []byte) *connector.Error {
	// Redact before cutting: a key straddling the snippet's end must not leave a prefix.
	if c.secret != "" {
		body = bytes.ReplaceAll(body, []byte(c.secret), []byte("[API key]"))
	}
	var p problem
	msg := connector.Snippet(body)
	if err := json.Unmarshal(body, &p); err == nil && (p.Title != "" || p.Detail != "") {
		msg = strings.TrimSpace(p.Title + ": " + p.Detail)
		if len(p.Errors) > 0 {
			var parts []string
			for i, fe := range p.Errors {
				if i == 5 {
					parts = append(parts, "…")
					break
				}
				parts = append(parts, fe.Field+": "+fe.Message)
			}
			msg += " (" + strings.Join(parts, "; ") + ")"
		}
	}
	e := connector.ClassifyStatus(status, h, c.redact(msg))
	e.Code = c.redact(p.Title)
	if e.Kind == connector.RateLimited {
		e.RetryAfter = connector.RetryAfter(h, c.now())
		if e.RetryAfter <= 0 {
			e.RetryAfter = DefaultRetryAfter
		}
	}
	return e
}

// malformed is the error for a 2xx body missing what it must hold.
func malformed(what string) *connector.Error {
	return &connector.Error{Kind: connector.Temporary, Status: http.StatusOK, Message: "malformed response: " + what}
}
