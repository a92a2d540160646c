package calendar

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // IANA zones on machines without a zoneinfo database (Windows, minimal Linux)
	"unicode"

	"github.com/go-playground/validator/v10"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/store"
	"hearth/backend/validation"
)

// Events the calendar emits.
const (
	// EventChanged carries a ChangedEvent after items or occurrences change.
	EventChanged = "calendar:changed"
	// EventMissed carries a MissedEvent for each occurrence skipped by its late policy.
	EventMissed = "calendar:missed"
)

// ChangedEvent names the items that changed.
type ChangedEvent struct {
	IDs []string `json:"ids"`
}

// MissedEvent tells the person an occurrence was not published because the app was closed at
// its time and the item's late policy is "skip".
type MissedEvent struct {
	ItemID   string    `json:"itemId"`
	Title    string    `json:"title"`
	Original time.Time `json:"original"`
	At       time.Time `json:"at"`
}

var itemCollection = &store.Collection[Item]{
	Name:    "cal_item",
	Indexes: []store.Index[Item]{{Name: "status", Values: func(it Item) []string { return []string{string(it.Status)} }}},
}

var recordCollection = &store.Collection[record]{
	Name:    "cal_occurrence",
	Indexes: []store.Index[record]{{Name: "item", Values: func(r record) []string { return []string{r.ItemID} }}},
}

// Option configures a Service.
type Option func(*Service)

// WithWorkspaceDir names the workspace directory, under which attachments are copied
// (<dir>/attachments/<item id>/). Without it, attaching files is refused.
func WithWorkspaceDir(dir string) Option { return func(s *Service) { s.dir = dir } }

// WithDefaultZone is the zone of items and slots saved without one (the computer's zone, see
// LocalZoneName, by default).
func WithDefaultZone(loc *time.Location) Option {
	return func(s *Service) { s.defaultZone = loc.String() }
}

// WithOnTime is how late PublishDue may find an occurrence and still call it on time (five
// minutes by default): later than that, the app was not running at its time, and the item's
// late policy decides.
func WithOnTime(d time.Duration) Option { return func(s *Service) { s.onTime = d } }

// Service keeps the content calendar. Safe for concurrent use.
type Service struct {
	st          *store.Store
	clock       clock.Clock
	notifier    notify.Notifier
	v           *validation.Validator
	dir         string
	defaultZone string
	onTime      time.Duration
	zones       sync.Map // name -> *time.Location

	publishMu sync.Mutex // one PublishDue at a time
}

// NewService returns a calendar over st.
func NewService(st *store.Store, c clock.Clock, n notify.Notifier, opts ...Option) *Service {
	// hearth workspace check verifies, and repair rebuilds, these collections' indexes.
	store.Declare(st, itemCollection)
	store.Declare(st, recordCollection)
	if c == nil {
		c = clock.System{}
	}
	if n == nil {
		n = notify.Discard{}
	}
	s := &Service{st: st, clock: c, notifier: n, v: newValidator(), defaultZone: LocalZoneName(), onTime: 5 * time.Minute}
	for _, o := range opts {
		o(s)
	}
	return s
}

func newValidator() *validation.Validator {
	return validation.New(validation.Rule{Tag: "label", Fn: func(fl validator.FieldLevel) bool {
		return !strings.ContainsFunc(fl.Field().String(), unicode.IsControl)
	}})
}

// zone loads an IANA zone once.
func (s *Service) zone(name string) (*time.Location, error) {
	if l, ok := s.zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" {
		return nil, errs.Fields("calendar: unknown time zone", errs.Field("timeZone", "time_zone", "value", name))
	}
	s.zones.Store(name, loc)
	return loc, nil
}

func (s *Service) defaultZoneName() string {
	if s.defaultZone == "" || s.defaultZone == "Local" {
		return "UTC"
	}
	return s.defaultZone
}

