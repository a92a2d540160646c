// Package outbox is the durable queue of things Hearth must send to platforms.
//
// Domains (the content calendar today) enqueue entries inside their own write transaction with
// Enqueue, so "this occurrence is queued" and "there is an entry to send it" commit together or
// not at all. Each entry carries an idempotency key (calendar: "<item id>@<occurrence time
// RFC 3339>") held in a unique index: enqueueing the same key twice, from a rerun or after a
// crash, creates nothing the second time. The sync engine drains the queue with Pending and
// reports each outcome with MarkSent or MarkFailed; an OutcomeFunc given to NewService runs in
// the same transaction as that report, which is how the calendar learns that an occurrence was
// published or failed without this package importing it.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// Status is where an entry stands.
type Status string

// The statuses. A failed entry with a RetryAt is handed out again by Pending from that time.
const (
	Pending Status = "pending"
	Sent    Status = "sent"
	Failed  Status = "failed"
)

// Entry is one thing to send.
type Entry struct {
	ID string `json:"id"`
	// Key is the idempotency key: at most one entry per key, ever.
	Key string `json:"key"`
	// Source names the domain that enqueued the entry ("calendar"), Ref its record there (an
	// item id) and OccurrenceAt which occurrence of it, for recurring content.
	Source       string    `json:"source"`
	Ref          string    `json:"ref"`
	OccurrenceAt time.Time `json:"occurrenceAt"`
	// What to send: the kind of content, the channels to post it to, a title, a Markdown body
	// and attachments as paths relative to the workspace directory (slash-separated).
	Kind        string   `json:"kind"`
	Channels    []string `json:"channels"`
	Title       string   `json:"title"`
	Body        string   `json:"body"`
	Attachments []string `json:"attachments"`
	// Late is set when the entry was enqueued well after its time (the app was closed).
	Late bool `json:"late"`

	Status   Status    `json:"status"`
	Attempts int       `json:"attempts"`
	RetryAt  time.Time `json:"retryAt,omitzero"`
	Reason   string    `json:"reason,omitempty"`
	RemoteID string    `json:"remoteId,omitempty"`
	// Replica is the copy of the workspace that enqueued the entry and alone sends it: entries
	// travel to teammates' copies (backend/team) so that what was sent stays sent everywhere,
	// but no other copy sends them. Empty for entries from before teams (store.Mine).
	Replica string `json:"replica,omitempty"`
	// CreatedAt is set by the caller of Enqueue (the store has no clock of its own).
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// state is the "state" index value: pending, retry (failed, to try again), failed (given up), sent.
func (e Entry) state() string {
	if e.Status == Failed && !e.RetryAt.IsZero() {
		return "retry"
	}
	return string(e.Status)
}

var collection = &store.Collection[Entry]{
	Name: "outbox",
	Indexes: []store.Index[Entry]{
		{Name: "key", Unique: true, Values: func(e Entry) []string { return []string{e.Key} }},
		{Name: "state", Values: func(e Entry) []string { return []string{e.state()} }},
	},
}

// Enqueue adds e inside tx unless an entry with its key already exists, in which case nothing
// is written and created is false. The caller's transaction should be durable
// (store.UpdateDurable): a queued post must survive a power cut.
func Enqueue(tx *store.Tx, e Entry) (created bool, err error) {
	if strings.TrimSpace(e.Key) == "" || strings.IndexByte(e.Key, 0) >= 0 {
		return false, errs.Fields("outbox: invalid entry", errs.Field("key", "required"))
	}
	if _, err := store.Lookup(tx, collection, "key", e.Key); err == nil {
		return false, nil
	} else if !errors.Is(err, errs.NotFound) {
		return false, err
	}
	e.ID = tx.NewID()
	e.Replica = tx.Replica()
	e.Status, e.Attempts, e.RetryAt, e.Reason, e.RemoteID = Pending, 0, time.Time{}, "", ""
	e.CreatedAt = e.CreatedAt.UTC()
	e.UpdatedAt = e.CreatedAt
	if _, err := store.Put(tx, collection, e.ID, e); err != nil {
		return false, err
	}
	return true, nil
}

// ByKey returns the entry holding key, read inside tx, or an errs.NotFound error.
func ByKey(tx *store.Tx, key string) (Entry, error) {
	id, err := store.Lookup(tx, collection, "key", key)
	if err != nil {
		return Entry{}, notFound(err, "with key "+key)
	}
	e, _, err := store.Get(tx, collection, id)
	return e, notFound(err, id)
}

// Rearm puts the failed entry holding key back in the queue, to be sent as soon as possible
// (a person asked to retry). A pending entry is left as it is; a sent one is a conflict.
func Rearm(tx *store.Tx, key string, now time.Time) (Entry, error) {
	e, err := ByKey(tx, key)
	if err != nil {
		return Entry{}, err
	}
	switch e.Status {
	case Pending:
		return e, nil
	case Sent:
		return e, errs.New(errs.Conflict, "outbox_already_sent", "outbox: entry "+e.ID+" was already sent")
	}
	e.Status, e.RetryAt, e.UpdatedAt = Pending, time.Time{}, now.UTC()
	_, err = store.Put(tx, collection, e.ID, e)
	return e, err
}

// OutcomeFunc learns, inside the transaction that records it, that an entry was sent or failed.
// Its error aborts that transaction.
type OutcomeFunc func(tx *store.Tx, e Entry) error

// Option configures a Service.
type Option func(*Service)

// WithOutcome calls fn for every MarkSent and MarkFailed, in the same transaction.
func WithOutcome(fn OutcomeFunc) Option {
	return func(s *Service) { s.outcomes = append(s.outcomes, fn) }
}

// Service drains the outbox. Safe for concurrent use.
type Service struct {
	st       *store.Store
	clock    clock.Clock
	outcomes []OutcomeFunc
}

// NewService returns the outbox of st.
func NewService(st *store.Store, c clock.Clock, opts ...Option) *Service {
	// hearth workspace check verifies, and repair rebuilds, these collections' indexes.
	store.Declare(st, collection)
	if c == nil {
		c = clock.System{}
	}
	s := &Service{st: st, clock: c}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Pending returns up to limit entries to send now (100 when limit is not positive): pending
// ones in the order they were enqueued, then failed ones whose retry time has come.
func (s *Service) Pending(_ context.Context, limit int) ([]Entry, error) {
	if limit <= 0 {
		limit = 100
	}
	now := s.clock.Now()
	var out []Entry
	err := s.st.View(func(tx *store.Tx) error {
		for _, state := range []string{"pending", "retry"} {
			ids, err := store.IDsByIndex(tx, collection, "state", state)
			if err != nil {
				return err
			}
			var batch []Entry
			for _, id := range ids {
				e, _, err := store.Get(tx, collection, id)
				if err != nil {
					return err
				}
				if state == "retry" && e.RetryAt.After(now) {
					continue
				}
				if !s.st.Mine(e.Replica) {
					continue // a teammate's copy sends it
				}
				batch = append(batch, e)
			}
			if state == "retry" {
				slices.SortStableFunc(batch, func(a, b Entry) int { return a.RetryAt.Compare(b.RetryAt) })
			}
			out = append(out, batch...)
			if len(out) >= limit {
				out = out[:limit]
				return nil
			}
		}
		return nil
	})
	return out, err
}

// Get returns one entry.
func (s *Service) Get(_ context.Context, id string) (Entry, error) {
	var e Entry
	err := s.st.View(func(tx *store.Tx) (err error) {
		e, _, err = store.Get(tx, collection, id)
		return err
	})
	return e, notFound(err, id)
}

// MarkSent records that the entry was published, under remoteID on the platform. Marking a
// sent entry again changes nothing, so a sync engine that crashed after posting but before
// recording it may safely report it twice.
func (s *Service) MarkSent(ctx context.Context, id, remoteID string) (Entry, error) {
	return s.mark(ctx, id, func(e *Entry) error {
		if e.Status == Sent {
			return errUnchanged
		}
		e.Status, e.RemoteID, e.Reason, e.RetryAt = Sent, remoteID, "", time.Time{}
		e.Attempts++
		return nil
	})
}

// MarkFailed records a failed attempt with its reason. With a non-zero retryAt the entry is
// handed out again by Pending from then on; with a zero one it is given up.
func (s *Service) MarkFailed(ctx context.Context, id, reason string, retryAt time.Time) (Entry, error) {
	return s.mark(ctx, id, func(e *Entry) error {
		if e.Status == Sent {
			return errs.New(errs.Conflict, "outbox_already_sent", "outbox: entry "+id+" was already sent")
		}
		e.Status, e.Reason, e.RetryAt = Failed, reason, retryAt.UTC()
		if retryAt.IsZero() {
			e.RetryAt = time.Time{}
		}
		e.Attempts++
		return nil
	})
}

var errUnchanged = errors.New("outbox: unchanged")

func (s *Service) mark(ctx context.Context, id string, change func(e *Entry) error) (Entry, error) {
	var e Entry
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) (err error) {
		if e, _, err = store.Get(tx, collection, id); err != nil {
			return notFound(err, id)
		}
		if err := change(&e); err != nil {
			return err
		}
		e.UpdatedAt = s.clock.Now().UTC()
		if _, err := store.Put(tx, collection, id, e); err != nil {
			return err
		}
		for _, fn := range s.outcomes {
			if err := fn(tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errUnchanged) {
		return e, nil
	}
	if err != nil {
		return Entry{}, err
	}
	return e, nil
}

func notFound(err error, what string) error {
	if errors.Is(err, errs.NotFound) {
		return errs.New(errs.NotFound, "outbox_entry_not_found", fmt.Sprintf("outbox: no entry %s", what))
	}
	return err
}
