package analytics

import (
	"strings"
	"time"

	"hearth/backend/errs"
)

// DefaultDays is the length of the period people get when they give no dates: the last 30
// days, today included.
const DefaultDays = 30

// DayRange turns calendar days from..to (YYYY-MM-DD in loc, both included) into a Range from
// from's midnight to the midnight after to; a DST day stays one day. An empty to means today
// (at now), an empty from the DefaultDays days ending with to. A date that does not parse is a
// field error on "from" or "to" (code "date", param "value"); from after to is one on "to"
// (code "after_from").
func DayRange(from, to string, now time.Time, loc *time.Location) (Range, error) {
	day := func(field, v string) (time.Time, error) {
		d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(v), loc)
		if err != nil {
			return time.Time{}, errs.Fields("analytics: invalid date", errs.Field(field, "date", "value", v))
		}
		return d, nil
	}
	y, m, d := now.In(loc).Date()
	last := time.Date(y, m, d, 0, 0, 0, 0, loc)
	var err error
	if to != "" {
		if last, err = day("to", to); err != nil {
			return Range{}, err
		}
	}
	first := addLocalDays(last, 1-DefaultDays)
	if from != "" {
		if first, err = day("from", from); err != nil {
			return Range{}, err
		}
	}
	if first.After(last) {
		return Range{}, errs.Fields("analytics: the period ends before it starts", errs.Field("to", "after_from"))
	}
	return Range{From: first, To: addLocalDays(last, 1)}, nil
}

// addLocalDays moves a local midnight by n calendar days.
func addLocalDays(midnight time.Time, n int) time.Time {
	y, m, d := midnight.Date()
	return time.Date(y, m, d+n, 0, 0, 0, 0, midnight.Location())
}
