package analytics

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"
	"strings"
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
// A day's members are spread over activeBuckets records by a hash of their id. A transaction
// does not rewrite them: it adds one delta record per day it touches (its members' changes of
// that day, "<YYYY-MM-DD>/~<seq>"), and every foldAfter deltas of a day are folded into the
// day's bucket records. A write thus costs what it changes, not the size of the day (a day of
// 100,000 active members is some 2 MB of buckets, which every transaction of a pull used to
// rewrite), and a reader sums a day's buckets and its few deltas. Member ids are in clear (the counts say nothing else
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

// foldAfter is how many delta records a day gathers before they are folded into its buckets:
// a fold rewrites the buckets the deltas touch (at most the whole day) once per foldAfter
// transactions, and a reader reads at most foldAfter-1 deltas a day beside its buckets.
const foldAfter = 16

// deltaMark starts the part of a delta record's id after the day: it sorts after every
// bucket number.
const deltaMark = "~"

// deltaID is the id of the seq-th delta record of day.
func deltaID(day int32, seq int) string {
	return dayString(day) + "/" + deltaMark + fmt.Sprintf("%08d", seq)
}

// isDelta says whether an active record id names a delta record.
func isDelta(id string) bool { return len(id) > 11 && id[11:12] == deltaMark }

// Delta records of a day are numbered from 1 without gaps (an erasure empties one rather than
// deleting it), and a fold deletes them all, so that the next is number 1 again: a day's delta
// ids, live or deleted, stay a handful, and they are found by key rather than by a scan.

// countDeltas is how many delta records day has, read by key (no record decoded).
func countDeltas(tx *store.Tx, day int32) (int, error) {
	for n := 0; ; n++ {
		live, err := store.Live(tx, activeDays, deltaID(day, n+1))
		if err != nil || !live {
			return n, err
		}
	}
}

// dayDeltas reads the delta records of day: their ids in order and the records.
func dayDeltas(tx *store.Tx, day int32) (ids []string, recs []activeRecord, err error) {
	for seq := 1; ; seq++ {
		id := deltaID(day, seq)
		r, _, err := store.Get(tx, activeDays, id)
		if errors.Is(err, errs.NotFound) {
			return ids, recs, nil
		}
		if err != nil {
			return nil, nil, err
		}
		ids, recs = append(ids, id), append(recs, r)
	}
}

// addActive adds deltas to the active rollup: one delta record per day, or, when the day has
// gathered foldAfter of them, everything folded into the day's buckets.
func addActive(tx *store.Tx, deltas []activeDelta) error {
	byDay := map[int32]*activeRecord{}
	for _, d := range deltas {
		if d.member == "" || d.n == 0 {
			continue
		}
		rec := byDay[d.day]
		if rec == nil {
			rec = &activeRecord{}
			byDay[d.day] = rec
		}
		rec.addSigned(d.member, d.kind, d.n)
	}
	for _, day := range slices.Sorted(maps.Keys(byDay)) {
		rec := byDay[day]
		if len(rec.Members) == 0 {
			continue
		}
		n, err := countDeltas(tx, day)
		if err != nil {
			return err
		}
		if n+1 < foldAfter {
			if _, err := store.Put(tx, activeDays, deltaID(day, n+1), *rec); err != nil {
				return err
			}
			continue
		}
		ids, recs, err := dayDeltas(tx, day)
		if err != nil {
			return err
		}
		if err := foldDay(tx, day, ids, append(recs, *rec)); err != nil {
			return err
		}
	}
	return nil
}

// foldDay adds the delta records recs of day to its buckets, each bucket read and written once,
// and deletes the stored deltas ids.
func foldDay(tx *store.Tx, day int32, ids []string, recs []activeRecord) error {
	var sum activeRecord
	for _, r := range recs {
		for _, m := range r.Members {
			for i, k := range m.Kinds {
				if i < len(m.N) {
					sum.addSigned(m.ID, k, int(m.N[i]))
				}
			}
		}
	}
	byBucket := map[string][]activeMember{}
	for _, m := range sum.Members {
		id := activeID(day, m.ID)
		byBucket[id] = append(byBucket[id], m)
	}
	for _, id := range slices.Sorted(maps.Keys(byBucket)) {
		rec, _, err := store.Get(tx, activeDays, id)
		if err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		for _, m := range byBucket[id] {
			for i, k := range m.Kinds {
				rec.add(m.ID, k, int(m.N[i]))
			}
		}
		if err := putOrDelete(tx, activeDays, id, rec, len(rec.Members) == 0); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if _, err := store.Delete(tx, activeDays, id); err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
	}
	return nil
}

