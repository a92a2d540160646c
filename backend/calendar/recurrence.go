package calendar

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"hearth/backend/errs"
)

// Freq is how often a series repeats.
type Freq string

// The frequencies.
const (
	Daily   Freq = "daily"
	Weekly  Freq = "weekly"
	Monthly Freq = "monthly"
	Yearly  Freq = "yearly"
)

// Recurrence is a series' rule, a subset of RFC 5545 RRULE that the calendar screens can edit:
// every Interval days/weeks/months/years; weekly on chosen Weekdays; monthly on a MonthDay
// (1..31, -1 for the last day) or on the Week-th Weekdays[0] ("2nd Tuesday": Week 2,
// Weekdays ["TU"]; Week -1 is the last); ending after Count occurrences or on the Until date
// (inclusive, in the item's zone), or never. Occurrences keep the first one's local wall time.
type Recurrence struct {
	Freq     Freq     `json:"freq" validate:"required,oneof=daily weekly monthly yearly"`
	Interval int      `json:"interval" validate:"min=0,max=1000"`
	Weekdays []string `json:"weekdays" validate:"max=7,dive,oneof=MO TU WE TH FR SA SU"`
	MonthDay int      `json:"monthDay" validate:"min=-31,max=31"`
	Week     int      `json:"week" validate:"min=-5,max=5"`
	Until    string   `json:"until" validate:"omitempty,datetime=2006-01-02"`
	Count    int      `json:"count" validate:"min=0,max=10000"`
}

var weekdays = map[string]rrule.Weekday{
	"MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH, "FR": rrule.FR, "SA": rrule.SA, "SU": rrule.SU,
}

var dayNames = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"} // rrule's Day() order

// check reports what the struct tags cannot, as field errors under prefix ("repeat").
func (r Recurrence) check(prefix string) []errs.FieldError {
	var fields []errs.FieldError
	if r.Count > 0 && r.Until != "" {
		fields = append(fields, errs.Field(prefix+".until", "count_and_until"))
	}
	if r.Week != 0 {
		if r.Freq != Monthly && r.Freq != Yearly {
			fields = append(fields, errs.Field(prefix+".week", "monthly_only"))
		}
		if len(r.Weekdays) != 1 {
			fields = append(fields, errs.Field(prefix+".weekdays", "one_weekday"))
		}
		if r.MonthDay != 0 {
			fields = append(fields, errs.Field(prefix+".monthDay", "day_or_week"))
		}
	}
	if r.MonthDay != 0 && r.Freq != Monthly && r.Freq != Yearly {
		fields = append(fields, errs.Field(prefix+".monthDay", "monthly_only"))
	}
	if len(r.Weekdays) > 0 && r.Week == 0 && r.Freq != Weekly && r.Freq != Daily {
		fields = append(fields, errs.Field(prefix+".weekdays", "weekly_only"))
	}
	return fields
}

// option is the rrule-go form of r for a series whose first occurrence is start (already in
// the item's location: rrule-go expands in dtstart's location, which keeps wall time across
// daylight-saving changes).
func (r Recurrence) option(start time.Time) rrule.ROption {
	o := rrule.ROption{Dtstart: start, Interval: max(r.Interval, 1), Count: r.Count, Wkst: rrule.MO}
	switch r.Freq {
	case Daily:
		o.Freq = rrule.DAILY
	case Weekly:
		o.Freq = rrule.WEEKLY
	case Monthly:
		o.Freq = rrule.MONTHLY
	case Yearly:
		o.Freq = rrule.YEARLY
	}
	for _, d := range r.Weekdays {
		wd := weekdays[d]
		if r.Week != 0 {
			wd = wd.Nth(r.Week)
		}
		o.Byweekday = append(o.Byweekday, wd)
	}
	if r.MonthDay != 0 {
		o.Bymonthday = []int{r.MonthDay}
	}
	if r.Freq == Yearly && (r.MonthDay != 0 || r.Week != 0) {
		o.Bymonth = []int{int(start.Month())}
	}
	if r.Until != "" {
		if d, err := time.ParseInLocation(time.DateOnly, r.Until, start.Location()); err == nil {
			o.Until = d.AddDate(0, 0, 1).Add(-time.Second) // the whole day, local
		}
	}
	return o
}

