// Package faults injects network and server faults in front of an http.Handler, for tests of
// the sync engine against platform fakes: 5xx answers, 429s with a short Retry-After, answers
// slower than the client's timeout, and connection resets. A fault strikes either before the
// request reaches the real handler (nothing happened) or, when Options.After is set, sometimes
// after the handler processed it and its answer is thrown away (it took effect, but the client
// cannot know: the hard case for exactly-once publishing). Faults are drawn from a seeded
// source, so a failing run can be replayed.
package faults

import (
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"
)

// Options say how often each fault strikes; the probabilities add up to at most 1 per request.
type Options struct {
	Seed int64
	// P5xx answers 500, 502 or 503; P429 answers 429 with Retry-After; PTimeout holds the
	// request for Stall without answering; PReset closes the connection without an answer.
	P5xx, P429, PTimeout, PReset float64
	// After lets a fault also strike after the handler processed the request: each fault is
	// then injected before or after it with even odds.
	After bool
	// Stall is how long a timeout holds a request (2 s when zero); it should exceed the
	// client's timeout. The request is let go earlier when the client gives up.
	Stall time.Duration
	// RetryAfter is the Retry-After header of injected 429s ("0" when empty).
	RetryAfter string
	// Skip exempts requests from faults (nil: every request may be struck).
	Skip func(r *http.Request) bool
}

// Kind is a fault.
type Kind string

// The faults.
const (
	None     Kind = ""
	Error5xx Kind = "5xx"
	Limit    Kind = "429"
	Timeout  Kind = "timeout"
	Reset    Kind = "reset"
)

// Counts says how many faults of each kind struck, before and after the handler.
type Counts struct {
	Before map[Kind]int
	After  map[Kind]int
}

// Handler is an http.Handler injecting faults in front of another.
type Handler struct {
	next http.Handler
	o    Options

	mu     sync.Mutex
	rng    *rand.Rand
	counts Counts
}

var _ http.Handler = (*Handler)(nil)

// Wrap returns h behind fault injection.
func Wrap(h http.Handler, o Options) *Handler {
	if o.Stall <= 0 {
		o.Stall = 2 * time.Second
	}
	if o.RetryAfter == "" {
		o.RetryAfter = "0"
	}
	seed := uint64(o.Seed)
	return &Handler{next: h, o: o, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		counts: Counts{Before: map[Kind]int{}, After: map[Kind]int{}}}
}

// Counts returns how many faults struck so far.
func (f *Handler) Counts() Counts {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := Counts{Before: map[Kind]int{}, After: map[Kind]int{}}
	for k, v := range f.counts.Before {
		c.Before[k] = v
	}
	for k, v := range f.counts.After {
		c.After[k] = v
	}
	return c
}

// draw picks the fault for one request, and whether it strikes after the handler.
func (f *Handler) draw() (Kind, bool, int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	x := f.rng.Float64()
	after := f.o.After && f.rng.IntN(2) == 1
	status := []int{500, 502, 503}[f.rng.IntN(3)]
	k := None
	for _, c := range []struct {
		p float64
		k Kind
	}{{f.o.P5xx, Error5xx}, {f.o.P429, Limit}, {f.o.PTimeout, Timeout}, {f.o.PReset, Reset}} {
		if x < c.p {
			k = c.k
			break
		}
		x -= c.p
	}
	if k != None {
		if after {
			f.counts.After[k]++
		} else {
			f.counts.Before[k]++
		}
	}
	return k, after, status
}

// ServeHTTP serves r, perhaps with a fault.
func (f *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.o.Skip != nil && f.o.Skip(r) {
		f.next.ServeHTTP(w, r)
		return
	}
	k, after, status := f.draw()
	if k == None {
		f.next.ServeHTTP(w, r)
		return
	}
	if after {
		// The handler does its work; its answer never reaches the client.
		f.next.ServeHTTP(httptest.NewRecorder(), r)
	}
	switch k {
	case Error5xx:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(status)
		_, _ = w.Write([]byte("<html><body><h1>Server error</h1></body></html>"))
	case Limit:
		w.Header().Set("Retry-After", f.o.RetryAfter)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte(`{"error":"Too many requests"}`))
	case Timeout:
		t := time.NewTimer(f.o.Stall)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
		}
		hijackClose(w)
	case Reset:
		hijackClose(w)
	}
}

// hijackClose closes the connection under the request with a TCP reset (linger 0), so the
// client sees "connection reset by peer" rather than an answer.
func hijackClose(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler) // HTTP/2: abort the stream instead
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}
