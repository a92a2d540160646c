package calendar

import (
	"time"
)

// RuleParts is a series' rule taken apart (RFC 5545 §3.3.10), for describing it in people's
// words: what an adapter needs, whichever form the Recurrence holds.
type RuleParts struct {
	// Freq is "SECONDLY" … "YEARLY".
	Freq     string
	Interval int
	Count    int
	// Until is the last date ("2026-12-31", inclusive, in the item's zone) when UntilDate,
	// otherwise the last instant (zero when the rule has no end).
	Until     time.Time
	UntilDate bool
	BySecond  []int
	ByMinute  []int
	ByHour    []int
	ByDay     []NthWeekday
	// ByMonthDay, ByYearDay, ByWeekNo and BySetPos count from the end when negative.
	ByMonthDay []int
	ByYearDay  []int
	ByWeekNo   []int
	ByMonth    []int
	BySetPos   []int
	// Wkst is the day weeks start on ("MO" unless the rule says otherwise).
	Wkst string
}

// NthWeekday is a BYDAY entry: Day ("MO"…"SU"), and N for "the Nth one" (-1 the last; 0 every).
type NthWeekday struct {
	N   int
	Day string
}

// Parts takes r apart for a series whose first occurrence is start (in the item's location).
func (r Recurrence) Parts(start time.Time) (RuleParts, error) {
	ru, err := r.rule(start, "repeat")
	if err != nil {
		return RuleParts{}, err
	}
	o := ru.opt
	p := RuleParts{
		Freq: o.Freq.String(), Interval: max(o.Interval, 1), Count: o.Count,
		BySecond: o.Bysecond, ByMinute: o.Byminute, ByHour: o.Byhour, ByMonthDay: o.Bymonthday,
		ByYearDay: o.Byyearday, ByWeekNo: o.Byweekno, ByMonth: o.Bymonth, BySetPos: o.Bysetpos,
		Wkst: dayNames[o.Wkst.Day()],
	}
	for _, wd := range o.Byweekday {
		p.ByDay = append(p.ByDay, NthWeekday{N: wd.N(), Day: dayNames[wd.Day()]})
	}
	loc := start.Location()
	switch {
	case !ru.untilUTC.IsZero():
		p.Until = ru.untilUTC.In(loc)
	case !ru.untilWall.IsZero():
		w := ru.untilWall
		p.UntilDate = r.Until != "" || len(ru.untilText) == len("20060102") // a date: the whole day
		if p.UntilDate {
			p.Until = time.Date(w.Year(), w.Month(), w.Day(), 0, 0, 0, 0, loc)
		} else {
			p.Until = wallToInstant(w, loc)
		}
	}
	return p, nil
}
