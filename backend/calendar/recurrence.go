package calendar

import (
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
	// FreqRule is the Freq of a series whose rule is held whole in Recurrence.Rule.
	FreqRule Freq = ""
)

// Recurrence is a series' rule, held in one of two forms.
//
// The simple form is what the calendar screens edit: every Interval days/weeks/months/years;
// weekly (or daily) on chosen Weekdays; monthly on a MonthDay (1..31, -1 for the last day) or
// on the Week-th Weekdays[0] ("2nd Tuesday": Week 2, Weekdays ["TU"]; Week -1 is the last);
// ending after Count occurrences or on the Until date (inclusive, in the item's zone), or
// never. (A yearly simple rule with a MonthDay or Week, which only older versions wrote, means
// that day in the first occurrence's month.)
//
// Rule holds any other RFC 5545 RRULE value, the whole grammar ("FREQ=YEARLY;BYDAY=2SU",
// "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11"), in canonical upper case; the simple fields are
// then empty. ParseRRule picks the simple form whenever it says the same thing.
//
// ExDates removes occurrences from the series and RDates adds some (RFC 5545 EXDATE and RDATE),
// whichever the form. Occurrences keep the first one's local wall time in the item's zone; a
// wall time the zone skips or repeats is placed as RFC 5545 §3.3.5 says (see wallToInstant).
type Recurrence struct {
	Freq     Freq     `json:"freq" validate:"omitempty,oneof=daily weekly monthly yearly"`
	Interval int      `json:"interval" validate:"min=0,max=1000"`
	Weekdays []string `json:"weekdays" validate:"max=7,dive,oneof=MO TU WE TH FR SA SU"`
	MonthDay int      `json:"monthDay" validate:"min=-31,max=31"`
	Week     int      `json:"week" validate:"min=-5,max=5"`
	Until    string   `json:"until" validate:"omitempty,datetime=2006-01-02"`
	Count    int      `json:"count" validate:"min=0,max=10000"`
	// Rule is an RRULE value beyond the simple form; "" for a simple rule.
	Rule string `json:"rule,omitempty" validate:"max=2000"`
	// ExDates are original occurrence times taken out of the series.
	ExDates []time.Time `json:"exDates,omitempty" validate:"max=1000"`
	// RDates are extra occurrence times.
	RDates []time.Time `json:"rDates,omitempty" validate:"max=1000"`
}

var dayNames = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"} // rrule's Day() order

// simple reports whether any simple-form field is set.
func (r Recurrence) simple() bool {
	return r.Freq != "" || r.Interval != 0 || len(r.Weekdays) > 0 || r.MonthDay != 0 || r.Week != 0 ||
		r.Until != "" || r.Count != 0
}

