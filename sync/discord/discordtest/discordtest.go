// Package discordtest is an in-process fake of Discord's REST API v10 for tests and
// benchmarks, faithful to what sync/discord uses (see /work/shared/platform-apis.md):
//
//   - paths under /api/v10 (and /api/v9); webhooks also under the unversioned /api/webhooks;
//   - "Authorization: Bot <token>" on every bot route, else 401 {"message":"401: Unauthorized",
//     "code":0}; webhooks need no auth, a wrong id is 404 10015, a wrong token 401 50027;
//   - POST /channels/{c}/messages with content ≤ 2,000 characters and nonce ≤ 25, deduplicated
//     only when enforce_nonce is true and the same author sent the same nonce within
//     Options.NonceWindow (the existing message comes back, nothing is created);
//   - GET /channels/{c}/messages?limit=1..100 (default 50) with around, before or after,
//     newest first (after: the limit messages with the smallest ids above it); GET
//     /guilds/{g}/members?limit=1..1000 (default 1)&after=, by user id;
//   - snowflake ids minted from the clock, ((ms-1420070400000)<<22 | sequence);
//   - X-RateLimit-* headers and Discord's 429 ({"message":"You are being rate limited.",
//     "retry_after":…,"global":…}, Retry-After, X-RateLimit-Scope) when Options set limits;
//   - Discord's error bodies (50035 Invalid Form Body with nested "errors", 10003, 10004, 10008,
//     50001, 50006, 50109).
//
// FailNext injects the next failures (500, 429, malformed body, response lost after the work
// is done, stall). Generate adds people and messages computed from their index, so a million
// messages cost no memory.
package discordtest

import (
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Defaults for the Options left empty.
const (
	DefaultToken        = "test-bot-token"
	DefaultBotID        = "1100000000000000001"
	DefaultBotName      = "Hearth"
	DefaultGuildID      = "1100000000000000002"
	DefaultChannelID    = "1100000000000000003"
	DefaultWebhookID    = "1100000000000000004"
	DefaultWebhookToken = "test-webhook-token_AbC-123"
	DefaultWebhookName  = "Hearth webhook"
)

// Options configure the fake; zero values take the defaults above.
type Options struct {
	// Token is the only bot token accepted.
	Token string
	// BotID and BotName are the bot user (also a member of the guild).
	BotID, BotName string
	// GuildID and ChannelID are the guild and its text channel.
	GuildID, ChannelID string
	// WebhookID, WebhookToken and WebhookName are the channel's webhook.
	WebhookID, WebhookToken, WebhookName string
	// NonceWindow is how long a nonce deduplicates (default 5 minutes).
	NonceWindow time.Duration
	// RateLimit is how many requests each bucket allows per RateWindow (default 1 s); 0 sends
	// no X-RateLimit-* headers and never limits.
	RateLimit  int
	RateWindow time.Duration
	// GlobalLimit is how many requests per second are allowed in all (0: no global limit).
	GlobalLimit int
	// DenyMembers answers the member list with 403 50001, as when the bot lacks the Server
	// Members intent.
	DenyMembers bool
	// NoMessageContent empties content in message reads, as without the MESSAGE_CONTENT intent.
	NoMessageContent bool
	// NoRecord keeps no Requests (benchmarks).
	NoRecord bool
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Recorded is one request the fake received.
type Recorded struct {
	Method string
	// Path is as received (with /api/v10).
	Path  string
	Query url.Values
	// Auth says an Authorization header was sent; UserAgent is the User-Agent header.
	Auth      bool
	UserAgent string
	Body      string
}

// FaultKind is a failure FailNext can inject.
type FaultKind int

// The failures.
const (
	// ServerError answers 500 {"message":"500: Internal Server Error","code":0}.
	ServerError FaultKind = iota + 1
	// TooManyRequests answers Discord's 429 (user scope unless Fault.Global).
	TooManyRequests
	// Malformed answers 200 with a truncated JSON body, doing nothing.
	Malformed
	// DropResponse does the work, then closes the connection without answering.
	DropResponse
	// Stall waits Fault.Delay and then answers normally; with no Delay it waits until the
	// client gives up and answers nothing.
	Stall
)

// Fault is one injected failure.
type Fault struct {
	Kind FaultKind
	// RetryAfter is the 429's wait (default 1.5 s); Global makes it a global-scope 429.
	RetryAfter time.Duration
	Global     bool
	Delay      time.Duration
}

// Server is the fake; it implements http.Handler and is safe for concurrent use.
type Server struct {
	opts Options
	ids  ids
	done chan struct{}
	once sync.Once

	mu       sync.Mutex
	store    store
	lastID   uint64
	nonces   map[nonceKey]nonceEntry
	created  []string
	requests []Recorded
	faults   []Fault
	buckets  map[string]*window
	global   window
	noHook   bool
}

// ids are the parsed snowflakes of Options.
type ids struct{ bot, guild, channel, webhook uint64 }

type nonceKey struct {
	author uint64
	nonce  string
}

type nonceEntry struct {
	channel, message uint64
	at               time.Time
}

type window struct {
	start time.Time
	count int
}

// New returns a fake with o's settings (defaults filled in).
func New(o Options) *Server {
	def := func(v *string, d string) {
		if *v == "" {
			*v = d
		}
	}
	def(&o.Token, DefaultToken)
	def(&o.BotID, DefaultBotID)
	def(&o.BotName, DefaultBotName)
	def(&o.GuildID, DefaultGuildID)
	def(&o.ChannelID, DefaultChannelID)
	def(&o.WebhookID, DefaultWebhookID)
	def(&o.WebhookToken, DefaultWebhookToken)
	def(&o.WebhookName, DefaultWebhookName)
	if o.NonceWindow <= 0 {
		o.NonceWindow = 5 * time.Minute
	}
	if o.RateWindow <= 0 {
		o.RateWindow = time.Second
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	s := &Server{opts: o, done: make(chan struct{}), nonces: map[nonceKey]nonceEntry{}, buckets: map[string]*window{}}
	s.ids = ids{bot: mustID(o.BotID), guild: mustID(o.GuildID), channel: mustID(o.ChannelID), webhook: mustID(o.WebhookID)}
	s.store.init(s.ids)
	s.store.addUser(user{id: s.ids.bot, username: o.BotName, bot: true})
	s.store.addMember(member{id: s.ids.bot, joined: o.Now().Add(-365 * 24 * time.Hour)})
	return s
}

func mustID(v string) uint64 {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		panic("discordtest: not a snowflake: " + v)
	}
	return n
}

// Start runs a fake on an httptest.Server closed when the test ends and returns it with its
// root URL (the API is under URL+"/api/v10").
func Start(t testing.TB, o Options) (*Server, string) {
	t.Helper()
	s := New(o)
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		hs.Close()
	})
	return s, hs.URL
}

