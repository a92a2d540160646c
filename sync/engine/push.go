package engine

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hearth/backend/connections"
	"hearth/backend/errs"
	"hearth/backend/outbox"
	"hearth/backend/syncstate"
	"hearth/sync/connector"
)

// dueBatch is how many due deliveries are read at a time.
const dueBatch = 256

// inlineRateWait is the longest rate-limit wait after which a run goes on pushing to the same
// connection; a longer one pauses the connection until the next run.
const inlineRateWait = time.Second

// pusher pushes one connection's due deliveries.
type pusher struct {
	e       *Engine
	c       connections.Connection
	conn    connector.Connector
	entries map[string]outbox.Entry // read-only during the push
	log     *slog.Logger

	mu  sync.Mutex // guards rep
	rep *syncstate.ConnectionReport

	stop atomic.Bool
}

// push attempts every due delivery, in passes until none is due (a failure retried after a
// short backoff may be due again in the same run). It returns false when the connection
// stopped (unreachable, refused credentials, rate limited).
func (p *pusher) push(ctx context.Context) bool {
	for pass := 0; pass <= p.e.o.MaxAttempts+1 && !p.stop.Load() && ctx.Err() == nil; pass++ {
		n, err := p.pass(ctx)
		if err != nil {
			p.mu.Lock()
			p.rep.Error = describe(err)
			p.mu.Unlock()
			p.log.Error("push failed", "error", describe(err))
			return false
		}
		if n == 0 {
			break
		}
	}
	if p.stop.Load() {
		return false
	}
	p.mu.Lock()
	pushed, failed := p.rep.Pushed, p.rep.Failed
	p.mu.Unlock()
	_, err := p.e.o.State.UpdateStatus(context.WithoutCancel(ctx), p.c.ID, func(st *syncstate.Status) {
		st.Pushed, st.Online = pushed, true
		if failed == 0 {
			st.LastError, st.LastErrorKind = "", ""
		}
	})
	if err != nil {
		p.log.Error("cannot save connection status", "error", err)
	}
	return true
}

