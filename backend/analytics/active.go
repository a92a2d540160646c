package analytics

import (
	"context"
	"errors"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"time"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// The active rollup is the member counters turned day-major: for each day, the members
// active that day and their counts by kind. It is kept at write time in the activity's
// transaction, like the other counters, so that a new process reads members' activity from a
// few thousand small records in day order (and only the days a question needs) instead of
// unsealing and decoding every member's monthly counter records.
//
// A day's members are spread over activeBuckets records by a hash of their id, so that a
// transaction rewrites small records. Member ids are in clear (the counts say nothing else
// about a person); erasing a member removes them from every record of every month they have
// counters in (ForgetMember), which the member counters' index names even once their key is
// destroyed.

// activeBuckets is how many records one day's active members are spread over: enough that a
// record stays under Badger's value threshold (4 KiB: kept in the tree, read in order, not
// from the value log) at some 5,000 members active a day.
const activeBuckets = 64

// activeMember is one member's counts of one day, by kind name.
type activeMember struct {
	ID    string   `json:"i"`
	Kinds []string `json:"k"`
	N     []int32  `json:"n"`
}

// activeRecord holds the members of one bucket active on one day, by id; its id is
// "<YYYY-MM-DD>/<bucket, 2 digits>", so that ids sort by day.
type activeRecord struct {
	Members []activeMember `json:"m"`
}

var activeDays = &store.Collection[activeRecord]{Name: "analytics_active"}

// bucketOf is the bucket of a member's active records.
func bucketOf(member string) int {
	h := fnv.New32a()
	h.Write([]byte(member))
	return int(h.Sum32() % activeBuckets)
}

// activeID is the id of the record holding member on day.
func activeID(day int32, member string) string {
	b := bucketOf(member)
	return dayString(day) + "/" + string(rune('0'+b/10)) + string(rune('0'+b%10))
}

// activeDelta is a change of one member's count of one kind on one day.
type activeDelta struct {
	member string
	day    int32
	kind   string
	n      int
}

// addActive adds deltas to the active records, each record read and written once.
func addActive(tx *store.Tx, deltas []activeDelta) error {
	byRecord := map[string][]activeDelta{}
	for _, d := range deltas {
		if d.member == "" || d.n == 0 {
			continue
		}
		id := activeID(d.day, d.member)
		byRecord[id] = append(byRecord[id], d)
	}
	for _, id := range slices.Sorted(maps.Keys(byRecord)) {
		rec, _, err := store.Get(tx, activeDays, id)
		if err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		for _, d := range byRecord[id] {
			rec.add(d.member, d.kind, d.n)
		}
		if err := putOrDelete(tx, activeDays, id, rec, len(rec.Members) == 0); err != nil {
			return err
		}
	}
	return nil
}

// add adds n to member's count of kind, dropping counts and members that reach zero.
func (r *activeRecord) add(member, kind string, n int) {
	i, found := slices.BinarySearchFunc(r.Members, member, func(m activeMember, id string) int {
		switch {
		case m.ID < id:
			return -1
		case m.ID > id:
			return 1
		}
		return 0
	})
	if !found {
		if n <= 0 {
			return
		}
		r.Members = slices.Insert(r.Members, i, activeMember{ID: member})
	}
	m := &r.Members[i]
	k := slices.Index(m.Kinds, kind)
	if k < 0 {
		if n <= 0 {
			return
		}
		m.Kinds, m.N = append(m.Kinds, kind), append(m.N, 0)
		k = len(m.Kinds) - 1
	}
	m.N[k] += int32(n)
	if m.N[k] <= 0 {
		m.Kinds, m.N = slices.Delete(m.Kinds, k, k+1), slices.Delete(m.N, k, k+1)
	}
	if len(m.Kinds) == 0 {
		r.Members = slices.Delete(r.Members, i, i+1)
	}
}

// activeDeltasOf turns a member's counter deltas into active deltas.
func activeDeltasOf(member string, ds []counterDelta) []activeDelta {
	out := make([]activeDelta, 0, len(ds))
	for _, d := range ds {
		out = append(out, activeDelta{member: member, day: d.day, kind: d.kind, n: d.n})
	}
	return out
}

// forgetActive removes a member from the active records of every month they have counter
// records in (months named by the counters' ids "<member>/<YYYY-MM>", which the index lists
// even when the records can no longer be unsealed).
func forgetActive(tx *store.Tx, member string, counterIDs []string) error {
	for _, id := range counterIDs {
		mi, ok := monthOfID(id)
		if !ok {
			continue
		}
		for day := monthStart(mi); day < monthStart(mi+1); day++ {
			rid := activeID(day, member)
			rec, _, err := store.Get(tx, activeDays, rid)
			if errors.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			n := len(rec.Members)
			rec.Members = slices.DeleteFunc(rec.Members, func(m activeMember) bool { return m.ID == member })
			if len(rec.Members) == n {
				continue
			}
			if err := putOrDelete(tx, activeDays, rid, rec, len(rec.Members) == 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// monthOfID reads the month of a member counter id "<member>/<YYYY-MM>".
func monthOfID(id string) (int, bool) {
	if len(id) < 8 {
		return 0, false
	}
	t, err := time.Parse("2006-01", id[len(id)-7:])
	if err != nil {
		return 0, false
	}
	return t.Year()*12 + int(t.Month()) - 1, true
}

// wantActive returns the active records the member counters give, by id.
func wantActive(tx *store.Tx) (map[string]*activeRecord, error) {
	recs := map[string]*activeRecord{}
	err := store.Scan(tx, memberCounters, func(_ string, r memberRecord, _ store.Meta) error {
		for _, c := range r.Counts {
			if c.N <= 0 {
				continue
			}
			id := activeID(c.Day, r.Member)
			rec := recs[id]
			if rec == nil {
				rec = &activeRecord{}
				recs[id] = rec
			}
			rec.add(r.Member, c.Kind, c.N)
		}
		return nil
	})
	return recs, err
}

// canonical writes a record's counts in one order, to compare two records.
func (r activeRecord) canonical() string {
	var b []byte
	for _, m := range r.Members {
		b = append(b, m.ID...)
		kinds := slices.Clone(m.Kinds)
		slices.Sort(kinds)
		for _, k := range kinds {
			b = append(b, ' ')
			b = append(b, k...)
			b = append(b, '=')
			b = strconv.AppendInt(b, int64(m.N[slices.Index(m.Kinds, k)]), 10)
		}
		b = append(b, ';')
	}
	return string(b)
}

// checkActive compares the active rollup with the member counters it is made from and, with
// repair, builds it again when they differ (store.RegisterCheck). Counters not current are
// not checked: the next load rebuilds or upgrades them.
func (s *Service) checkActive(ctx context.Context, repair bool) ([]store.Finding, int, error) {
	var findings []store.Finding
	err := s.st.View(func(tx *store.Tx) error {
		st, found, err := readState(tx)
		if err != nil || !s.current(st, found) {
			return err
		}
		want, err := wantActive(tx)
		if err != nil {
			return err
		}
		add := func(id, detail string) {
			if len(findings) < 100 {
				findings = append(findings, store.Finding{Code: "view_stale", Key: activeDays.Name + "/" + id, Detail: detail, Repairable: true})
			}
		}
		err = store.Scan(tx, activeDays, func(id string, r activeRecord, _ store.Meta) error {
			w, ok := want[id]
			switch {
			case !ok:
				add(id, "counts of members without such counters")
			case w.canonical() != r.canonical():
				add(id, "counts differ from the member counters")
			}
			delete(want, id)
			return ctx.Err()
		})
		for _, id := range slices.Sorted(maps.Keys(want)) {
			add(id, "missing")
		}
		return err
	})
	if err != nil || len(findings) == 0 || !repair {
		return findings, 0, err
	}
	s.writers.Lock()
	defer s.writers.Unlock()
	if err := s.buildActive(ctx); err != nil {
		return findings, 0, err
	}
	s.mu.Lock()
	s.idx = nil // read again from the rebuilt rollup
	s.mu.Unlock()
	return findings, len(findings), nil
}

// buildActive writes the active records from the member counters: the upgrade of counters
// of version 5, and the last step of a rebuild. It first deletes every active record, so that
// running it again after a crash halfway ends in the same records. It holds the whole rollup
// in memory while building (about 60 bytes a member-day).
func (s *Service) buildActive(ctx context.Context) error {
	if err := dropAll(ctx, s.st, activeDays); err != nil {
		return err
	}
	var recs map[string]*activeRecord
	err := s.st.View(func(tx *store.Tx) (err error) {
		recs, err = wantActive(tx)
		return err
	})
	if err != nil {
		return err
	}
	ids := slices.Sorted(maps.Keys(recs))
	return s.st.Bulk(ctx, len(ids), func(tx *store.Tx, i int) error {
		_, err := store.Put(tx, activeDays, ids[i], *recs[ids[i]])
		return err
	}, nil)
}

// lastDay is after every day.
const lastDay = int32(1 << 30)

// loadActiveBetween reads the active records of days [from, to) (from allDays: from the
// first) into x's members' entries, which it leaves unordered (settle orders them).
func loadActiveBetween(tx *store.Tx, x *index, from, to int32) error {
	start := ""
	if from != allDays {
		start = dayString(from)
	}
	return store.ScanFrom(tx, activeDays, start, func(id string, r activeRecord, _ store.Meta) error {
		t, err := time.Parse(time.DateOnly, id[:min(len(id), 10)])
		if err != nil {
			return nil
		}
		day := civil(t.Date())
		if day >= to {
			return store.ErrStop
		}
		for _, am := range r.Members {
			m := x.member(am.ID)
			for i, k := range am.Kinds {
				if ki, known := kindIndex[activity.Kind(k)]; known && i < len(am.N) && am.N[i] > 0 {
					m.entries = append(m.entries, entry{day: day, kind: ki, n: am.N[i]})
				}
			}
		}
		return nil
	})
}