// Close releases stalled requests.
func (s *Server) Close() { s.once.Do(func() { close(s.done) }) }

// Options returns the fake's settings, defaults filled in.
func (s *Server) Options() Options { return s.opts }

// WebhookURL is the webhook's URL on a fake served at root, as Discord shows it.
func (s *Server) WebhookURL(root string) string {
	return strings.TrimRight(root, "/") + "/api/webhooks/" + s.opts.WebhookID + "/" + s.opts.WebhookToken
}

// DeleteWebhook makes the webhook unknown (404 10015) from now on.
func (s *Server) DeleteWebhook() {
	s.mu.Lock()
	s.noHook = true
	s.mu.Unlock()
}

// FailNext makes the next n requests fail with f.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// Created returns the content of every message created (by the bot or the webhook), in order.
func (s *Server) Created() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.created...)
}

// CreatedCount is len(Created()) without the copy.
func (s *Server) CreatedCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.created)
}

// Requests returns every request received, in order.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.requests...)
}

// ServeHTTP answers one request like Discord.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	s.mu.Lock()
	if !s.opts.NoRecord {
		s.requests = append(s.requests, Recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(),
			Auth: r.Header.Get("Authorization") != "", UserAgent: r.Header.Get("User-Agent"), Body: string(body)})
	}
	var fault *Fault
	if len(s.faults) > 0 {
		f := s.faults[0]
		s.faults = s.faults[1:]
		fault = &f
	}
	s.mu.Unlock()

	if fault != nil {
		switch fault.Kind {
		case ServerError:
			writeJSON(w, http.StatusInternalServerError, apiError{Message: "500: Internal Server Error"})
			return
		case TooManyRequests:
			d := fault.RetryAfter
			if d <= 0 {
				d = 1500 * time.Millisecond
			}
			s.tooMany(w, d, fault.Global, "")
			return
		case Malformed:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			_, _ = io.WriteString(w, `{"id":"12`)
			return
		case DropResponse:
			rec := httptest.NewRecorder()
			s.serve(rec, r, body)
			panic(http.ErrAbortHandler)
		case Stall:
			var after <-chan time.Time
			if fault.Delay > 0 {
				t := time.NewTimer(fault.Delay)
				defer t.Stop()
				after = t.C
			}
			select {
			case <-r.Context().Done():
				return
			case <-s.done:
				return
			case <-after:
			}
		}
	}
	s.serve(w, r, body)
}