// String renders r as an RFC 5545 RRULE value ("FREQ=WEEKLY;BYDAY=MO;COUNT=6").
func (r Recurrence) String() string {
	parts := []string{"FREQ=" + strings.ToUpper(string(r.Freq))}
	if r.Interval > 1 {
		parts = append(parts, "INTERVAL="+strconv.Itoa(r.Interval))
	}
	if len(r.Weekdays) > 0 {
		days := make([]string, len(r.Weekdays))
		for i, d := range r.Weekdays {
			if r.Week != 0 {
				d = strconv.Itoa(r.Week) + d
			}
			days[i] = d
		}
		parts = append(parts, "BYDAY="+strings.Join(days, ","))
	}
	if r.MonthDay != 0 {
		parts = append(parts, "BYMONTHDAY="+strconv.Itoa(r.MonthDay))
	}
	if r.Count > 0 {
		parts = append(parts, "COUNT="+strconv.Itoa(r.Count))
	}
	if r.Until != "" {
		parts = append(parts, "UNTIL="+strings.ReplaceAll(r.Until, "-", ""))
	}
	return strings.Join(parts, ";")
}

// ParseRRule reads an RFC 5545 RRULE value ("FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231") into a
// Recurrence; an UNTIL with a time is read as its date in loc. Parts the calendar cannot
// express (BYHOUR, BYWEEKNO, several BYSETPOS...) are refused rather than dropped.
func ParseRRule(s string, loc *time.Location) (Recurrence, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "RRULE:")
	bad := func(code string) (Recurrence, error) {
		return Recurrence{}, errs.Fields("calendar: unsupported recurrence rule", errs.Field("repeat", code, "value", s))
	}
	o, err := rrule.StrToROptionInLocation(s, loc)
	if err != nil {
		return bad("rrule")
	}
	var r Recurrence
	switch o.Freq {
	case rrule.DAILY:
		r.Freq = Daily
	case rrule.WEEKLY:
		r.Freq = Weekly
	case rrule.MONTHLY:
		r.Freq = Monthly
	case rrule.YEARLY:
		r.Freq = Yearly
	default:
		return bad("rrule_unsupported")
	}
	if len(o.Byhour)+len(o.Byminute)+len(o.Bysecond)+len(o.Byweekno)+len(o.Byyearday)+len(o.Byeaster) > 0 ||
		len(o.Bymonthday) > 1 || len(o.Bysetpos) > 1 || len(o.Bymonth) > 0 {
		return bad("rrule_unsupported")
	}
	if o.Interval > 1 {
		r.Interval = o.Interval
	}
	r.Count = o.Count
	if !o.Until.IsZero() {
		r.Until = o.Until.In(loc).Format(time.DateOnly)
	}
	if len(o.Bymonthday) == 1 {
		r.MonthDay = o.Bymonthday[0]
	}
	for _, wd := range o.Byweekday {
		if n := wd.N(); n != 0 {
			if r.Week != 0 && r.Week != n {
				return bad("rrule_unsupported")
			}
			r.Week = n
		}
		r.Weekdays = append(r.Weekdays, dayNames[wd.Day()])
	}
	if len(o.Bysetpos) == 1 {
		if r.Week != 0 || len(r.Weekdays) != 1 {
			return bad("rrule_unsupported")
		}
		r.Week = o.Bysetpos[0]
	}
	if fields := r.check("repeat"); len(fields) > 0 {
		return Recurrence{}, errs.Fields("calendar: unsupported recurrence rule", fields...)
	}
	return r, nil
}

// series expands one item's original occurrence times.
type series struct {
	start time.Time // the first occurrence, in the item's location
	rule  *rrule.RRule
}

// newSeries prepares the expansion of an item dated at start (in its location); a nil rule
// means a one-off item.
func newSeries(start time.Time, r *Recurrence) (series, error) {
	s := series{start: start}
	if r == nil {
		return s, nil
	}
	rule, err := rrule.NewRRule(r.option(start))
	if err != nil {
		return s, errs.Fields("calendar: invalid recurrence", errs.Field("repeat", "rrule", "value", fmt.Sprint(err)))
	}
	s.rule = rule
	return s, nil
}

// between returns the original occurrence times in [from, to), in order, in the item's zone.
func (s series) between(from, to time.Time) []time.Time {
	if s.rule == nil {
		if !s.start.Before(from) && s.start.Before(to) {
			return []time.Time{s.start}
		}
		return nil
	}
	out := s.rule.Between(from, to, true)
	if n := len(out); n > 0 && !out[n-1].Before(to) {
		out = out[:n-1]
	}
	return out
}

// has reports whether t is one of the series' original occurrence times.
func (s series) has(t time.Time) bool {
	if s.rule == nil {
		return t.Equal(s.start)
	}
	return slices.ContainsFunc(s.between(t, t.Add(time.Second)), t.Equal)
}
