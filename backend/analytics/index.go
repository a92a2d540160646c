package analytics

import (
	"cmp"
	"slices"
	"time"

	"hearth/backend/activity"
	"hearth/backend/hlc"
)

// entry is a member's count of one kind on one day.
type entry struct {
	day  int32
	n    int32
	kind uint8
}

// mem is what the index knows of one member (or of a member id found only in the counters:
// a deleted member, not alive).
type mem struct {
	id      string
	name    string
	alive   bool
	team    bool
	custom  int32 // the member_since field's day, or noDay
	created int32
	join    int32   // the earliest day with a join activity, or noDay
	entries []entry // by day, then kind, from the index's lo on
	// early is a day before the index's lo on which or before which the member was active
	// (the first of the month of their first counters), noDay when they were not (window.go).
	early int32
}

// since is the member's first day as a member: the earlier of the day they joined (member-since
// from an import, else their first join on a platform, else the day Hearth created them) and
// their first activity. Someone active is a member then: history imported with no member-since
// must not make a period show more members active than members.
func (m *mem) since() int32 {
	joined := m.created
	switch {
	case m.custom != noDay:
		joined = m.custom
	case m.join != noDay:
		joined = m.join
	}
	first := m.early
	if first == noDay && len(m.entries) > 0 {
		first = m.entries[0].day
	}
	if first != noDay && (joined == noDay || first < joined) {
		return first
	}
	return joined
}

// index is the in-memory form of the counters: per day, counts by channel × kind; per
// member, a compact list of (day, kind, count). Members are numbered densely.
type index struct {
	// lo is the first day whose members' entries are loaded (allDays: every day).
	lo       int32
	epoch    uint64
	rev      uint64 // bumped by every change
	members  []*mem
	byID     map[string]int32
	base     int32     // the day of days[0]
	days     [][]int32 // per day: counts at channel*nKinds + kind (shorter slices: zeros)
	channels []string
	chIdx    map[string]int
	moods    map[int32][3]int32         // per day: records by Mood
	words    map[int32]map[string]int32 // per day: records by keyword
	// questions are the threads whose first record asks something, by thread (threads.go).
	questions questionSet
	// seen is the newest member update time at the last refresh of the members' facts
	// (refreshed once done), stamp the store's last HLC stamp then; alive is how many
	// members are.
	refreshed bool
	stamp     hlc.Timestamp
	seen      time.Time
	alive     int
}

func newIndex() *index {
	return &index{lo: allDays, byID: map[string]int32{}, chIdx: map[string]int{}, moods: map[int32][3]int32{}, words: map[int32]map[string]int32{}}
}

// member returns the member with id, adding it when unknown.
func (x *index) member(id string) *mem {
	if i, ok := x.byID[id]; ok {
		return x.members[i]
	}
	m := &mem{id: id, custom: noDay, join: noDay, created: noDay, early: noDay}
	x.byID[id] = int32(len(x.members))
	x.members = append(x.members, m)
	return m
}

// channel numbers a channel, adding it when unknown.
func (x *index) channel(name string) int {
	if i, ok := x.chIdx[name]; ok {
		return i
	}
	x.chIdx[name] = len(x.channels)
	x.channels = append(x.channels, name)
	return len(x.channels) - 1
}

// addMood adds n to one day's count of records of a mood.
func (x *index) addMood(day int32, mood Mood, n int) {
	if mood < Neutral || mood > Negative {
		return
	}
	m := x.moods[day]
	m[mood] = max(0, m[mood]+int32(n))
	if m == [3]int32{} {
		delete(x.moods, day)
		return
	}
	x.moods[day] = m
}

// addDay adds n to one day's count of a channel and kind.
func (x *index) addDay(day int32, channel string, kind uint8, n int) {
	if len(x.days) == 0 {
		x.base = day
	}
	if day < x.base {
		grown := make([][]int32, int(x.base-day)+len(x.days))
		copy(grown[x.base-day:], x.days)
		x.days, x.base = grown, day
	}
	for int(day-x.base) >= len(x.days) {
		x.days = append(x.days, nil)
	}
	at := x.channel(channel)*nKinds + int(kind)
	counts := x.days[day-x.base]
	if at >= len(counts) {
		counts = append(counts, make([]int32, len(x.channels)*nKinds-len(counts))...)
		x.days[day-x.base] = counts
	}
	counts[at] = max(0, counts[at]+int32(n))
}

