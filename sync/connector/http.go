package connector

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// UserAgent is sent with every request (Discord requires one of this shape).
const UserAgent = "DiscordBot (https://github.com/hearth-community/hearth, 1.0) Hearth/1.0"

// MaxBody is the largest response body a connector reads.
const MaxBody = 32 << 20

// Client is the shared HTTP/JSON plumbing of the platform clients: one attempt per call, pacing
// and rate-limit pauses through Gate, failures classified into *Error.
type Client struct {
	// Base is the API root ("https://forum.example.org", "https://discord.com/api/v10").
	Base string
	HTTP *http.Client
	// Auth adds the platform's credentials to each request.
	Auth func(r *http.Request)
	// Gate paces requests and honours rate-limit signals; nil means no pacing.
	Gate *Gate
	// Classify turns an error response into an *Error; nil (or a nil result) means the default
	// classification by status code, with the body's text as message.
	Classify func(status int, h http.Header, body []byte) *Error
}

// Request is one call.
type Request struct {
	Method string
	// Path is relative to Base ("/posts.json"), or an absolute URL on the same host (a
	// pagination link given by the platform).
	Path   string
	Query  url.Values
	Header http.Header
	// JSON is sent as an application/json body when not nil; Form as a form body.
	JSON any
	Form url.Values
}

// Response is a successful call's status, headers and body.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do makes the request once. A 2xx response is decoded into out (when out is not nil and the
// body is not empty); anything else is an *Error.
func (c *Client) Do(ctx context.Context, r Request, out any) (*Response, error) {
	if c.Gate != nil {
		if err := c.Gate.Wait(ctx); err != nil {
			return nil, err
		}
	}
	req, err := c.build(ctx, r)
	if err != nil {
		return nil, err
	}
	hc := c.HTTP
	if hc == nil {
		hc = DefaultHTTP()
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, networkError(ctx, req.URL.Host, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody))
	if err != nil {
		return nil, networkError(ctx, req.URL.Host, err)
	}
	if c.Gate != nil {
		c.Gate.Observe(resp.StatusCode, resp.Header)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		var ce *Error
		if c.Classify != nil {
			ce = c.Classify(resp.StatusCode, resp.Header, body)
		}
		if ce == nil {
			ce = ClassifyStatus(resp.StatusCode, resp.Header, Snippet(body))
		}
		if ce.Kind == RateLimited && c.Gate != nil {
			c.Gate.Pause(ce.RetryAfter)
		}
		return nil, ce
	}
	if out != nil && len(bytes.TrimSpace(body)) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return nil, &Error{Kind: Temporary, Status: resp.StatusCode, Message: "malformed response: " + err.Error(), Err: err}
		}
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

func (c *Client) build(ctx context.Context, r Request) (*http.Request, error) {
	u := r.Path
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		u = strings.TrimRight(c.Base, "/") + "/" + strings.TrimLeft(u, "/")
	}
	if len(r.Query) > 0 {
		sep := "?"
		if strings.Contains(u, "?") {
			sep = "&"
		}
		u += sep + r.Query.Encode()
	}
	var body io.Reader
	ctype := ""
	switch {
	case r.JSON != nil:
		b, err := json.Marshal(r.JSON)
		if err != nil {
			return nil, &Error{Kind: Invalid, Message: "cannot encode request: " + err.Error(), Err: err}
		}
		body, ctype = bytes.NewReader(b), "application/json"
	case r.Form != nil:
		body, ctype = strings.NewReader(r.Form.Encode()), "application/x-www-form-urlencoded"
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		// The URL may hold a secret (a webhook): say only that it is invalid.
		return nil, &Error{Kind: Invalid, Message: "invalid address"}
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", UserAgent)
	if c.Auth != nil {
		c.Auth(req)
	}
	return req, nil
}

// DefaultHTTP returns a client with a 30-second timeout.
func DefaultHTTP() *http.Client { return &http.Client{Timeout: 30 * time.Second} }

