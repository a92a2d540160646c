// Package synctest holds helpers shared by the tests of the platform connectors and of their
// fakes: a plain HTTP call, handlers that lose or repeat a request's answer, and a check that a
// connector error carries no secret.
package synctest

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"hearth/sync/connector"
)

// Call sends method url with body (none when empty) and the header name/value pairs, an empty
// value leaving its header out; redirects are not followed. It fails t when nothing answers
// and returns the answer's status, headers and body.
func Call(t testing.TB, method, url, body string, header ...string) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] != "" {
			req.Header.Set(header[i], header[i+1])
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// LoseFirst serves next, except the first request match accepts: next processes it, then the
// connection closes without an answer (it took effect, the client cannot know).
func LoseFirst(next http.Handler, match func(*http.Request) bool) http.Handler {
	return onFirst(next, match, false)
}

// RepeatFirst serves next, except the first request match accepts: next processes it unseen,
// then once more with its answer sent (a request that reached the platform twice).
func RepeatFirst(next http.Handler, match func(*http.Request) bool) http.Handler {
	return onFirst(next, match, true)
}

func onFirst(next http.Handler, match func(*http.Request) bool, repeat bool) http.Handler {
	var mu sync.Mutex
	done := false
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hit := !done && match(r)
		done = done || hit
		mu.Unlock()
		if !hit {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(httptest.NewRecorder(), r.Clone(r.Context()))
		if repeat {
			next.ServeHTTP(w, r)
			return
		}
		panic(http.ErrAbortHandler) // the connection closes without an answer
	})
}

// NoSecret fails t when any of secrets appears in err's text, its code or its description for
// the user (connector.Describe with platform); a nil err passes.
func NoSecret(t testing.TB, platform string, err error, secrets ...string) {
	t.Helper()
	if err == nil {
		return
	}
	code := ""
	var ce *connector.Error
	if errors.As(err, &ce) {
		code = ce.Code
	}
	d := connector.Describe(platform, err)
	for _, s := range secrets {
		if strings.Contains(err.Error(), s) || strings.Contains(code, s) || strings.Contains(d, s) {
			t.Fatalf("a secret leaks in %q (code %q, description %q)", err, code, d)
		}
	}
}
