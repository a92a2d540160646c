// Package mastodontest is an httptest-ready fake of a Mastodon instance with one account, for
// testing the mastodon connector and the sync engine against the real API's behaviour:
//
//   - Authorization: Bearer <Options.Token> on every /api/v1 request, else 401
//     {"error":"The access token is invalid"};
//   - POST /api/v1/statuses (JSON, form or query parameters) with Idempotency-Key kept per
//     account for IdempotencyTTL (1 h): a repeat returns the original status (or scheduled
//     status) as a normal 200, its body not compared; validation failures are 422
//     {"error":"Validation failed: …"} (blank text, over MaxChars with URLs counted as 23);
//     scheduled_at in the past posts now, less than 5 minutes ahead is refused, beyond that a
//     ScheduledStatus is returned within the 300 total / 50 per day limits;
//   - GET /api/v1/accounts/:id/statuses (limit 20/40, newest first, max_id/since_id/min_id,
//     exclude_replies, Link next with max_id and prev with min_id), GET /api/v1/statuses/:id/source
//     (the status's plain text, as Mastodon 3.5+ gives it);
//   - GET /api/v1/statuses/:id, DELETE /api/v1/statuses/:id, GET /api/v1/scheduled_statuses
//     (Link pagination, limit 20/40), GET and DELETE /api/v1/scheduled_statuses/:id; due
//     scheduled statuses are published when the next request comes;
//   - GET /api/v1/accounts/verify_credentials, GET /api/v1/accounts/:id/followers (limit 40/80,
//     ordered and paged by follow id, only through the Link header: next with max_id when the
//     page is full, prev with since_id), GET /api/v1/notifications (limit 40/80, types[] and
//     exclude_types[], max_id/since_id/min_id, Link next with max_id and prev with min_id when the
//     page is not empty);
//   - with Options.RateLimit, X-RateLimit-Limit/Remaining/Reset (ISO-8601 with microseconds) on
//     every response and, past the limit, Rack::Attack's 429 {"error":"Too many requests"} with
//     X-RateLimit-Remaining: 0 and no Retry-After;
//   - injected faults (FailNext): 503, 500, Rack::Attack 429, a malformed 200 body, a connection
//     reset before or after the request took effect, a stall until the client gives up.
//
// Ids live in separate ranges (accounts, follows, statuses, notifications) so that a client
// mixing them up finds nothing. Generate adds large deterministic data in compact form.
package mastodontest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configure a Server; zero values take the defaults given.
type Options struct {
	// Token is the only access token accepted (default "mastodon-test-token").
	Token string
	// Domain is the instance's LOCAL_DOMAIN, used in public URLs (https://Domain/@user/id) and
	// in remote accounts' acct (default "mastodon.example").
	Domain string
	// Username of the account the token belongs to (default "hearth").
	Username string
	// IdempotencyTTL is how long an Idempotency-Key is remembered (default 1 h).
	IdempotencyTTL time.Duration
	// MaxChars is the status length limit (default 500).
	MaxChars int
	// ScheduledTotal and ScheduledDaily limit pending scheduled statuses (default 300 and 50).
	ScheduledTotal, ScheduledDaily int
	// RateLimit, when positive, allows that many requests per RateWindow (default 5 min, in
	// windows aligned on the clock like Rack::Attack's) before answering 429.
	RateLimit  int
	RateWindow time.Duration
	// FaultReset is how far ahead an injected 429 puts X-RateLimit-Reset (default 1 s).
	FaultReset time.Duration
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// NoRecord keeps no request log (benchmarks).
	NoRecord bool
}

// Fault is a failure to inject.
type Fault int