// check reports what the struct tags cannot, as field errors under prefix ("repeat").
func (r Recurrence) check(prefix string) []errs.FieldError {
	var fields []errs.FieldError
	for i, t := range r.ExDates {
		if t.IsZero() {
			fields = append(fields, errs.Field(prefix+".exDates["+strconv.Itoa(i)+"]", "required"))
		}
	}
	for i, t := range r.RDates {
		if t.IsZero() {
			fields = append(fields, errs.Field(prefix+".rDates["+strconv.Itoa(i)+"]", "required"))
		}
	}
	if r.Rule != "" {
		if r.simple() {
			fields = append(fields, errs.Field(prefix+".rule", "rule_or_fields"))
		}
		_, bad := parseRule(r.Rule, prefix+".rule")
		return append(fields, bad...)
	}
	if r.Freq == "" {
		fields = append(fields, errs.Field(prefix+".freq", "required"))
	}
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

// rule is r's RRULE for a series whose first occurrence is start (in the item's location),
// with floating times; errors are field errors under field.
func (r Recurrence) rule(start time.Time, field string) (recurRule, error) {
	if r.Rule != "" {
		ru, bad := parseRule(r.Rule, field)
		if bad != nil {
			return recurRule{}, errs.Fields("calendar: invalid recurrence", bad...)
		}
		return ru, nil
	}
	var ru recurRule
	o := &ru.opt
	o.Interval, o.Count = max(r.Interval, 1), r.Count
	switch r.Freq {
	case Daily:
		o.Freq = rrule.DAILY
	case Weekly:
		o.Freq = rrule.WEEKLY
	case Monthly:
		o.Freq = rrule.MONTHLY
	case Yearly:
		o.Freq = rrule.YEARLY
	default:
		return recurRule{}, errs.Fields("calendar: invalid recurrence", errs.Field(field+".freq", "oneof"))
	}
	for _, d := range r.Weekdays {
		wd := weekdayValues[slices.Index(dayNames, d)]
		if r.Week != 0 {
			wd = wd.Nth(r.Week)
		}
		o.Byweekday = append(o.Byweekday, wd)
	}
	if r.MonthDay != 0 {
		o.Bymonthday = []int{r.MonthDay}
	}
	if r.Freq == Yearly && (r.MonthDay != 0 || r.Week != 0) {
		o.Bymonth = []int{int(start.Month())} // what older versions meant
	}
	if r.Until != "" {
		if d, err := time.Parse(time.DateOnly, r.Until); err == nil {
			ru.untilWall = d.AddDate(0, 0, 1).Add(-time.Second) // the whole day, local
		}
	}
	return ru, nil
}

// String renders r as an RFC 5545 RRULE value ("FREQ=WEEKLY;BYDAY=MO;COUNT=6").
func (r Recurrence) String() string {
	if r.Rule != "" {
		return r.Rule
	}
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

// normalized is r as stored: a Rule that fits the simple form in that form, otherwise in its
// canonical text; EXDATEs and RDATEs to the second, sorted, without repeats, in loc. It
// expects a checked r.
func (r *Recurrence) normalized(loc *time.Location) *Recurrence {
	if r == nil {
		return nil
	}
	out := *r
	if r.Rule != "" {
		if ru, bad := parseRule(r.Rule, "repeat.rule"); bad == nil {
			out = fromRule(ru)
			out.ExDates, out.RDates = r.ExDates, r.RDates
		}
	}
	out.ExDates, out.RDates = instants(out.ExDates, loc), instants(out.RDates, loc)
	if out.Weekdays == nil {
		out.Weekdays = []string{} // a list, never null, for the frontend
	}
	return &out
}

func instants(ts []time.Time, loc *time.Location) []time.Time {
	if len(ts) == 0 {
		return nil
	}
	out := make([]time.Time, len(ts))
	for i, t := range ts {
		out[i] = t.In(loc).Truncate(time.Second)
	}
	slices.SortFunc(out, time.Time.Compare)
	return slices.CompactFunc(out, time.Time.Equal)
}

// equal reports whether r and o describe the same series.
func (r *Recurrence) equal(o *Recurrence) bool {
	if r == nil || o == nil {
		return r == o
	}
	return r.Freq == o.Freq && r.Interval == o.Interval && slices.Equal(r.Weekdays, o.Weekdays) &&
		r.MonthDay == o.MonthDay && r.Week == o.Week && r.Until == o.Until && r.Count == o.Count &&
		r.Rule == o.Rule && slices.EqualFunc(r.ExDates, o.ExDates, time.Time.Equal) &&
		slices.EqualFunc(r.RDates, o.RDates, time.Time.Equal)
}

// fromRule is ru in the simple form when that form says exactly the same thing, otherwise
// as a Rule.
func fromRule(ru recurRule) Recurrence {
	o := ru.opt
	custom := Recurrence{Rule: ru.String()}
	dateUntil := len(ru.untilText) == len("20060102")
	if len(o.Byhour)+len(o.Byminute)+len(o.Bysecond)+len(o.Byweekno)+len(o.Byyearday)+len(o.Bymonth) > 0 ||
		o.Wkst != rrule.MO || (ru.untilText != "" && !dateUntil) || o.Count > 10000 || o.Interval > 1000 ||
		len(o.Bymonthday) > 1 || len(o.Bysetpos) > 1 {
		return custom
	}
	var r Recurrence
	if o.Interval > 1 {
		r.Interval = o.Interval
	}
	r.Count = o.Count
	if dateUntil {
		r.Until = ru.untilWall.Format(time.DateOnly)
	}
	nth := slices.ContainsFunc(o.Byweekday, func(w rrule.Weekday) bool { return w.N() != 0 })
	for _, wd := range o.Byweekday {
		r.Weekdays = append(r.Weekdays, dayNames[wd.Day()])
	}
	switch o.Freq {
	case rrule.DAILY, rrule.WEEKLY:
		if len(o.Bymonthday)+len(o.Bysetpos) > 0 || nth {
			return custom
		}
		r.Freq = Daily
		if o.Freq == rrule.WEEKLY {
			r.Freq = Weekly
		}
	case rrule.MONTHLY:
		r.Freq = Monthly
		switch {
		case len(o.Bymonthday) == 1 && len(o.Byweekday)+len(o.Bysetpos) == 0:
			r.MonthDay = o.Bymonthday[0]
		case len(o.Byweekday) == 1 && nth && len(o.Bymonthday)+len(o.Bysetpos) == 0:
			r.Week = o.Byweekday[0].N()
		case len(o.Byweekday) == 1 && !nth && len(o.Bysetpos) == 1 && len(o.Bymonthday) == 0:
			r.Week = o.Bysetpos[0]
		case len(o.Byweekday)+len(o.Bymonthday)+len(o.Bysetpos) > 0:
			return custom
		}
		if r.Week < -5 || r.Week > 5 {
			return custom
		}
	case rrule.YEARLY:
		if len(o.Byweekday)+len(o.Bymonthday)+len(o.Bysetpos) > 0 {
			return custom
		}
		r.Freq = Yearly
	default:
		return custom
	}
	return r
}

// ParseRRule reads recurrence text: an RFC 5545 RRULE value ("FREQ=MONTHLY;BYDAY=2TU",
// "rrule:freq=weekly;wkst=su", any part of the grammar, in any case), optionally followed, on
// lines of their own, by EXDATE and RDATE properties ("EXDATE;TZID=Europe/Paris:20260309T090000",
// "RDATE:20260312T100000Z"); their floating date-times are read in loc. An UNTIL date (no time)
// is inclusive of that whole day in the item's zone.
func ParseRRule(s string, loc *time.Location) (Recurrence, error) {
	lines := strings.FieldsFunc(s, func(c rune) bool { return c == '\n' || c == '\r' })
	if len(lines) == 0 {
		lines = []string{""}
	}
	var r Recurrence
	var fields []errs.FieldError
	ruleSeen := false
	for _, line := range lines {
		line = strings.TrimSpace(line)
		name, _, _ := strings.Cut(strings.ToUpper(line), ":")
		name, _, _ = strings.Cut(name, ";")
		switch name {
		case "EXDATE", "RDATE":
			ts, bad := parseDates(line, loc)
			if bad {
				fields = append(fields, errs.Field("repeat", "rdate", "value", line))
			} else if name == "EXDATE" {
				r.ExDates = append(r.ExDates, ts...)
			} else {
				r.RDates = append(r.RDates, ts...)
			}
		default:
			if ruleSeen {
				fields = append(fields, errs.Field("repeat", "rrule", "value", line))
				continue
			}
			ruleSeen = true
			ru, bad := parseRule(line, "repeat")
			if bad != nil {
				fields = append(fields, bad...)
				continue
			}
			ex, rd := r.ExDates, r.RDates
			r = fromRule(ru)
			r.ExDates, r.RDates = ex, rd
		}
	}
	if !ruleSeen {
		fields = append(fields, errs.Field("repeat", "rrule", "value", s))
	}
	if len(fields) > 0 {
		return Recurrence{}, errs.Fields("calendar: invalid recurrence rule", fields...)
	}
	return *r.normalized(loc), nil
}

// parseDates reads an EXDATE or RDATE property line: date-times, comma-separated, in UTC
// ("…Z"), in the TZID parameter's zone, or else floating and read in loc.
func parseDates(line string, loc *time.Location) ([]time.Time, bool) {
	head, values, ok := strings.Cut(line, ":")
	if !ok {
		return nil, true
	}
	params := strings.Split(head, ";")[1:]
	for _, p := range params {
		k, v, _ := strings.Cut(p, "=")
		switch strings.ToUpper(k) {
		case "TZID":
			l, err := time.LoadLocation(strings.Trim(v, `"`))
			if err != nil {
				return nil, true
			}
			loc = l
		case "VALUE":
			if !strings.EqualFold(v, "DATE-TIME") {
				return nil, true // DATE and PERIOD: the calendar's occurrences have a time
			}
		}
	}
	var out []time.Time
	for _, v := range strings.Split(strings.ToUpper(values), ",") {
		if t, err := time.Parse("20060102T150405Z", v); err == nil {
			out = append(out, t)
		} else if t, err := time.Parse("20060102T150405", v); err == nil {
			out = append(out, wallToInstant(t, loc))
		} else {
			return nil, true
		}
	}
	return out, false
}
