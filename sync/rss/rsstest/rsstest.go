// Package rsstest is an httptest-ready fake web site serving RSS and Atom feeds the way a
// well-behaved server does: every feed has an ETag (a hash of its body) and a Last-Modified
// (when it last changed); a GET with If-None-Match naming the current ETag, or else with
// If-Modified-Since not older than Last-Modified, gets 304 Not Modified with no body. Tests can
// change a feed, remove it (404 or 410), and inject failures (503 or 429 with Retry-After, a
// malformed body, a connection reset, a stall).
//
// Feeds served from the start, from the committed fixtures in testdata: /rss.xml (RSS 2.0 with
// HTML and a script in descriptions, a relative link, an item without guid, one without link),
// /atom.xml (Atom 1.0), /malformed.xml (a feed cut short) and /page.html (a web page).
package rsstest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

//go:embed testdata
var fixtures embed.FS

// Fixture returns a committed fixture ("rss2.xml", "atom.xml", "malformed.xml",
// "not-a-feed.html").
func Fixture(name string) []byte {
	b, err := fixtures.ReadFile("testdata/" + name)
	if err != nil {
		panic("rsstest: no fixture " + name)
	}
	return b
}

// Options configure a Server.
type Options struct {
	// NoETag and NoLastModified leave out a validator, like servers that send only one.
	NoETag, NoLastModified bool
	// RetryAfter is the Retry-After of injected 429 and 503 answers (default 30 s).
	RetryAfter time.Duration
	// Now is the clock for Last-Modified (time.Now when nil).
	Now func() time.Time
	// NoRecord keeps no request log.
	NoRecord bool
}

// Fault is a failure to inject.
type Fault int

// The faults FailNext injects.
const (
	// Unavailable: 503 with Retry-After.
	Unavailable Fault = iota + 1
	// RateLimited: 429 with Retry-After.
	RateLimited
	// Malformed: 200 with a feed cut short.
	Malformed
	// Reset: the connection is closed with no answer.
	Reset
	// Stall: no answer until the client gives up (at most 30 s).
	Stall
)

// Recorded is one request as the server saw it.
type Recorded struct {
	Method, Path, Query string
	// IfNoneMatch and IfModifiedSince are the conditional headers sent.
	IfNoneMatch, IfModifiedSince string
	// Auth says an Authorization header was sent (a feed reader sends none).
	Auth      bool
	Accept    string
	UserAgent string
	// Status is what the server answered (0 for a reset or stall).
	Status int
}

type feed struct {
	body     []byte
	ctype    string
	etag     string
	modified time.Time
	gone     int // 404 or 410 once removed
	gen      int // items generated on request
}

// Server is the fake site. It is an http.Handler, safe for concurrent use.
type Server struct {
	opts Options

	mu       sync.Mutex
	feeds    map[string]*feed
	faults   []Fault
	requests []Recorded
}

// New returns a site serving the fixture feeds.
func New(opts Options) *Server {
	if opts.RetryAfter <= 0 {
		opts.RetryAfter = 30 * time.Second
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, feeds: map[string]*feed{}}
	s.SetFeed("/rss.xml", Fixture("rss2.xml"), "application/rss+xml; charset=utf-8")
	s.SetFeed("/atom.xml", Fixture("atom.xml"), "application/atom+xml; charset=utf-8")
	s.SetFeed("/malformed.xml", Fixture("malformed.xml"), "application/rss+xml; charset=utf-8")
	s.SetFeed("/page.html", Fixture("not-a-feed.html"), "text/html; charset=utf-8")
	return s
}

// Start serves a new site on an httptest server closed when the test ends; it returns the
// site's URL (feeds are at URL+"/rss.xml" and so on).
func Start(t testing.TB, opts Options) (*Server, string) {
	t.Helper()
	s := New(opts)
	hs := httptest.NewServer(s)
	t.Cleanup(hs.Close)
	return s, hs.URL
}

// SetFeed serves body at path from now on, with a new ETag and Last-Modified.
func (s *Server) SetFeed(path string, body []byte, contentType string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set(path, &feed{body: append([]byte(nil), body...), ctype: contentType})
}

// set installs f (s.mu held).
func (s *Server) set(path string, f *feed) {
	h := sha256.New()
	h.Write(f.body)
	fmt.Fprint(h, f.gen)
	f.etag = `"` + hex.EncodeToString(h.Sum(nil)[:8]) + `"`
	f.modified = s.opts.Now().UTC().Truncate(time.Second)
	s.feeds[path] = f
}