// The faults FailNext injects.
const (
	// Unavailable: 503 with a proxy's HTML page.
	Unavailable Fault = iota + 1
	// Internal: 500 with Mastodon's JSON error.
	Internal
	// RateLimited: Rack::Attack's 429, reset FaultReset ahead.
	RateLimited
	// Malformed: 200 with a cut JSON body, the request not processed.
	Malformed
	// Reset: the connection is closed before the request is processed.
	Reset
	// Lost: the request is processed, then the connection is closed without a response.
	Lost
	// Stall: no answer until the client gives up (at most 30 s), the request not processed.
	Stall
)

// Recorded is one request as the server saw it.
type Recorded struct {
	Method string
	Path   string
	Query  string
	// Auth says an Authorization header was sent; Authorized that it held the right token.
	Auth       bool
	Authorized bool
	// IdempotencyKey is the Idempotency-Key header, if any.
	IdempotencyKey string
	Body           string
}

// Server is the fake instance. It is an http.Handler, safe for concurrent use.
type Server struct {
	opts Options

	mu        sync.Mutex
	db        data
	idem      map[string]idemEntry
	created   []string
	faults    []Fault
	requests  []Recorded
	window    int64
	windowHit int
}

type idemEntry struct {
	id        int64
	scheduled bool
	at        time.Time
}

// New returns a fake instance with just its own account.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = "mastodon-test-token"
	}
	if opts.Domain == "" {
		opts.Domain = "mastodon.example"
	}
	if opts.Username == "" {
		opts.Username = "hearth"
	}
	if opts.IdempotencyTTL <= 0 {
		opts.IdempotencyTTL = time.Hour
	}
	if opts.MaxChars <= 0 {
		opts.MaxChars = 500
	}
	if opts.ScheduledTotal <= 0 {
		opts.ScheduledTotal = 300
	}
	if opts.ScheduledDaily <= 0 {
		opts.ScheduledDaily = 50
	}
	if opts.RateWindow <= 0 {
		opts.RateWindow = 5 * time.Minute
	}
	if opts.FaultReset <= 0 {
		opts.FaultReset = time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, idem: map[string]idemEntry{}}
	s.db.init(opts.Username, opts.Domain, opts.Now())
	return s
}

// Start serves a new fake on an httptest server closed when the test ends; it returns the
// instance's URL.
func Start(t testing.TB, opts Options) (*Server, string) {
	t.Helper()
	s := New(opts)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs.URL
}

// Token is the access token the server accepts.
func (s *Server) Token() string { return s.opts.Token }

// AccountID is the id of the token's account.
func (s *Server) AccountID() string { return s.db.accountID(0) }

// FailNext makes the next n requests fail with f (after any faults already queued).
func (s *Server) FailNext(f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// Created returns the text of every status created through the API, scheduled ones included,
// in order.
func (s *Server) Created() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.created...)
}

// Requests returns the requests received so far (unless Options.NoRecord).
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.requests...)
}

// Count returns how many recorded requests had this method and path.
func (s *Server) Count(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// ServeHTTP answers one API request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	auth := r.Header.Get("Authorization")
	authorized := auth == "Bearer "+s.opts.Token

	s.mu.Lock()
	if !s.opts.NoRecord {
		s.requests = append(s.requests, Recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Auth: auth != "", Authorized: authorized, IdempotencyKey: r.Header.Get("Idempotency-Key"), Body: string(body)})
	}
	var fault Fault
	if len(s.faults) > 0 {
		fault, s.faults = s.faults[0], s.faults[1:]
	}
	now := s.opts.Now()
	limited, rl := s.rateLimit(now)
	s.mu.Unlock()

	for k, v := range rl {
		w.Header()[k] = v
	}
	switch fault {
	case Unavailable:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, "<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center><hr><center>nginx</center></body></html>\n")
		return
	case Internal:
		writeError(w, http.StatusInternalServerError, "We're sorry, but something went wrong on our end.")
		return
	case RateLimited:
		writeRackAttack(w, now.Add(s.opts.FaultReset), 300)
		return
	case Malformed:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, `{"id":"1","created_at":"2024-`)
		return
	case Reset:
		panic(http.ErrAbortHandler)
	case Stall:
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		<-ctx.Done()
		panic(http.ErrAbortHandler)
	}
	if limited {
		writeRackAttack(w, s.windowEnd(), s.opts.RateLimit)
		return
	}
	if fault == Lost {
		s.route(httptest.NewRecorder(), r, body, authorized, now)
		panic(http.ErrAbortHandler)
	}
	s.route(w, r, body, authorized, now)
}

