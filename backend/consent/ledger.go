package consent

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// maxClockSkew is how far in the future an event's time may be: a form server or another
// laptop whose clock runs a little fast must not have its evidence refused.
const maxClockSkew = 5 * time.Minute

// Grant records that the member agreed to the purpose and returns the resulting status.
func (s *Service) Grant(ctx context.Context, in Input) (Status, error) {
	return s.record(ctx, Granted, in)
}

// Withdraw records that the member withdrew consent for the purpose and returns the resulting
// status. A withdrawal is recorded even if no grant is known (it is evidence too), and even for
// an archived purpose: people may always withdraw.
func (s *Service) Withdraw(ctx context.Context, in Input) (Status, error) {
	return s.record(ctx, Withdrawn, in)
}

func (s *Service) record(ctx context.Context, kind Kind, in Input) (Status, error) {
	now := s.now()
	ev, err := s.prepare(kind, in, now)
	if err != nil {
		return Status{}, err
	}
	if err := s.seed(ctx); err != nil {
		return Status{}, err
	}
	if err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error { return s.write(tx, &ev) }); err != nil {
		return Status{}, err
	}
	s.notifier.Emit(EventChanged, ChangedEvent{MemberID: ev.MemberID})
	return s.State(ctx, ev.MemberID, ev.Purpose, latest(now, ev.At))
}

// bulkChunk is how many events RecordMany commits (and syncs) at a time: one sync per event
// would make a 10,000-row import wait on 10,000 disk flushes.
const bulkChunk = 256

