package analytics

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
	"hearth/backend/textfold"
)

// Service computes KPIs from the counters. Safe for concurrent use.
type Service struct {
	st       *store.Store
	members  *members.Service
	activity *activity.Service
	o        Options
	weights  [16]float64 // by kind index
	// changes names the members changed whatever their edit times (wiring's members.Watch);
	// nil: members updated since the last refresh are found by their edit time alone.
	changes *members.Changes

	// writers is held shared by each activity write (from Begin to End) and exclusively while
	// the index is loaded or the counters rebuilt, so that a load sees no write half done.
	writers sync.RWMutex
	// mu guards idx.
	mu   sync.RWMutex
	idx  *index // nil until loaded
	flat *flat  // idx's flat copy

	lv levelState // the level settings and goal conversions (settings.go)
}

// NewService returns the analytics service over the workspace's members and activity, and
// registers it as a's hook (activity.Service.SetHook) so that every activity write updates
// the counters. Build it before a is used. Erasures must run its ForgetMember.
func NewService(st *store.Store, m *members.Service, a *activity.Service, o Options) *Service {
	// hearth workspace check verifies, and repair rebuilds, these collections' indexes.
	store.Declare(st, threadPosts)
	store.Declare(st, questions)
	store.Declare(st, wordCounters)
	store.Declare(st, memberCounters)
	store.Declare(st, activeDays)
	s := &Service{st: st, members: m, activity: a, o: o.withDefaults()}
	for i, k := range activity.Kinds {
		s.weights[i] = s.o.Weights[string(k)]
	}
	s.initLevels(o)
	s.registerSnapshot()
	st.RegisterCheck(activeDays.Name, s.checkActive)
	if a != nil {
		a.SetHook(s)
	}
	return s
}

var _ activity.Hook = (*Service)(nil)

// Warm loads now, rather than at the first query, what the KPIs of the last 30 days read:
// the counters of the months they look back over, and the members.
func (s *Service) Warm(ctx context.Context) error { return s.ensureFrom(ctx, s.recentNeed(time.Now())) }