// rateLimit counts the request in the current window (s.mu held).
func (s *Server) rateLimit(now time.Time) (bool, http.Header) {
	if s.opts.RateLimit <= 0 {
		return false, nil
	}
	w := now.UnixNano() / int64(s.opts.RateWindow)
	if w != s.window {
		s.window, s.windowHit = w, 0
	}
	s.windowHit++
	remaining := max(s.opts.RateLimit-s.windowHit, 0)
	h := http.Header{}
	h.Set("X-RateLimit-Limit", fmt.Sprint(s.opts.RateLimit))
	h.Set("X-RateLimit-Remaining", fmt.Sprint(remaining))
	h.Set("X-RateLimit-Reset", isoMicro(time.Unix(0, (w+1)*int64(s.opts.RateWindow))))
	return s.windowHit > s.opts.RateLimit, h
}

func (s *Server) windowEnd() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return time.Unix(0, (s.window+1)*int64(s.opts.RateWindow))
}

// writeRackAttack writes Rack::Attack's throttled response: no Retry-After.
func writeRackAttack(w http.ResponseWriter, reset time.Time, limit int) {
	w.Header().Set("X-RateLimit-Limit", fmt.Sprint(limit))
	w.Header().Set("X-RateLimit-Remaining", "0")
	w.Header().Set("X-RateLimit-Reset", isoMicro(reset))
	writeError(w, http.StatusTooManyRequests, "Too many requests")
}

// isoMicro formats t as Mastodon's rate-limit headers do.
func isoMicro(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"encoding failed"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// route dispatches an API request.
func (s *Server) route(w http.ResponseWriter, r *http.Request, body []byte, authorized bool, now time.Time) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	if !strings.HasPrefix(path, "/api/v1/") {
		writeError(w, http.StatusNotFound, "Record not found")
		return
	}
	if !authorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="Doorkeeper", error="invalid_token", error_description="The access token is invalid"`)
		writeError(w, http.StatusUnauthorized, "The access token is invalid")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.publishDue(now)
	parts := strings.Split(strings.TrimPrefix(path, "/api/v1/"), "/")
	base := baseURL(r)
	switch {
	case r.Method == http.MethodGet && path == "/api/v1/accounts/verify_credentials":
		writeJSON(w, http.StatusOK, s.db.accountJSON(0))
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "accounts" && parts[2] == "followers":
		s.followers(w, r, base, parts[1])
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "accounts" && parts[2] == "statuses":
		s.accountStatuses(w, r, base, parts[1])
	case r.Method == http.MethodGet && len(parts) == 3 && parts[0] == "statuses" && parts[2] == "source":
		s.statusSource(w, parts[1])
	case r.Method == http.MethodGet && path == "/api/v1/notifications":
		s.notifications(w, r, base)
	case r.Method == http.MethodPost && path == "/api/v1/statuses":
		s.postStatus(w, r, body, now)
	case len(parts) == 2 && parts[0] == "statuses" && (r.Method == http.MethodGet || r.Method == http.MethodDelete):
		s.status(w, r.Method, parts[1])
	case r.Method == http.MethodGet && path == "/api/v1/scheduled_statuses":
		s.scheduledList(w, r, base)
	case len(parts) == 2 && parts[0] == "scheduled_statuses" && (r.Method == http.MethodGet || r.Method == http.MethodDelete):
		s.scheduledOne(w, r.Method, parts[1])
	default:
		writeError(w, http.StatusNotFound, "Record not found")
	}
}

// baseURL is the address the client used, for Link headers.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
