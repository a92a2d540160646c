package mastodon_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/sync/connector"
	"hearth/sync/internal/synctest"
	"hearth/sync/mastodon"
	"hearth/sync/mastodon/mastodontest"
)

var ctx = context.Background()

const token = "mst-Secret-Token-9f8e7d6c5b4a"

// newClock returns a settable clock shared by a client and its fake.
func newClock() *clock.Manual { return clock.NewManual(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)) }

// errorsSeen collects every error a test got, to check that none carries the token.
var errorsSeen struct {
	mu   sync.Mutex
	msgs []string
}

func seen(err error) error {
	if err != nil {
		errorsSeen.mu.Lock()
		errorsSeen.msgs = append(errorsSeen.msgs, err.Error(), connector.Describe("Mastodon", err))
		errorsSeen.mu.Unlock()
	}
	return err
}

type setup struct {
	fake  *mastodontest.Server
	url   string
	clock *clock.Manual
}

func start(t *testing.T, o mastodontest.Options) setup {
	t.Helper()
	c := newClock()
	o.Token = token
	if o.Now == nil {
		o.Now = c.Now
	}
	fake, u := mastodontest.Start(t, o)
	return setup{fake: fake, url: u, clock: c}
}

// client builds a connector with its own transport (a fresh connection: Go's transport would
// otherwise replay an idempotent-looking POST on a reused one by itself).
func (s setup) client(t testing.TB, secret string, change ...func(*connector.Config)) connector.Connector {
	t.Helper()
	cfg := connector.Config{
		Connection: connections.Connection{Platform: connections.Mastodon, Settings: connections.Settings{URL: s.url}},
		Secret:     secret,
		HTTP:       &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{}},
		NoLimit:    true,
		Now:        s.clock.Now,
	}
	for _, f := range change {
		f(&cfg)
	}
	c, err := mastodon.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func kindOf(t *testing.T, err error, want connector.Kind) *connector.Error {
	t.Helper()
	seen(err)
	var ce *connector.Error
	if !errors.As(err, &ce) || ce.Kind != want {
		t.Fatalf("error %v (%T), want kind %s", err, err, want)
	}
	return ce
}

func TestNewNamesTheMissingSetting(t *testing.T) {
	cases := []struct {
		name, url, secret, want string
	}{
		{"no instance", "", token, "settings.url"},
		{"not a web address", "mastodon.social", token, "settings.url"},
		{"ftp", "ftp://mastodon.social", token, "settings.url"},
		{"no token", "https://mastodon.social", " ", "access token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := mastodon.New(connector.Config{Connection: connections.Connection{Settings: connections.Settings{URL: c.url}}, Secret: c.secret})
			ce := kindOf(t, err, connector.Invalid)
			if !strings.Contains(ce.Message, c.want) {
				t.Errorf("message %q does not name %q", ce.Message, c.want)
			}
		})
	}
}

func TestEveryRequestCarriesTheBearerTokenAndAWrongOneIsAnAuthError(t *testing.T) {
	s := start(t, mastodontest.Options{})
	if err := s.client(t, token).Check(ctx); err != nil {
		t.Fatal(err)
	}
	for _, r := range s.fake.Requests() {
		if !r.Authorized {
			t.Errorf("%s %s sent without the token", r.Method, r.Path)
		}
	}
	err := s.client(t, "wrong-"+token).Check(ctx)
	ce := kindOf(t, err, connector.Auth)
	if ce.Status != http.StatusUnauthorized || !strings.Contains(ce.Message, "The access token is invalid") {
		t.Errorf("error %+v", ce)
	}
	_, err = s.client(t, "wrong-"+token).Publish(ctx, connector.Post{Key: "k", Title: "t"}, nil)
	kindOf(t, err, connector.Auth)
	if got := s.fake.Created(); len(got) != 0 {
		t.Errorf("created %v with a wrong token", got)
	}
}

