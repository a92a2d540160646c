// Package mailchimptest is an httptest-ready fake of the Mailchimp Marketing API v3, faithful to
// ../shared/platform-apis.md for the endpoints Hearth uses:
//
//   - GET /ping, GET /lists/{list_id};
//   - GET /lists/{list_id}/members (count ≤ 1000, offset, status, since_last_changed strictly
//     after, sort_field last_changed|timestamp_opt|timestamp_signup, sort_dir, fields,
//     exclude_fields), GET and PUT /lists/{list_id}/members/{md5 of the lowercased e-mail},
//     POST …/members/{hash}/tags;
//   - POST and GET /campaigns, GET and DELETE /campaigns/{id}, PUT /campaigns/{id}/content,
//     POST /campaigns/{id}/actions/send (204).
//
// Auth is HTTP Basic with any user name and the key as password, or Bearer with the key; a
// missing or wrong key is a 401 problem+json. Every error is application/problem+json
// {type,title,status,detail,instance,errors?} with X-Request-Id and a Link rel="describedBy".
// Mailchimp allows 10 simultaneous connections per key: a request beyond MaxConcurrent gets a
// 429 problem (no Retry-After unless Options.RetryAfter says so: none is documented).
//
// A campaign goes save → sending → sent; sending it again is a 400 "This campaign has already
// been sent" (unverified on the real API, so configurable). Created lists what was SENT: a
// draft that never went out is not an effect. Campaigns created without from_name/reply_to take
// the audience's campaign defaults (an assumption).
package mailchimptest

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Options configure the fake.
type Options struct {
	// APIKey is the key the fake accepts (default DefaultKey).
	APIKey string
	// ListID is the audience that exists (default DefaultList).
	ListID string
	// Now is the fake's clock, read for last_changed and send times (time.Now when nil).
	Now func() time.Time
	// MaxConcurrent is how many requests may be in flight at once before a 429 (0 means 10,
	// Mailchimp's limit per key; negative means no limit).
	MaxConcurrent int
	// RetryAfter, when set, is sent as a Retry-After header on 429s (Mailchimp documents none).
	RetryAfter string
	// Latency delays every request (to make concurrent requests overlap in tests).
	Latency time.Duration
	// SendDelay is how long a campaign stays "sending" before it is "sent" (0: at once).
	SendDelay time.Duration
	// AlreadySentStatus and AlreadySentDetail answer a send of a campaign that is not a draft
	// (default 400 and "This campaign has already been sent"; unverified on the real API).
	AlreadySentStatus int
	AlreadySentDetail string
	// NoRecord keeps no request log (benchmarks).
	NoRecord bool
}

// The defaults of Options.
const (
	DefaultKey  = "0123456789abcdef0123456789abcdef-us21"
	DefaultList = "a1b2c3d4e5"
)

// Fault is a failure injected into the next requests, before they take effect.
type Fault int

// The faults.
const (
	// ServerError answers 500 with a problem body.
	ServerError Fault = iota + 1
	// RateLimit answers 429 as when too many connections are open.
	RateLimit
	// Malformed answers 200 with a body that is not JSON.
	Malformed
	// Stall never answers until the client gives up (a timeout).
	Stall
)

// Recorded is one request the fake received.
type Recorded struct {
	Method string
	Path   string
	Query  url.Values
	// Auth says whether an Authorization header was sent; Authorized whether it held the
	// right key (Basic with the key as password, or Bearer).
	Auth       bool
	Authorized bool
	Body       string
}

// Server is the fake. It is an http.Handler, safe for concurrent use.
type Server struct {
	opts Options

	inFlight    atomic.Int64
	maxInFlight atomic.Int64

	mu        sync.Mutex
	faults    []Fault
	requests  []Recorded
	created   []string
	members   []member
	byHash    map[string]int32
	order     []int32 // member indexes by last_changed descending, rebuilt when dirty
	dirty     bool
	campaigns []*campaign
	byID      map[string]*campaign
	seq       int
}

