package engine_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/outbox"
	"hearth/backend/store"
	"hearth/backend/syncstate"
	"hearth/sync/connector"
	"hearth/sync/engine"
)

// fakePlatform is the platform name of in-process fake connections.
const fakePlatform connections.Platform = "fake"

// fakeConns is an in-memory connection list with secrets.
type fakeConns struct {
	mu      sync.Mutex
	list    []connections.Connection
	secrets map[string]string
}

var _ engine.Connections = (*fakeConns)(nil)

func (f *fakeConns) List(context.Context) ([]connections.Connection, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.list), nil
}

func (f *fakeConns) Secret(_ context.Context, id string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	s, ok := f.secrets[id]
	if !ok {
		return "", errs.New(errs.NotFound, "secret_not_found", "no secret")
	}
	return s, nil
}

func (f *fakeConns) add(c connections.Connection, secret string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.list = append(f.list, c)
	if f.secrets == nil {
		f.secrets = map[string]string{}
	}
	f.secrets[c.ID] = secret
}

// stage is when a scripted Publish failure strikes.
type stage int

const (
	beforeEffect stage = iota
	afterEffect
	afterCheckpoint
)

// fakeConnector is an in-process platform: Publish takes effect at most once per Key (it
// reconciles), unless a scripted failure comes first.
type fakeConnector struct {
	mu      sync.Mutex
	effects map[string]int // key -> times it took effect
	bodies  []string
	calls   int
	posts   []connector.Post
	// checkErr fails Check; publish, when set, decides each Publish: it may fail before the
	// effect, after it (the answer is lost) or after the remote id was checkpointed.
	checkErr error
	publish  func(call int, p connector.Post) (when stage, err error)
	// pull, when set, is the Pull.
	pull func(ctx context.Context, cursor string, sink connector.Sink) (string, error)
	// block, when set, is waited on by each Publish.
	block chan struct{}
	// audience records audience pushes.
	audience [][]connector.AudienceMember
}

var (
	_ connector.Connector      = (*fakeConnector)(nil)
	_ connector.AudienceSyncer = (*fakeConnector)(nil)
)

func (f *fakeConnector) Check(context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.checkErr
}

func (f *fakeConnector) Publish(ctx context.Context, p connector.Post, save connector.Checkpoint) (connector.Published, error) {
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return connector.Published{}, ctx.Err()
		}
	}
	f.mu.Lock()
	f.calls++
	call := f.calls
	f.posts = append(f.posts, p)
	script := f.publish
	f.mu.Unlock()
	var err error
	when := beforeEffect
	if script != nil {
		when, err = script(call, p)
	}
	if err != nil && when == beforeEffect {
		return connector.Published{}, err
	}
	id := "r-" + p.Key
	f.mu.Lock()
	if f.effects == nil {
		f.effects = map[string]int{}
	}
	if f.effects[p.Key] == 0 { // reconcile: an earlier attempt may already have taken effect
		f.bodies = append(f.bodies, p.Body)
		f.effects[p.Key] = 1
	}
	f.mu.Unlock()
	if err != nil && when == afterEffect { // it happened, but the answer was lost
		return connector.Published{}, err
	}
	if serr := save(id); serr != nil {
		return connector.Published{}, serr
	}
	if err != nil {
		return connector.Published{}, err
	}
	return connector.Published{RemoteID: id, URL: "https://example.org/" + id}, nil
}

func (f *fakeConnector) Pull(ctx context.Context, cursor string, sink connector.Sink) (string, error) {
	if f.pull == nil {
		return cursor, nil
	}
	return f.pull(ctx, cursor, sink)
}

func (f *fakeConnector) SyncAudience(_ context.Context, ms []connector.AudienceMember) (connector.AudienceResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.audience = append(f.audience, ms)
	return connector.AudienceResult{Upserted: len(ms)}, nil
}

func (f *fakeConnector) set(fn func(f *fakeConnector)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func (f *fakeConnector) created() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.bodies)
}

func (f *fakeConnector) attempts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// fakeIngester counts what a pull brought.
type fakeIngester struct {
	mu     sync.Mutex
	counts activity.IngestCounts
	items  []activity.Incoming
}

func (f *fakeIngester) People(_ context.Context, ps []activity.Person) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts.People += len(ps)
	return nil
}

func (f *fakeIngester) Activities(_ context.Context, items []activity.Incoming) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.counts.Activity += len(items)
	f.items = append(f.items, items...)
	return nil
}

func (f *fakeIngester) Counts() activity.IngestCounts {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts
}