// addSigned adds n to member's count of kind in a delta record, where counts may be negative
// (activity deleted): it drops counts and members that reach zero.
func (r *activeRecord) addSigned(member, kind string, n int) {
	i, found := slices.BinarySearchFunc(r.Members, member, compareMemberID)
	if !found {
		if n == 0 {
			return
		}
		r.Members = slices.Insert(r.Members, i, activeMember{ID: member})
	}
	m := &r.Members[i]
	k := slices.Index(m.Kinds, kind)
	if k < 0 {
		m.Kinds, m.N = append(m.Kinds, kind), append(m.N, 0)
		k = len(m.Kinds) - 1
	}
	m.N[k] += int32(n)
	if m.N[k] == 0 {
		m.Kinds, m.N = slices.Delete(m.Kinds, k, k+1), slices.Delete(m.N, k, k+1)
	}
	if len(m.Kinds) == 0 {
		r.Members = slices.Delete(r.Members, i, i+1)
	}
}

func compareMemberID(m activeMember, id string) int { return strings.Compare(m.ID, id) }

// add adds n to member's count of kind, dropping counts and members that reach zero.
func (r *activeRecord) add(member, kind string, n int) {
	i, found := slices.BinarySearchFunc(r.Members, member, compareMemberID)
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
			ids, recs, err := dayDeltas(tx, day)
			if err != nil {
				return err
			}
			for i, rec := range recs {
				if err := forgetIn(tx, ids[i], rec, member, true); err != nil {
					return err
				}
			}
			rid := activeID(day, member)
			rec, _, err := store.Get(tx, activeDays, rid)
			if errors.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			if err := forgetIn(tx, rid, rec, member, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// forgetIn removes member from the active record id, rewritten only when it named them; a
// bucket left empty is deleted, a delta kept empty (deltas are numbered without gaps).
func forgetIn(tx *store.Tx, id string, rec activeRecord, member string, delta bool) error {
	n := len(rec.Members)
	rec.Members = slices.DeleteFunc(rec.Members, func(m activeMember) bool { return m.ID == member })
	if len(rec.Members) == n {
		return nil
	}
	return putOrDelete(tx, activeDays, id, rec, len(rec.Members) == 0 && !delta)
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

// foldedActive reads the active rollup as its readers see it, by bucket id: each day's
// buckets with its delta records added (members and counts that come to zero or less left
// out).
func foldedActive(ctx context.Context, tx *store.Tx) (map[string]*activeRecord, error) {
	sums := map[string]*activeRecord{}
	err := store.Scan(tx, activeDays, func(id string, r activeRecord, _ store.Meta) error {
		t, err := time.Parse(time.DateOnly, id[:min(len(id), 10)])
		if err != nil {
			return nil
		}
		day := civil(t.Date())
		for _, m := range r.Members {
			bid := activeID(day, m.ID)
			sum := sums[bid]
			if sum == nil {
				sum = &activeRecord{}
				sums[bid] = sum
			}
			for i, k := range m.Kinds {
				if i < len(m.N) {
					sum.addSigned(m.ID, k, int(m.N[i]))
				}
			}
		}
		return ctx.Err()
	})
	for id, sum := range sums {
		for i := range sum.Members {
			m := &sum.Members[i]
			for k := len(m.N) - 1; k >= 0; k-- {
				if m.N[k] <= 0 {
					m.Kinds, m.N = slices.Delete(m.Kinds, k, k+1), slices.Delete(m.N, k, k+1)
				}
			}
		}
		sum.Members = slices.DeleteFunc(sum.Members, func(m activeMember) bool { return len(m.Kinds) == 0 })
		if len(sum.Members) == 0 {
			delete(sums, id)
		}
	}
	return sums, err
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
		got, err := foldedActive(ctx, tx)
		if err != nil {
			return err
		}
		for _, id := range slices.Sorted(maps.Keys(got)) {
			w, ok := want[id]
			switch {
			case !ok:
				add(id, "counts of members without such counters")
			case w.canonical() != got[id].canonical():
				add(id, "counts differ from the member counters")
			}
			delete(want, id)
		}
		for _, id := range slices.Sorted(maps.Keys(want)) {
			add(id, "missing")
		}
		return nil
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
// first), buckets and deltas, into x's members' entries, which it leaves unordered and unsummed
// (settle orders and sums them).
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
				// Delta records' counts may be negative (activity deleted): settle sums them.
				if ki, known := kindIndex[activity.Kind(k)]; known && i < len(am.N) && am.N[i] != 0 {
					m.entries = append(m.entries, entry{day: day, kind: ki, n: am.N[i]})
				}
			}
		}
		return nil
	})
}
