package calendar

import (
	"context"
	"errors"
	"slices"
	"time"

	"hearth/backend/errs"
	"hearth/backend/outbox"
	"hearth/backend/store"
)

// Source is what calendar outbox entries carry in outbox.Entry.Source.
const Source = "calendar"

// PublishReport says what one PublishDue run did.
type PublishReport struct {
	Queued int `json:"queued"`
	// Late counts the queued occurrences flagged late (older than their item's grace window).
	Late        int            `json:"late"`
	Missed      int            `json:"missed"`
	Occurrences []PublishEvent `json:"occurrences"`
}

// PublishEvent is one occurrence PublishDue handled.
type PublishEvent struct {
	ItemID   string    `json:"itemId"`
	Original time.Time `json:"original"`
	At       time.Time `json:"at"`
	Status   Status    `json:"status"`
	Late     bool      `json:"late"`
	// Key is the occurrence's outbox idempotency key ("" when missed).
	Key string `json:"key,omitempty"`
}

// due is one occurrence whose time has come.
type due struct {
	itemID   string
	original time.Time
	at       time.Time
}

// PublishDue hands every scheduled occurrence due at or before now to the outbox: in one
// durable transaction per occurrence, it writes the outbox entry (keyed by OccurrenceKey) and
// marks the occurrence queued. An occurrence found more than the on-time window late follows its
// item's late policy: "publish" queues it anyway (flagged late past the item's grace window),
// "skip" marks it missed and emits EventMissed. PublishDue is idempotent: a second run, or a run
// after a crash at any point, finds the occurrences already handled and queues nothing twice; an
// outbox entry that already exists for an occurrence is reused (re-armed if it had failed).
func (s *Service) PublishDue(ctx context.Context, now time.Time) (PublishReport, error) {
	s.publishMu.Lock()
	defer s.publishMu.Unlock()
	rep := PublishReport{Occurrences: []PublishEvent{}}
	var todo []due
	var items []string
	err := s.st.View(func(tx *store.Tx) error {
		ids, err := store.IDsByIndex(tx, itemCollection, "status", string(Scheduled))
		if err != nil {
			return err
		}
		for _, id := range ids {
			it, err := getItem(tx, id)
			if err != nil {
				return err
			}
			if !s.st.Mine(it.Publisher) {
				continue // the teammate's copy that scheduled it publishes it
			}
			found, err := s.dueOf(tx, it, now)
			if err != nil {
				return err
			}
			todo = append(todo, found...)
			items = append(items, id)
		}
		return nil
	})
	if err != nil {
		return rep, err
	}
	slices.SortStableFunc(todo, func(a, b due) int { return a.at.Compare(b.at) })
	changed := map[string]bool{}
	for _, d := range todo {
		ev, missed, err := s.publishOne(ctx, d, now)
		if err != nil {
			return rep, err
		}
		if ev == nil {
			continue
		}
		changed[d.itemID] = true
		rep.Occurrences = append(rep.Occurrences, *ev)
		switch {
		case ev.Status == Missed:
			rep.Missed++
			s.notifier.Emit(EventMissed, *missed)
		default:
			rep.Queued++
			if ev.Late {
				rep.Late++
			}
		}
	}
	if err := s.advance(ctx, items, now); err != nil {
		return rep, err
	}
	if len(changed) > 0 {
		ids := make([]string, 0, len(changed))
		for id := range changed {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		s.notifier.Emit(EventChanged, ChangedEvent{IDs: ids})
	}
	return rep, nil
}

// dueOf lists a scheduled item's occurrences due by now and not handled yet: the series' own
// since the watermark (and, for a series, since it was scheduled), plus moved or re-armed
// occurrences whatever their original time.
func (s *Service) dueOf(tx *store.Tx, it Item, now time.Time) ([]due, error) {
	if it.At.IsZero() {
		return nil, nil
	}
	loc := s.localize(&it)
	ser, err := newSeries(it.At, it.Repeat)
	if err != nil {
		return nil, nil // an unreadable rule publishes nothing rather than stopping everything
	}
	from := it.Through.Add(time.Nanosecond)
	if it.Repeat != nil {
		from = maxTime(from, it.ScheduledAt.Add(-s.onTime))
	}
	var out []due
	for _, orig := range ser.between(from.In(loc), now.Add(time.Nanosecond)) {
		_, has, err := getRecord(tx, OccurrenceKey(it.ID, orig))
		if err != nil {
			return nil, err
		}
		if !has {
			out = append(out, due{itemID: it.ID, original: orig, at: orig})
		}
	}
	keys, err := store.IDsByIndex(tx, recordCollection, "item", it.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		r, ok, err := getRecord(tx, k)
		if err != nil {
			return nil, err
		}
		if ok && r.Status == "" && !r.when().After(now) {
			out = append(out, due{itemID: it.ID, original: r.Original.In(loc), at: r.when().In(loc)})
		}
	}
	return out, nil
}

// publishOne queues (or misses) one occurrence in its own durable transaction. It returns nil
// when the occurrence turned out to be handled already or no longer due.
func (s *Service) publishOne(ctx context.Context, d due, now time.Time) (*PublishEvent, *MissedEvent, error) {
	var ev *PublishEvent
	var missed *MissedEvent
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		ev, missed = nil, nil
		it, err := getItem(tx, d.itemID)
		if errors.Is(err, errs.NotFound) {
			return nil
		}
		if err != nil || it.Status != Scheduled {
			return err
		}
		s.localize(&it)
		key := OccurrenceKey(it.ID, d.original)
		r, has, err := getRecord(tx, key)
		if err != nil {
			return err
		}
		if has && (r.Status != "" || r.when().After(now)) {
			return nil // handled by an earlier run, or moved since
		}
		r.ItemID, r.Original, r.UpdatedAt = it.ID, d.original.UTC(), now.UTC()
		at := r.when()
		lateness := now.Sub(at)
		ev = &PublishEvent{ItemID: it.ID, Original: d.original, At: d.at}
		if lateness > s.onTime && it.LatePolicy == LateSkip {
			r.Status = Missed
			missed = &MissedEvent{ItemID: it.ID, Title: it.Title, Original: d.original, At: d.at}
		} else {
			grace := time.Duration(it.GraceMinutes) * time.Minute
			if it.GraceMinutes == 0 {
				grace = DefaultGraceMinutes * time.Minute
			}
			r.Late = lateness > grace
			r.Key = key
			if r.Status, err = enqueue(tx, it, r, now); err != nil {
				return err
			}
			ev.Key = key
		}
		ev.Status, ev.Late = r.Status, r.Late
		if err := putRecord(tx, r); err != nil {
			return err
		}
		if it.Repeat == nil {
			it.Status, it.UpdatedAt = r.Status, now.UTC()
			if _, err := store.Put(tx, itemCollection, it.ID, it); err != nil {
				return err
			}
		}
		return nil
	})
	return ev, missed, err
}

