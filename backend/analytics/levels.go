package analytics

import (
	"context"
	"slices"
)

// MemberLevels returns the level (1 to 4) of every member counted in KPIs(r).Levels, when
// the range ends, by member id: teammates and members who joined after the range are left
// out (read as 0 from the map). One pass over the index, for the reports' Members sheets.
func (s *Service) MemberLevels(ctx context.Context, r Range) (map[string]int, error) {
	if err := s.check(r); err != nil {
		return nil, err
	}
	_, d1 := rangeDays(r, s.o.Zone)
	if err := s.ensureFrom(ctx, levelNeed(d1)); err != nil {
		return nil, err
	}
	msTo := monthStart(month(d1))
	s.mu.RLock()
	defer s.mu.RUnlock()
	f := s.flat
	out := make(map[string]int, len(f.mems))
	for slot, since := range f.since {
		if f.team[slot] || since >= d1 {
			continue
		}
		es := f.ents[f.off[slot]:f.off[slot+1]]
		lv := Levels
		if q := lowerBound(es, msTo-1-int32(s.o.ScoreWindow)); q < len(es) && es[q].day < d1 {
			lv = s.levelAt(es, msTo, d1)
		}
		out[f.mems[slot].id] = lv
	}
	return out, nil
}

// window slides a score window over a member's entries: the weighted score and the distinct
// active days of the ScoreWindow days ending at the current day.
type window struct {
	s      *Service
	es     []entry
	lo, hi int // entries[lo:hi] are in the window
	score  float64
	days   int
}

func (s *Service) newWindow(es []entry, first int32) window {
	w := window{s: s, es: es}
	w.lo = lowerBound(es, first-int32(s.o.ScoreWindow)+1)
	w.hi = w.lo
	return w
}

// to moves the window's end to day x (never backwards).
func (w *window) to(x int32) {
	es := w.es
	for w.hi < len(es) && es[w.hi].day <= x {
		if w.hi == w.lo || es[w.hi-1].day != es[w.hi].day {
			w.days++
		}
		w.score += w.s.weights[es[w.hi].kind] * float64(es[w.hi].n)
		w.hi++
	}
	from := x - int32(w.s.o.ScoreWindow)
	for w.lo < w.hi && es[w.lo].day <= from {
		if w.lo+1 == w.hi || es[w.lo+1].day != es[w.lo].day {
			w.days--
		}
		w.score -= w.s.weights[es[w.lo].kind] * float64(es[w.lo].n)
		w.lo++
	}
	if w.lo == w.hi {
		w.score, w.days = 0, 0 // no drift from float sums
	}
}

// raw is the level the window's score and presence reach, without the demotion rule.
func (w *window) raw() int {
	for _, m := range w.s.o.Milestones {
		if w.days > 0 && w.score >= m.MinScore && w.days >= m.ActiveDays {
			return m.Level
		}
	}
	return Levels
}

// levelAt is a member's level when day begins. A member is promoted as soon as their score
// reaches a level, and demoted only when a month ends: the level is the one their score
// reached at the end of the previous month, or the best one it reached since, whichever is
// better. ms is the first day of day's month.
func (s *Service) levelAt(es []entry, ms, day int32) int {
	if len(es) == 0 || es[0].day >= day {
		return Levels
	}
	w := s.newWindow(es, ms-1)
	w.to(ms - 1)
	best := w.raw()
	if ms >= day {
		return best
	}
	w.to(ms)
	best = min(best, w.raw())
	for w.hi < len(es) && es[w.hi].day < day && best > 1 {
		w.to(es[w.hi].day)
		best = min(best, w.raw())
	}
	return best
}

// scoreAt is a member's weighted score over the ScoreWindow days ending with day d.
func (s *Service) scoreAt(es []entry, d int32) float64 {
	end := lowerBound(es, d+1)
	from := d - int32(s.o.ScoreWindow)
	score := 0.0
	for i := end - 1; i >= 0 && es[i].day > from; i-- {
		score += s.weights[es[i].kind] * float64(es[i].n)
	}
	return score
}

// ranked is a member with a score, for top lists.
type ranked struct {
	score float64
	m     *mem
}

func compareRanked(a, b ranked) int {
	if a.score != b.score {
		if a.score > b.score {
			return -1
		}
		return 1
	}
	if a.m.id < b.m.id {
		return -1
	}
	return 1
}

// top keeps the best n of what it is offered, best first, without allocating per offer.
type top struct {
	n    int
	best []ranked
}

func (t *top) offer(r ranked) {
	if len(t.best) == t.n && compareRanked(r, t.best[len(t.best)-1]) >= 0 {
		return
	}
	i, _ := slices.BinarySearchFunc(t.best, r, compareRanked)
	if len(t.best) < t.n {
		t.best = slices.Insert(t.best, i, r)
		return
	}
	copy(t.best[i+1:], t.best[i:len(t.best)-1])
	t.best[i] = r
}

// nthLargest returns the k-th largest value of xs (k from 1), reordering xs.
func nthLargest(xs []float64, k int) float64 { return selectNth(xs, len(xs)-k) }
