package discourse

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/connections"
	"hearth/sync/connector"
	"hearth/sync/discourse/discoursetest"
	"hearth/sync/internal/synctest"
)

func TestNewNamesTheMissingOrInvalidSetting(t *testing.T) {
	cases := []struct {
		name     string
		settings connections.Settings
		secret   string
		code     string
	}{
		{"no url", connections.Settings{Username: "system"}, testKey, "url"},
		{"a url that is not one", connections.Settings{URL: "forum", Username: "system"}, testKey, "url"},
		{"plain http to another machine", connections.Settings{URL: "http://forum.example.org", Username: "system"}, testKey, "url"},
		{"no username", connections.Settings{URL: "https://forum.example.org"}, testKey, "username"},
		{"no key", connections.Settings{URL: "https://forum.example.org", Username: "system"}, "", "secret"},
		{"a category that is not an id", connections.Settings{URL: "https://forum.example.org", Username: "system", Category: "events"}, testKey, "category"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(connector.Config{Connection: connections.Connection{Settings: tc.settings}, Secret: tc.secret})
			ce := kindOf(t, err)
			if ce.Kind != connector.Invalid || ce.Code != tc.code {
				t.Fatalf("got %s/%q, want invalid/%q (%v)", ce.Kind, ce.Code, tc.code, err)
			}
		})
	}
}

func TestCheckSendsTheAPIKeyAndUsername(t *testing.T) {
	fake, base := startFake(t, discoursetest.Options{})
	c := newClient(t, base)
	if err := c.Check(context.Background()); err != nil {
		t.Fatalf("Check: %v", err)
	}
	reqs := fake.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/admin/users/list/staff.json" || !reqs[0].APIKey || reqs[0].APIUsername != "system" {
		t.Fatalf("requests = %+v", reqs)
	}
}

func TestAWrongKeyIsAnAuthErrorThatDoesNotShowTheKey(t *testing.T) {
	_, base := startFake(t, discoursetest.Options{})
	const wrong = "wrong-key-0123456789abcdef"
	c := newClient(t, base, func(cfg *connector.Config) { cfg.Secret = wrong })
	err := c.Check(context.Background())
	ce := kindOf(t, err)
	if ce.Kind != connector.Auth || ce.Status != http.StatusForbidden || ce.Code != "invalid_access" {
		t.Fatalf("got %+v", ce)
	}
	if !strings.Contains(err.Error(), "The API username or key is invalid.") || strings.Contains(err.Error(), wrong) {
		t.Fatalf("message %q", err.Error())
	}
}

func TestPublishCreatesOneTopicWithItsExternalID(t *testing.T) {
	fake, base := startFake(t, discoursetest.Options{})
	cat := fake.AddCategory("Annonces")
	c := newClient(t, base, func(cfg *connector.Config) { cfg.Connection.Settings.Category = itoa(cat) })
	var s saved
	pub, err := c.Publish(context.Background(), connector.Post{Key: "item1@2026-03-02T10:00:00Z", Title: "Soirée jeux",
		Body: "Venez **nombreux** vendredi."}, s.save)
	if err != nil {
		t.Fatalf("Publish: %v", err)
	}
	if got := fake.Created(); len(got) != 1 || got[0] != "Soirée jeux\nVenez **nombreux** vendredi." {
		t.Fatalf("created %q", got)
	}
	if len(s.ids) != 1 || s.ids[0] != pub.RemoteID || pub.URL != base+"/t/soir-e-jeux/"+pub.RemoteID {
		t.Fatalf("published %+v, checkpoints %v", pub, s.ids)
	}
	reqs := fake.Requests()
	post := reqs[len(reqs)-1]
	want := `"category":` + itoa(cat) + `,"external_id":"` + ExternalID("item1@2026-03-02T10:00:00Z") + `"`
	if post.Method != http.MethodPost || post.Path != "/posts.json" || !strings.Contains(post.Body, want) ||
		!strings.HasPrefix(post.ContentType, "application/json") {
		t.Fatalf("create request %+v, want body with %s", post, want)
	}
	if n := len(ExternalID("any key at all")); n > 50 {
		t.Fatalf("external_id has %d characters", n)
	}
}