func TestPublishPostsTitleAndPlainTextPubliclyWithTheEntryKey(t *testing.T) {
	s := start(t, mastodontest.Options{})
	var saved []string
	pub, err := s.client(t, token).Publish(ctx, connector.Post{Key: "item-1@2025-03-01T12:00:00Z", Kind: "post",
		Title: "Pique-nique", Body: "Venez **nombreux** : [inscription](https://ex.org/i)"},
		func(id string) error { saved = append(saved, id); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if got := s.fake.Created(); len(got) != 1 || got[0] != "Pique-nique\n\nVenez nombreux : inscription (https://ex.org/i)" {
		t.Fatalf("created %q", got)
	}
	if len(saved) != 1 || saved[0] != pub.RemoteID || !strings.HasPrefix(pub.URL, "https://mastodon.example/@hearth/") {
		t.Errorf("published %+v, checkpointed %v", pub, saved)
	}
	var post *mastodontest.Recorded
	for _, r := range s.fake.Requests() {
		if r.Method == http.MethodPost {
			post = &r
		}
	}
	if post == nil || post.Path != "/api/v1/statuses" || post.IdempotencyKey != "item-1@2025-03-01T12:00:00Z" ||
		!strings.Contains(post.Body, `"visibility":"public"`) || strings.Contains(post.Body, "scheduled_at") {
		t.Errorf("POST %+v", post)
	}
}

func TestPublishRetriedAfterALostResponseCreatesOneStatus(t *testing.T) {
	c := newClock()
	fake := mastodontest.New(mastodontest.Options{Token: token, Now: c.Now})
	// The status exists, the client sees a network failure.
	hs := httptest.NewServer(synctest.LoseFirst(fake, func(r *http.Request) bool {
		return r.Method == http.MethodPost && r.URL.Path == "/api/v1/statuses"
	}))
	t.Cleanup(hs.Close)
	s := setup{fake: fake, url: hs.URL, clock: c}
	p := connector.Post{Key: "entry-42", Title: "Assemblée générale", Body: "Jeudi 19 h."}
	saves := 0
	save := func(string) error { saves++; return nil }

	_, err := s.client(t, token).Publish(ctx, p, save)
	kindOf(t, err, connector.Unreachable)
	if saves != 0 {
		t.Fatalf("checkpointed without an answer")
	}
	c.Advance(50 * time.Minute) // the engine retries later, within the key's hour
	pub, err := s.client(t, token).Publish(ctx, p, save)
	if err != nil {
		t.Fatal(err)
	}
	if got := fake.Created(); len(got) != 1 {
		t.Fatalf("created %d statuses: %q", len(got), got)
	}
	if text, ok := fake.Status(pub.RemoteID); !ok || !strings.HasPrefix(text, "Assemblée générale") {
		t.Errorf("the retry returned %+v, not the original status", pub)
	}
	if fake.Count(http.MethodPost, "/api/v1/statuses") != 2 {
		t.Errorf("want the same key sent twice")
	}
}

func TestPublishWithACheckpointedIDReconcilesInsteadOfPostingAgain(t *testing.T) {
	s := start(t, mastodontest.Options{})
	p := connector.Post{Key: "entry-7", Title: "Bonjour"}
	pub, err := s.client(t, token).Publish(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(3 * time.Hour) // the idempotency key is forgotten by now
	p.RemoteID = pub.RemoteID
	again, err := s.client(t, token).Publish(ctx, p, func(string) error { t.Error("checkpointed again"); return nil })
	if err != nil || again != pub {
		t.Fatalf("reconcile gave %+v, %v; want %+v", again, err, pub)
	}
	if n := s.fake.Count(http.MethodPost, "/api/v1/statuses"); n != 1 || len(s.fake.Created()) != 1 {
		t.Errorf("%d POSTs", n)
	}

	// Deleted on the instance since: it is posted again.
	s.fake.DeleteStatus(pub.RemoteID)
	third, err := s.client(t, token).Publish(ctx, p, nil)
	if err != nil || third.RemoteID == pub.RemoteID || len(s.fake.Created()) != 2 {
		t.Errorf("after deletion: %+v, %v, created %d", third, err, len(s.fake.Created()))
	}
}

func TestPublishReconcileThatFailsDoesNotPost(t *testing.T) {
	s := start(t, mastodontest.Options{})
	s.fake.FailNext(mastodontest.Unavailable, 1)
	_, err := s.client(t, token).Publish(ctx, connector.Post{Key: "k", Title: "x", RemoteID: "111000000000099"}, nil)
	kindOf(t, err, connector.Temporary)
	if n := s.fake.Count(http.MethodPost, "/api/v1/statuses"); n != 0 {
		t.Errorf("posted while unsure")
	}
}

func TestPublishSchedulesAPostFarEnoughAheadAndNeverTwice(t *testing.T) {
	s := start(t, mastodontest.Options{})
	c := s.client(t, token)
	at := s.clock.Now().Add(2 * time.Hour)
	p := connector.Post{Key: "later", Title: "Rappel", ScheduledAt: at}
	pub, err := c.Publish(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	sc := s.fake.Scheduled()
	if !strings.HasPrefix(pub.RemoteID, "scheduled:") || len(sc) != 1 || !sc[0].At.Equal(at) || pub.URL != "" {
		t.Fatalf("published %+v, scheduled %+v", pub, sc)
	}
	p.RemoteID = pub.RemoteID
	for _, advance := range []time.Duration{0, 3 * time.Hour} { // pending, then published by the instance
		s.clock.Advance(advance)
		if again, err := c.Publish(ctx, p, nil); err != nil || again.RemoteID != pub.RemoteID {
			t.Fatalf("reconcile after %v: %+v, %v", advance, again, err)
		}
	}
	if got := s.fake.Created(); len(got) != 1 || s.fake.Count(http.MethodPost, "/api/v1/statuses") != 1 {
		t.Errorf("created %q", got)
	}

	// Less than MinSchedule ahead: posted now, as a status.
	soon, err := c.Publish(ctx, connector.Post{Key: "soon", Title: "Tout de suite", ScheduledAt: s.clock.Now().Add(2 * time.Minute)}, nil)
	if err != nil || strings.HasPrefix(soon.RemoteID, "scheduled:") {
		t.Errorf("near schedule gave %+v, %v", soon, err)
	}
}

func TestPublishRefusedByTheInstanceIsInvalidWithItsMessage(t *testing.T) {
	s := start(t, mastodontest.Options{MaxChars: 50})
	_, err := s.client(t, token).Publish(ctx, connector.Post{Key: "long", Title: strings.Repeat("trop long ", 10)}, nil)
	ce := kindOf(t, err, connector.Invalid)
	if ce.Status != http.StatusUnprocessableEntity || !strings.Contains(ce.Message, "character limit of 50") {
		t.Errorf("error %+v", ce)
	}
	_, err = s.client(t, token).Publish(ctx, connector.Post{Key: "empty", Body: "  "}, nil)
	kindOf(t, err, connector.Invalid)
}

func TestACheckpointFailureStopsPublish(t *testing.T) {
	s := start(t, mastodontest.Options{})
	boom := errors.New("disk full")
	_, err := s.client(t, token).Publish(ctx, connector.Post{Key: "k", Title: "x"}, func(string) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("error %v", err)
	}
}

func TestServerErrorsAndMalformedBodiesAreTemporary(t *testing.T) {
	s := start(t, mastodontest.Options{})
	c := s.client(t, token)
	for _, f := range []mastodontest.Fault{mastodontest.Unavailable, mastodontest.Internal, mastodontest.Malformed} {
		s.fake.FailNext(f, 1)
		ce := kindOf(t, c.Check(ctx), connector.Temporary)
		if ce.Message == "" {
			t.Errorf("fault %d: empty message", f)
		}
	}
	if err := c.Check(ctx); err != nil {
		t.Fatalf("after the faults: %v", err)
	}
}

func TestATimeoutOrAResetIsUnreachable(t *testing.T) {
	s := start(t, mastodontest.Options{})
	s.fake.FailNext(mastodontest.Stall, 1)
	c := s.client(t, token, func(cfg *connector.Config) {
		cfg.HTTP = &http.Client{Timeout: 150 * time.Millisecond, Transport: &http.Transport{}}
	})
	kindOf(t, c.Check(ctx), connector.Unreachable)
	s.fake.FailNext(mastodontest.Reset, 1)
	kindOf(t, s.client(t, token).Check(ctx), connector.Unreachable)
}

func TestRackAttack429GivesRateLimitedWithTheWaitUntilTheResetAndPausesTheConnection(t *testing.T) {
	s := start(t, mastodontest.Options{RateLimit: 2, RateWindow: 5 * time.Minute})
	c := s.client(t, token, func(cfg *connector.Config) { cfg.NoLimit = false })
	s.clock.Advance(90 * time.Second) // 12:01:30; the window ends at 12:05:00
	for range 2 {
		if err := c.Check(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// The second answer said X-RateLimit-Remaining: 0: the gate holds the third request back.
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if err := c.Check(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a request went out with the quota spent: %v", err)
	}
	if n := len(s.fake.Requests()); n != 2 {
		t.Fatalf("%d requests reached the instance", n)
	}

	// A client that did not see the quota go (another device) gets Rack::Attack's 429.
	other := s.client(t, token, func(cfg *connector.Config) { cfg.NoLimit = false })
	ce := kindOf(t, other.Check(ctx), connector.RateLimited)
	if ce.RetryAfter != 210*time.Second || ce.Status != http.StatusTooManyRequests || !strings.Contains(ce.Message, "Too many requests") {
		t.Errorf("error %+v, want a wait of 3m30s", ce)
	}
	short2, cancel2 := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel2()
	if err := other.Check(short2); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("the 429 did not pause the connection: %v", err)
	}
}

func TestAnInjected429IsRateLimitedWithoutRetryAfterHeader(t *testing.T) {
	s := start(t, mastodontest.Options{FaultReset: 42 * time.Second})
	s.fake.FailNext(mastodontest.RateLimited, 1)
	ce := kindOf(t, s.client(t, token).Check(ctx), connector.RateLimited)
	if ce.RetryAfter != 42*time.Second {
		t.Errorf("RetryAfter %v", ce.RetryAfter)
	}
}

func TestTheTokenAppearsInNoErrorMessage(t *testing.T) {
	// An instance (or a proxy) that echoes what it was sent.
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"bad header ` + r.Header.Get("Authorization") + `"}`))
	}))
	t.Cleanup(hs.Close)
	s := setup{url: hs.URL, clock: newClock()}
	err := seen(s.client(t, token).Check(ctx))
	if err == nil {
		t.Fatal("no error")
	}
	if m := err.Error(); strings.Contains(m, token) || !strings.Contains(m, "[token]") {
		t.Errorf("message %q", m)
	}
}

// TestMain also checks, once every test ran, that none of the errors they met carried the token.
func TestMain(m *testing.M) {
	code := m.Run()
	errorsSeen.mu.Lock()
	defer errorsSeen.mu.Unlock()
	for _, msg := range errorsSeen.msgs {
		if strings.Contains(msg, token) || strings.Contains(msg, token[4:20]) {
			fmt.Fprintf(os.Stderr, "FAIL: the token leaked into an error: %q\n", msg)
			code = 1
		}
	}
	if code == 0 && len(errorsSeen.msgs) < 10 && !testing.Short() && flag.Lookup("test.run").Value.String() == "" {
		fmt.Fprintf(os.Stderr, "FAIL: only %d errors were checked for the token\n", len(errorsSeen.msgs))
		code = 1
	}
	os.Exit(code)
}

// sink records what a pull brings; failAfter > 0 makes the n-th Cursor call fail (a pull
// killed midway).
type sink struct {
	people    []activity.Person
	items     []activity.Incoming
	cursors   []string
	failAfter int
}

var errKilled = errors.New("killed")

func (s *sink) People(_ context.Context, p []activity.Person) error {
	s.people = append(s.people, p...)
	return nil
}

func (s *sink) Activities(_ context.Context, a []activity.Incoming) error {
	s.items = append(s.items, a...)
	return nil
}

func (s *sink) Cursor(_ context.Context, c string) error {
	s.cursors = append(s.cursors, c)
	if s.failAfter > 0 && len(s.cursors) == s.failAfter {
		return errKilled
	}
	return nil
}

func (s *sink) last() string {
	if len(s.cursors) == 0 {
		return ""
	}
	return s.cursors[len(s.cursors)-1]
}

func TestTheFakesLostFaultTakesEffectWithoutAnAnswer(t *testing.T) {
	s := start(t, mastodontest.Options{})
	s.fake.FailNext(mastodontest.Lost, 1)
	p := connector.Post{Key: "lost-1", Title: "Perdu puis retrouvé"}
	_, err := s.client(t, token).Publish(ctx, p, nil)
	kindOf(t, err, connector.Unreachable)
	if _, err := s.client(t, token).Publish(ctx, p, nil); err != nil {
		t.Fatal(err)
	}
	if got := s.fake.Created(); len(got) != 1 {
		t.Errorf("created %q", got)
	}
}