// New returns a fake with opts.
func New(opts Options) *Server {
	if opts.APIKey == "" {
		opts.APIKey = DefaultKey
	}
	if opts.ListID == "" {
		opts.ListID = DefaultList
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxConcurrent == 0 {
		opts.MaxConcurrent = 10
	}
	if opts.AlreadySentStatus == 0 {
		opts.AlreadySentStatus = http.StatusBadRequest
	}
	if opts.AlreadySentDetail == "" {
		opts.AlreadySentDetail = "This campaign has already been sent"
	}
	return &Server{opts: opts, byHash: map[string]int32{}, byID: map[string]*campaign{}}
}

// Start runs a fake on an httptest.Server closed at the end of the test and returns it with
// its URL (the API root, as in https://us21.api.mailchimp.com/3.0).
func Start(t testing.TB, opts Options) (*Server, string) {
	t.Helper()
	s := New(opts)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts.URL + "/3.0"
}

// Hash is Mailchimp's subscriber hash: the hex MD5 of the lowercased address.
func Hash(email string) string {
	sum := md5.Sum([]byte(strings.ToLower(email)))
	return hex.EncodeToString(sum[:])
}

// FailNext makes the next n requests fail with f.
func (s *Server) FailNext(n int, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// Requests returns the requests received so far, in order.
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.requests...)
}

// Created returns "subject\nplain_text" (or the HTML when there is no plain text) of every
// campaign sent, in the order they were sent.
func (s *Server) Created() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.created...)
}

// MaxInFlight is the largest number of requests that were in flight at once.
func (s *Server) MaxInFlight() int { return int(s.maxInFlight.Load()) }

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		m := s.maxInFlight.Load()
		if n <= m || s.maxInFlight.CompareAndSwap(m, n) {
			break
		}
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	ok := s.authorised(r)
	s.mu.Lock()
	if !s.opts.NoRecord {
		q := r.URL.Query()
		s.requests = append(s.requests, Recorded{Method: r.Method, Path: r.URL.Path, Query: q,
			Auth: r.Header.Get("Authorization") != "", Authorized: ok, Body: string(body)})
	}
	var fault Fault
	if len(s.faults) > 0 {
		fault, s.faults = s.faults[0], s.faults[1:]
	}
	s.mu.Unlock()

	if s.opts.Latency > 0 {
		select {
		case <-time.After(s.opts.Latency):
		case <-r.Context().Done():
			return
		}
	}
	if s.opts.MaxConcurrent > 0 && n > int64(s.opts.MaxConcurrent) && fault == 0 {
		fault = RateLimit
	}
	switch fault {
	case ServerError:
		problem(w, http.StatusInternalServerError, "Internal Server Error",
			"An unexpected internal error has occurred. Please contact Support for more information.", nil)
		return
	case RateLimit:
		if s.opts.RetryAfter != "" {
			w.Header().Set("Retry-After", s.opts.RetryAfter)
		}
		problem(w, http.StatusTooManyRequests, "Too Many Requests",
			fmt.Sprintf("You have exceeded the limit of %d simultaneous connections.", max(s.opts.MaxConcurrent, 10)), nil)
		return
	case Malformed:
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, `{"members": [{"email_address": "trunc`)
		return
	case Stall:
		<-r.Context().Done()
		return
	}
	if !ok {
		if r.Header.Get("Authorization") == "" {
			problem(w, http.StatusUnauthorized, "API Key Missing", "Your request did not include an API key.", nil)
		} else {
			problem(w, http.StatusUnauthorized, "API Key Invalid",
				"Your API key may be invalid, or you've attempted to access the wrong datacenter.", nil)
		}
		return
	}
	s.route(w, r, body)
}

