package mailchimp

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/sync/connector"
	"hearth/sync/internal/synctest"
	"hearth/sync/mailchimp/mailchimptest"
)

const key = mailchimptest.DefaultKey

// newClock returns a settable clock for a test's fake and client.
func newClock() *clock.Manual { return clock.NewManual(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)) }

// newClient returns a client of the audience DefaultList at url, with the given key.
func newClient(t *testing.T, url, secret string, timeout time.Duration) *Client {
	t.Helper()
	c, err := NewClient(connector.Config{
		Connection: connections.Connection{Platform: connections.Mailchimp,
			Settings: connections.Settings{ListID: mailchimptest.DefaultList, APIURL: url}},
		Secret: secret,
		HTTP:   &http.Client{Timeout: timeout},
	})
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// start runs a fake and returns it with a client of it.
func start(t *testing.T, opts mailchimptest.Options) (*mailchimptest.Server, *Client) {
	t.Helper()
	fake, url := mailchimptest.Start(t, opts)
	return fake, newClient(t, url, key, 5*time.Second)
}

// kindOf fails the test unless err is a *connector.Error of kind k, and returns it.
func kindOf(t *testing.T, err error, k connector.Kind) *connector.Error {
	t.Helper()
	var ce *connector.Error
	if !errors.As(err, &ce) || ce.Kind != k {
		t.Fatalf("error %v, want a connector error of kind %s", err, k)
	}
	synctest.NoSecret(t, "Mailchimp", err, key, "wrong-key-us21")
	return ce
}

func TestNewNamesTheMissingSetting(t *testing.T) {
	cases := []struct {
		name     string
		settings connections.Settings
		secret   string
		want     string
	}{
		{"no list", connections.Settings{}, key, "listId"},
		{"no key", connections.Settings{ListID: "l"}, "", "API key"},
		{"key without data centre and no apiUrl", connections.Settings{ListID: "l"}, "0123abcd", "apiUrl"},
		{"apiUrl not http", connections.Settings{ListID: "l", APIURL: "ftp://x"}, key, "apiUrl"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(connector.Config{Connection: connections.Connection{Settings: tc.settings}, Secret: tc.secret})
			ce := kindOf(t, err, connector.Invalid)
			if !strings.Contains(ce.Message, tc.want) {
				t.Fatalf("message %q does not name %q", ce.Message, tc.want)
			}
			if tc.secret != "" && strings.Contains(ce.Message, tc.secret) {
				t.Fatalf("message %q holds the key", ce.Message)
			}
		})
	}
}

func TestNewDerivesTheAPIRootFromTheKeysDataCentre(t *testing.T) {
	c, err := NewClient(connector.Config{Connection: connections.Connection{
		Settings: connections.Settings{ListID: "l"}}, Secret: "abcdef0123-us14"})
	if err != nil {
		t.Fatal(err)
	}
	if c.api.Base != "https://us14.api.mailchimp.com/3.0" {
		t.Fatalf("base %q", c.api.Base)
	}
}

func TestCheckSendsBasicAuthWithTheKeyAsPassword(t *testing.T) {
	var user, pass string
	var ok bool
	fake := mailchimptest.New(mailchimptest.Options{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok = r.BasicAuth()
		fake.ServeHTTP(w, r)
	}))
	defer ts.Close()
	c := newClient(t, ts.URL+"/3.0", key, 5*time.Second)
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	if !ok || user == "" || pass != key {
		t.Fatalf("basic auth %v %q, want the key as password", ok, user)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/3.0/lists/"+mailchimptest.DefaultList || !reqs[0].Auth || !reqs[0].Authorized {
		t.Fatalf("requests %+v", reqs)
	}
}

func TestAWrongKeyIsAnAuthError(t *testing.T) {
	fake, url := mailchimptest.Start(t, mailchimptest.Options{})
	c := newClient(t, url, "wrong-key-us21", 5*time.Second)
	ce := kindOf(t, c.Check(context.Background()), connector.Auth)
	if r := fake.Requests()[0]; !r.Auth || r.Authorized {
		t.Fatalf("recorded %+v", r)
	}
	if ce.Status != http.StatusUnauthorized || !strings.Contains(ce.Message, "API Key Invalid") {
		t.Fatalf("error %+v", ce)
	}
}

func TestAnUnknownAudienceIsGone(t *testing.T) {
	_, url := mailchimptest.Start(t, mailchimptest.Options{ListID: "other"})
	c := newClient(t, url, key, 5*time.Second)
	kindOf(t, c.Check(context.Background()), connector.Gone)
}