func TestPublishRetriedAfterALostAnswerCreatesOneTopic(t *testing.T) {
	for _, wait := range []time.Duration{0, 5 * time.Minute} { // within and past the 120 s memo
		t.Run(wait.String(), func(t *testing.T) {
			clk := newClock()
			fake := discoursetest.New(discoursetest.Options{APIKey: testKey, Now: clk.Now})
			// The fake creates the topic, then its answer is lost.
			ts := httptest.NewServer(synctest.LoseFirst(fake, func(r *http.Request) bool { return r.Method == http.MethodPost }))
			defer ts.Close()
			c := newClient(t, ts.URL)
			p := connector.Post{Key: "item2@2026-03-02T10:00:00Z", Title: "Assemblée générale", Body: "Ordre du jour"}
			var s saved
			_, err := c.Publish(context.Background(), p, s.save)
			if connector.KindOf(err) != connector.Unreachable {
				t.Fatalf("first attempt: %v", err)
			}
			clk.Advance(wait)
			pub, err := c.Publish(context.Background(), p, s.save)
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			if got := fake.Created(); len(got) != 1 {
				t.Fatalf("created %d topics: %q", len(got), got)
			}
			if len(s.ids) != 1 || s.ids[0] != pub.RemoteID {
				t.Fatalf("checkpoints %v, published %+v", s.ids, pub)
			}
			for _, r := range fake.Requests()[2:] {
				if r.Method == http.MethodPost {
					t.Fatalf("the retry created again: %+v", r)
				}
			}
		})
	}
}

func TestPublishAfterTheFakeLostTheCreateAnswerCreatesOneTopic(t *testing.T) {
	fake, base := startFake(t, discoursetest.Options{})
	fake.FailNext(1, discoursetest.Fault{})                         // the lookup passes
	fake.FailNext(1, discoursetest.Fault{Kind: discoursetest.Lost}) // the create's answer is lost
	c := newClient(t, base)
	p := connector.Post{Key: "item4", Title: "Pique-nique", Body: "Dimanche au parc"}
	var s saved
	if _, err := c.Publish(context.Background(), p, s.save); connector.KindOf(err) != connector.Unreachable {
		t.Fatalf("first attempt: %v", err)
	}
	if _, err := c.Publish(context.Background(), p, s.save); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if got := fake.Created(); len(got) != 1 || len(s.ids) != 1 {
		t.Fatalf("created %q, checkpoints %v", got, s.ids)
	}
}

func TestPublishReconcilesWhenTheExternalIDIsAlreadyTaken(t *testing.T) {
	clk := newClock()
	fake := discoursetest.New(discoursetest.Options{APIKey: testKey, Now: clk.Now})
	// The lookup misses the first time (the other attempt had not finished), so the create
	// runs into Discourse's uniqueness check.
	missed := false
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/t/external_id/") && len(fake.Created()) == 1 && !missed {
			missed = true
			http.Error(w, `{"errors":["The requested URL or resource could not be found."],"error_type":"not_found"}`, http.StatusNotFound)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	defer ts.Close()
	c := newClient(t, ts.URL)
	p := connector.Post{Key: "item3", Title: "Atelier", Body: "Samedi"}
	var s saved
	first, err := c.Publish(context.Background(), p, s.save)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(3 * time.Minute) // past the memo: the create is really attempted
	second, err := c.Publish(context.Background(), p, s.save)
	if err != nil {
		t.Fatalf("second publish: %v", err)
	}
	if second.RemoteID != first.RemoteID || len(fake.Created()) != 1 || !missed {
		t.Fatalf("first %+v second %+v created %q", first, second, fake.Created())
	}
}

func TestPublishWithARemoteIDReturnsItWithoutARequest(t *testing.T) {
	fake, base := startFake(t, discoursetest.Options{})
	c := newClient(t, base)
	pub, err := c.Publish(context.Background(), connector.Post{Key: "k", Title: "T", Body: "B", RemoteID: "42"},
		func(string) error { t.Fatal("checkpoint again"); return nil })
	if err != nil || pub.RemoteID != "42" || len(fake.Requests()) != 0 {
		t.Fatalf("pub %+v err %v requests %d", pub, err, len(fake.Requests()))
	}
}

