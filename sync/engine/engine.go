// Package engine drains backend/outbox to the platforms and pulls people and activity in.
//
// A run (RunOnce) fans every pending outbox entry out into one syncstate.Delivery per
// connection its channels name (by connection name, case-insensitively), then, for every
// connection that is not paused and concurrently across connections, pushes its due deliveries,
// pushes the mailing audience (connectors that are connector.AudienceSyncer) and pulls what
// happened since the connection's cursor.
//
// Exactly once: before each attempt the delivery is marked Sending durably; the connector gets
// a Key stable across attempts and the remote id an earlier attempt checkpointed, and the
// engine saves any remote id it reports before the connector goes on. A run killed at any
// point resumes from there, and the connector reconciles instead of creating a second copy.
//
// Reachability is per connection: one that is offline (or never checked) is checked first and
// skipped when it does not answer, while the others go on. Failures are handled by kind
// (connector.KindOf): unreachable and rate-limited attempts do not count; temporary failures
// back off exponentially with full jitter and park after MaxAttempts; refusals (invalid, gone)
// park at once; refused credentials stop the connection until a person tests it again.
package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
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
)

// Connections is what the engine needs of the connection list.
type Connections interface {
	List(ctx context.Context) ([]connections.Connection, error)
	// Secret returns a connection's secret; an errs.NotFound error means it has none.
	Secret(ctx context.Context, id string) (string, error)
}

// Ingester stores what one connection's pull brings in (backend/activity implements it).
type Ingester interface {
	People(ctx context.Context, people []activity.Person) error
	Activities(ctx context.Context, items []activity.Incoming) error
	// Counts is what this ingester stored so far.
	Counts() activity.IngestCounts
}

// Factory builds a platform's connector.
type Factory func(connector.Config) (connector.Connector, error)

// Options configure an Engine. Store, Outbox, State, Connections and Factories are required.
type Options struct {
	Store       *store.Store
	Outbox      *outbox.Service
	State       *syncstate.Service
	Connections Connections
	Factories   map[connections.Platform]Factory
	// Ingest returns the ingester of one connection's pull; nil turns pulling off.
	Ingest func(conn connections.Connection) Ingester
	// Audience lists the mailing audience to push to connectors that hold one (see
	// MemberAudience); nil turns audience pushes off.
	Audience func(ctx context.Context) ([]connector.AudienceMember, error)
	// HTTP is the client handed to connectors (nil: theirs, with a 30-second timeout).
	HTTP     *http.Client
	Clock    clock.Clock
	Logger   *slog.Logger
	Notifier notify.Notifier
	// MaxAttempts failed attempts park a delivery (8 when zero).
	MaxAttempts int
	// BackoffBase and BackoffMax bound the exponential backoff (30 s and 1 h when zero).
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// RateLimitWait is how long to wait after a rate limit that did not say (60 s when zero).
	RateLimitWait time.Duration
	// Workers is how many deliveries of one connection are attempted at once (1 when zero).
	Workers int
	// NoLimit turns off the connectors' own pacing (benchmarks against local fakes).
	NoLimit bool
	// Dir is the workspace directory, against which entries' attachment paths are resolved.
	Dir string
	// PullEvery spaces the pulls (and audience pushes) of RunDue: publishing is checked every
	// run, reading a whole guild or forum is not needed every minute. Zero pulls every run.
	PullEvery time.Duration
}

// Engine runs syncs. Safe for concurrent use; runs are single-flight.
type Engine struct {
	o    Options
	log  *slog.Logger
	disk *syncer

	mu      sync.Mutex
	running *run
	// lastRun is when the last run finished.
	lastRun time.Time

	emitMu   sync.Mutex
	lastEmit time.Time
}

type run struct {
	done   chan struct{}
	cancel context.CancelFunc
	report syncstate.RunReport
	err    error
}