// localize puts the item's times in its zone, so they print with its offset.
func (s *Service) localize(it *Item) *time.Location {
	loc, err := s.zone(it.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	if !it.At.IsZero() {
		it.At = it.At.In(loc)
	}
	return loc
}

func notFound(err error, id string) error {
	if errors.Is(err, errs.NotFound) {
		return errs.New(errs.NotFound, "calendar_item_not_found", "calendar: no item "+id)
	}
	return err
}

func getItem(tx *store.Tx, id string) (Item, error) {
	it, _, err := store.Get(tx, itemCollection, id)
	return it, notFound(err, id)
}

func getRecord(tx *store.Tx, key string) (record, bool, error) {
	r, _, err := store.Get(tx, recordCollection, key)
	if errors.Is(err, errs.NotFound) {
		return record{}, false, nil
	}
	return r, err == nil, err
}

func putRecord(tx *store.Tx, r record) error {
	_, err := store.Put(tx, recordCollection, OccurrenceKey(r.ItemID, r.Original), r)
	return err
}

// normalize trims what people type and drops repeated channels.
func normalizeChannels(chs []string) []string {
	out := make([]string, 0, len(chs))
	for _, c := range chs {
		c = strings.TrimSpace(c)
		if !slices.ContainsFunc(out, func(o string) bool { return strings.EqualFold(o, c) }) || c == "" {
			out = append(out, c)
		}
	}
	return out
}

func (in CreateInput) normalize(defaultZone string) CreateInput {
	in.Title = strings.TrimSpace(in.Title)
	in.Assignee = strings.TrimSpace(in.Assignee)
	in.Campaign = strings.TrimSpace(in.Campaign)
	in.Notes = strings.TrimSpace(in.Notes)
	in.TimeZone = strings.TrimSpace(in.TimeZone)
	in.Channels = normalizeChannels(in.Channels)
	if in.TimeZone == "" {
		in.TimeZone = defaultZone
	}
	if in.Kind == "" {
		in.Kind = KindPost
	}
	if in.Status == "" {
		in.Status = Draft
	}
	if in.LatePolicy == "" {
		in.LatePolicy = LatePublish
	}
	return in
}

// validate checks a normalized input and returns the item's location.
func (s *Service) validate(in CreateInput) (*time.Location, error) {
	var fields []errs.FieldError
	if err := s.v.Struct("calendar: invalid item", in); err != nil {
		fields = append(fields, errs.From(err).Fields...)
	}
	loc, err := s.zone(in.TimeZone)
	if err != nil {
		fields = append(fields, errs.From(err).Fields...)
	}
	if in.Repeat != nil {
		if err := s.v.Struct("calendar: invalid item", *in.Repeat); err != nil {
			fields = append(fields, prefixFields("repeat", errs.From(err).Fields)...)
		}
		fields = append(fields, in.Repeat.check("repeat")...)
		if in.At.IsZero() {
			fields = append(fields, errs.Field("at", "required"))
		}
	}
	if in.Status == Scheduled && in.At.IsZero() && in.Repeat == nil {
		fields = append(fields, errs.Field("at", "required"))
	}
	if len(fields) > 0 {
		return nil, errs.Fields("calendar: invalid item", fields...)
	}
	return loc, nil
}

func prefixFields(prefix string, fields []errs.FieldError) []errs.FieldError {
	for i := range fields {
		fields[i].Field = prefix + "." + fields[i].Field
	}
	return fields
}

// Create adds an item, copying its attachments into the workspace.
func (s *Service) Create(ctx context.Context, in CreateInput) (Item, error) {
	in = in.normalize(s.defaultZoneName())
	loc, err := s.validate(in)
	if err != nil {
		return Item{}, err
	}
	now := s.clock.Now().UTC()
	it := Item{
		ID: s.st.NewID(), Kind: in.Kind, Title: in.Title, Body: in.Body, Channels: in.Channels, Status: in.Status,
		Assignee: in.Assignee, Campaign: in.Campaign, Notes: in.Notes, TimeZone: in.TimeZone, Repeat: in.Repeat.normalized(loc),
		LatePolicy: in.LatePolicy, GraceMinutes: in.GraceMinutes, CreatedAt: now, UpdatedAt: now,
		Attachments: []Attachment{},
	}
	if !in.At.IsZero() {
		it.At = in.At.In(loc).Truncate(time.Second)
	}
	if it.Status == Scheduled {
		it.ScheduledAt, it.Publisher = now, s.st.Replica()
	}
	if err := checkSeries(it.At, it.Repeat); err != nil {
		return Item{}, err
	}
	if it.Attachments, _, err = s.attach(it.ID, it.Attachments, in.Attach); err != nil {
		return Item{}, err
	}
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, itemCollection, it.ID, it)
		return err
	})
	if err != nil {
		s.removeAttachments(it.ID)
		return Item{}, err
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{it.ID}})
	return it, nil
}

