package calendar

import (
	"slices"
	"time"

	"github.com/teambition/rrule-go"

	"hearth/backend/errs"
)

// maxExpand bounds the occurrences one expansion returns: a rule every second would otherwise
// make a two-year calendar view allocate tens of millions of times.
const maxExpand = 100_000

// maxSteps bounds the occurrences one expansion walks through before the period asked for: an
// hourly (or finer) rule with a COUNT cannot skip ahead (see skipAhead).
const maxSteps = 5_000_000

// skipAhead moves the floating start of an hourly, minutely or secondly rule without COUNT
// forward by whole periods (INTERVAL hours, minutes or seconds), to a period well before from:
// such a rule repeats exactly every period in floating time, so the occurrences from there on
// are the same, and a rule started years ago every minute is not walked minute by minute.
func skipAhead(o rrule.ROption, from time.Time) time.Time {
	unit := map[rrule.Frequency]time.Duration{rrule.HOURLY: time.Hour, rrule.MINUTELY: time.Minute, rrule.SECONDLY: time.Second}[o.Freq]
	if unit == 0 || o.Count > 0 {
		return o.Dtstart
	}
	period := unit * time.Duration(max(o.Interval, 1))
	gap := from.Sub(o.Dtstart) - 48*time.Hour - period // two days: more than any zone's offset
	if gap <= 0 {
		return o.Dtstart
	}
	return o.Dtstart.Add(gap / period * period)
}

// series expands one item's original occurrence times: its rule in floating wall-clock time
// (UTC standing in for "no zone"), each wall time placed in the item's zone by wallToInstant,
// minus its EXDATEs, plus its RDATEs.
type series struct {
	start time.Time // the first occurrence, in the item's location
	loc   *time.Location
	// opt is the rule with a floating Dtstart; nil Freq-less zero value for a one-off item.
	opt       *rrule.ROption
	untilWall time.Time // floating; zero when unbounded
	untilUTC  time.Time // an instant; zero when unbounded
	ex        map[int64]bool
	rdates    []time.Time // sorted, in loc
}

// newSeries prepares the expansion of an item dated at start (in its location); a nil rule
// means a one-off item.
func newSeries(start time.Time, r *Recurrence) (series, error) {
	s := series{start: start, loc: start.Location()}
	if r == nil {
		return s, nil
	}
	ru, err := r.rule(start, "repeat")
	if err != nil {
		return s, err
	}
	opt := ru.opt
	opt.Dtstart = floating(start)
	s.opt, s.untilWall, s.untilUTC = &opt, ru.untilWall, ru.untilUTC
	s.ex = make(map[int64]bool, len(r.ExDates))
	for _, t := range r.ExDates {
		s.ex[t.Unix()] = true
	}
	for _, t := range r.RDates {
		s.rdates = append(s.rdates, t.In(s.loc).Truncate(time.Second))
	}
	slices.SortFunc(s.rdates, time.Time.Compare)
	return s, nil
}

// floating is t's wall-clock time, in UTC.
func floating(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, sec := t.Clock()
	return time.Date(y, m, d, h, mi, sec, 0, time.UTC)
}

// wallToInstant places the floating wall time w in loc as RFC 5545 §3.3.5 says: a time that
// happens twice (clocks going back) is the first of the two; a time that does not happen
// (clocks going forward) is read with the offset in effect before the gap, so it lands as
// many minutes after the gap as it was into it (02:30 on a spring-forward night at 02:00 is
// 03:30).
func wallToInstant(w time.Time, loc *time.Location) time.Time {
	u := w.Unix()
	_, before := time.Unix(u-86400, 0).In(loc).Zone()
	if _, after := time.Unix(u+86400, 0).In(loc).Zone(); before == after {
		return time.Unix(u-int64(before), 0).In(loc) // no change of offset near w: the usual case
	}
	var offsets [3]int
	for i, probe := range []int64{u - 86400, u, u + 86400} {
		_, offsets[i] = time.Unix(probe, 0).In(loc).Zone()
	}
	best, earliest := int64(0), int64(0)
	found := false
	for i, o := range offsets {
		cand := u - int64(o)
		if i == 0 || cand < earliest {
			earliest = cand
		}
		if _, got := time.Unix(cand, 0).In(loc).Zone(); got == o && (!found || cand < best) {
			best, found = cand, true
		}
	}
	if !found {
		_, before = time.Unix(earliest, 0).In(loc).Zone()
		best = u - int64(before)
	}
	return time.Unix(best, 0).In(loc)
}

// between returns the original occurrence times in [from, to), in order, in the item's zone.
func (s series) between(from, to time.Time) []time.Time {
	if s.opt == nil {
		if !s.start.Before(from) && s.start.Before(to) {
			return []time.Time{s.start}
		}
		return nil
	}
	var out []time.Time
	if !s.start.After(to) {
		opt := *s.opt
		// Stop the library two days of wall time past `to` (more than any zone's offset), or at
		// a wall-clock UNTIL: a rule with few occurrences would otherwise be searched to year 9999.
		opt.Until = floating(to.In(s.loc)).Add(48 * time.Hour)
		if !s.untilWall.IsZero() && s.untilWall.Before(opt.Until) {
			opt.Until = s.untilWall
		}
		opt.Dtstart = skipAhead(opt, floating(from.In(s.loc)))
		if rr, err := rrule.NewRRule(opt); err == nil {
			next := rr.Iterator()
			steps := 0
			for w, ok := next(); ok && len(out) < maxExpand && steps < maxSteps; w, ok = next() {
				steps++
				t := wallToInstant(w, s.loc)
				if !s.untilUTC.IsZero() && t.After(s.untilUTC) || !t.Before(to) {
					break
				}
				if t.Before(from) || s.ex[t.Unix()] || len(out) > 0 && out[len(out)-1].Equal(t) {
					continue // a wall time skipped by the clocks going forward may repeat the next
				}
				out = append(out, t)
			}
		}
	}
	for _, t := range s.rdates {
		if !t.Before(from) && t.Before(to) && !s.ex[t.Unix()] {
			if i, found := slices.BinarySearchFunc(out, t, time.Time.Compare); !found {
				out = slices.Insert(out, i, t)
			}
		}
	}
	return out
}

// has reports whether t is one of the series' original occurrence times.
func (s series) has(t time.Time) bool {
	if s.opt == nil {
		return t.Equal(s.start)
	}
	return slices.ContainsFunc(s.between(t, t.Add(time.Second)), t.Equal)
}

// WallTime is the instant of a wall-clock time in loc as the calendar places occurrences (see
// wallToInstant): for adapters that read a local date and time people typed.
func WallTime(year int, month time.Month, day, hour, min, sec int, loc *time.Location) time.Time {
	return wallToInstant(time.Date(year, month, day, hour, min, sec, 0, time.UTC), loc)
}

// checkSeries refuses a rule with no occurrence at all ("FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30"):
// RFC 5545 allows it, but its expansion would search every year to 9999 on every calendar view.
func checkSeries(start time.Time, r *Recurrence) error {
	s, err := newSeries(start, r)
	if err != nil || s.opt == nil || len(s.rdates) > 0 {
		return err
	}
	if rr, err := rrule.NewRRule(*s.opt); err == nil {
		if _, ok := rr.Iterator()(); ok {
			return nil
		}
	}
	return errs.Fields("calendar: the rule has no occurrence", errs.Field("repeat", "rrule_empty", "value", r.String()))
}
