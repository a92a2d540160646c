package syncstate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/outbox"
	"hearth/backend/store"
)

// EventChanged is emitted (with an empty struct) when deliveries or statuses changed.
const EventChanged = "sync:changed"

// Query limits.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

var deliveries = &store.Collection[Delivery]{
	Name: "sync_delivery",
	Indexes: []store.Index[Delivery]{
		{Name: "key", Unique: true, Values: func(d Delivery) []string { return []string{deliveryKey(d)} }},
		{Name: "state", Values: func(d Delivery) []string { return []string{string(d.State)} }},
		{Name: "connection", Values: func(d Delivery) []string { return []string{d.Connection} }},
		{Name: "conn_state", Values: func(d Delivery) []string { return []string{connState(d.Connection, d.State)} }},
		{Name: "entry", Values: func(d Delivery) []string { return []string{d.EntryID} }},
	},
}

var statuses = &store.Collection[Status]{Name: "sync_status"}

// deliveryKey is the unique "<entry key>|<connection id>" of a delivery; a channel naming no
// connection has "<entry key>|?<channel, lower-cased>" so each unknown channel parks once.
func deliveryKey(d Delivery) string {
	if d.Connection == "" {
		return d.EntryKey + "|?" + strings.ToLower(strings.TrimSpace(d.Channel))
	}
	return d.EntryKey + "|" + d.Connection
}

func connState(conn string, state DeliveryState) string { return conn + "|" + string(state) }

// Service keeps deliveries and connection statuses. Safe for concurrent use.
type Service struct {
	st       *store.Store
	clock    clock.Clock
	notifier notify.Notifier
}