// Get returns one item.
func (s *Service) Get(_ context.Context, id string) (Item, error) {
	var it Item
	err := s.st.View(func(tx *store.Tx) (err error) {
		it, err = getItem(tx, id)
		return err
	})
	if err != nil {
		return Item{}, err
	}
	s.localize(&it)
	return it, nil
}

// Update applies a patch to an item. With p.Occurrence set it moves that one occurrence of a
// series to p.At instead (dragging one occurrence to another day): the series is unchanged and
// the occurrence becomes an exception to it. Changing the time, zone or rule of a whole series
// drops the moves of occurrences not yet published.
func (s *Service) Update(ctx context.Context, id string, p Patch) (Item, error) {
	if p.Occurrence != nil {
		return s.moveOccurrence(ctx, id, *p.Occurrence, p.At)
	}
	var it Item
	var created, detached []string
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		old, err := getItem(tx, id)
		if err != nil {
			return err
		}
		if locked(old.Status) && (p.Kind != nil || p.Title != nil || p.Body != nil || p.Channels != nil ||
			p.TimeZone != nil || p.At != nil || p.Repeat != nil || p.NoRepeat || len(p.Attach)+len(p.Detach) > 0) {
			return errs.New(errs.Conflict, "calendar_item_locked", "calendar: item "+id+" is "+string(old.Status)).
				With("status", string(old.Status))
		}
		in := p.apply(old).normalize(s.defaultZoneName())
		loc, err := s.validate(in)
		if err != nil {
			return err
		}
		it = old
		it.Kind, it.Title, it.Body, it.Channels = in.Kind, in.Title, in.Body, in.Channels
		it.Assignee, it.Campaign, it.Notes, it.TimeZone = in.Assignee, in.Campaign, in.Notes, in.TimeZone
		it.Repeat, it.LatePolicy, it.GraceMinutes = in.Repeat.normalized(loc), in.LatePolicy, in.GraceMinutes
		it.At = time.Time{}
		if !in.At.IsZero() {
			it.At = in.At.In(loc).Truncate(time.Second)
		}
		if err := checkSeries(it.At, it.Repeat); err != nil {
			return err
		}
		now := s.clock.Now().UTC()
		retimed := !it.At.Equal(old.At) || it.TimeZone != old.TimeZone || !equalRepeat(it.Repeat, old.Repeat)
		if retimed {
			if err := dropMoves(tx, id); err != nil {
				return err
			}
			if it.Repeat == nil {
				it.Through = time.Time{} // a one-off item's new time has not been handled yet
			}
			if it.Status == Missed || it.Status == Failed {
				it.Status, it.ScheduledAt, it.Publisher = Scheduled, now, s.st.Replica() // moving a missed post reschedules it
			}
		}
		kept := it.Attachments[:0:0]
		for _, a := range it.Attachments {
			if slices.Contains(p.Detach, a.Name) {
				detached = append(detached, a.Path)
				continue
			}
			kept = append(kept, a)
		}
		s.removeFiles(created) // from an earlier attempt of this transaction
		if it.Attachments, created, err = s.attach(id, kept, p.Attach); err != nil {
			return err
		}
		it.UpdatedAt = now
		_, err = store.Put(tx, itemCollection, id, it)
		return err
	})
	if err != nil {
		s.removeFiles(created)
		return Item{}, err
	}
	s.removeFiles(detached)
	s.localize(&it)
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{id}})
	return it, nil
}

// locked statuses are a one-off item on its way out or out: its content can no longer change.
func locked(st Status) bool { return st == Queued || st == Published }

func equalRepeat(a, b *Recurrence) bool { return a.equal(b) }

