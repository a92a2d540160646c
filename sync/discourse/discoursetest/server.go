// Package discoursetest is an in-process fake of a Discourse forum's API for tests and
// benchmarks, behaving like the real one as described in shared/platform-apis.md:
//
//   - auth by the Api-Key and Api-Username headers: a wrong key or username gets 403
//     {"errors":["The API username or key is invalid."],"error_type":"invalid_access"}; no key
//     gets 404 on admin routes and 403 not_logged_in on POST, public reads are open;
//   - POST /posts.json creates a topic (title) or a reply (topic_id), memoizes the response of
//     identical (params + user) API requests for 120 s like PostsController#create, and refuses a
//     second topic with the same external_id (422 "External has already been taken");
//   - GET /t/external_id/{id}.json answers 301 to /t/{slug}/{id}.json (404 when none);
//   - GET /admin/users/list/{flag}.json returns a bare array, 100 per 1-based page;
//   - GET /posts.json?before=N returns {"latest_posts":[…]}, 50 per page, newest id first;
//   - GET /site.json returns the categories;
//   - an optional per-minute limit answering 429 in Discourse's format (Retry-After,
//     Discourse-Rate-Limit-Error-Code, {"errors","error_type":"rate_limit","extras"}).
//
// Faults (5xx, 429, malformed bodies, lost responses, resets, slow answers) are injected with
// FailNext or FailRandomly. Generate adds deterministic people and posts computed from their
// index on demand, so a million posts cost a few bytes.
package discoursetest

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// Options configure a fake forum; the zero value is usable.
type Options struct {
	// APIKey and Username are the credentials the fake accepts (defaults "test-api-key" and
	// "system"). Username is compared case-insensitively, like Discourse.
	APIKey   string
	Username string
	// RateLimit is the number of requests allowed per minute (Discourse's admin API default is
	// 60); 0 means no limit.
	RateLimit int
	// LoginRequired makes public reads refuse anonymous requests (the login_required setting).
	LoginRequired bool
	// MinTitle and MinBody are the shortest title and body accepted (Discourse's defaults are 15
	// and 20); 0 only refuses blank ones.
	MinTitle int
	MinBody  int
	// NoRecord keeps Requests empty (benchmarks).
	NoRecord bool
	// Now is the clock (time.Now when nil); it drives the memo, the rate limit and created_at.
	Now func() time.Time
}

// Recorded is one request the fake received.
type Recorded struct {
	Method string
	Path   string
	Query  url.Values
	// APIKey says whether an Api-Key header was sent (its value is never kept); APIUsername is
	// the Api-Username header.
	APIKey      bool
	APIUsername string
	ContentType string
	Body        string
}

// FaultKind is a failure the fake can inject.
type FaultKind int

// The injectable faults.
const (
	// ServerError answers Status (default 502) with an HTML page, without processing.
	ServerError FaultKind = iota + 1
	// RateLimit answers 429 in Discourse's format with WaitSeconds (default 1).
	RateLimit
	// Malformed processes the request and answers 200 with a truncated JSON body.
	Malformed
	// Lost processes the request, then drops the connection without answering.
	Lost
	// Reset drops the connection without processing the request.
	Reset
	// Slow waits Delay (default 2 s, or until the client gives up) before processing.
	Slow
)

// Fault is one injected failure; the zero Fault lets its request through, to aim a fault at a
// later request (FailNext(1, Fault{}) then FailNext(1, Fault{Kind: Lost}) loses the second).
type Fault struct {
	Kind        FaultKind
	Status      int
	WaitSeconds int
	Delay       time.Duration
}

// Server is the fake forum; it implements http.Handler and is safe for concurrent use.
type Server struct {
	opts Options
	now  func() time.Time
	// URL is the base URL when started with Start (used in absolute links); empty otherwise.
	URL string

	mu       sync.Mutex
	requests []Recorded
	faults   []Fault
	random   *randomFaults
	window   []time.Time // request times within the last minute (rate limit)
	memo     map[string]memoEntry
	memoFIFO []memoRef // memo keys in the order they were stored, to expire them cheaply
	data
}

type randomFaults struct {
	p     float64
	rng   *rand.Rand
	kinds []FaultKind
}

type memoRef struct {
	key string
	at  time.Time
}

type memoEntry struct {
	at     time.Time
	status int
	body   []byte
}

