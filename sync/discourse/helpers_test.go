package discourse

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/sync/connector"
	"hearth/sync/discourse/discoursetest"
)

const testKey = "k3y-9f8e7d6c5b4a3210-secret"

// newClock returns a settable clock for a test's fake and client.
func newClock() *clock.Manual { return clock.NewManual(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) }

// startFake runs a fake forum accepting testKey.
func startFake(t *testing.T, opts discoursetest.Options) (*discoursetest.Server, string) {
	t.Helper()
	opts.APIKey = testKey
	return discoursetest.Start(t, opts)
}

// newClient returns a connector on base with the test key, no pacing and a short timeout.
func newClient(t testing.TB, base string, edit ...func(*connector.Config)) *Client {
	t.Helper()
	cfg := connector.Config{
		Connection: connections.Connection{Name: "forum", Platform: connections.Discourse,
			Settings: connections.Settings{URL: base, Username: "system"}},
		Secret:  testKey,
		HTTP:    &http.Client{Timeout: 5 * time.Second},
		NoLimit: true,
	}
	for _, e := range edit {
		e(&cfg)
	}
	conn, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return conn.(*Client)
}

// sink records what a pull reports; failCursorAt > 0 makes that Cursor call fail (a killed pull).
type sink struct {
	people       []activity.Person
	items        []activity.Incoming
	cursors      []string
	failCursorAt int
}

var errKilled = errors.New("killed")

func (s *sink) People(_ context.Context, p []activity.Person) error {
	s.people = append(s.people, p...)
	return nil
}

func (s *sink) Activities(_ context.Context, items []activity.Incoming) error {
	s.items = append(s.items, items...)
	return nil
}

func (s *sink) Cursor(_ context.Context, c string) error {
	if s.failCursorAt > 0 && len(s.cursors)+1 == s.failCursorAt {
		s.failCursorAt = 0
		return errKilled
	}
	s.cursors = append(s.cursors, c)
	return nil
}

func (s *sink) last() string {
	if len(s.cursors) == 0 {
		return ""
	}
	return s.cursors[len(s.cursors)-1]
}

func (s *sink) ids(kind activity.Kind) map[string]int {
	m := map[string]int{}
	for _, it := range s.items {
		if kind == "" || it.Kind == kind {
			m[it.RemoteID]++
		}
	}
	return m
}

// kindOf returns err's *connector.Error, failing the test when there is none.
func kindOf(t *testing.T, err error) *connector.Error {
	t.Helper()
	var ce *connector.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T) is not a *connector.Error", err, err)
	}
	return ce
}

// saved collects checkpoints.
type saved struct{ ids []string }

func (s *saved) save(id string) error {
	s.ids = append(s.ids, id)
	return nil
}
