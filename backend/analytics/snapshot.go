package analytics

import (
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"hearth/backend/hlc"
	"hearth/backend/internal/snapcodec"
	"hearth/backend/store"
)

// The index is saved as a store snapshot when the workspace closes, so that the next process
// reads one sealed file instead of every counter record and every member (see
// store.RegisterSnapshot for when a snapshot is used, carried forward or dropped). What a
// loaded snapshot may lag behind (members changed after the index last read them) is caught up
// by the same refresh a running process does.

const (
	indexSnapshot = "analytics-index"
	// indexFormat changes whenever the index's fields, or how counters and members are read
	// into it, do: a snapshot of another format is rebuilt from the counters.
	// 2: the window of days loaded (lo) and each member's early day. 3: the keyword counts
	// of that window only.
	indexFormat = 3
)

// snapshotDeps are the collections the index is made of.
var snapshotDeps = []string{dayCounters.Name, memberCounters.Name, activeDays.Name, states.Name, wordCounters.Name,
	questions.Name, levelSettings.Name, "member"}

// fingerprint names the options the index's content depends on.
func (s *Service) fingerprint() string {
	return strings.Join([]string{strconv.Itoa(indexFormat), strconv.Itoa(counterVersion), s.o.Zone.String(),
		strings.Join(s.o.TeamTags, "\x1f")}, "|")
}

// registerSnapshot declares the index's snapshot to the store.
func (s *Service) registerSnapshot() {
	s.st.RegisterSnapshot(indexSnapshot, snapshotDeps, func(w io.Writer) (bool, error) {
		s.mu.RLock()
		defer s.mu.RUnlock()
		x := s.idx
		// An index that missed a change, or with goal conversions not yet recorded, is not
		// what the next process should start from.
		if x == nil || x.epoch == staleEpoch || len(s.lv.pending) > 0 {
			return false, nil
		}
		_, err := s.encode(x).WriteTo(w)
		return true, err
	})
}

func (s *Service) encode(x *index) *snapcodec.Writer {
	var w snapcodec.Writer
	w.String(s.fingerprint())
	w.Int(int64(x.lo))
	w.Uint(x.epoch)
	w.Bool(x.refreshed)
	w.Uint(uint64(x.stamp))
	w.Int(x.seen.UnixNano())
	w.Int(int64(x.alive))
	w.Uint(uint64(len(x.members)))
	for _, m := range x.members {
		w.String(m.id)
		w.String(m.name)
		w.Bool(m.alive)
		w.Bool(m.team)
		w.Int(int64(m.custom))
		w.Int(int64(m.created))
		w.Int(int64(m.join))
		w.Int(int64(m.early))
		w.Uint(uint64(len(m.entries)))
		for _, e := range m.entries {
			w.Int(int64(e.day))
			w.Int(int64(e.n))
			w.Uint(uint64(e.kind))
		}
	}
	w.Int(int64(x.base))
	w.Uint(uint64(len(x.days)))
	for _, d := range x.days {
		w.Uint(uint64(len(d)))
		for _, n := range d {
			w.Int(int64(n))
		}
	}
	w.Strings(x.channels)
	w.Uint(uint64(len(x.moods)))
	for _, day := range slices.Sorted(maps.Keys(x.moods)) {
		m := x.moods[day]
		w.Int(int64(day))
		for _, n := range m {
			w.Int(int64(n))
		}
	}
	w.Uint(uint64(len(x.words)))
	for _, day := range slices.Sorted(maps.Keys(x.words)) {
		ws := x.words[day]
		w.Int(int64(day))
		w.Uint(uint64(len(ws)))
		for _, word := range slices.Sorted(maps.Keys(ws)) {
			w.String(word)
			w.Int(int64(ws[word]))
		}
	}
	w.Uint(uint64(len(x.questions.qs)))
	for _, q := range x.questions.qs {
		w.String(q.thread)
		w.Int(int64(q.asker))
		w.Int(q.asked)
		w.Int(int64(q.day))
		w.Uint(uint64(len(q.answers)))
		for _, a := range q.answers {
			w.Int(int64(a.m))
			w.Int(a.at)
			w.Int(int64(a.day))
		}
	}
	return &w
}