// memoTTL is how long PostsController#create remembers an API request's response.
const memoTTL = 120 * time.Second

// New returns a fake forum with one category ("Uncategorized", id 1) and the API user.
func New(opts Options) *Server {
	if opts.APIKey == "" {
		opts.APIKey = "test-api-key"
	}
	if opts.Username == "" {
		opts.Username = "system"
	}
	s := &Server{opts: opts, now: opts.Now, memo: map[string]memoEntry{}}
	if s.now == nil {
		s.now = time.Now
	}
	s.data.init(s.now())
	s.AddCategory("Uncategorized")
	s.AddUser(User{Username: opts.Username, Name: "System", Email: "system@example.org", Admin: true})
	return s
}

// Start runs a fake forum on an httptest.Server closed when the test ends, and returns it with
// its base URL.
func Start(t testing.TB, opts Options) (*Server, string) {
	t.Helper()
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	s.mu.Lock()
	s.URL = ts.URL
	s.mu.Unlock()
	return s, ts.URL
}

// FailNext makes the next n requests fail with f (after any faults already queued).
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// FailRandomly makes each request fail with probability p with one of kinds (deterministic for
// a seed); p = 0 turns it off.
func (s *Server) FailRandomly(p float64, seed uint64, kinds ...FaultKind) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p <= 0 || len(kinds) == 0 {
		s.random = nil
		return
	}
	s.random = &randomFaults{p: p, rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), kinds: kinds}
}

// Requests returns what the fake received so far, in order.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.requests...)
}

// Created returns "title\nraw" of every topic created through the API, in order.
func (s *Server) Created() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.created...)
}

// ServeHTTP answers one request like Discourse.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body := readBody(r)
	s.mu.Lock()
	if !s.opts.NoRecord {
		s.requests = append(s.requests, Recorded{
			Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
			APIKey: r.Header.Get("Api-Key") != "", APIUsername: r.Header.Get("Api-Username"),
			ContentType: r.Header.Get("Content-Type"), Body: string(body),
		})
	}
	fault, faulty := s.nextFault()
	s.mu.Unlock()

	if faulty {
		switch fault.Kind {
		case ServerError:
			status := fault.Status
			if status == 0 {
				status = http.StatusBadGateway
			}
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>", status, http.StatusText(status))
			return
		case RateLimit:
			wait := fault.WaitSeconds
			if wait <= 0 {
				wait = 1
			}
			writeRateLimited(w, wait)
			return
		case Reset:
			panic(http.ErrAbortHandler)
		case Slow:
			d := fault.Delay
			if d <= 0 {
				d = 2 * time.Second
			}
			t := time.NewTimer(d)
			select {
			case <-r.Context().Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
	}

	status, hdr, out := s.handle(r, body)
	if faulty && fault.Kind == Lost {
		panic(http.ErrAbortHandler)
	}
	if faulty && fault.Kind == Malformed {
		status, out = http.StatusOK, []byte(`{"latest_posts":[{"id":`)
	}
	for k, v := range hdr {
		w.Header()[k] = v
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
	}
	w.WriteHeader(status)
	_, _ = w.Write(out)
}

func (s *Server) nextFault() (Fault, bool) {
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		return f, true
	}
	if s.random != nil && s.random.rng.Float64() < s.random.p {
		return Fault{Kind: s.random.kinds[s.random.rng.IntN(len(s.random.kinds))]}, true
	}
	return Fault{}, false
}