// enqueue writes the occurrence's outbox entry and returns the occurrence's new status: queued,
// or published when the entry already exists and was sent (a record lost to an old bug or a
// restore from backup must not post twice).
func enqueue(tx *store.Tx, it Item, r record, now time.Time) (Status, error) {
	paths := make([]string, len(it.Attachments))
	for i, a := range it.Attachments {
		paths[i] = a.Path
	}
	created, err := outbox.Enqueue(tx, outbox.Entry{
		Key: r.Key, Source: Source, Ref: it.ID, OccurrenceAt: r.Original, Kind: string(it.Kind),
		Channels: it.Channels, Title: it.Title, Body: it.Body, Attachments: paths, Late: r.Late, CreatedAt: now,
	})
	if err != nil || created {
		return Queued, err
	}
	e, err := outbox.ByKey(tx, r.Key)
	if err != nil {
		return "", err
	}
	switch e.Status {
	case outbox.Sent:
		return Published, nil
	case outbox.Failed:
		_, err = outbox.Rearm(tx, r.Key, now)
	}
	return Queued, err
}

// advance moves the watermark of the items PublishDue looked at up to now.
func (s *Service) advance(ctx context.Context, ids []string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	return s.st.Update(ctx, func(tx *store.Tx) error {
		for _, id := range ids {
			it, err := getItem(tx, id)
			if errors.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if !it.Through.Before(now) {
				continue
			}
			it.Through = now.UTC()
			if _, err := store.Put(tx, itemCollection, id, it); err != nil {
				return err
			}
		}
		return nil
	})
}