// serve routes a request after faults: global limit, auth, bucket limit, handler.
func (s *Server) serve(w http.ResponseWriter, r *http.Request, body []byte) {
	if d, limited := s.take(&s.global, s.opts.GlobalLimit, time.Second); limited {
		s.tooMany(w, d, true, "")
		return
	}
	seg, hook, ok := route(r.URL.Path)
	if !ok {
		writeJSON(w, http.StatusNotFound, apiError{Message: "404: Not Found"})
		return
	}
	if !hook && r.Header.Get("Authorization") != "Bot "+s.opts.Token {
		writeJSON(w, http.StatusUnauthorized, apiError{Message: "401: Unauthorized"})
		return
	}
	if s.opts.RateLimit > 0 {
		key := r.Method + " " + bucketKey(seg)
		s.mu.Lock()
		b := s.buckets[key]
		if b == nil {
			b = &window{}
			s.buckets[key] = b
		}
		s.mu.Unlock()
		d, limited := s.take(b, s.opts.RateLimit, s.opts.RateWindow)
		if limited {
			s.tooMany(w, d, false, key)
			return
		}
		s.mu.Lock()
		remaining, reset := max(s.opts.RateLimit-b.count, 0), b.start.Add(s.opts.RateWindow)
		s.mu.Unlock()
		setBucketHeaders(w.Header(), key, s.opts.RateLimit, remaining, reset, s.opts.Now())
	}
	s.handle(w, r, seg, hook, body)
}

// route strips the API prefix and splits the rest; hook reports a webhook route.
func route(p string) (seg []string, hook, ok bool) {
	rest, found := "", false
	for _, pre := range []string{"/api/v10/", "/api/v9/"} {
		if after, cut := strings.CutPrefix(p, pre); cut {
			rest, found = after, true
			break
		}
	}
	if !found {
		after, cut := strings.CutPrefix(p, "/api/webhooks/")
		if !cut {
			return nil, false, false
		}
		rest = "webhooks/" + after
	}
	seg = strings.Split(strings.Trim(rest, "/"), "/")
	return seg, seg[0] == "webhooks", true
}

// bucketKey is a route with its major parameter (channel, guild, webhook) kept and other ids
// replaced, as Discord groups its buckets.
func bucketKey(seg []string) string {
	out := make([]string, len(seg))
	for i, v := range seg {
		switch {
		case i == 1, i == 2 && seg[0] == "webhooks":
			out[i] = v
		case i > 1 && isDigits(v):
			out[i] = "{id}"
		default:
			out[i] = v
		}
	}
	return "/" + strings.Join(out, "/")
}

func isDigits(v string) bool {
	if v == "" {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// take counts a request in a fixed window of limit per d; when over, it returns the wait.
func (s *Server) take(win *window, limit int, d time.Duration) (time.Duration, bool) {
	if limit <= 0 {
		return 0, false
	}
	now := s.opts.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if win.start.IsZero() || !now.Before(win.start.Add(d)) {
		win.start, win.count = now, 0
	}
	if win.count >= limit {
		return win.start.Add(d).Sub(now), true
	}
	win.count++
	return 0, false
}

func setBucketHeaders(h http.Header, key string, limit, remaining int, reset, now time.Time) {
	sum := sha1.Sum([]byte(key))
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatFloat(float64(reset.UnixMilli())/1000, 'f', 3, 64))
	h.Set("X-RateLimit-Reset-After", strconv.FormatFloat(max(reset.Sub(now).Seconds(), 0), 'f', 3, 64))
	h.Set("X-RateLimit-Bucket", hex.EncodeToString(sum[:16]))
}

// tooMany answers Discord's 429.
func (s *Server) tooMany(w http.ResponseWriter, d time.Duration, global bool, bucket string) {
	secs := math.Round(d.Seconds()*1000) / 1000
	h := w.Header()
	h.Set("Retry-After", strconv.Itoa(int(math.Ceil(secs))))
	if global {
		h.Set("X-RateLimit-Global", "true")
		h.Set("X-RateLimit-Scope", "global")
	} else {
		h.Set("X-RateLimit-Scope", "user")
		if bucket != "" {
			setBucketHeaders(h, bucket, s.opts.RateLimit, 0, s.opts.Now().Add(d), s.opts.Now())
		}
	}
	writeJSON(w, http.StatusTooManyRequests, rateLimited{Message: "You are being rate limited.", RetryAfter: secs, Global: global})
}

type rateLimited struct {
	Message    string  `json:"message"`
	RetryAfter float64 `json:"retry_after"`
	Global     bool    `json:"global"`
}

// String describes the fake for failure messages.
func (s *Server) String() string {
	return fmt.Sprintf("discordtest(guild %s, channel %s)", s.opts.GuildID, s.opts.ChannelID)
}
