package discord_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/sync/connector"
	"hearth/sync/discord"
	"hearth/sync/discord/discordtest"
	"hearth/sync/internal/synctest"
)

// t0 is the tests' fixed "now".
var t0 = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

// env is a fake Discord and a bot-mode client pointed at it.
type env struct {
	srv   *discordtest.Server
	url   string
	clock *clock.Manual
	c     *discord.Client
}

func newEnv(t *testing.T, o discordtest.Options) *env {
	t.Helper()
	clk := clock.NewManual(t0) // shared by the fake and the client
	o.Now = clk.Now
	srv, url := discordtest.Start(t, o)
	e := &env{srv: srv, url: url, clock: clk}
	e.c = e.bot(t, discordtest.DefaultToken, true)
	return e
}

// bot returns a bot-mode client with token (and the guild set when withGuild).
func (e *env) bot(t *testing.T, token string, withGuild bool) *discord.Client {
	t.Helper()
	s := connections.Settings{Channel: e.srv.Options().ChannelID, APIURL: e.url}
	if withGuild {
		s.Guild = e.srv.Options().GuildID
	}
	c, err := discord.NewClient(connector.Config{Connection: connections.Connection{Platform: connections.Discord, Settings: s},
		Secret: token, HTTP: &http.Client{Timeout: 5 * time.Second}, NoLimit: true, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// webhook returns a webhook-mode client for the fake's webhook (or url when given).
func (e *env) webhook(t *testing.T, url string, timeout time.Duration) *discord.Client {
	t.Helper()
	if url == "" {
		url = e.srv.WebhookURL(e.url)
	}
	c, err := discord.NewClient(connector.Config{Connection: connections.Connection{Platform: connections.Discord,
		Settings: connections.Settings{Webhook: true}}, Secret: url, HTTP: &http.Client{Timeout: timeout}, NoLimit: true, Now: e.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// saves records checkpoints.
type saves struct{ ids []string }

func (s *saves) save(id string) error {
	s.ids = append(s.ids, id)
	return nil
}

func (s *saves) last() string {
	if len(s.ids) == 0 {
		return ""
	}
	return s.ids[len(s.ids)-1]
}

// sink keeps what a pull reports; the failCursor-th Cursor call (1-based) fails.
type sink struct {
	mu         sync.Mutex
	people     []activity.Person
	acts       []activity.Incoming
	cursors    []string
	failCursor int
}

var errSinkDown = errors.New("sink down")

func (s *sink) People(_ context.Context, p []activity.Person) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.people = append(s.people, p...)
	return nil
}

func (s *sink) Activities(_ context.Context, a []activity.Incoming) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.acts = append(s.acts, a...)
	return nil
}

func (s *sink) Cursor(_ context.Context, c string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failCursor > 0 && len(s.cursors)+1 == s.failCursor {
		s.failCursor = 0
		return errSinkDown
	}
	s.cursors = append(s.cursors, c)
	return nil
}

func (s *sink) count(k activity.Kind) int {
	n := 0
	for _, a := range s.acts {
		if a.Kind == k {
			n++
		}
	}
	return n
}

func kindOf(t *testing.T, err error, want connector.Kind) *connector.Error {
	t.Helper()
	var ce *connector.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T) is not a *connector.Error", err, err)
	}
	if ce.Kind != want {
		t.Fatalf("kind = %s, want %s (%v)", ce.Kind, want, err)
	}
	return ce
}

// noSecret fails when any of secrets appears in err's text or description.
func noSecret(t *testing.T, err error, secrets ...string) {
	t.Helper()
	synctest.NoSecret(t, "Discord", err, secrets...)
}

func post(key string) connector.Post {
	return connector.Post{Key: key, Kind: "announcement", Title: "Soirée jeux", Body: "Venez *nombreux* jeudi à 19 h."}
}
