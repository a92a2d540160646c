package tasks

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/store"
	"hearth/backend/validation"
)

// MemberCheck returns an errs.NotFound error unless memberID names a live member, read inside
// tx (members.Exists): a task must not point at nobody.
type MemberCheck func(tx *store.Tx, memberID string) error

// Option configures a Service.
type Option func(*Service)

// WithMemberCheck makes Create and Update refuse member ids that check rejects.
func WithMemberCheck(check MemberCheck) Option { return func(s *Service) { s.memberCheck = check } }

// Service keeps the tasks. Safe for concurrent use.
type Service struct {
	st          *store.Store
	clock       clock.Clock
	notifier    notify.Notifier
	v           *validation.Validator
	memberCheck MemberCheck
	// notifyMu keeps two Notify calls from announcing the same task.
	notifyMu sync.Mutex
}

// NewService returns a task service over st.
func NewService(st *store.Store, c clock.Clock, n notify.Notifier, opts ...Option) *Service {
	// hearth workspace check verifies, and repair rebuilds, these collections' indexes.
	store.Declare(st, collection)
	if n == nil {
		n = notify.Discard{}
	}
	s := &Service{st: st, clock: c, notifier: n, v: validation.New()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Create adds a manual task.
func (s *Service) Create(ctx context.Context, in Input) (Task, error) {
	t, _, err := s.create(ctx, "", SourceManual, in)
	return t, err
}

// CreateOnce adds a task unless one with the same idempotency key exists, in which case it
// returns that one and created is false. source is "automation:<id>" for automations.
func (s *Service) CreateOnce(ctx context.Context, key, source string, in Input) (t Task, created bool, err error) {
	if key == "" {
		return Task{}, false, errs.New(errs.Internal, "internal", "tasks: CreateOnce needs a key")
	}
	return s.create(ctx, key, source, in)
}

func (s *Service) create(ctx context.Context, key, source string, in Input) (t Task, created bool, err error) {
	in = in.normalize()
	if err := s.v.Struct("tasks: invalid task", in); err != nil {
		return Task{}, false, err
	}
	now := s.clock.Now().UTC()
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		created = false
		if key != "" {
			id, err := store.Lookup(tx, collection, "key", key)
			if err == nil {
				t, _, err = store.Get(tx, collection, id)
				return err
			}
			if !errors.Is(err, errs.NotFound) {
				return err
			}
		}
		if err := s.checkMember(tx, in.MemberID); err != nil {
			return err
		}
		t = Task{
			ID: tx.NewID(), Title: in.Title, Notes: in.Notes, MemberID: in.MemberID, DueAt: in.DueAt,
			CreatedAt: now, UpdatedAt: now, Source: source, Key: key,
		}
		created = true
		_, err := store.Put(tx, collection, t.ID, t)
		return err
	})
	if err != nil {
		return Task{}, false, err
	}
	if created {
		s.changed(t.ID)
	}
	return t, created, nil
}

func (s *Service) checkMember(tx *store.Tx, memberID string) error {
	if memberID == "" || s.memberCheck == nil {
		return nil
	}
	err := s.memberCheck(tx, memberID)
	if errors.Is(err, errs.NotFound) {
		return errs.Fields("tasks: no such member", errs.Field("memberId", "not_found"))
	}
	return err
}

// Get returns the task with this id.
func (s *Service) Get(_ context.Context, id string) (Task, error) {
	var t Task
	err := s.st.View(func(tx *store.Tx) (err error) {
		t, _, err = store.Get(tx, collection, id)
		return err
	})
	return t, err
}

// Update replaces a task's title, notes, member and due date. Moving the due date into the
// future makes the task announce itself again when the new date comes.
func (s *Service) Update(ctx context.Context, id string, in Input) (Task, error) {
	in = in.normalize()
	if err := s.v.Struct("tasks: invalid task", in); err != nil {
		return Task{}, err
	}
	now := s.clock.Now().UTC()
	return s.modify(ctx, id, func(tx *store.Tx, t *Task) error {
		if in.MemberID != t.MemberID {
			if err := s.checkMember(tx, in.MemberID); err != nil {
				return err
			}
		}
		if !in.DueAt.Equal(t.DueAt) && in.DueAt.After(now) {
			t.NotifiedAt = time.Time{}
		}
		t.Title, t.Notes, t.MemberID, t.DueAt = in.Title, in.Notes, in.MemberID, in.DueAt
		return nil
	})
}

// Complete marks a task done (done true) or open again (done false, the undo).
func (s *Service) Complete(ctx context.Context, id string, done bool) (Task, error) {
	now := s.clock.Now().UTC()
	return s.modify(ctx, id, func(_ *store.Tx, t *Task) error {
		if t.Done == done {
			return nil
		}
		t.Done = done
		t.DoneAt = time.Time{}
		if done {
			t.DoneAt = now
		}
		return nil
	})
}

func (s *Service) modify(ctx context.Context, id string, fn func(tx *store.Tx, t *Task) error) (Task, error) {
	var t Task
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		if t, _, err = store.Get(tx, collection, id); err != nil {
			return err
		}
		if err := fn(tx, &t); err != nil {
			return err
		}
		t.UpdatedAt = s.clock.Now().UTC()
		_, err = store.Put(tx, collection, id, t)
		return err
	})
	if err != nil {
		return Task{}, err
	}
	s.changed(id)
	return t, nil
}