// env is a store with an outbox, sync state, fake connections and an engine over them.
type env struct {
	t       *testing.T
	clock   *clock.Manual
	st      *store.Store
	outbox  *outbox.Service
	state   *syncstate.Service
	conns   *fakeConns
	fakes   map[string]*fakeConnector // by connection id
	ingests map[string]*fakeIngester
	events  *notify.Recorder
	logs    *syncBuffer
	opts    engine.Options
	engine  *engine.Engine
}

// syncBuffer is a bytes.Buffer safe for concurrent writers (the log).
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var epoch = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newEnv(t *testing.T, tweak ...func(o *engine.Options)) *env {
	t.Helper()
	c := clock.NewManual(epoch)
	st := openStore(t, t.TempDir(), c)
	e := &env{t: t, clock: c, st: st, outbox: outbox.NewService(st, c), events: &notify.Recorder{},
		conns: &fakeConns{}, fakes: map[string]*fakeConnector{}, ingests: map[string]*fakeIngester{}, logs: &syncBuffer{}}
	e.state = syncstate.NewService(st, c, e.events)
	var mu sync.Mutex
	e.opts = engine.Options{
		Store: st, Outbox: e.outbox, State: e.state, Connections: e.conns, Clock: c, Notifier: e.events,
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Factories: map[connections.Platform]engine.Factory{fakePlatform: func(cfg connector.Config) (connector.Connector, error) {
			mu.Lock()
			defer mu.Unlock()
			f := e.fakes[cfg.Connection.ID]
			if f == nil {
				return nil, fmt.Errorf("no fake for %s (secret %s)", cfg.Connection.ID, cfg.Secret)
			}
			return f, nil
		}},
		Ingest: func(conn connections.Connection) engine.Ingester {
			mu.Lock()
			defer mu.Unlock()
			ing := &fakeIngester{}
			e.ingests[conn.ID] = ing
			return ing
		},
		MaxAttempts: 3,
	}
	for _, fn := range tweak {
		fn(&e.opts)
	}
	e.engine = engine.New(e.opts)
	return e
}

// connect adds a connection named name with a fake connector and returns the fake.
func (e *env) connect(name string) (connections.Connection, *fakeConnector) {
	c := connections.Connection{ID: e.st.NewID(), Name: name, Platform: fakePlatform, HasSecret: true,
		CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
	f := &fakeConnector{}
	e.fakes[c.ID] = f
	e.conns.add(c, "sekret-"+name+"-token")
	return c, f
}

// enqueue adds an outbox entry for the channels and returns it.
func (e *env) enqueue(key, body string, channels ...string) outbox.Entry {
	e.t.Helper()
	var en outbox.Entry
	err := e.st.UpdateDurable(context.Background(), func(tx *store.Tx) error {
		if _, err := outbox.Enqueue(tx, outbox.Entry{Key: key, Source: "test", Kind: "post", Channels: channels,
			Title: "T " + key, Body: body, CreatedAt: e.clock.Now(), OccurrenceAt: e.clock.Now()}); err != nil {
			return err
		}
		var err error
		en, err = outbox.ByKey(tx, key)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return en
}

func (e *env) run() syncstate.RunReport {
	e.t.Helper()
	rep, err := e.engine.RunOnce(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return rep
}

func (e *env) entry(id string) outbox.Entry {
	e.t.Helper()
	en, err := e.outbox.Get(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return en
}

func (e *env) deliveries(entryID string) []syncstate.Delivery {
	e.t.Helper()
	ds, err := e.state.ForEntry(context.Background(), entryID)
	if err != nil {
		e.t.Fatal(err)
	}
	return ds
}

func (e *env) only(entryID string) syncstate.Delivery {
	e.t.Helper()
	ds := e.deliveries(entryID)
	if len(ds) != 1 {
		e.t.Fatalf("%d deliveries, want 1: %+v", len(ds), ds)
	}
	return ds[0]
}

func (e *env) status(connID string) syncstate.Status {
	e.t.Helper()
	st, err := e.state.Status(context.Background(), connID)
	if err != nil {
		e.t.Fatal(err)
	}
	return st
}

func report(rep syncstate.RunReport, connID string) syncstate.ConnectionReport {
	for _, c := range rep.Connections {
		if c.Connection == connID {
			return c
		}
	}
	return syncstate.ConnectionReport{}
}

func count(bodies []string, token string) int {
	n := 0
	for _, b := range bodies {
		n += strings.Count(b, token)
	}
	return n
}

// openStore opens the store of a workspace directory the way a workspace lays it out
// (backend/internal/storetest is out of reach from sync/), closed when the test ends.
func openStore(t testing.TB, dir string, c clock.Clock) *store.Store {
	t.Helper()
	st, err := store.Open(store.Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"), Clock: c, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}