// apply returns the input that results from applying p to it.
func (p Patch) apply(it Item) CreateInput {
	in := CreateInput{
		Kind: it.Kind, Title: it.Title, Body: it.Body, Channels: it.Channels, Status: it.Status, Assignee: it.Assignee,
		Campaign: it.Campaign, Notes: it.Notes, TimeZone: it.TimeZone, At: it.At, Repeat: it.Repeat,
		LatePolicy: it.LatePolicy, GraceMinutes: it.GraceMinutes,
	}
	if !editorial(in.Status) {
		in.Status = "" // validated as an input; the item keeps its publishing status
	}
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&in.Title, p.Title)
	set(&in.Body, p.Body)
	set(&in.Assignee, p.Assignee)
	set(&in.Campaign, p.Campaign)
	set(&in.Notes, p.Notes)
	set(&in.TimeZone, p.TimeZone)
	if p.Kind != nil {
		in.Kind = *p.Kind
	}
	if p.Channels != nil {
		in.Channels = *p.Channels
	}
	if p.At != nil {
		in.At = *p.At
	}
	if p.Repeat != nil {
		in.Repeat = p.Repeat
	}
	if p.NoRepeat {
		in.Repeat = nil
	}
	if p.LatePolicy != nil {
		in.LatePolicy = *p.LatePolicy
	}
	if p.GraceMinutes != nil {
		in.GraceMinutes = *p.GraceMinutes
	}
	return in
}

// dropMoves forgets the moves and cancellations of a series' occurrences that were never
// published: after the series itself changes, they may no longer name one of its occurrences.
func dropMoves(tx *store.Tx, itemID string) error {
	keys, err := store.IDsByIndex(tx, recordCollection, "item", itemID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		r, ok, err := getRecord(tx, k)
		if err != nil {
			return err
		}
		if ok && (r.Status == "" || r.Status == Cancelled) {
			if _, err := store.Delete(tx, recordCollection, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// moveOccurrence moves one occurrence of a series (named by its original time) to at.
func (s *Service) moveOccurrence(ctx context.Context, id string, original time.Time, at *time.Time) (Item, error) {
	if at == nil || at.IsZero() {
		return Item{}, errs.Fields("calendar: invalid move", errs.Field("at", "required"))
	}
	var it Item
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		if it, err = getItem(tx, id); err != nil {
			return err
		}
		loc := s.localize(&it)
		if it.Repeat == nil {
			return errs.Fields("calendar: not a series", errs.Field("occurrence", "not_recurring"))
		}
		ser, err := newSeries(it.At, it.Repeat)
		if err != nil {
			return err
		}
		original = original.In(loc)
		r, ok, err := getRecord(tx, OccurrenceKey(id, original))
		if err != nil {
			return err
		}
		if !ok && !ser.has(original) {
			return errs.Fields("calendar: no such occurrence", errs.Field("occurrence", "no_occurrence"))
		}
		if r.Status != "" && r.Status != Missed {
			return errs.New(errs.Conflict, "calendar_occurrence_locked", "calendar: occurrence is "+string(r.Status)).
				With("status", string(r.Status))
		}
		when := at.In(loc).Truncate(time.Second)
		r = record{ItemID: id, Original: original.UTC(), At: &when, UpdatedAt: s.clock.Now().UTC()}
		if when.Equal(original) {
			r.At = nil
		}
		return putRecord(tx, r)
	})
	if err != nil {
		return Item{}, err
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{id}})
	return it, nil
}

// editorial statuses are the ones people set.
func editorial(st Status) bool {
	return st == Draft || st == InReview || st == Approved || st == Scheduled
}

// SetStatus moves an item along its editorial flow. Draft, in review, approved and scheduled
// may follow one another in any order (a small team may skip the review); a failed or missed
// one-off item may go back to any of them. Nobody sets queued, published, failed or missed by
// hand, and a queued or published item no longer changes status.
func (s *Service) SetStatus(ctx context.Context, id string, to Status) (Item, error) {
	var it Item
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		if it, err = getItem(tx, id); err != nil {
			return err
		}
		from := it.Status
		if err := checkTransition(from, to); err != nil {
			return err
		}
		if from == to {
			return nil
		}
		if to == Scheduled {
			if it.At.IsZero() {
				return errs.Fields("calendar: a scheduled item needs a date", errs.Field("at", "required"))
			}
			it.ScheduledAt, it.Publisher = s.clock.Now().UTC(), s.st.Replica()
		}
		if (from == Failed || from == Missed) && it.Repeat == nil {
			if err := s.resetOneOff(tx, it); err != nil {
				return err
			}
		}
		it.Status, it.UpdatedAt = to, s.clock.Now().UTC()
		_, err = store.Put(tx, itemCollection, id, it)
		return err
	})
	if err != nil {
		return Item{}, err
	}
	s.localize(&it)
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{id}})
	return it, nil
}