// Delete removes a task and returns it, so that the caller can offer to undo with Restore.
func (s *Service) Delete(ctx context.Context, id string) (Task, error) {
	var t Task
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		t, err = store.Delete(tx, collection, id)
		return err
	})
	if err != nil {
		return Task{}, err
	}
	s.changed(id)
	return t, nil
}

// Restore brings back a deleted task as it was (the undo of Delete).
func (s *Service) Restore(ctx context.Context, t Task) (Task, error) {
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		if _, dead, err := store.Tombstone(tx, collection, t.ID); err != nil || !dead {
			if err == nil {
				err = errs.New(errs.NotFound, "task_not_found", fmt.Sprintf("tasks: no deleted task %s to restore", t.ID))
			}
			return err
		}
		if err := s.checkMember(tx, t.MemberID); err != nil {
			t.MemberID = "" // the member is gone since; the task itself is still the manager's
		}
		t.UpdatedAt = s.clock.Now().UTC()
		_, err := store.Put(tx, collection, t.ID, t)
		return err
	})
	if err != nil {
		return Task{}, err
	}
	s.changed(t.ID)
	return t, nil
}

// List returns the tasks f selects: open ones by due date (undated last, then by creation),
// done ones most recently completed first.
func (s *Service) List(_ context.Context, f Filter) ([]Task, error) {
	if f == "" {
		f = FilterOpen
	}
	if !slices.Contains([]Filter{FilterOpen, FilterDue, FilterOverdue, FilterDone, FilterAll}, f) {
		return nil, errs.Fields("tasks: invalid filter", errs.Field("filter", "oneof", "value", "open due overdue done all"))
	}
	now := s.clock.Now()
	y, m, d := now.Date()
	endOfDay := time.Date(y, m, d+1, 0, 0, 0, 0, now.Location())
	return s.scan(func(t Task) bool {
		switch f {
		case FilterOpen:
			return !t.Done
		case FilterDue:
			return !t.Done && !t.DueAt.IsZero() && t.DueAt.Before(endOfDay)
		case FilterOverdue:
			return !t.Done && !t.DueAt.IsZero() && t.DueAt.Before(now)
		case FilterDone:
			return t.Done
		}
		return true
	})
}

// ForMember returns the tasks about one member, open ones first.
func (s *Service) ForMember(_ context.Context, memberID string) ([]Task, error) {
	out := []Task{}
	err := s.st.View(func(tx *store.Tx) error {
		ids, err := store.IDsByIndex(tx, collection, "member", memberID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			t, _, err := store.Get(tx, collection, id)
			if errors.Is(err, errs.NotFound) {
				continue // shredded: its member's key was destroyed
			}
			if err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	slices.SortStableFunc(out, order)
	return out, err
}

// Due returns the open tasks due at or before now.
func (s *Service) Due(_ context.Context, now time.Time) ([]Task, error) {
	return s.scan(func(t Task) bool { return isDue(t, now) })
}

// Notify returns the open tasks that are due at now and were never announced, marks them
// announced (persisted, so each task is announced once even across restarts) and emits EventDue
// with them. It returns an empty list when nothing new is due.
func (s *Service) Notify(ctx context.Context, now time.Time) ([]Task, error) {
	s.notifyMu.Lock()
	defer s.notifyMu.Unlock()
	out := []Task{}
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		out = out[:0]
		var due []Task
		err := store.Scan(tx, collection, func(_ string, t Task, _ store.Meta) error {
			if isDue(t, now) && t.NotifiedAt.IsZero() {
				due = append(due, t)
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, t := range due {
			t.NotifiedAt = now.UTC()
			if _, err := store.Put(tx, collection, t.ID, t); err != nil {
				return err
			}
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) > 0 {
		slices.SortStableFunc(out, order)
		s.notifier.Emit(EventDue, out)
		s.changed(ids(out)...)
	}
	return out, nil
}

// ForgetMember deletes every task about the member inside tx, for the erasure flow: a task's
// notes may describe the person. The task's own key goes with the member's, shredding the
// versions written while it named nobody.
func ForgetMember(tx *store.Tx, memberID string) error {
	if memberID == "" {
		return nil
	}
	ids, err := store.IDsByIndex(tx, collection, "member", memberID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := store.Delete(tx, collection, id); err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		tx.ShredSubject(ownSubject(id))
	}
	return nil
}

func (s *Service) scan(keep func(Task) bool) ([]Task, error) {
	out := []Task{}
	err := s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, collection, func(_ string, t Task, _ store.Meta) error {
			if keep(t) {
				out = append(out, t)
			}
			return nil
		})
	})
	slices.SortStableFunc(out, order)
	return out, err
}

func isDue(t Task, now time.Time) bool {
	return !t.Done && !t.DueAt.IsZero() && !t.DueAt.After(now)
}

// order puts open tasks first, by due date (undated last) then creation; done tasks after,
// most recently completed first.
func order(a, b Task) int {
	if a.Done != b.Done {
		if a.Done {
			return 1
		}
		return -1
	}
	if a.Done {
		return cmp.Or(b.DoneAt.Compare(a.DoneAt), cmp.Compare(a.ID, b.ID))
	}
	if a.DueAt.IsZero() != b.DueAt.IsZero() {
		if a.DueAt.IsZero() {
			return 1
		}
		return -1
	}
	return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.ID, b.ID))
}

func (s *Service) changed(ids ...string) { s.notifier.Emit(EventChanged, ChangedEvent{IDs: ids}) }

func ids(ts []Task) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}
