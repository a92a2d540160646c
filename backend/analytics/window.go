package analytics

import (
	"context"
	"errors"
	"strings"
	"time"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// The index holds the members' entries of the days from its lo on, read from the active
// rollup as queries need them: a new process answering the last 30 days reads the months
// those KPIs look back over (the previous period, the score window, the gone-quiet window),
// not every day since the first activity. A query reaching further back extends the window
// (extendLocked). What the entries before lo would say about a member's first day (since) is
// kept as early: the first day of the first month they have counters in, which the member
// counters' index lists without reading any record.

// allDays is the window of every day.
const allDays = noDay

// need says from which day a query needs the members' entries, given the score window.
type need func(scoreWindow int32) int32

// everything needs every day.
func everything(int32) int32 { return allDays }

// kpiNeed is what KPIs of days [d0, d1) and of the period as long before them (p0 to d0)
// read: the period before that one (members who churned in the previous period), the 29 days
// before p0 (weekly and monthly actives), the score window before p0's month (levels), and
// twice the score window and 28 days before d0 (gone quiet: a score at a last activity up to
// 28 days before the previous period's end).
func kpiNeed(d0, d1 int32) need {
	return func(sw int32) int32 {
		n := d1 - d0
		p0 := d0 - n
		return min(p0-n-1, p0-31, monthStart(month(p0))-sw-2, d0-2*sw-31)
	}
}

// levelNeed is what the levels when day d1 begins read: the score window before its month.
func levelNeed(d1 int32) need {
	return func(sw int32) int32 { return monthStart(month(d1)) - sw - 2 }
}

// dayNeed needs the days from d on.
func dayNeed(d int32) need { return func(int32) int32 { return d } }

// windowStart rounds a day down to the first of its month (entries and early agree on months).
func windowStart(d int32) int32 {
	if d == allDays {
		return allDays
	}
	return monthStart(month(d))
}

// recentNeed is what the KPIs of the 30 days ending on now's day read (the dashboard's and
// stats' default period).
func (s *Service) recentNeed(now time.Time) need {
	d1 := dayOf(now, s.o.Zone) + 1
	return kpiNeed(d1-30, d1)
}

// loadEarly sets the early day of every member with counters in a month before lo's.
func loadEarly(tx *store.Tx, x *index, lo int32) error {
	if lo == allDays {
		return nil
	}
	first := month(lo)
	return store.ScanIndex(tx, memberCounters, "member", func(member, id string) error {
		mi, ok := monthOfID(id)
		if !ok || mi >= first {
			return nil
		}
		m := x.member(member)
		if d := monthStart(mi); m.early == noDay || d < m.early {
			m.early = d
		}
		return nil
	})
}

// extendLocked reads the entries of days [lo, x.lo) into the index. The caller holds writers
// exclusively (no write is half done: what is read is what the index missed).
func (s *Service) extendLocked(ctx context.Context, lo int32) error {
	s.mu.RLock()
	x := s.idx
	s.mu.RUnlock()
	if x == nil || lo >= x.lo {
		return nil
	}
	older := newIndex()
	err := s.st.View(func(tx *store.Tx) error {
		if err := loadActiveBetween(tx, older, lo, x.lo); err != nil {
			return err
		}
		if err := loadWordsBetween(tx, older, lo, x.lo); err != nil {
			return err
		}
		return loadEarly(tx, older, lo)
	})
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range x.members {
		m.early = noDay
	}
	for _, om := range older.members {
		m := x.member(om.id)
		m.early = om.early
		if len(om.entries) > 0 {
			m.entries = append(om.entries, m.entries...)
			m.settle()
		}
	}
	for day, ws := range older.words {
		for w, n := range ws {
			x.addWord(day, w, int(n))
		}
	}
	x.lo = lo
	x.rev++
	return ctx.Err()
}

// loadWordsBetween reads the keyword counts of the months of days [from, to) (from allDays:
// from the first): the authors' records of those months, found by the word records' index
// keys (only those are read and unsealed), and those about nobody, whose ids sort by month.
func loadWordsBetween(tx *store.Tx, x *index, from, to int32) error {
	if from == allDays && to == lastDay {
		return store.Scan(tx, wordCounters, func(_ string, r wordRecord, _ store.Meta) error {
			x.loadWords(r)
			return nil
		})
	}
	first, last := month(max(from, civil(1, 1, 1))), month(min(to, civil(9999, 1, 1))-1)
	var ids []string
	err := store.ScanIndex(tx, wordCounters, "member", func(_, id string) error {
		if mi, ok := monthOfID(id); ok && mi >= first && mi <= last {
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Those about nobody: their ids are "<unattributedWords>/<YYYY-MM>", in month order.
	prefix := unattributedWords + "/"
	err = store.ScanFrom(tx, wordCounters, wordRecordID("", first), func(id string, r wordRecord, _ store.Meta) error {
		mi, ok := monthOfID(id)
		if !strings.HasPrefix(id, prefix) || !ok || mi > last {
			return store.ErrStop
		}
		x.loadWords(r)
		return nil
	})
	if err != nil {
		return err
	}
	for _, id := range ids {
		r, _, err := store.Get(tx, wordCounters, id)
		if errors.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		x.loadWords(r)
	}
	return nil
}

// noteOlder records, for a change of a day before the window, what the index keeps of it: an
// activity makes its member active before lo; a deletion may make them not, which only a
// reload tells (the index is marked stale).
func (x *index) noteOlder(r activity.Record, day int32, delta int) {
	if r.MemberID == "" {
		return
	}
	if delta < 0 {
		x.epoch = staleEpoch
		return
	}
	m := x.member(r.MemberID)
	if m.early == noDay || day < m.early {
		m.early = day
	}
}