// refresh brings the index up to date: reloaded when the counters changed outside the hook
// (or rebuilt when they were made another way), holding the members' entries from the day
// the query needs on, and the members refreshed. Queries call ensureFrom (settings.go), which
// wraps it.
func (s *Service) refresh(ctx context.Context, need need) error {
	var st counterState
	var found bool
	err := s.st.View(func(tx *store.Tx) (err error) {
		st, found, err = readState(tx)
		return err
	})
	if err != nil {
		return err
	}
	s.mu.RLock()
	fresh := s.idx != nil && s.current(st, found) && s.idx.epoch == st.Epoch
	lo := windowStart(need(int32(s.o.ScoreWindow)))
	if s.idx != nil {
		lo = min(lo, s.idx.lo) // a reload keeps what was read
	}
	covered := fresh && s.idx.lo <= lo
	s.mu.RUnlock()
	if !fresh || !covered {
		s.writers.Lock()
		err := s.reloadLocked(ctx, lo)
		if err == nil {
			err = s.extendLocked(ctx, lo)
		}
		s.writers.Unlock()
		if err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.refreshMembers(ctx, s.idx); err != nil {
		return err
	}
	s.flat = s.idx.flatten(s.flat)
	return nil
}

// reloadLocked loads the index from the counters (the members' entries from day lo on),
// rebuilding them first when they were not made the way this service makes them; an index
// still fresh is kept. The caller holds writers exclusively.
func (s *Service) reloadLocked(ctx context.Context, lo int32) error {
	var st counterState
	var found bool
	err := s.st.View(func(tx *store.Tx) (err error) {
		st, found, err = readState(tx)
		return err
	})
	if err != nil {
		return err
	}
	s.mu.RLock()
	fresh := s.idx != nil && s.current(st, found) && s.idx.epoch == st.Epoch
	s.mu.RUnlock()
	if fresh { // reloaded meanwhile, or only to be extended
		return nil
	}
	if s.idx == nil { // the first load of this process: from the last one's snapshot if usable
		if x := s.loadSnapshot(); x != nil {
			s.mu.Lock()
			s.idx = x
			s.mu.Unlock()
			return nil
		}
	}
	for attempt := 0; ; attempt++ {
		x, ok, err := s.load(lo)
		if err != nil {
			return err
		}
		if ok {
			s.mu.Lock()
			if old := s.idx; old != nil {
				carryMembers(old, x)
			}
			s.idx = x
			s.mu.Unlock()
			return nil
		}
		if attempt > 0 {
			return errs.New(errs.Internal, "internal", "analytics: counters still stale after a rebuild")
		}
		upgrade, err := s.needsUpgrade()
		if err != nil {
			return err
		}
		if upgrade {
			err = s.upgradeLocked(ctx)
		} else {
			err = s.rebuildLocked(ctx)
		}
		if err != nil {
			return err
		}
	}
}

// load reads the counters into a new index, the members' entries from day lo on; ok is false
// when they must be rebuilt.
func (s *Service) load(lo int32) (x *index, ok bool, err error) {
	x = newIndex()
	x.lo = lo
	err = s.st.View(func(tx *store.Tx) error {
		st, found, err := readState(tx)
		if err != nil || !s.current(st, found) {
			return err
		}
		ok, x.epoch = true, st.Epoch
		if err := s.loadQuestions(tx, x); err != nil {
			return err
		}
		err = store.Scan(tx, dayCounters, func(_ string, r dayRecord, _ store.Meta) error {
			t, err := time.Parse(time.DateOnly, r.Day)
			if err != nil {
				return nil
			}
			day := civil(t.Date())
			for _, c := range r.Counts {
				if k, known := kindIndex[activity.Kind(c.Kind)]; known {
					x.addDay(day, c.Channel, k, c.N)
					x.addMood(day, c.Mood, c.N)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := loadWordsBetween(tx, x, lo, lastDay); err != nil {
			return err
		}
		if err := loadActiveBetween(tx, x, lo, lastDay); err != nil {
			return err
		}
		return loadEarly(tx, x, lo)
	})
	for _, m := range x.members {
		m.settle()
	}
	return x, ok, err
}

// needsUpgrade says whether the counters are of the version the active rollup can be built
// from.
func (s *Service) needsUpgrade() (bool, error) {
	var up bool
	err := s.st.View(func(tx *store.Tx) error {
		st, found, err := readState(tx)
		up = s.upgradable(st, found)
		return err
	})
	return up, err
}

// carryMembers copies what old knew of members into a freshly loaded index.
func carryMembers(old, x *index) {
	for _, om := range old.members {
		if !om.alive && om.created == noDay {
			continue
		}
		m := x.member(om.id)
		m.name, m.alive, m.team, m.custom, m.created = om.name, om.alive, om.team, om.custom, om.created
	}
	x.refreshed, x.seen, x.stamp, x.alive = old.refreshed, old.seen, old.stamp, old.alive
}

// memberPage is how many members a refresh reads per call of members.List.
const memberPage = members.MaxLimit

// refreshMembers brings the members' facts (alive, name, team, since) up to date. Nothing
// changed when the store wrote nothing since the last refresh (its HLC is the same); else the
// members updated since the last refresh's newest are read (ties included), and every member
// when some were deleted meanwhile. The caller holds mu.
func (s *Service) refreshMembers(ctx context.Context, x *index) error {
	stamp := s.st.Clock().Last()
	if x.refreshed && stamp == x.stamp && (s.changes == nil || !s.changes.Pending()) {
		return nil
	}
	total, err := s.members.Count(ctx)
	if err != nil {
		return err
	}
	// The newest member now: later changes make a later refresh read again.
	head, err := s.members.List(ctx, members.ListQuery{Sort: members.SortUpdated, Desc: true, Limit: 1})
	if err != nil {
		return err
	}
	var seen time.Time
	if len(head.Items) == 1 {
		seen = head.Items[0].UpdatedAt
	}
	switch {
	case x.refreshed && s.changes != nil: // the watch names every member written, whatever its time
		if err := s.readChanged(ctx, x, s.changes.Take()); err != nil {
			return err
		}
	case x.refreshed:
		if err := s.readUpdated(ctx, x); err != nil {
			return err
		}
	case s.changes != nil:
		s.changes.Take() // readAll below reads them all
	}
	if !x.refreshed || x.alive != total {
		// Members were deleted (or this is the first refresh): read them all.
		if err := s.readAll(ctx, x); err != nil {
			return err
		}
	}
	x.refreshed, x.seen, x.stamp = true, seen, stamp
	return nil
}

// readUpdated reads the members updated at or after the last refresh's newest.
func (s *Service) readUpdated(ctx context.Context, x *index) error {
	limit := 64
	for offset := 0; ; offset += limit {
		page, err := s.members.List(ctx, members.ListQuery{Sort: members.SortUpdated, Desc: true, Offset: offset, Limit: limit})
		if err != nil {
			return err
		}
		for _, m := range page.Items {
			if m.UpdatedAt.Before(x.seen) {
				return nil
			}
			s.note(x, m)
		}
		if len(page.Items) < limit {
			return nil
		}
		limit = memberPage
	}
}

// readChanged reads the members the watch saw change (members.Watch), whatever their edit
// times: one merged from a teammate's bundle may carry an older one than the newest read. Those
// gone (deleted, erased, merged into another) stop counting.
func (s *Service) readChanged(ctx context.Context, x *index, ids []string) error {
	for _, id := range ids {
		m, err := s.members.Get(ctx, id)
		if errors.Is(err, errs.NotFound) {
			if i, ok := x.byID[id]; ok && x.members[i].alive {
				x.members[i].alive = false
				x.alive--
				x.rev++
			}
			continue
		}
		if err != nil {
			return err
		}
		s.note(x, m)
	}
	return nil
}

// Follow makes the refresh of members' facts re-read the members c names as changed, besides
// those edited since the last refresh.
func (s *Service) Follow(c *members.Changes) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.changes = c
}

// readAll reads every member.
func (s *Service) readAll(ctx context.Context, x *index) error {
	for _, m := range x.members {
		m.alive = false
	}
	x.alive = 0
	for offset := 0; ; offset += memberPage {
		page, err := s.members.List(ctx, members.ListQuery{Sort: members.SortCreated, Offset: offset, Limit: memberPage})
		if err != nil {
			return err
		}
		for _, m := range page.Items {
			s.note(x, m)
		}
		if len(page.Items) < memberPage {
			return nil
		}
	}
}

// note records one live member's facts.
func (s *Service) note(x *index, m members.Member) {
	x.rev++
	e := x.member(m.ID)
	if !e.alive {
		e.alive = true
		x.alive++
	}
	e.name = displayName(m)
	e.created = dayOf(m.CreatedAt, s.o.Zone)
	e.custom = s.sinceField(m.CustomFields["member_since"])
	e.team = slices.ContainsFunc(m.Tags, func(t string) bool {
		return slices.Contains(s.o.TeamTags, textfold.Fold(strings.TrimSpace(t)))
	})
	s.noteGoal(m)
}

// sinceField reads the member_since custom field: a date (that day) or a time.
func (s *Service) sinceField(v string) int32 {
	v = strings.TrimSpace(v)
	if v == "" {
		return noDay
	}
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return civil(t.Date())
	}
	for _, l := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(l, v); err == nil {
			return dayOf(t, s.o.Zone)
		}
	}
	return noDay
}

// displayName is how members name a member: their name, else first handle, else e-mail.
func displayName(m members.Member) string {
	switch {
	case m.Name != "":
		return m.Name
	case len(m.Handles) > 0:
		return m.Handles[0].Handle
	case len(m.Emails) > 0:
		return m.Emails[0]
	}
	return ""
}
