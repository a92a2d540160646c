// Package newslettertest builds a real workspace (Badger in a temporary directory) with members,
// consent and newsletter services for tests of sending, here and in sync/smtp, plus an
// in-process Sender that records messages and answers as told.
package newslettertest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/notify"
	"hearth/backend/store"
)

// T0 is the fixture clock's start.
var T0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

// Env is an open workspace with the services a send needs.
type Env struct {
	Dir     string
	Clock   *clock.Manual
	Store   *store.Store
	Members *members.Service
	Consent *consent.Service
	News    *newsletter.Service
	// Log receives everything the store logs (to check that no secret is ever logged).
	Log *bytes.Buffer

	dialer newsletter.Dialer
	opts   newsletter.Options
}

// New opens a fresh workspace in t.TempDir().
func New(t testing.TB, dialer newsletter.Dialer, o newsletter.Options) *Env {
	t.Helper()
	e := &Env{Dir: t.TempDir(), Clock: clock.NewManual(T0), Log: &bytes.Buffer{}, dialer: dialer, opts: o}
	e.open(t, e.Clock)
	return e
}

func (e *Env) open(t testing.TB, clk clock.Clock) {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(e.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	st, err := store.Open(store.Options{Dir: filepath.Join(e.Dir, "db"), KeyringPath: filepath.Join(e.Dir, "keyring"),
		Clock: clk, GCInterval: -1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	e.Store = st
	e.Members = members.NewService(st, clk, nil)
	e.Consent = consent.NewService(st, clk, nil, consent.WithMemberCheck(members.Exists))
	e.News = newsletter.NewService(st, e.Members, e.Consent, e.dialer, clk, &notify.Recorder{}, e.opts)
}

// Open opens the workspace New made in dir, from another process (a test that kills its
// children), reckoning time with clk.
func Open(t testing.TB, dir string, clk clock.Clock, dialer newsletter.Dialer, o newsletter.Options) *Env {
	t.Helper()
	e := &Env{Dir: dir, Log: &bytes.Buffer{}, dialer: dialer, opts: o}
	e.open(t, clk)
	return e
}

// Close closes the workspace, for another process to open it.
func (e *Env) Close(t testing.TB) {
	t.Helper()
	if err := e.Store.Close(); err != nil {
		t.Fatal(err)
	}
}

// Reopen closes the workspace and opens it again (a restart), with dialer from now on.
func (e *Env) Reopen(t testing.TB, dialer newsletter.Dialer) {
	t.Helper()
	e.ReopenWith(t, dialer, e.opts)
}

// ReopenWith is Reopen with other options from now on (another secret store: another computer).
func (e *Env) ReopenWith(t testing.TB, dialer newsletter.Dialer, o newsletter.Options) {
	t.Helper()
	if err := e.Store.Close(); err != nil {
		t.Fatal(err)
	}
	e.dialer, e.opts = dialer, o
	e.open(t, e.Clock)
}

// Person is a member to create.
type Person struct {
	Name    string
	Email   string
	Tags    []string
	Custom  map[string]string
	Consent bool
}

// Add creates the people (in order) and grants newsletter consent to those who gave it; it
// returns the members.
func (e *Env) Add(t testing.TB, people ...Person) []members.Member {
	t.Helper()
	ctx := context.Background()
	ins := make([]members.CreateInput, len(people))
	for i, p := range people {
		ins[i] = members.CreateInput{Name: p.Name, Tags: p.Tags, CustomFields: p.Custom}
		if p.Email != "" {
			ins[i].Emails = []string{p.Email}
		} else {
			ins[i].Handles = []members.Handle{{Platform: "discord", Handle: fmt.Sprintf("nomail%d", i)}}
		}
	}
	ms, err := e.Members.CreateMany(ctx, ins, nil)
	if err != nil {
		t.Fatal(err)
	}
	var grants []consent.Input
	for i, p := range people {
		if p.Consent {
			grants = append(grants, consent.Input{MemberID: ms[i].ID, Purpose: newsletter.Purpose, By: "test", At: T0.Add(-time.Hour)})
		}
	}
	if len(grants) > 0 {
		if err := e.Consent.RecordMany(ctx, consent.Granted, grants, nil); err != nil {
			t.Fatal(err)
		}
	}
	return ms
}

// Configure saves SMTP settings for a server at host:port.
func (e *Env) Configure(t testing.TB, host string, port int, mode newsletter.TLSMode, user, password string, rate float64) {
	t.Helper()
	in := newsletter.SMTPInput{Host: host, Port: port, TLS: mode, Username: user, FromAddress: "news@hearth.example",
		FromName: "Le Foyer", RatePerSecond: rate}
	if password != "" {
		in.Password = &password
	}
	if _, err := e.News.SaveSettings(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}

// Draft saves a draft newsletter.
func (e *Env) Draft(t testing.TB, in newsletter.Input) newsletter.Newsletter {
	t.Helper()
	n, err := e.News.Save(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// FakeSender records messages and fails them as scripted; it is its own Dialer.
type FakeSender struct {
	mu sync.Mutex
	// Script maps a recipient address to the errors its successive attempts get (nil = accepted);
	// attempts past the end are accepted.
	Script map[string][]error
	// Sent are the messages accepted, in order.
	Sent     []newsletter.Message
	attempts map[string]int
	// OnSend, when set, runs before each message is answered.
	OnSend    func(n int, m newsletter.Message)
	Transport newsletter.Transport
	Opens     int
}

var (
	_ newsletter.Dialer = (*FakeSender)(nil)
	_ newsletter.Sender = (*FakeSender)(nil)
)

// Open returns f itself.
func (f *FakeSender) Open(t newsletter.Transport) (newsletter.Sender, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Transport = t
	f.Opens++
	return f, nil
}

// Send answers from the script.
func (f *FakeSender) Send(_ context.Context, m newsletter.Message) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.attempts == nil {
		f.attempts = map[string]int{}
	}
	n := f.attempts[m.To]
	f.attempts[m.To]++
	if f.OnSend != nil {
		f.OnSend(len(f.Sent), m)
	}
	if n < len(f.Script[m.To]) && f.Script[m.To][n] != nil {
		return f.Script[m.To][n]
	}
	f.Sent = append(f.Sent, m)
	return nil
}

// Attempts returns how many times an address was tried.
func (f *FakeSender) Attempts(addr string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts[addr]
}

// Close does nothing.
func (f *FakeSender) Close() error { return nil }