// networkError wraps a transport failure without its URL (which may hold a webhook token).
func networkError(ctx context.Context, host string, err error) error {
	if ctx.Err() != nil && !errors.Is(err, context.DeadlineExceeded) {
		return ctx.Err()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &Error{Kind: Unreachable, Message: "could not reach " + host + ": " + err.Error(), Err: err}
}

// IsNetwork reports whether err is a transport failure (no usable response).
func IsNetwork(err error) bool {
	var ne net.Error
	var ce *Error
	if errors.As(err, &ce) {
		return ce.Kind == Unreachable
	}
	return errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, context.DeadlineExceeded)
}

// ClassifyStatus is the default classification of an error status.
func ClassifyStatus(status int, h http.Header, msg string) *Error {
	e := &Error{Status: status, Message: msg}
	switch {
	case status == http.StatusTooManyRequests:
		e.Kind, e.RetryAfter = RateLimited, RetryAfter(h, time.Now())
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		e.Kind = Auth
	case status == http.StatusNotFound || status == http.StatusGone:
		e.Kind = Gone
	case status == http.StatusRequestTimeout || status >= 500:
		e.Kind = Temporary
	default:
		e.Kind = Invalid
	}
	return e
}

// RetryAfter reads a Retry-After header (seconds, possibly fractional, or an HTTP date);
// zero when absent or unreadable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 {
		return time.Duration(f * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// Snippet returns the start of a response body as one line of text, for error messages.
func Snippet(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// ShortKey derives a key of n characters (at most 52) from key, for platforms with a short
// idempotency field (Discord's nonce: 25).
func ShortKey(key string, n int) string {
	sum := sha256.Sum256([]byte(key))
	s := strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:]))
	return s[:min(n, len(s))]
}

// Gate paces a connection's requests: a token bucket for the platform's published limit, plus
// pauses set from its rate-limit signals (Retry-After, X-RateLimit-Remaining: 0 until the
// reset). Safe for concurrent use.
type Gate struct {
	limiter *rate.Limiter
	// Signals reads a response's rate-limit headers: when the quota is spent it returns the
	// time it comes back (zero otherwise).
	signals func(status int, h http.Header, now time.Time) time.Time
	now     func() time.Time

	mu    sync.Mutex
	until time.Time
}

// NewGate returns a gate allowing perSecond requests on average with the given burst (no pacing
// when perSecond is not positive), reading rate-limit headers with signals (may be nil).
func NewGate(perSecond float64, burst int, signals func(status int, h http.Header, now time.Time) time.Time, now func() time.Time) *Gate {
	g := &Gate{signals: signals, now: now}
	if g.now == nil {
		g.now = time.Now
	}
	if perSecond > 0 {
		g.limiter = rate.NewLimiter(rate.Limit(perSecond), max(burst, 1))
	}
	return g
}

// Wait blocks until a request may go, or ctx ends.
func (g *Gate) Wait(ctx context.Context) error {
	g.mu.Lock()
	until := g.until
	g.mu.Unlock()
	if d := until.Sub(g.now()); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	if g.limiter != nil {
		return g.limiter.Wait(ctx)
	}
	return nil
}

// Pause stops requests for d (from a 429's wait signal).
func (g *Gate) Pause(d time.Duration) {
	if d <= 0 {
		return
	}
	g.pauseUntil(g.now().Add(d))
}

// PausedUntil returns when requests may go again (zero or past when they may now).
func (g *Gate) PausedUntil() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.until
}

// Observe reads a response's rate-limit signals.
func (g *Gate) Observe(status int, h http.Header) {
	if g.signals == nil {
		return
	}
	if t := g.signals(status, h, g.now()); !t.IsZero() {
		g.pauseUntil(t)
	}
}

func (g *Gate) pauseUntil(t time.Time) {
	// Never trust a signal to pause for more than an hour: a broken clock or header must not
	// stop a connection for days.
	if limit := g.now().Add(time.Hour); t.After(limit) {
		t = limit
	}
	g.mu.Lock()
	if t.After(g.until) {
		g.until = t
	}
	g.mu.Unlock()
}

// Describe is a short description of a connector failure for people, with the platform's name.
func Describe(platform string, err error) string {
	var ce *Error
	if errors.As(err, &ce) {
		return fmt.Sprintf("%s: %s", platform, ce.Error())
	}
	return fmt.Sprintf("%s: %v", platform, err)
}