// NewService returns the sync state kept in st.
func NewService(st *store.Store, c clock.Clock, n notify.Notifier) *Service {
	// hearth workspace check verifies, and repair rebuilds, these collections' indexes.
	store.Declare(st, deliveries)
	store.Declare(st, pulledRecords)
	if c == nil {
		c = clock.System{}
	}
	if n == nil {
		n = notify.Discard{}
	}
	return &Service{st: st, clock: c, notifier: n}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// Changed emits EventChanged; the engine calls it (throttled) while a run changes deliveries.
func (s *Service) Changed() { s.notifier.Emit(EventChanged, struct{}{}) }

// DeliveryQuery selects deliveries. State "queued" also matches deliveries being sent (an
// attempt under way is still in the queue).
type DeliveryQuery struct {
	State      DeliveryState `json:"state,omitempty"`
	Connection string        `json:"connection,omitempty"`
	// Limit is at most MaxLimit; DefaultLimit when not positive.
	Limit int `json:"limit,omitempty"`
}

// Deliveries returns the deliveries matching q, newest first.
func (s *Service) Deliveries(_ context.Context, q DeliveryQuery) ([]Delivery, error) {
	switch q.State {
	case "", Queued, Sending, Sent, Parked:
	default:
		return nil, errs.Fields("syncstate: invalid query", errs.Field("state", "oneof", "values", "queued sending sent parked"))
	}
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	limit = min(limit, MaxLimit)
	out := []Delivery{}
	err := s.st.View(func(tx *store.Tx) error {
		if q.State == "" && q.Connection == "" {
			return store.ScanNewest(tx, deliveries, func(_ string, d Delivery, _ store.Meta) error {
				out = append(out, d)
				if len(out) == limit {
					return store.ErrStop
				}
				return nil
			})
		}
		states := []DeliveryState{q.State}
		if q.State == Queued {
			states = append(states, Sending)
		}
		var ids []string
		for _, state := range states {
			var more []string
			var err error
			switch {
			case q.Connection != "" && state != "":
				more, err = store.IDsByIndex(tx, deliveries, "conn_state", connState(q.Connection, state))
			case q.Connection != "":
				more, err = store.IDsByIndex(tx, deliveries, "connection", q.Connection)
			default:
				more, err = store.IDsByIndex(tx, deliveries, "state", string(state))
			}
			if err != nil {
				return err
			}
			ids = append(ids, more...)
		}
		slices.Sort(ids)
		for i := len(ids) - 1; i >= 0 && len(out) < limit; i-- {
			d, _, err := store.Get(tx, deliveries, ids[i])
			if err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	return out, err
}

// Get returns one delivery.
func (s *Service) Get(_ context.Context, id string) (Delivery, error) {
	var d Delivery
	err := s.st.View(func(tx *store.Tx) (err error) {
		d, _, err = store.Get(tx, deliveries, id)
		return err
	})
	return d, notFound(err, id)
}

// ForEntry returns every delivery of one outbox entry, oldest first.
func (s *Service) ForEntry(_ context.Context, entryID string) ([]Delivery, error) {
	var out []Delivery
	err := s.st.View(func(tx *store.Tx) (err error) {
		out, err = forEntry(tx, entryID)
		return err
	})
	return out, err
}

func forEntry(tx *store.Tx, entryID string) ([]Delivery, error) {
	ids, err := store.IDsByIndex(tx, deliveries, "entry", entryID)
	if err != nil {
		return nil, err
	}
	out := make([]Delivery, 0, len(ids))
	for _, id := range ids {
		d, _, err := store.Get(tx, deliveries, id)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Retry puts a parked delivery back in the queue with its attempts reset, and rearms its outbox
// entry in the same durable transaction. Retrying a delivery that is not parked is a conflict.
func (s *Service) Retry(ctx context.Context, id string) (Delivery, error) {
	var d Delivery
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) (err error) {
		if d, _, err = store.Get(tx, deliveries, id); err != nil {
			return notFound(err, id)
		}
		if d.State != Parked {
			return errs.New(errs.Conflict, "sync_not_parked", "syncstate: delivery "+id+" is not parked").With("state", string(d.State))
		}
		now := s.now()
		d.State, d.Attempts, d.NextAt, d.Reason, d.ReasonCode, d.UpdatedAt = Queued, 0, time.Time{}, "", "", now
		if _, err := store.Put(tx, deliveries, id, d); err != nil {
			return err
		}
		_, err = outbox.Rearm(tx, d.EntryKey, now)
		if errors.Is(err, errs.Conflict) { // the entry was sent elsewhere meanwhile: still retry here
			return nil
		}
		return err
	})
	if err != nil {
		return Delivery{}, err
	}
	s.Changed()
	return d, nil
}

// Update changes one delivery with fn inside a transaction (durable when asked) and returns
// it as written. fn's error aborts the change.
func (s *Service) Update(ctx context.Context, id string, durable bool, fn func(d *Delivery) error) (Delivery, error) {
	var d Delivery
	write := func(tx *store.Tx) (err error) {
		if d, _, err = store.Get(tx, deliveries, id); err != nil {
			return notFound(err, id)
		}
		if err := fn(&d); err != nil {
			return err
		}
		d.UpdatedAt = s.now()
		_, err = store.Put(tx, deliveries, id, d)
		return err
	}
	var err error
	if durable {
		err = s.st.UpdateDurable(ctx, write)
	} else {
		err = s.st.Update(ctx, write)
	}
	if err != nil {
		return Delivery{}, err
	}
	return d, nil
}

// Complete marks a delivery sent under remoteID (and url) and says, from the same transaction,
// whether every delivery of its entry is now sent, with their remote ids in order. Deciding it
// in the transaction that writes the mark means that when two connections finish an entry at
// the same time, one of them (the store retries the conflicting one) sees both marks.
func (s *Service) Complete(ctx context.Context, id, remoteID, url string) (allSent bool, remoteIDs []string, err error) {
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		d, _, err := store.Get(tx, deliveries, id)
		if err != nil {
			return notFound(err, id)
		}
		d.State, d.RemoteID, d.URL, d.NextAt, d.Reason, d.ReasonCode, d.UpdatedAt = Sent, remoteID, url, time.Time{}, "", "", s.now()
		if _, err := store.Put(tx, deliveries, id, d); err != nil {
			return err
		}
		all, err := forEntry(tx, d.EntryID)
		if err != nil {
			return err
		}
		allSent, remoteIDs = true, remoteIDs[:0]
		for _, o := range all {
			if o.ID == id {
				o = d
			}
			if o.State != Sent {
				allSent = false
				continue
			}
			remoteIDs = append(remoteIDs, o.RemoteID)
		}
		return nil
	})
	return allSent, remoteIDs, err
}

// UpdateMany changes several deliveries in one (not durable) transaction: fn returns false
// to leave one as it is. It returns the deliveries it changed, as written.
func (s *Service) UpdateMany(ctx context.Context, ids []string, fn func(d *Delivery) bool) ([]Delivery, error) {
	var out []Delivery
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		out = out[:0]
		now := s.now()
		for _, id := range ids {
			d, _, err := store.Get(tx, deliveries, id)
			if errors.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if !fn(&d) {
				continue
			}
			d.UpdatedAt = now
			if _, err := store.Put(tx, deliveries, id, d); err != nil {
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Target is one channel of an outbox entry, resolved: Connection is the connection id, or ""
// when the channel names none.
type Target struct {
	Connection string
	Channel    string
}

// EntryPlan is where one outbox entry must be delivered.
type EntryPlan struct {
	EntryID  string
	EntryKey string
	Title    string
	DueAt    time.Time
	Targets  []Target
}

// Plan makes sure every entry has one delivery per target, creating the missing ones (queued,
// or parked with ReasonNoConnection for a channel naming no connection) and dropping parked
// placeholders whose channel now names a connection. It returns each entry's deliveries after
// the change, in the order of plans. Planning the same entries again changes nothing.
func (s *Service) Plan(ctx context.Context, plans []EntryPlan) ([][]Delivery, error) {
	out := make([][]Delivery, len(plans))
	now := s.now()
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		for i, p := range plans {
			existing, err := forEntry(tx, p.EntryID)
			if err != nil {
				return err
			}
			byKey := make(map[string]Delivery, len(existing))
			for _, d := range existing {
				byKey[deliveryKey(d)] = d
			}
			wanted := map[string]bool{}
			for _, t := range p.Targets {
				d := Delivery{EntryID: p.EntryID, EntryKey: p.EntryKey, Connection: t.Connection, Channel: t.Channel,
					Title: p.Title, State: Queued, DueAt: p.DueAt.UTC(), CreatedAt: now, UpdatedAt: now}
				key := deliveryKey(d)
				if wanted[key] {
					continue
				}
				wanted[key] = true
				old, ok := byKey[key]
				switch {
				case ok && (old.Connection != "" || old.State != Queued):
					continue
				case ok: // a retried placeholder whose channel still names no connection
					d = old
					d.UpdatedAt = now
				default:
					d.ID = tx.NewID()
				}
				if d.Connection == "" {
					d.State, d.ReasonCode = Parked, ReasonNoConnection
					d.Reason = fmt.Sprintf("no connection named %q", t.Channel)
				}
				if _, err := store.Put(tx, deliveries, d.ID, d); err != nil {
					return err
				}
				byKey[key] = d
			}
			list := make([]Delivery, 0, len(byKey))
			for key, d := range byKey {
				if d.Connection == "" && !wanted[key] && d.State != Sent {
					if _, err := store.Delete(tx, deliveries, d.ID); err != nil {
						return err
					}
					continue
				}
				list = append(list, d)
			}
			slices.SortFunc(list, func(a, b Delivery) int { return strings.Compare(a.ID, b.ID) })
			out[i] = list
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Due returns up to limit deliveries on a connection that are queued (or were being sent when
// the engine stopped) and whose next attempt time has come, in creation order, starting after
// the delivery id after ("" from the start).
func (s *Service) Due(_ context.Context, conn string, now time.Time, after string, limit int) ([]Delivery, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	var out []Delivery
	err := s.st.View(func(tx *store.Tx) error {
		var ids []string
		for _, state := range []DeliveryState{Queued, Sending} {
			more, err := store.IDsByIndex(tx, deliveries, "conn_state", connState(conn, state))
			if err != nil {
				return err
			}
			ids = append(ids, more...)
		}
		slices.Sort(ids)
		start, _ := slices.BinarySearch(ids, after)
		for _, id := range ids[start:] {
			if id == after {
				continue
			}
			d, _, err := store.Get(tx, deliveries, id)
			if err != nil {
				return err
			}
			if d.NextAt.After(now) {
				continue
			}
			out = append(out, d)
			if len(out) == limit {
				return nil
			}
		}
		return nil
	})
	return out, err
}

// Status returns what is known of one connection, with its queue counts. A connection never
// checked has a zero Status (Online false, CheckedAt zero): that is not an error.
func (s *Service) Status(_ context.Context, conn string) (Status, error) {
	var st Status
	err := s.st.View(func(tx *store.Tx) (err error) {
		st, err = readStatus(tx, conn)
		return err
	})
	return st, err
}

func readStatus(tx *store.Tx, conn string) (Status, error) {
	st, _, err := store.Get(tx, statuses, conn)
	if errors.Is(err, errs.NotFound) {
		st, err = Status{Connection: conn}, nil
	}
	if err != nil {
		return Status{}, err
	}
	return st, fillCounts(tx, &st)
}

func fillCounts(tx *store.Tx, st *Status) error {
	count := func(state DeliveryState) (int, error) {
		ids, err := store.IDsByIndex(tx, deliveries, "conn_state", connState(st.Connection, state))
		return len(ids), err
	}
	q, err := count(Queued)
	if err != nil {
		return err
	}
	sending, err := count(Sending)
	if err != nil {
		return err
	}
	if st.Parked, err = count(Parked); err != nil {
		return err
	}
	st.Queued = q + sending
	return fillPulled(tx, st)
}

// Statuses returns every known connection status with its queue counts.
func (s *Service) Statuses(_ context.Context) ([]Status, error) {
	out := []Status{}
	err := s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, statuses, func(_ string, st Status, _ store.Meta) error {
			if err := fillCounts(tx, &st); err != nil {
				return err
			}
			out = append(out, st)
			return nil
		})
	})
	return out, err
}

// SaveStatus replaces a connection's status durably (its queue counts and pull totals are
// derived, not stored) and returns it with fresh counts.
func (s *Service) SaveStatus(ctx context.Context, st Status) (Status, error) {
	return s.UpdateStatus(ctx, st.Connection, func(cur *Status) { *cur = st })
}

// UpdateStatus changes a connection's status with fn in a durable transaction, so that
// concurrent writers (a sync run, a connection test) do not undo each other's fields.
func (s *Service) UpdateStatus(ctx context.Context, conn string, fn func(st *Status)) (Status, error) {
	if conn == "" {
		return Status{}, errs.Fields("syncstate: invalid status", errs.Field("connection", "required"))
	}
	var st Status
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) (err error) {
		if st, err = readStatus(tx, conn); err != nil {
			return err
		}
		fn(&st)
		st.Connection = conn
		rec := st
		rec.Queued, rec.Parked = 0, 0
		rec.TotalActivity, rec.TotalNewMembers, rec.LastNewAt = 0, 0, time.Time{}
		_, err = store.Put(tx, statuses, conn, rec)
		return err
	})
	if err != nil {
		return Status{}, err
	}
	s.Changed()
	return st, nil
}

// Totals counts deliveries waiting (queued or being sent) and parked, across connections.
func (s *Service) Totals(_ context.Context) (queued, parked int, err error) {
	err = s.st.View(func(tx *store.Tx) error {
		for _, c := range []struct {
			state DeliveryState
			n     *int
		}{{Queued, &queued}, {Sending, &queued}, {Parked, &parked}} {
			ids, err := store.IDsByIndex(tx, deliveries, "state", string(c.state))
			if err != nil {
				return err
			}
			*c.n += len(ids)
		}
		return nil
	})
	return queued, parked, err
}

// ForgetConnection drops a removed connection's status and pull totals and parks its waiting deliveries with
// ReasonNoConnection (a person may retry them once a connection has the channel's name).
func (s *Service) ForgetConnection(ctx context.Context, conn string) error {
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		if _, err := store.Delete(tx, statuses, conn); err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		if err := forgetPulled(tx, conn); err != nil {
			return err
		}
		now := s.now()
		for _, state := range []DeliveryState{Queued, Sending} {
			ids, err := store.IDsByIndex(tx, deliveries, "conn_state", connState(conn, state))
			if err != nil {
				return err
			}
			for _, id := range ids {
				d, _, err := store.Get(tx, deliveries, id)
				if err != nil {
					return err
				}
				d.State, d.ReasonCode, d.Reason, d.NextAt, d.UpdatedAt = Parked, ReasonNoConnection, "the connection was removed", time.Time{}, now
				if _, err := store.Put(tx, deliveries, id, d); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.Changed()
	return nil
}

func notFound(err error, id string) error {
	if errors.Is(err, errs.NotFound) {
		return errs.New(errs.NotFound, "sync_delivery_not_found", "syncstate: no delivery "+id)
	}
	return err
}