// checkTransition refuses the status changes people may not make.
func checkTransition(from, to Status) error {
	bad := func(kind errs.Kind) error {
		return (&errs.Error{Kind: kind, Code: "calendar_bad_transition",
			Msg: fmt.Sprintf("calendar: cannot go from %s to %s", from, to)}).With("from", string(from), "to", string(to))
	}
	switch {
	case !editorial(to):
		return bad(errs.Invalid)
	case from == Queued || from == Published:
		return bad(errs.Conflict)
	}
	return nil
}

// resetOneOff clears a failed or missed one-off item's occurrence record, so that scheduling it
// again publishes it (a failed outbox entry is re-armed by PublishDue).
func (s *Service) resetOneOff(tx *store.Tx, it Item) error {
	key := OccurrenceKey(it.ID, it.At)
	r, ok, err := getRecord(tx, key)
	if err != nil || !ok {
		return err
	}
	if r.Status == Failed || r.Status == Missed {
		r.Status, r.Reason, r.UpdatedAt = "", "", s.clock.Now().UTC()
		return putRecord(tx, r)
	}
	return nil
}

// Delete removes an item, its occurrence records and its attachments. With occurrence set it
// cancels only that occurrence of a series. An item with an occurrence on its way to a platform
// (queued) cannot be deleted until the outbox is done with it.
func (s *Service) Delete(ctx context.Context, id string, occurrence *time.Time) (Item, error) {
	var it Item
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		if it, err = getItem(tx, id); err != nil {
			return err
		}
		keys, err := store.IDsByIndex(tx, recordCollection, "item", id)
		if err != nil {
			return err
		}
		if occurrence != nil {
			return s.cancelOccurrence(tx, it, *occurrence)
		}
		if it.Status == Queued {
			return errs.New(errs.Conflict, "calendar_item_queued", "calendar: item "+id+" is being published")
		}
		for _, k := range keys {
			r, ok, err := getRecord(tx, k)
			if err != nil {
				return err
			}
			if ok && r.Status == Queued {
				return errs.New(errs.Conflict, "calendar_item_queued", "calendar: item "+id+" is being published")
			}
			if _, err := store.Delete(tx, recordCollection, k); err != nil && !errors.Is(err, errs.NotFound) {
				return err
			}
		}
		_, err = store.Delete(tx, itemCollection, id)
		return err
	})
	if err != nil {
		return Item{}, err
	}
	if occurrence == nil {
		s.removeAttachments(id)
	}
	s.localize(&it)
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{id}})
	return it, nil
}

func (s *Service) cancelOccurrence(tx *store.Tx, it Item, original time.Time) error {
	if it.Repeat == nil {
		return errs.Fields("calendar: not a series", errs.Field("occurrence", "not_recurring"))
	}
	loc := s.localize(&it)
	ser, err := newSeries(it.At, it.Repeat)
	if err != nil {
		return err
	}
	original = original.In(loc)
	r, ok, err := getRecord(tx, OccurrenceKey(it.ID, original))
	if err != nil {
		return err
	}
	if !ok && !ser.has(original) {
		return errs.Fields("calendar: no such occurrence", errs.Field("occurrence", "no_occurrence"))
	}
	if r.Status != "" && r.Status != Missed && r.Status != Failed {
		return errs.New(errs.Conflict, "calendar_occurrence_locked", "calendar: occurrence is "+string(r.Status)).
			With("status", string(r.Status))
	}
	return putRecord(tx, record{ItemID: it.ID, Original: original.UTC(), Status: Cancelled, UpdatedAt: s.clock.Now().UTC()})
}