// loadSnapshot returns the index saved by the last process when it was made the way this
// service makes indexes, from counters in their current state; nil otherwise.
func (s *Service) loadSnapshot() *index {
	b, ok := s.st.LoadSnapshot(indexSnapshot)
	if !ok {
		return nil
	}
	r := snapcodec.NewReader(b)
	if r.String() != s.fingerprint() {
		s.st.RejectSnapshot(indexSnapshot) // made another way: the index built instead replaces it
		return nil
	}
	x := newIndex()
	x.lo = r.Int32()
	x.epoch, x.refreshed = r.Uint(), r.Bool()
	x.stamp, x.seen, x.alive = hlc.Timestamp(r.Uint()), time.Unix(0, r.Int()), int(r.Int())
	nm := r.Count(8)
	x.members = make([]*mem, 0, nm)
	mems := make([]mem, nm)
	for i := range mems {
		m := &mems[i]
		m.id, m.name, m.alive, m.team = r.String(), r.String(), r.Bool(), r.Bool()
		m.custom, m.created, m.join, m.early = r.Int32(), r.Int32(), r.Int32(), r.Int32()
		if ne := r.Count(3); ne > 0 {
			m.entries = make([]entry, ne)
			for j := range m.entries {
				m.entries[j] = entry{day: r.Int32(), n: r.Int32(), kind: uint8(min(r.Uint(), 255))}
			}
		}
		x.byID[m.id] = int32(i)
		x.members = append(x.members, m)
	}
	x.base = r.Int32()
	x.days = make([][]int32, r.Count(1))
	for i := range x.days {
		if n := r.Count(1); n > 0 {
			x.days[i] = make([]int32, n)
			for j := range x.days[i] {
				x.days[i][j] = r.Int32()
			}
		}
	}
	for _, c := range r.Strings() {
		x.channel(c)
	}
	for range r.Count(4) {
		day := r.Int32()
		x.moods[day] = [3]int32{r.Int32(), r.Int32(), r.Int32()}
	}
	for range r.Count(2) {
		day := r.Int32()
		ws := map[string]int32{}
		for range r.Count(2) {
			word := r.String()
			ws[word] = r.Int32()
		}
		x.words[day] = ws
	}
	nq := r.Count(4)
	x.questions.slot = make(map[string]int32, nq)
	x.questions.qs = make([]question, nq)
	for i := range x.questions.qs {
		q := &x.questions.qs[i]
		q.thread, q.asker, q.asked, q.day = r.String(), r.Int32(), r.Int(), r.Int32()
		if na := r.Count(3); na > 0 {
			q.answers = make([]answer, na)
			for j := range q.answers {
				q.answers[j] = answer{m: r.Int32(), at: r.Int(), day: r.Int32()}
			}
		}
		x.questions.slot[q.thread] = int32(i)
	}
	if r.Done() != nil || len(x.byID) != nm || len(x.questions.slot) != nq || !x.consistent() {
		s.st.RejectSnapshot(indexSnapshot)
		return nil // damaged: rebuilt from the counters
	}
	// The counters must still be in the state the index was saved from.
	var fresh bool
	err := s.st.View(func(tx *store.Tx) error {
		st, found, err := readState(tx)
		fresh = err == nil && s.current(st, found) && st.Epoch == x.epoch
		return err
	})
	if err != nil || !fresh {
		return nil
	}
	return x
}

// consistent checks the references inside a decoded index: members numbered in range, kinds
// known, so that a damaged snapshot cannot make a query index out of bounds.
func (x *index) consistent() bool {
	for _, m := range x.members {
		for _, e := range m.entries {
			if int(e.kind) >= nKinds {
				return false
			}
		}
	}
	n := int32(len(x.members))
	for _, q := range x.questions.qs {
		if q.asker < 0 || q.asker >= n {
			return false
		}
		for _, a := range q.answers {
			if a.m < 0 || a.m >= n {
				return false
			}
		}
	}
	for _, d := range x.days {
		if len(d) > len(x.channels)*nKinds {
			return false
		}
	}
	return true
}
