package mastodon_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"hearth/sync/connector"
	"hearth/sync/mastodon"
	"hearth/sync/mastodon/mastodontest"
)

// lostPost makes a first attempt at p whose status the instance creates but whose answer is
// lost (a crash between the POST and the checkpoint looks the same to the next attempt), and
// returns when that attempt began.
func lostPost(t *testing.T, s setup, p connector.Post, fault mastodontest.Fault) time.Time {
	t.Helper()
	at := s.clock.Now()
	s.fake.FailNext(fault, 1)
	_, err := s.client(t, token).Publish(ctx, p, func(string) error { t.Error("checkpointed without an answer"); return nil })
	if err == nil {
		t.Fatal("the lost attempt succeeded")
	}
	seen(err)
	return at
}

func lookups(s setup) int {
	n := 0
	for _, r := range s.fake.Requests() {
		if r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/api/v1/accounts/") && strings.HasSuffix(r.Path, "/statuses") {
			n++
		}
	}
	return n
}

func TestPublishWithinTheKeysHourTrustsTheIdempotencyKey(t *testing.T) {
	s := start(t, mastodontest.Options{})
	p := connector.Post{Key: "entry-1", Title: "Atelier", Body: "Mardi."}
	p.TriedAt = lostPost(t, s, p, mastodontest.Lost)
	s.clock.Advance(40 * time.Minute)
	pub, err := s.client(t, token).Publish(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.fake.Created()) != 1 || lookups(s) != 0 || s.fake.Count(http.MethodPost, "/api/v1/statuses") != 2 {
		t.Errorf("created %d, %d look-ups, %d POSTs", len(s.fake.Created()), lookups(s), s.fake.Count(http.MethodPost, "/api/v1/statuses"))
	}
	if text, ok := s.fake.Status(pub.RemoteID); !ok || !strings.HasPrefix(text, "Atelier") {
		t.Errorf("published %+v, not the original", pub)
	}
}

func TestPublishAfterTheKeyIsForgottenFindsTheStatusTheEarlierAttemptCreated(t *testing.T) {
	s := start(t, mastodontest.Options{})
	p := connector.Post{Key: "entry-2", Title: "Fête de quartier", Body: "Samedi, place du marché."}
	p.TriedAt = lostPost(t, s, p, mastodontest.Lost)
	// The account posts other things meanwhile, one of them starting alike.
	s.clock.Advance(20 * time.Minute)
	for i, title := range []string{"Fête de quartier : le programme", "Autre chose"} {
		if _, err := s.client(t, token).Publish(ctx, connector.Post{Key: "other-" + string(rune('a'+i)), Title: title}, nil); err != nil {
			t.Fatal(err)
		}
	}
	s.clock.Advance(3 * time.Hour) // the instance has forgotten entry-2's key
	var saved []string
	pub, err := s.client(t, token).Publish(ctx, p, func(id string) error { saved = append(saved, id); return nil })
	if err != nil {
		t.Fatal(err)
	}
	created := s.fake.Created()
	if len(created) != 3 || s.fake.Count(http.MethodPost, "/api/v1/statuses") != 3 {
		t.Fatalf("posted again: %q", created)
	}
	if text, ok := s.fake.Status(pub.RemoteID); !ok || text != created[0] {
		t.Errorf("found %+v (%q), want the first attempt's status", pub, text)
	}
	if len(saved) != 1 || saved[0] != pub.RemoteID || !strings.HasPrefix(pub.URL, "https://mastodon.example/@hearth/") {
		t.Errorf("checkpointed %v, published %+v", saved, pub)
	}
	if lookups(s) == 0 {
		t.Errorf("no look-up of the account's statuses")
	}
}

func TestPublishAfterTheKeyIsForgottenPostsWhenTheEarlierAttemptCreatedNothing(t *testing.T) {
	s := start(t, mastodontest.Options{})
	p := connector.Post{Key: "entry-3", Title: "Réunion", Body: "Lundi."}
	p.TriedAt = lostPost(t, s, p, mastodontest.Reset) // refused before it took effect
	s.clock.Advance(2 * time.Hour)
	pub, err := s.client(t, token).Publish(ctx, p, nil)
	if err != nil {
		t.Fatal(err)
	}
	if created := s.fake.Created(); len(created) != 1 || lookups(s) == 0 {
		t.Fatalf("created %q after %d look-ups", created, lookups(s))
	}
	if _, ok := s.fake.Status(pub.RemoteID); !ok {
		t.Errorf("published %+v", pub)
	}
}

func TestPublishAfterTheKeyIsForgottenFindsAScheduledStatus(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ahead time.Duration
	}{
		{"still pending", 6 * time.Hour},
		{"published by the instance since", 2 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, mastodontest.Options{})
			p := connector.Post{Key: "entry-4", Title: "Rappel", ScheduledAt: s.clock.Now().Add(tc.ahead)}
			p.TriedAt = lostPost(t, s, p, mastodontest.Lost)
			s.clock.Advance(3 * time.Hour)
			pub, err := s.client(t, token).Publish(ctx, p, nil)
			if err != nil {
				t.Fatal(err)
			}
			if created := s.fake.Created(); len(created) != 1 {
				t.Fatalf("created %q", created)
			}
			pending := strings.HasPrefix(pub.RemoteID, "scheduled:")
			if pending != (tc.ahead > 3*time.Hour) {
				t.Errorf("found %+v", pub)
			}
		})
	}
}

func TestPublishLookUpThatFailsDoesNotPost(t *testing.T) {
	s := start(t, mastodontest.Options{})
	p := connector.Post{Key: "entry-5", Title: "Sortie"}
	p.TriedAt = lostPost(t, s, p, mastodontest.Lost)
	s.clock.Advance(mastodon.KeyWindow + time.Minute)
	s.fake.FailNext(mastodontest.Unavailable, 1)
	_, err := s.client(t, token).Publish(ctx, p, nil)
	kindOf(t, err, connector.Temporary)
	if n := s.fake.Count(http.MethodPost, "/api/v1/statuses"); n != 1 {
		t.Errorf("posted while unsure: %d POSTs", n)
	}
}