// AddItem puts a new item at the top of the RSS feed at path (a guid, a title, a link and an
// HTML description), as a blog publishing a post; the feed's validators change.
func (s *Server) AddItem(path, guid, title, link, description string, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.feeds[path]
	if !ok {
		panic("rsstest: no feed at " + path)
	}
	item := fmt.Sprintf("<item><title>%s</title><link>%s</link><guid isPermaLink=\"false\">%s</guid><pubDate>%s</pubDate><description>%s</description></item>\n    ",
		html.EscapeString(title), html.EscapeString(link), html.EscapeString(guid), at.UTC().Format(time.RFC1123Z), html.EscapeString(description))
	body := string(f.body)
	i := strings.Index(body, "<item>")
	if i < 0 {
		i = strings.Index(body, "</channel>")
	}
	s.set(path, &feed{body: []byte(body[:i] + item + body[i:]), ctype: f.ctype})
}

// Remove makes path answer status (404 or 410) from now on.
func (s *Server) Remove(path string, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.feeds[path] = &feed{gone: status}
}

// Generate serves an RSS feed of messages items at /generated.xml, rendered on each request
// (feeds have no people: people is ignored).
func (s *Server) Generate(people, messages int) {
	_ = people
	s.mu.Lock()
	defer s.mu.Unlock()
	s.set("/generated.xml", &feed{ctype: "application/rss+xml; charset=utf-8", gen: messages})
}

// FailNext makes the next n requests fail with f.
func (s *Server) FailNext(f Fault, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for range n {
		s.faults = append(s.faults, f)
	}
}

// Created returns nil: a feed site takes nothing in.
func (s *Server) Created() []string { return nil }

// Requests returns the requests received so far (unless Options.NoRecord).
func (s *Server) Requests() []Recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Recorded(nil), s.requests...)
}

// Hits counts the requests for path, and how many of them got a full body (200).
func (s *Server) Hits(path string) (requests, full int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.requests {
		if r.Path == path {
			requests++
			if r.Status == http.StatusOK {
				full++
			}
		}
	}
	return requests, full
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	rec := -1
	if !s.opts.NoRecord {
		rec = len(s.requests)
		s.requests = append(s.requests, Recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			IfNoneMatch: r.Header.Get("If-None-Match"), IfModifiedSince: r.Header.Get("If-Modified-Since"),
			Auth: r.Header.Get("Authorization") != "", Accept: r.Header.Get("Accept"), UserAgent: r.Header.Get("User-Agent")})
	}
	var fault Fault
	if len(s.faults) > 0 {
		fault, s.faults = s.faults[0], s.faults[1:]
	}
	var f feed
	fp, ok := s.feeds[r.URL.Path]
	if ok {
		f = *fp
	}
	s.mu.Unlock()

	status := s.answer(w, r, fault, f, ok)
	if rec >= 0 {
		s.mu.Lock()
		s.requests[rec].Status = status
		s.mu.Unlock()
	}
}

// answer writes the response and returns its status.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, fault Fault, f feed, ok bool) int {
	retry := strconv.Itoa(int(s.opts.RetryAfter.Round(time.Second) / time.Second))
	switch fault {
	case Unavailable, RateLimited:
		status := http.StatusServiceUnavailable
		if fault == RateLimited {
			status = http.StatusTooManyRequests
		}
		w.Header().Set("Retry-After", retry)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>\n", status, http.StatusText(status))
		return status
	case Malformed:
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(Fixture("malformed.xml"))
		return http.StatusOK
	case Reset:
		panic(http.ErrAbortHandler)
	case Stall:
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		<-ctx.Done()
		panic(http.ErrAbortHandler)
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return http.StatusMethodNotAllowed
	}
	if !ok || f.gone != 0 {
		status := http.StatusNotFound
		if ok {
			status = f.gone
		}
		http.Error(w, http.StatusText(status), status)
		return status
	}
	if !s.opts.NoETag {
		w.Header().Set("ETag", f.etag)
	}
	if !s.opts.NoLastModified {
		w.Header().Set("Last-Modified", f.modified.Format(http.TimeFormat))
	}
	if s.notModified(r, f) {
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified
	}
	body := f.body
	if f.gen > 0 {
		body = generated(f.gen)
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(body)
	}
	return http.StatusOK
}

// notModified applies RFC 9110's rules: If-None-Match when sent, else If-Modified-Since.
func (s *Server) notModified(r *http.Request, f feed) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		if s.opts.NoETag {
			return false
		}
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == f.etag {
				return true
			}
		}
		return false
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || s.opts.NoLastModified {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !f.modified.After(t)
}

// generated renders an RSS feed of n items, the newest first.
func generated(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Generated</title><link>https://generated.example/</link><description>generated</description>`)
	epoch := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := n; i >= 1; i-- {
		fmt.Fprintf(&b, `<item><title>Item %d</title><link>https://generated.example/%d</link><guid>gen-%d</guid><pubDate>%s</pubDate><description>&lt;p&gt;Text of item %d&lt;/p&gt;</description></item>`,
			i, i, i, epoch.Add(time.Duration(i)*time.Minute).Format(time.RFC1123Z), i)
	}
	b.WriteString(`</channel></rss>`)
	return b.Bytes()
}