// handle routes an authenticated-or-anonymous request and returns status, headers and body.
func (s *Server) handle(r *http.Request, body []byte) (int, http.Header, []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()

	key, user := r.Header.Get("Api-Key"), r.Header.Get("Api-Username")
	authed := false
	if key != "" {
		if key != s.opts.APIKey || !strings.EqualFold(user, s.opts.Username) {
			return jsonError(http.StatusForbidden, "invalid_access", "The API username or key is invalid.")
		}
		authed = true
		if wait := s.limited(now); wait > 0 {
			st, h, b := rateLimitedBody(wait)
			return st, h, b
		}
	}

	path := strings.TrimSuffix(r.URL.Path, "/")
	isJSON := strings.HasSuffix(path, ".json") || strings.Contains(r.Header.Get("Accept"), "json")
	path = strings.TrimSuffix(path, ".json")
	parts := strings.Split(strings.TrimPrefix(path, "/"), "/")
	q := r.URL.Query()

	switch {
	case len(parts) == 4 && parts[0] == "admin" && parts[1] == "users" && parts[2] == "list":
		if !authed || r.Method != http.MethodGet {
			return notFound()
		}
		return s.listUsers(parts[3], q)
	case path == "/posts" && r.Method == http.MethodPost:
		if !authed {
			return jsonError(http.StatusForbidden, "not_logged_in", "You need to be logged in to do that.")
		}
		return s.createPost(r, body, now)
	}
	if r.Method != http.MethodGet {
		return notFound()
	}
	if !authed && s.opts.LoginRequired {
		return jsonError(http.StatusForbidden, "not_logged_in", "You need to be logged in to do that.")
	}
	switch {
	case path == "/posts":
		return s.latestPosts(q.Get("before"))
	case path == "/site":
		return s.site()
	case len(parts) == 3 && parts[0] == "t" && parts[1] == "external_id":
		t, ok := s.topicByExternalID(parts[2])
		if !ok {
			return notFound()
		}
		loc := fmt.Sprintf("/t/%s/%d", t.slug, t.id)
		if isJSON {
			loc += ".json"
		}
		return http.StatusMovedPermanently, http.Header{"Location": {loc}}, nil
	case len(parts) == 2 && parts[0] == "t":
		return s.showTopic(parts[1])
	case len(parts) == 3 && parts[0] == "t":
		return s.showTopic(parts[2])
	}
	return notFound()
}

// limited records a request against the per-minute limit and returns the seconds to wait when
// it is exceeded.
func (s *Server) limited(now time.Time) int {
	if s.opts.RateLimit <= 0 {
		return 0
	}
	cut := now.Add(-time.Minute)
	i := sort.Search(len(s.window), func(i int) bool { return s.window[i].After(cut) })
	s.window = s.window[i:]
	if len(s.window) >= s.opts.RateLimit {
		wait := int(s.window[0].Sub(cut)/time.Second) + 1
		return wait
	}
	s.window = append(s.window, now)
	return 0
}

func writeRateLimited(w http.ResponseWriter, wait int) {
	status, h, body := rateLimitedBody(wait)
	for k, v := range h {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func rateLimitedBody(wait int) (int, http.Header, []byte) {
	left := fmt.Sprintf("%d seconds", wait)
	if wait == 1 {
		left = "1 second"
	}
	b, _ := json.Marshal(map[string]any{
		"errors":     []string{"You’ve performed this action too many times. Please wait " + left + " before trying again."},
		"error_type": "rate_limit",
		"extras":     map[string]any{"wait_seconds": wait, "time_left": left},
	})
	h := http.Header{}
	h.Set("Retry-After", fmt.Sprint(wait))
	h.Set("Discourse-Rate-Limit-Error-Code", "admin_api_key_rate_limit")
	return http.StatusTooManyRequests, h, b
}

func jsonError(status int, typ string, msgs ...string) (int, http.Header, []byte) {
	b, _ := json.Marshal(map[string]any{"errors": msgs, "error_type": typ})
	return status, nil, b
}

func notFound() (int, http.Header, []byte) {
	return jsonError(http.StatusNotFound, "not_found", "The requested URL or resource could not be found.")
}

// memoKey is the signature PostsController#signature_for computes: the request's parameters
// sorted by name, plus the user.
func memoKey(params map[string]string, user string) string {
	keys := make([]string, 0, len(params)+1)
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + ":" + params[k] + "\x00")
	}
	b.WriteString("user:" + strings.ToLower(user))
	sum := sha1.Sum([]byte(b.String()))
	return "post##" + hex.EncodeToString(sum[:])
}

func (s *Server) memoized(key string, now time.Time) (memoEntry, bool) {
	for len(s.memoFIFO) > 0 && now.Sub(s.memoFIFO[0].at) >= memoTTL {
		ref := s.memoFIFO[0]
		s.memoFIFO = s.memoFIFO[1:]
		if e, ok := s.memo[ref.key]; ok && e.at.Equal(ref.at) {
			delete(s.memo, ref.key)
		}
	}
	e, ok := s.memo[key]
	if ok && now.Sub(e.at) >= memoTTL {
		return memoEntry{}, false
	}
	return e, ok
}

func (s *Server) remember(key string, e memoEntry) {
	s.memo[key] = e
	s.memoFIFO = append(s.memoFIFO, memoRef{key: key, at: e.at})
}