// pass goes once through the due deliveries and returns how many it attempted.
func (p *pusher) pass(ctx context.Context) (int, error) {
	n, after := 0, ""
	for !p.stop.Load() && ctx.Err() == nil {
		batch, err := p.e.o.State.Due(ctx, p.c.ID, p.e.now(), after, dueBatch)
		if err != nil {
			return n, err
		}
		if len(batch) == 0 {
			break
		}
		after = batch[len(batch)-1].ID
		chunk := max(sendingChunk, 4*p.e.o.Workers)
		for start := 0; start < len(batch) && !p.stop.Load() && ctx.Err() == nil; start += chunk {
			k, err := p.attempt(ctx, batch[start:min(start+chunk, len(batch))])
			n += k
			if err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// sendingChunk is how many deliveries are marked Sending with one sync to disk.
const sendingChunk = 16

// attempt marks ds Sending durably (one sync for all), attempts them (Workers at a time), and
// puts back in the queue those a stop left unattempted.
func (p *pusher) attempt(ctx context.Context, ds []syncstate.Delivery) (int, error) {
	ids := make([]string, len(ds))
	for i, d := range ds {
		ids[i] = d.ID
	}
	state := p.e.o.State
	now := p.e.now()
	triedAt := make(map[string]time.Time, len(ds)) // when each one's first attempt began, if any
	sending, err := state.UpdateMany(ctx, ids, func(d *syncstate.Delivery) bool {
		if d.State != syncstate.Queued && d.State != syncstate.Sending {
			return false // parked or sent meanwhile
		}
		triedAt[d.ID] = d.TriedAt
		d.State = syncstate.Sending
		if d.TriedAt.IsZero() {
			d.TriedAt = now
		}
		return true
	})
	if err != nil {
		return 0, err
	}
	if err := p.e.disk.Sync(ctx); err != nil {
		return 0, err
	}
	var (
		wg        sync.WaitGroup
		sem       = make(chan struct{}, p.e.o.Workers)
		attempted = make([]bool, len(sending))
	)
	for i, d := range sending {
		if p.stop.Load() || ctx.Err() != nil {
			break
		}
		attempted[i] = true
		if p.e.o.Workers == 1 {
			p.deliver(ctx, d, triedAt[d.ID])
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			p.deliver(ctx, d, triedAt[d.ID])
		})
	}
	wg.Wait()
	var left []string
	for i, d := range sending {
		if !attempted[i] {
			left = append(left, d.ID)
		}
	}
	if len(left) > 0 {
		_, err := state.UpdateMany(context.WithoutCancel(ctx), left, func(d *syncstate.Delivery) bool {
			if d.State != syncstate.Sending {
				return false
			}
			d.State, d.TriedAt = syncstate.Queued, triedAt[d.ID]
			return true
		})
		if err != nil {
			return len(sending) - len(left), err
		}
	}
	return len(sending) - len(left), nil
}

// errSkip leaves a delivery as it is (it changed state meanwhile).
var errSkip = errors.New("engine: skip delivery")

// deliver makes one attempt at one delivery, already marked Sending, and records its outcome.
// triedAt is when its first attempt began (zero: this is the first).
func (p *pusher) deliver(ctx context.Context, d syncstate.Delivery, triedAt time.Time) {
	en, ok := p.entries[d.EntryID]
	if !ok {
		var err error
		if en, err = p.e.o.Outbox.Get(ctx, d.EntryID); errors.Is(err, errs.NotFound) {
			p.park(ctx, d, syncstate.ReasonGone, "the outbox entry no longer exists", d.Attempts) // not tried
			return
		} else if err != nil {
			p.fail(err)
			return
		}
	}
	state := p.e.o.State
	bg := context.WithoutCancel(ctx) // what an attempt taught must be saved even when cancelled
	post := connector.Post{Key: PostKey(en.Key, p.c.ID), Kind: en.Kind, Title: en.Title, Body: en.Body, RemoteID: d.RemoteID,
		TriedAt: triedAt}
	for _, a := range en.Attachments {
		post.Attachments = append(post.Attachments, filepath.Join(p.e.o.Dir, filepath.FromSlash(a)))
	}
	// A checkpoint is committed before the connector goes on, but not synced to disk: a killed
	// process keeps committed writes (they are in the operating system's cache), and what a
	// power cut could lose is covered by the idempotency key and the reconciliation every
	// connector does before creating again. Syncing here cost one disk flush per post.
	save := func(remoteID string) error {
		_, err := state.Update(bg, d.ID, false, func(d *syncstate.Delivery) error {
			d.RemoteID = remoteID
			return nil
		})
		return err
	}
	pub, perr := p.conn.Publish(ctx, post, save)
	if perr == nil {
		p.sent(bg, d, pub)
		return
	}
	if ctx.Err() != nil { // cancelled, not failed: try again next run
		p.requeue(bg, d, 0, "", "")
		return
	}
	kind, reason := connector.KindOf(perr), describe(perr)
	log := p.log.With("delivery", d.ID, "entry", d.EntryID, "kind", kind, "error", reason)
	switch kind {
	case connector.Unreachable, connector.Auth:
		code := syncstate.ReasonUnreachable
		if kind == connector.Auth {
			code = syncstate.ReasonAuth
		}
		p.requeue(bg, d, 0, code, reason)
		p.halt(ctx, perr)
		log.Warn("connection stopped for this run")
	case connector.RateLimited:
		wait := p.e.rateWait(perr)
		p.requeue(bg, d, wait, syncstate.ReasonRateLimited, reason)
		if wait >= inlineRateWait {
			p.halt(ctx, perr)
		}
		log.Info("rate limited", "wait", wait)
	case connector.Invalid, connector.Gone:
		code := syncstate.ReasonInvalid
		if kind == connector.Gone {
			code = syncstate.ReasonGone
		}
		p.count(func(r *syncstate.ConnectionReport) { r.Failed++ })
		p.park(bg, d, code, reason, d.Attempts+1) // the refused request was an attempt
		log.Warn("delivery refused, parked")
	default:
		p.count(func(r *syncstate.ConnectionReport) { r.Failed++ })
		attempts := d.Attempts + 1
		if attempts >= p.e.o.MaxAttempts {
			p.park(bg, d, syncstate.ReasonTooManyFailures, fmt.Sprintf("gave up after %d attempts: %s", attempts, reason), attempts)
			log.Warn("delivery parked after too many failures", "attempts", attempts)
			return
		}
		next := p.e.now().Add(p.e.backoff(attempts))
		_, err := state.Update(bg, d.ID, false, func(d *syncstate.Delivery) error {
			d.State, d.Attempts, d.NextAt, d.ReasonCode, d.Reason = syncstate.Queued, attempts, next, syncstate.ReasonTemporary, reason
			return nil
		})
		if err != nil {
			p.fail(err)
		}
		log.Info("delivery failed, will retry", "attempts", attempts, "next", next)
	}
	p.e.changed()
}

// sent records a success and, when it was the entry's last delivery, tells the outbox.
func (p *pusher) sent(ctx context.Context, d syncstate.Delivery, pub connector.Published) {
	done, remote, err := p.e.o.State.Complete(ctx, d.ID, pub.RemoteID, pub.URL)
	// The last delivery's mark is made durable by the outbox's own durable write just after.
	if err == nil && !done {
		err = p.e.disk.Sync(ctx)
	}
	if err != nil {
		p.fail(err)
		return
	}
	if done {
		if _, err := p.e.o.Outbox.MarkSent(ctx, d.EntryID, strings.Join(remote, ",")); err != nil {
			p.fail(err)
			return
		}
	}
	p.count(func(r *syncstate.ConnectionReport) { r.Pushed++ })
	p.e.changed()
}

// requeue puts a delivery back in the queue without counting an attempt.
func (p *pusher) requeue(ctx context.Context, d syncstate.Delivery, wait time.Duration, code, reason string) {
	next := time.Time{}
	if wait > 0 {
		next = p.e.now().Add(wait)
	}
	_, err := p.e.o.State.Update(ctx, d.ID, false, func(d *syncstate.Delivery) error {
		d.State, d.NextAt = syncstate.Queued, next
		if code != "" {
			d.ReasonCode, d.Reason = code, reason
		}
		return nil
	})
	if err != nil {
		p.fail(err)
	}
}

// park gives a delivery up and marks its outbox entry failed; attempts is how many requests
// were tried, the one that led here included, so that the count shown agrees with the reason.
func (p *pusher) park(ctx context.Context, d syncstate.Delivery, code, reason string, attempts int) {
	_, err := p.e.o.State.Update(ctx, d.ID, true, func(d *syncstate.Delivery) error {
		if d.State == syncstate.Sent {
			return errSkip
		}
		d.State, d.NextAt, d.ReasonCode, d.Reason = syncstate.Parked, time.Time{}, code, reason
		d.Attempts = max(d.Attempts, attempts)
		return nil
	})
	if err != nil {
		if !errors.Is(err, errSkip) {
			p.fail(err)
		}
		return
	}
	if err := ignoreSent(p.e.o.Outbox.MarkFailed(ctx, d.EntryID, reason, time.Time{})); err != nil && !errors.Is(err, errs.NotFound) {
		p.fail(err)
	}
	p.count(func(r *syncstate.ConnectionReport) { r.Parked++ })
}

// halt stops the connection for the rest of the run.
func (p *pusher) halt(ctx context.Context, err error) {
	if p.stop.Swap(true) {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.e.stopped(ctx, p.c, err, p.rep)
}

// fail records a local failure (the store) and stops the connection.
func (p *pusher) fail(err error) {
	p.stop.Store(true)
	p.log.Error("sync state not saved", "error", err)
	p.count(func(r *syncstate.ConnectionReport) { r.Error = describe(err) })
}

func (p *pusher) count(fn func(r *syncstate.ConnectionReport)) {
	p.mu.Lock()
	fn(p.rep)
	p.mu.Unlock()
}

// backoff is the full-jitter exponential delay before attempt n+1: uniform in
// [0, min(BackoffMax, BackoffBase·2^(n-1))].
func (e *Engine) backoff(n int) time.Duration {
	d := e.o.BackoffBase
	for i := 1; i < n && d < e.o.BackoffMax; i++ {
		d *= 2
	}
	d = min(d, e.o.BackoffMax)
	return time.Duration(rand.Int64N(int64(d) + 1))
}