func TestA429IsRateLimitedForTenSecondsAndPausesTheConnection(t *testing.T) {
	clk := newClock()
	fake, url := mailchimptest.Start(t, mailchimptest.Options{})
	c, err := NewClient(connector.Config{Connection: connections.Connection{
		Settings: connections.Settings{ListID: mailchimptest.DefaultList, APIURL: url}}, Secret: key, Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	fake.FailNext(1, mailchimptest.RateLimit)
	ce := kindOf(t, c.Check(context.Background()), connector.RateLimited)
	if ce.RetryAfter != DefaultRetryAfter || ce.Code != "Too Many Requests" {
		t.Fatalf("error %+v, want RetryAfter 10s", ce)
	}
	if got := c.api.Gate.PausedUntil(); !got.Equal(clk.Now().Add(DefaultRetryAfter)) {
		t.Fatalf("gate paused until %v", got)
	}
}

func TestARetryAfterHeaderIsHonouredAndTheGateWaits(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{RetryAfter: "0.3"})
	fake.FailNext(1, mailchimptest.RateLimit)
	ce := kindOf(t, c.Check(context.Background()), connector.RateLimited)
	if ce.RetryAfter != 300*time.Millisecond {
		t.Fatalf("RetryAfter %v", ce.RetryAfter)
	}
	began := time.Now()
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check after the pause: %v", err)
	}
	if waited := time.Since(began); waited < 250*time.Millisecond {
		t.Fatalf("the next request went after %v, before the pause ended", waited)
	}
}

func TestServerErrorsAndMalformedBodiesAreTemporary(t *testing.T) {
	fake, c := start(t, mailchimptest.Options{})
	fake.FailNext(1, mailchimptest.ServerError)
	ce := kindOf(t, c.Check(context.Background()), connector.Temporary)
	if ce.Status != 500 || !strings.Contains(ce.Message, "Internal Server Error") {
		t.Fatalf("error %+v", ce)
	}
	fake.FailNext(1, mailchimptest.Malformed)
	kindOf(t, c.Check(context.Background()), connector.Temporary)
	fake.FailNext(1, mailchimptest.Malformed)
	_, err := c.Pull(context.Background(), "", &sink{})
	kindOf(t, err, connector.Temporary)
}

func TestATimeoutIsUnreachable(t *testing.T) {
	fake, url := mailchimptest.Start(t, mailchimptest.Options{})
	c := newClient(t, url, key, 150*time.Millisecond)
	fake.FailNext(1, mailchimptest.Stall)
	kindOf(t, c.Check(context.Background()), connector.Unreachable)
}

func TestTheKeyNeverAppearsInAnErrorEvenWhenThePlatformEchoesIt(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"type":"x","title":"Invalid Resource","status":400,"detail":"bad key ` + key +
			`","errors":[{"field":"apikey","message":"` + key + `"}]}`))
	}))
	defer ts.Close()
	c := newClient(t, ts.URL, key, 5*time.Second)
	ce := kindOf(t, c.Check(context.Background()), connector.Invalid)
	if !strings.Contains(ce.Message, "[API key]") || !strings.Contains(ce.Message, "apikey") {
		t.Fatalf("message %q", ce.Message)
	}
}

func TestFieldErrorsAreNamedInAnInvalidError(t *testing.T) {
	c := &Client{secret: key, now: time.Now}
	ce := c.classify(400, http.Header{}, []byte(`{"type":"t","title":"Invalid Resource","status":400,`+
		`"detail":"The resource submitted could not be validated.","instance":"i",`+
		`"errors":[{"field":"email_address","message":"looks fake"},{"field":"merge_fields.FNAME","message":"too long"}]}`))
	if ce.Kind != connector.Invalid || !strings.Contains(ce.Message, "email_address: looks fake") ||
		!strings.Contains(ce.Message, "merge_fields.FNAME") {
		t.Fatalf("error %+v", ce)
	}
	for status, want := range map[int]connector.Kind{401: connector.Auth, 403: connector.Auth,
		404: connector.Gone, 500: connector.Temporary, 503: connector.Temporary, 429: connector.RateLimited} {
		if got := c.classify(status, http.Header{}, []byte("<html>oops</html>")).Kind; got != want {
			t.Errorf("status %d: kind %s, want %s", status, got, want)
		}
	}
}

// FuzzClassify feeds arbitrary error bodies: classify never panics and never shows the key.
func FuzzClassify(f *testing.F) {
	f.Add(400, []byte(`{"type":"t","title":"Invalid Resource","status":400,"detail":"d","errors":[{"field":"f","message":"m"}]}`))
	f.Add(429, []byte(`{"title":"Too Many Requests","status":429}`))
	f.Add(401, []byte(`{"detail":"`+key+`"}`))
	f.Add(500, []byte(strings.Repeat("x", 290)+key))
	c := &Client{secret: key, now: time.Now}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 599 {
			status = 400 + (status&0xff)%200
		}
		ce := c.classify(status, http.Header{}, body)
		if ce == nil || ce.Kind == "" {
			t.Fatalf("no classification for %d %q", status, body)
		}
		synctest.NoSecret(t, "Mailchimp", ce, key)
	})
}