func TestACheckpointFailureStopsPublish(t *testing.T) {
	_, base := startFake(t, discoursetest.Options{})
	c := newClient(t, base)
	boom := errors.New("disk full")
	_, err := c.Publish(context.Background(), connector.Post{Key: "k", Title: "T", Body: "B"},
		func(string) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestPublishWithoutATitleUsesTheFirstLineAndRefusesAnEmptyBody(t *testing.T) {
	fake, base := startFake(t, discoursetest.Options{})
	c := newClient(t, base)
	var s saved
	if _, err := c.Publish(context.Background(), connector.Post{Key: "a", Body: "## Fête de printemps\n\nDétails"}, s.save); err != nil {
		t.Fatal(err)
	}
	if got := fake.Created(); len(got) != 1 || !strings.HasPrefix(got[0], "Fête de printemps\n") {
		t.Fatalf("created %q", got)
	}
	_, err := c.Publish(context.Background(), connector.Post{Key: "b", Title: "Vide", Body: "  "}, s.save)
	if kindOf(t, err).Kind != connector.Invalid {
		t.Fatalf("err = %v", err)
	}
}

func TestTheFakeRefusesASecondTopicWithTheSameExternalIDAfterTheMemo(t *testing.T) {
	clk := newClock()
	fake, base := startFake(t, discoursetest.Options{Now: clk.Now})
	c := newClient(t, base)
	req := connector.Request{Method: http.MethodPost, Path: "/posts.json",
		JSON: map[string]any{"title": "Même sujet", "raw": "corps", "external_id": "hearth-x"}}
	var a, b struct{ ID, TopicID int }
	if _, err := c.http.Do(context.Background(), req, &a); err != nil {
		t.Fatal(err)
	}
	if _, err := c.http.Do(context.Background(), req, &b); err != nil || b != a {
		t.Fatalf("identical request within 120 s: %+v %v, want the memoized %+v", b, err, a)
	}
	clk.Advance(121 * time.Second)
	_, err := c.http.Do(context.Background(), req, &b)
	ce := kindOf(t, err)
	if ce.Kind != connector.Invalid || ce.Status != http.StatusUnprocessableEntity || !strings.Contains(ce.Message, "External has already been taken") {
		t.Fatalf("got %+v", ce)
	}
	if len(fake.Created()) != 1 {
		t.Fatalf("created %q", fake.Created())
	}
}

func TestA429GivesRateLimitedWithTheWaitAndPausesTheGate(t *testing.T) {
	clk := newClock()
	fake, base := startFake(t, discoursetest.Options{})
	fake.FailNext(1, discoursetest.Fault{Kind: discoursetest.RateLimit, WaitSeconds: 7})
	c := newClient(t, base, func(cfg *connector.Config) { cfg.Now = clk.Now })
	err := c.Check(context.Background())
	ce := kindOf(t, err)
	if ce.Kind != connector.RateLimited || ce.RetryAfter != 7*time.Second || ce.Code != "admin_api_key_rate_limit" {
		t.Fatalf("got %+v", ce)
	}
	if got := c.PausedUntil(); !got.Equal(clk.Now().Add(7 * time.Second)) {
		t.Fatalf("paused until %v", got)
	}
	// The paused gate holds the next request back.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := c.Check(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("request during the pause: %v", err)
	}
}

func TestTheFakesRateLimitAnswersInDiscoursesFormat(t *testing.T) {
	clk := newClock()
	_, base := startFake(t, discoursetest.Options{RateLimit: 2, Now: clk.Now})
	c := newClient(t, base, func(cfg *connector.Config) { cfg.Now = clk.Now })
	for range 2 {
		if err := c.Check(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	clk.Advance(20 * time.Second)
	ce := kindOf(t, c.Check(context.Background()))
	if ce.Kind != connector.RateLimited || ce.RetryAfter != 41*time.Second || !strings.Contains(ce.Message, "41 seconds") {
		t.Fatalf("got %+v", ce)
	}
}

func TestFailuresAreClassified(t *testing.T) {
	cases := []struct {
		name  string
		fault discoursetest.Fault
		want  connector.Kind
	}{
		{"a 502", discoursetest.Fault{Kind: discoursetest.ServerError}, connector.Temporary},
		{"a 503", discoursetest.Fault{Kind: discoursetest.ServerError, Status: 503}, connector.Temporary},
		{"a malformed body", discoursetest.Fault{Kind: discoursetest.Malformed}, connector.Temporary},
		{"a reset connection", discoursetest.Fault{Kind: discoursetest.Reset}, connector.Unreachable},
		{"a timeout", discoursetest.Fault{Kind: discoursetest.Slow, Delay: 3 * time.Second}, connector.Unreachable},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fake, base := startFake(t, discoursetest.Options{})
			fake.FailNext(1, tc.fault)
			c := newClient(t, base, func(cfg *connector.Config) { cfg.HTTP = &http.Client{Timeout: 200 * time.Millisecond} })
			_, err := c.Pull(context.Background(), "", &sink{})
			if got := connector.KindOf(err); got != tc.want {
				t.Fatalf("kind %s, want %s (%v)", got, tc.want, err)
			}
			synctest.NoSecret(t, "Discourse", err, testKey)
			if strings.Contains(err.Error(), "<html>") {
				t.Fatalf("message %q", err.Error())
			}
		})
	}
}

func TestAServerEchoingTheKeyDoesNotPutItInTheError(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnprocessableEntity)
		_, _ = w.Write([]byte(`{"errors":["bad key ` + r.Header.Get("Api-Key") + `"],"error_type":"` + r.Header.Get("Api-Key") + `"}`))
	}))
	defer ts.Close()
	c := newClient(t, ts.URL)
	var s saved
	_, err := c.Publish(context.Background(), connector.Post{Key: "k", Title: "T", Body: "B"}, s.save)
	kindOf(t, err)
	synctest.NoSecret(t, "Discourse", err, testKey)
}

func itoa(i int) string { return strconv.Itoa(i) }