func (s *Server) authorised(r *http.Request) bool {
	if _, pass, ok := r.BasicAuth(); ok {
		return pass == s.opts.APIKey
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	return ok && tok == s.opts.APIKey
}

func (s *Server) route(w http.ResponseWriter, r *http.Request, body []byte) {
	path, ok := strings.CutPrefix(r.URL.Path, "/3.0/")
	if !ok {
		notFound(w)
		return
	}
	p := strings.Split(strings.Trim(path, "/"), "/")
	m := r.Method
	switch {
	case len(p) == 1 && p[0] == "ping" && m == http.MethodGet:
		s.writeJSON(w, r, http.StatusOK, map[string]string{"health_status": "Everything's Chimpy!"})
	case p[0] == "lists" && len(p) >= 2:
		if p[1] != s.opts.ListID {
			notFound(w)
			return
		}
		switch {
		case len(p) == 2 && m == http.MethodGet:
			s.getList(w, r)
		case len(p) == 3 && p[2] == "members" && m == http.MethodGet:
			s.listMembers(w, r)
		case len(p) == 4 && p[2] == "members" && m == http.MethodGet:
			s.getMember(w, r, p[3])
		case len(p) == 4 && p[2] == "members" && m == http.MethodPut:
			s.putMember(w, r, p[3], body)
		case len(p) == 5 && p[2] == "members" && p[4] == "tags" && m == http.MethodPost:
			s.postTags(w, p[3], body)
		default:
			notFound(w)
		}
	case p[0] == "campaigns":
		switch {
		case len(p) == 1 && m == http.MethodPost:
			s.createCampaign(w, r, body)
		case len(p) == 1 && m == http.MethodGet:
			s.listCampaigns(w, r)
		case len(p) == 2 && m == http.MethodGet:
			s.getCampaign(w, r, p[1])
		case len(p) == 2 && m == http.MethodDelete:
			s.deleteCampaign(w, p[1])
		case len(p) == 3 && p[2] == "content" && m == http.MethodPut:
			s.putContent(w, r, p[1], body)
		case len(p) == 4 && p[2] == "actions" && p[3] == "send" && m == http.MethodPost:
			s.send(w, p[1])
		default:
			notFound(w)
		}
	default:
		notFound(w)
	}
}

// FieldError is one entry of a problem's errors array.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

var instances atomic.Int64

// problem writes Mailchimp's error document.
func problem(w http.ResponseWriter, status int, title, detail string, errs []FieldError) {
	id := fmt.Sprintf("%08x-0000-4000-8000-%012x", status, instances.Add(1))
	h := w.Header()
	h.Set("Content-Type", "application/problem+json; charset=utf-8")
	h.Set("X-Request-Id", id)
	h.Set("Link", `<https://us21.api.mailchimp.com/schema/3.0/ProblemDetailDocument.json>; rel="describedBy"`)
	w.WriteHeader(status)
	doc := map[string]any{
		"type":     "https://mailchimp.com/developer/marketing/docs/errors/",
		"title":    title,
		"status":   status,
		"detail":   detail,
		"instance": id,
	}
	if len(errs) > 0 {
		doc["errors"] = errs
	}
	_ = json.NewEncoder(w).Encode(doc)
}

func notFound(w http.ResponseWriter) {
	problem(w, http.StatusNotFound, "Resource Not Found", "The requested resource could not be found.", nil)
}

func invalid(w http.ResponseWriter, errs ...FieldError) {
	problem(w, http.StatusBadRequest, "Invalid Resource",
		"The resource submitted could not be validated. For field-specific details, see the 'errors' array.", errs)
}

func badRequest(w http.ResponseWriter, detail string) {
	problem(w, http.StatusBadRequest, "Bad Request", detail, nil)
}

// writeJSON writes v, trimmed to the request's fields / exclude_fields like Mailchimp does.
func (s *Server) writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	b, err := selectFields(v, r.URL.Query().Get("fields"), r.URL.Query().Get("exclude_fields"))
	if err != nil {
		problem(w, http.StatusInternalServerError, "Internal Server Error", err.Error(), nil)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// stamp formats a time as Mailchimp does ("2015-09-15T14:40:36+00:00").
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05-07:00")
}

func (s *Server) now() time.Time { return s.opts.Now().UTC().Truncate(time.Second) }
