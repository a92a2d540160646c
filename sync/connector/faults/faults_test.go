package faults_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"hearth/sync/connector/faults"
)

// counting is a handler that counts the requests it processed.
type counting struct{ n atomic.Int64 }

func (c *counting) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	c.n.Add(1)
	_, _ = io.WriteString(w, `{"ok":true}`)
}

func serve(t *testing.T, o faults.Options) (*counting, *faults.Handler, *httptest.Server) {
	t.Helper()
	h := &counting{}
	f := faults.Wrap(h, o)
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return h, f, srv
}

func TestEachFaultReachesTheClientAsItWould(t *testing.T) {
	client := &http.Client{Timeout: 200 * time.Millisecond}
	cases := []struct {
		name    string
		o       faults.Options
		status  int
		neterr  bool
		handled int64
	}{
		{"a server error answers 5xx before the handler", faults.Options{P5xx: 1}, 0, false, 0},
		{"a rate limit answers 429 with Retry-After", faults.Options{P429: 1, RetryAfter: "1"}, 429, false, 0},
		{"a reset gives no answer", faults.Options{PReset: 1}, 0, true, 0},
		{"a stall outlasts the client's timeout", faults.Options{PTimeout: 1, Stall: 5 * time.Second}, 0, true, 0},
		{"no fault lets the request through", faults.Options{}, 200, false, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, f, srv := serve(t, c.o)
			start := time.Now()
			resp, err := client.Post(srv.URL+"/x", "application/json", nil)
			if c.neterr {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("got HTTP %d, want a transport error", resp.StatusCode)
				}
				if time.Since(start) > 2*time.Second {
					t.Fatalf("the client waited %v", time.Since(start))
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if c.status != 0 && resp.StatusCode != c.status {
					t.Fatalf("status %d, want %d", resp.StatusCode, c.status)
				}
				if c.status == 0 && resp.StatusCode < 500 {
					t.Fatalf("status %d, want 5xx", resp.StatusCode)
				}
				if c.status == 429 && resp.Header.Get("Retry-After") != "1" {
					t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
				}
			}
			if got := h.n.Load(); got != c.handled {
				t.Fatalf("handler ran %d times, want %d", got, c.handled)
			}
			total := 0
			for _, n := range f.Counts().Before {
				total += n
			}
			if want := map[bool]int{true: 0, false: 1}[c.handled == 1]; total != want {
				t.Fatalf("counted %d faults, want %d", total, want)
			}
		})
	}
}

func TestAFaultAfterTheHandlerLosesAnAnswerThatTookEffect(t *testing.T) {
	h, f, srv := serve(t, faults.Options{Seed: 7, PReset: 1, After: true})
	client := &http.Client{Timeout: time.Second}
	for range 20 {
		resp, err := client.Post(srv.URL+"/x", "application/json", nil)
		if err == nil {
			resp.Body.Close()
			t.Fatal("a reset request got an answer")
		}
	}
	c := f.Counts()
	if c.After[faults.Reset] == 0 || c.Before[faults.Reset] == 0 {
		t.Fatalf("faults before %v, after %v: want both", c.Before, c.After)
	}
	if got := h.n.Load(); got != int64(c.After[faults.Reset]) {
		t.Fatalf("handler ran %d times, want %d (the faults after it)", got, c.After[faults.Reset])
	}
}

func TestTheSameSeedStrikesTheSameRequests(t *testing.T) {
	pattern := func() []bool {
		_, _, srv := serve(t, faults.Options{Seed: 42, P5xx: 0.5})
		var out []bool
		for range 30 {
			resp, err := http.Get(srv.URL)
			if err != nil {
				t.Fatal(errors.Unwrap(err))
			}
			resp.Body.Close()
			out = append(out, resp.StatusCode >= 500)
		}
		return out
	}
	a, b := pattern(), pattern()
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("request %d differs between two runs with the same seed", i)
		}
	}
}