// RecordMany records many grants or withdrawals at once (an import). Everything is checked
// before the first write: if any input is invalid (fields named "[i].purpose"...), nothing is
// written. Events are then committed and synced a chunk at a time; progress, when not nil, is
// called with the number written so far. One EventChanged with an empty memberId ("many
// members") announces the batch.
func (s *Service) RecordMany(ctx context.Context, kind Kind, ins []Input, progress func(done int)) error {
	now := s.now()
	evs := make([]Event, len(ins))
	var fields []errs.FieldError
	for i, in := range ins {
		ev, err := s.prepare(kind, in, now)
		if err != nil {
			fields = append(fields, errs.Prefixed(i, len(ins), errs.From(err).Fields)...)
		}
		evs[i] = ev
	}
	if len(fields) > 0 {
		return errs.Fields("consent: invalid consent", fields...)
	}
	if err := s.seed(ctx); err != nil {
		return err
	}
	// A dry run of every write's checks, so that an unknown purpose in the last row does not
	// leave the first chunks written.
	err := s.st.View(func(tx *store.Tx) error {
		for i := range evs {
			err := s.check(tx, &evs[i])
			switch e := errs.From(err); {
			case err == nil:
			case len(e.Fields) > 0:
				fields = append(fields, errs.Prefixed(i, len(evs), e.Fields)...)
			case e.Kind == errs.NotFound: // the member check
				fields = append(fields, errs.Prefixed(i, len(evs), []errs.FieldError{errs.Field("memberId", "member_not_found", "value", evs[i].MemberID)})...)
			default:
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(fields) > 0 {
		return errs.Fields("consent: invalid consent", fields...)
	}
	written := 0
	defer func() {
		if written > 0 { // announce what was written even if a later chunk failed
			s.notifier.Emit(EventChanged, ChangedEvent{})
		}
	}()
	for written < len(evs) {
		end := min(written+bulkChunk, len(evs))
		err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
			for i := written; i < end; i++ {
				if err := s.write(tx, &evs[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		written = end
		if progress != nil {
			progress(written)
		}
	}
	return nil
}

// prepare normalises and validates an input on its own and turns it into an event.
func (s *Service) prepare(kind Kind, in Input, now time.Time) (Event, error) {
	in = in.normalize()
	if in.At.IsZero() {
		in.At = now
	}
	var fields []errs.FieldError
	if err := s.v.Struct("consent: invalid consent", in); err != nil {
		fields = append(fields, errs.From(err).Fields...)
	}
	if in.At.After(now.Add(maxClockSkew)) {
		fields = append(fields, errs.Field("at", "future"))
	}
	if len(fields) > 0 {
		return Event{}, errs.Fields("consent: invalid consent", fields...)
	}
	if in.Proof.FormData == nil {
		in.Proof.FormData = map[string]string{} // a list or map is never null on the wire
	}
	return Event{
		ID: s.st.NewID(), MemberID: in.MemberID, Purpose: in.Purpose, Kind: kind, At: in.At, RecordedAt: now,
		Method: in.Method, By: in.By, Source: in.Source, NoticeVersion: in.NoticeVersion, Proof: in.Proof,
	}, nil
}

// check checks an event against the workspace (member, purpose, notice) and fills in the
// notice's hash.
func (s *Service) check(tx *store.Tx, ev *Event) error {
	if s.memberCheck != nil {
		if err := s.memberCheck(tx, ev.MemberID); err != nil {
			return err
		}
	}
	p, err := purpose(tx, ev.Purpose)
	if err != nil {
		return err
	}
	if ev.Kind == Granted && p.Archived {
		return errs.Fields(fmt.Sprintf("consent: purpose %s is archived", p.ID), errs.Field("purpose", "archived", "value", p.ID))
	}
	if ev.NoticeVersion != "" {
		n, err := notice(tx, ev.Purpose, ev.NoticeVersion)
		if err != nil {
			return err
		}
		if n.PublishedAt.After(ev.At) {
			return errs.Fields("consent: notice published after the consent",
				errs.Field("noticeVersion", "not_yet_published", "value", n.Version, "published", n.PublishedAt.Format(time.RFC3339)))
		}
		ev.NoticeSHA256 = n.SHA256
	}
	return nil
}

// write checks an event and stores it.
func (s *Service) write(tx *store.Tx, ev *Event) error {
	if err := s.check(tx, ev); err != nil {
		return err
	}
	_, err := store.Put(tx, events, ev.ID, *ev)
	return err
}

func (in Input) normalize() Input {
	in.MemberID = strings.TrimSpace(in.MemberID)
	in.Purpose = strings.TrimSpace(in.Purpose)
	in.By = strings.TrimSpace(in.By)
	in.Source = strings.TrimSpace(in.Source)
	in.NoticeVersion = strings.TrimSpace(in.NoticeVersion)
	in.Proof.IP = strings.TrimSpace(in.Proof.IP)
	in.Proof.File = strings.TrimSpace(in.Proof.File)
	if in.Method == "" {
		in.Method = MethodManual
	}
	in.At = in.At.UTC()
	return in
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// State derives the member's standing for one purpose at time at (zero = now) from the events
// at or before it.
func (s *Service) State(ctx context.Context, memberID, purposeID string, at time.Time) (Status, error) {
	var out Status
	err := s.view(ctx, func(tx *store.Tx) error {
		p, err := purpose(tx, purposeID)
		if err != nil {
			return err
		}
		evs, err := memberEvents(tx, memberID)
		if err != nil {
			return err
		}
		out = derive(evs, p, s.at(at))
		return nil
	})
	return out, err
}

// Allowed reports whether the member's consent to the purpose is granted (not withdrawn, not
// expired) at time at (zero = now).
func (s *Service) Allowed(ctx context.Context, memberID, purposeID string, at time.Time) (bool, error) {
	st, err := s.State(ctx, memberID, purposeID, at)
	return st.State == StateGranted, err
}

// GrantedAmong counts the members of ids whose consent to the purpose is granted at time at
// (zero = now), as Allowed would answer for each. It reads the ledger once, not once per member:
// a count over a million members (the funnel's subscribers) costs what the ledger holds.
func (s *Service) GrantedAmong(ctx context.Context, ids []string, purposeID string, at time.Time) (int, error) {
	states, err := s.States(ctx, purposeID, at)
	if err != nil || len(states) == 0 {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		if states[id] == StateGranted {
			n++
		}
	}
	return n, nil
}

// Summary derives the member's standing at time at (zero = now) for every active purpose, in the
// order Purposes lists them.
func (s *Service) Summary(ctx context.Context, memberID string, at time.Time) ([]Status, error) {
	out := []Status{}
	err := s.view(ctx, func(tx *store.Tx) error {
		ps, err := readPurposes(tx)
		if err != nil {
			return err
		}
		evs, err := memberEvents(tx, memberID)
		if err != nil {
			return err
		}
		t := s.at(at)
		for _, p := range ps {
			if !p.Archived {
				out = append(out, derive(evs, p, t))
			}
		}
		return nil
	})
	return out, err
}

// History returns every event of the member, for every purpose, in the order they happened
// (events at the same instant in the order they were recorded).
func (s *Service) History(ctx context.Context, memberID string) ([]Event, error) {
	var out []Event
	err := s.view(ctx, func(tx *store.Tx) (err error) {
		out, err = memberEvents(tx, memberID)
		return err
	})
	return out, err
}

// ForgetMember deletes every consent event of the member inside tx, for the erasure flow: the
// caller runs it in the same transaction that erases the member and emits the change
// notifications after commit. Only meta-only tombstones remain.
func ForgetMember(tx *store.Tx, memberID string) error {
	ids, err := store.IDsByIndex(tx, events, "member", memberID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := store.Delete(tx, events, id); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) view(ctx context.Context, fn func(tx *store.Tx) error) error {
	if err := s.seed(ctx); err != nil {
		return err
	}
	return s.st.View(fn)
}

func (s *Service) at(t time.Time) time.Time {
	if t.IsZero() {
		return s.now()
	}
	return t.UTC()
}

// memberEvents reads a member's events through the "member" index, in chronological order.
func memberEvents(tx *store.Tx, memberID string) ([]Event, error) {
	out := []Event{}
	if memberID == "" {
		return out, nil
	}
	ids, err := store.IDsByIndex(tx, events, "member", memberID)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		e, _, err := store.Get(tx, events, id)
		if errors.Is(err, errs.NotFound) {
			continue // its subject's key was destroyed by an erasure: nothing left to read
		}
		if err != nil {
			return nil, err
		}
		if e.Proof.FormData == nil { // recorded before events kept an empty map
			e.Proof.FormData = map[string]string{}
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, chronological)
	return out, nil
}

// chronological orders events by when they happened, then withdrawals after grants of the same
// instant (two ledgers merged into one, backend/members, may hold both: the withdrawal decides),
// then by recording order (ids are ULIDs).
func chronological(a, b Event) int {
	return cmp.Or(a.At.Compare(b.At), cmp.Compare(withdrawal(a), withdrawal(b)), cmp.Compare(a.ID, b.ID))
}

func withdrawal(e Event) int {
	if e.Kind == Withdrawn {
		return 1
	}
	return 0
}

// derive is the ledger's rule: the latest event for the purpose at or before at decides; a grant
// is expired from the time the purpose's expiry gives it (Purpose.ExpiresAt) onwards.
func derive(evs []Event, p Purpose, at time.Time) Status {
	purposeID := p.ID
	var last *Event
	for i := range evs {
		e := &evs[i]
		if e.Purpose != purposeID || e.At.After(at) {
			continue
		}
		if last == nil || chronological(*e, *last) > 0 {
			last = e
		}
	}
	if last == nil {
		return Status{Purpose: purposeID, State: StateNone}
	}
	st := Status{
		Purpose: purposeID, State: StateWithdrawn, Since: last.At, Method: last.Method, Source: last.Source,
		By: last.By, NoticeVersion: last.NoticeVersion, EventID: last.ID,
	}
	if last.Kind != Granted {
		return st
	}
	st.State = StateGranted
	if st.ExpiresAt = p.ExpiresAt(last.At); !st.ExpiresAt.IsZero() {
		if !at.Before(st.ExpiresAt) {
			st.State, st.Since = StateExpired, st.ExpiresAt
		}
	}
	return st
}