// New returns an engine.
func New(o Options) *Engine {
	if o.Clock == nil {
		o.Clock = clock.System{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Notifier == nil {
		o.Notifier = notify.Discard{}
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.BackoffBase <= 0 {
		o.BackoffBase = 30 * time.Second
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = time.Hour
	}
	if o.RateLimitWait <= 0 {
		o.RateLimitWait = time.Minute
	}
	if o.Workers <= 0 {
		o.Workers = 1
	}
	return &Engine{o: o, log: o.Logger.With("component", "sync"), disk: newSyncer(o.Store)}
}

func (e *Engine) now() time.Time { return e.o.Clock.Now().UTC() }

// RunOnce drains the outbox to every reachable, unpaused connection, pushes audiences and pulls
// every connection, then returns what it did. A call made while a run is under way waits for
// that run and returns its report.
func (e *Engine) RunOnce(ctx context.Context) (syncstate.RunReport, error) { return e.start(ctx, true) }

// Running reports whether a run is under way, and when the last one finished (zero before the
// first): the window shows both.
func (e *Engine) Running() (running bool, lastRun time.Time) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.running != nil, e.lastRun
}

// Cancel stops the run under way, if any (a person pressed Stop): what was published or pulled
// so far is kept, the rest stays queued for the next run, which resumes pulls from their
// cursors. The stopped run returns a "cancelled" error.
func (e *Engine) Cancel() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.running != nil {
		e.running.cancel()
	}
}

// RunDue is the periodic run: like RunOnce, but a connection is pulled (and its audience
// pushed) only when Options.PullEvery has passed since its last pull.
func (e *Engine) RunDue(ctx context.Context) (syncstate.RunReport, error) { return e.start(ctx, false) }

func (e *Engine) start(ctx context.Context, pullAll bool) (syncstate.RunReport, error) {
	e.mu.Lock()
	if r := e.running; r != nil {
		e.mu.Unlock()
		select {
		case <-r.done:
			return r.report, r.err
		case <-ctx.Done():
			return syncstate.RunReport{}, errs.Wrap(errs.Unavailable, "cancelled", ctx.Err(), "sync: cancelled")
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &run{done: make(chan struct{}), cancel: cancel}
	e.running = r
	e.mu.Unlock()

	r.report, r.err = e.runOnce(ctx, pullAll)

	e.mu.Lock()
	e.running, e.lastRun = nil, r.report.FinishedAt
	e.mu.Unlock()
	close(r.done)
	return r.report, r.err
}

func (e *Engine) runOnce(ctx context.Context, pullAll bool) (syncstate.RunReport, error) {
	rep := syncstate.RunReport{StartedAt: e.now(), Connections: []syncstate.ConnectionReport{}}
	conns, err := e.o.Connections.List(ctx)
	if err != nil {
		return rep, err
	}
	entries, err := e.fanOut(ctx, conns)
	if err != nil {
		return rep, err
	}
	rep.Connections = make([]syncstate.ConnectionReport, len(conns))
	var wg sync.WaitGroup
	for i, c := range conns {
		rep.Connections[i] = syncstate.ConnectionReport{Connection: c.ID, Name: c.Name, Platform: string(c.Platform)}
		if c.Paused {
			rep.Connections[i].Error = "paused"
			continue
		}
		wg.Go(func() { e.syncConnection(ctx, c, entries, pullAll, &rep.Connections[i]) })
	}
	wg.Wait()
	rep.FinishedAt = e.now()
	e.o.State.Changed()
	if err := ctx.Err(); err != nil {
		return rep, errs.Wrap(errs.Unavailable, "cancelled", err, "sync: cancelled")
	}
	return rep, nil
}

// changed emits EventChanged at most a few times a second during a run.
func (e *Engine) changed() {
	e.emitMu.Lock()
	now := time.Now()
	emit := now.Sub(e.lastEmit) >= 250*time.Millisecond
	if emit {
		e.lastEmit = now
	}
	e.emitMu.Unlock()
	if emit {
		e.o.State.Changed()
	}
}

// connect builds a connection's connector.
func (e *Engine) connect(ctx context.Context, c connections.Connection) (connector.Connector, error) {
	factory := e.o.Factories[c.Platform]
	if factory == nil {
		return nil, errs.New(errs.Unavailable, "sync_platform_unsupported", "sync: no connector for platform "+string(c.Platform)).
			With("platform", string(c.Platform))
	}
	secret, err := e.o.Connections.Secret(ctx, c.ID)
	if err != nil && !errors.Is(err, errs.NotFound) {
		return nil, err
	}
	conn, err := factory(connector.Config{Connection: c, Secret: secret, HTTP: e.o.HTTP, NoLimit: e.o.NoLimit, Now: e.o.Clock.Now})
	if err != nil {
		// The factory's error may quote a setting or the secret itself: keep only its kind.
		return nil, errs.New(errs.Invalid, "sync_connection_invalid", "sync: connection "+c.Name+" is not usable: "+describe(err)).
			With("name", c.Name)
	}
	return conn, nil
}

// Check tests a connection now and records the result; success clears AuthFailed. A failure is
// both the returned Status' LastError and an errs.Unavailable error with a safe message.
func (e *Engine) Check(ctx context.Context, connectionID string) (syncstate.Status, error) {
	conns, err := e.o.Connections.List(ctx)
	if err != nil {
		return syncstate.Status{}, err
	}
	i := slices.IndexFunc(conns, func(c connections.Connection) bool { return c.ID == connectionID })
	if i < 0 {
		return syncstate.Status{}, errs.New(errs.NotFound, "connection_not_found", "sync: no connection "+connectionID)
	}
	c := conns[i]
	conn, err := e.connect(ctx, c)
	if err != nil {
		return syncstate.Status{}, err
	}
	st, cerr := e.check(ctx, c, conn)
	if cerr != nil {
		msg := describe(cerr)
		// Not wrapped: only the safe description leaves the engine.
		return st, errs.New(errs.Unavailable, "sync_check_failed", "sync: "+msg).
			With("name", c.Name, "kind", string(connector.KindOf(cerr)), "reason", msg)
	}
	return st, nil
}

// check makes one Check request and records what it taught.
func (e *Engine) check(ctx context.Context, c connections.Connection, conn connector.Connector) (syncstate.Status, error) {
	cerr := conn.Check(ctx)
	now := e.now()
	kind := connector.KindOf(cerr)
	st, err := e.o.State.UpdateStatus(ctx, c.ID, func(st *syncstate.Status) {
		st.CheckedAt = now
		st.Online = cerr == nil || kind == connector.RateLimited
		st.AuthFailed = cerr != nil && kind == connector.Auth
		st.LastError, st.LastErrorKind = "", ""
		if cerr != nil {
			st.LastError, st.LastErrorKind = describe(cerr), string(kind)
		}
		if kind == connector.RateLimited && cerr != nil {
			st.PausedUntil = now.Add(e.rateWait(cerr))
		}
	})
	if err != nil {
		e.log.Error("cannot save connection status", "connection", c.ID, "error", err)
		if cerr == nil {
			cerr = err
		}
	}
	if cerr != nil {
		e.log.Warn("connection check failed", "connection", c.ID, "name", c.Name, "platform", c.Platform,
			"kind", kind, "error", st.LastError)
	} else {
		e.log.Info("connection reachable", "connection", c.ID, "name", c.Name, "platform", c.Platform)
	}
	return st, cerr
}

// describe is a failure as a person reads it: a connector's safe message, never a URL.
func describe(err error) string {
	var ce *connector.Error
	if errors.As(err, &ce) {
		return ce.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "connector: unreachable: timed out"
	}
	var ee *errs.Error
	if errors.As(err, &ee) {
		return ee.Msg
	}
	return fmt.Sprintf("connector: %s: request failed", connector.KindOf(err))
}

func (e *Engine) rateWait(err error) time.Duration {
	var ce *connector.Error
	if errors.As(err, &ce) && ce.RetryAfter > 0 {
		return ce.RetryAfter
	}
	return e.o.RateLimitWait
}

// syncConnection is one connection's part of a run: reachability, push, audience, pull.
func (e *Engine) syncConnection(ctx context.Context, c connections.Connection, entries map[string]outbox.Entry, pullAll bool, rep *syncstate.ConnectionReport) {
	log := e.log.With("connection", c.ID, "name", c.Name, "platform", c.Platform)
	conn, err := e.connect(ctx, c)
	if err != nil {
		rep.Error = describe(err)
		log.Warn("connection not usable", "error", rep.Error)
		return
	}
	st, err := e.o.State.Status(ctx, c.ID)
	if err != nil {
		rep.Error = describe(err)
		return
	}
	now := e.now()
	switch {
	case st.AuthFailed && !c.UpdatedAt.After(st.CheckedAt):
		rep.Error = st.LastError
		return
	case st.PausedUntil.After(now):
		rep.Online, rep.Error = st.Online, "rate limited until "+st.PausedUntil.Format(time.RFC3339)
		return
	case !st.Online || st.CheckedAt.IsZero() || st.AuthFailed:
		if st, err = e.check(ctx, c, conn); err != nil {
			rep.Error = st.LastError
			return
		}
	}
	rep.Online = true
	p := &pusher{e: e, c: c, conn: conn, entries: entries, rep: rep, log: log}
	if !p.push(ctx) {
		return
	}
	if ctx.Err() != nil {
		return
	}
	if !pullAll && !st.LastPullAt.IsZero() && e.now().Sub(st.LastPullAt) < e.o.PullEvery {
		return
	}
	e.pushAudience(ctx, c, conn, rep, log)
	if ctx.Err() != nil {
		return
	}
	e.pull(ctx, c, conn, rep, log)
}

// stopped records a failure that stops the connection for this run (unreachable, refused
// credentials, rate limit) on its status and report. It returns the error's kind.
func (e *Engine) stopped(ctx context.Context, c connections.Connection, err error, rep *syncstate.ConnectionReport) connector.Kind {
	kind := connector.KindOf(err)
	msg := describe(err)
	now := e.now()
	_, serr := e.o.State.UpdateStatus(context.WithoutCancel(ctx), c.ID, func(st *syncstate.Status) {
		st.LastError, st.LastErrorKind = msg, string(kind)
		switch kind {
		case connector.Unreachable:
			st.Online, st.CheckedAt = false, now
		case connector.Auth:
			st.AuthFailed, st.CheckedAt = true, now
		case connector.RateLimited:
			st.PausedUntil = now.Add(e.rateWait(err))
		}
	})
	if serr != nil {
		e.log.Error("cannot save connection status", "connection", c.ID, "error", serr)
	}
	rep.Error = msg
	if kind == connector.Unreachable {
		rep.Online = false
	}
	return kind
}

// lowerName is a connection name or channel as matched.
func lowerName(s string) string { return strings.ToLower(strings.TrimSpace(s)) }