// OutcomeHook is the outbox.OutcomeFunc that turns the sync engine's reports into occurrence
// statuses: sent makes the occurrence published, failed makes it failed (with the reason). Wire
// it with outbox.WithOutcome(calendar.OutcomeHook).
func OutcomeHook(tx *store.Tx, e outbox.Entry) error {
	if e.Source != Source {
		return nil
	}
	var st Status
	switch e.Status {
	case outbox.Sent:
		st = Published
	case outbox.Failed:
		st = Failed
	default:
		return nil
	}
	return recordOutcome(tx, e.Key, st, e.Reason, e.RemoteID, e.UpdatedAt)
}

// RecordOutcome sets a queued (or failed) occurrence's final status, published or failed, for a
// post sent outside the outbox. Occurrences that were never queued cannot be published this way.
func (s *Service) RecordOutcome(ctx context.Context, itemID string, original time.Time, status Status, reason string) error {
	if status != Published && status != Failed {
		return errs.Fields("calendar: invalid outcome", errs.Field("status", "oneof", "value", "published failed"))
	}
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		if _, err := getItem(tx, itemID); err != nil {
			return err
		}
		key := OccurrenceKey(itemID, original)
		r, ok, err := getRecord(tx, key)
		if err != nil {
			return err
		}
		if !ok || (r.Status != Queued && r.Status != Failed && r.Status != status) {
			from := Scheduled
			if ok && r.Status != "" {
				from = r.Status
			}
			return (&errs.Error{Kind: errs.Conflict, Code: "calendar_bad_transition",
				Msg: "calendar: cannot go from " + string(from) + " to " + string(status)}).With("from", string(from), "to", string(status))
		}
		return recordOutcome(tx, key, status, reason, "", s.clock.Now())
	})
	if err != nil {
		return err
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{itemID}})
	return nil
}

// recordOutcome writes an occurrence's outcome, mirrored on a one-off item. Records deleted
// with their item are ignored: the post went out (or not) all the same.
func recordOutcome(tx *store.Tx, key string, st Status, reason, remoteID string, at time.Time) error {
	r, ok, err := getRecord(tx, key)
	if err != nil || !ok || r.Status == Published {
		return err
	}
	r.Status, r.Reason, r.UpdatedAt = st, reason, at.UTC()
	if remoteID != "" {
		r.RemoteID = remoteID
	}
	if st == Published {
		r.Reason = ""
	}
	if err := putRecord(tx, r); err != nil {
		return err
	}
	it, err := getItem(tx, r.ItemID)
	if errors.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil || it.Repeat != nil || !it.At.Equal(r.Original) {
		return err
	}
	it.Status, it.UpdatedAt = st, at.UTC()
	_, err = store.Put(tx, itemCollection, it.ID, it)
	return err
}

// Retry puts a failed occurrence back in the queue: the next PublishDue re-arms its outbox entry.
func (s *Service) Retry(ctx context.Context, itemID string, original time.Time) (Item, error) {
	var it Item
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		if it, err = getItem(tx, itemID); err != nil {
			return err
		}
		r, ok, err := getRecord(tx, OccurrenceKey(itemID, original))
		if err != nil {
			return err
		}
		if !ok || r.Status != Failed {
			return errs.New(errs.Conflict, "calendar_not_failed", "calendar: occurrence has not failed")
		}
		if it.Repeat == nil {
			it.Status, it.ScheduledAt, it.Publisher = Scheduled, s.clock.Now().UTC(), s.st.Replica()
			if _, err := store.Put(tx, itemCollection, it.ID, it); err != nil {
				return err
			}
		} else if it.Status != Scheduled {
			return errs.New(errs.Conflict, "calendar_not_scheduled", "calendar: the series is not scheduled")
		}
		r.Status, r.Reason, r.UpdatedAt = "", "", s.clock.Now().UTC()
		return putRecord(tx, r)
	})
	if err != nil {
		return Item{}, err
	}
	s.localize(&it)
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{itemID}})
	return it, nil
}