// dayCounts returns one day's counts (nil when none).
func (x *index) dayCounts(day int32) []int32 {
	if i := int(day - x.base); i >= 0 && i < len(x.days) {
		return x.days[i]
	}
	return nil
}

// addEntry adds n to a member's count of a kind on a day, keeping entries ordered.
func (m *mem) addEntry(day int32, kind uint8, n int) {
	i, found := slices.BinarySearchFunc(m.entries, entry{day: day, kind: kind}, compareEntries)
	switch {
	case found:
		m.entries[i].n += int32(n)
		if m.entries[i].n <= 0 {
			m.entries = slices.Delete(m.entries, i, i+1)
		}
	case n > 0:
		m.entries = slices.Insert(m.entries, i, entry{day: day, kind: kind, n: int32(n)})
	}
	if kind == kindIndex[activity.Join] {
		m.findJoin()
	}
}

func compareEntries(a, b entry) int {
	return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.kind, b.kind))
}

// settle orders entries appended in bulk and merges those of the same day and kind, leaving
// out those whose sum is not positive (an active rollup's deltas of deleted activity).
func (m *mem) settle() {
	slices.SortFunc(m.entries, compareEntries)
	out := m.entries[:0]
	for _, e := range m.entries {
		if len(out) > 0 && out[len(out)-1].day == e.day && out[len(out)-1].kind == e.kind {
			out[len(out)-1].n += e.n
			continue
		}
		if len(out) > 0 && out[len(out)-1].n <= 0 {
			out = out[:len(out)-1]
		}
		out = append(out, e)
	}
	if len(out) > 0 && out[len(out)-1].n <= 0 {
		out = out[:len(out)-1]
	}
	m.entries = slices.Clip(out)
	m.findJoin()
}

func (m *mem) findJoin() {
	m.join = noDay
	j := kindIndex[activity.Join]
	for _, e := range m.entries {
		if e.kind == j {
			m.join = e.day
			return
		}
	}
}

// apply brings committed activity changes into the index.
func (x *index) apply(changes []activity.Change, z *time.Location) {
	x.rev++
	for _, c := range changes {
		r := c.Record
		k, ok := kindIndex[r.Kind]
		if !ok {
			continue
		}
		day := dayOf(r.At, z)
		x.addDay(day, channelOf(r), k, c.Delta)
		x.addMood(day, MoodOf(r.Title, r.Text), c.Delta)
		if day >= x.lo { // older words are read with their month's records
			for _, w := range KeywordsOf(r.Title, r.Text) {
				x.addWord(day, w, c.Delta)
			}
		}
		switch {
		case day < x.lo:
			x.noteOlder(r, day, c.Delta)
		case r.MemberID != "":
			x.member(r.MemberID).addEntry(day, k, c.Delta)
		}
	}
}

// flat is a read-only, contiguous copy of the live members' facts and entries, which a KPI
// pass reads in order (one allocation for all entries instead of one per member). It is made
// again after the index changed.
type flat struct {
	x     *index
	rev   uint64
	mems  []*mem  // slot -> member
	since []int32 // slot -> since day
	team  []bool
	off   []int32 // entries of slot i: ents[off[i]:off[i+1]]
	ents  []entry
	// questions are the live members' questions by day; answered[answeredAt[i]:
	// answeredAt[i+1]] are member i's days of their first replies to them.
	questions  []asked
	answered   []int32
	answeredAt []int32
}

// flatten returns the flat copy of x, making it when x changed since the last one.
func (x *index) flatten(old *flat) *flat {
	if old != nil && old.x == x && old.rev == x.rev {
		return old
	}
	f := &flat{x: x, rev: x.rev, off: []int32{0}}
	total := 0
	for _, m := range x.members {
		if m.alive {
			total += len(m.entries)
		}
	}
	f.ents = make([]entry, 0, total)
	for _, m := range x.members {
		if !m.alive {
			continue
		}
		f.mems = append(f.mems, m)
		f.since = append(f.since, m.since())
		f.team = append(f.team, m.team)
		f.ents = append(f.ents, m.entries...)
		f.off = append(f.off, int32(len(f.ents)))
	}
	f.flattenQuestions(x)
	return f
}

// lowerBound is the index of the first entry on or after day.
func lowerBound(es []entry, day int32) int {
	lo, hi := 0, len(es)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if es[mid].day < day {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}
