package calendar

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"hearth/backend/errs"
)

// recurRule is a parsed RFC 5545 RRULE value (§3.3.10), the whole grammar: every FREQ, INTERVAL,
// COUNT or UNTIL, WKST and every BYxxx part. Its times are floating wall-clock times: the
// series expands them in UTC as a stand-in and maps each to the item's zone itself (see
// series), because rrule-go resolves daylight-saving gaps and folds as Go's time.Date does,
// not as RFC 5545 §3.3.5 says.
type recurRule struct {
	opt rrule.ROption // Dtstart and Until unset: see until
	// until bounds the series: untilWall is a wall-clock bound in the item's zone (an UNTIL
	// date, through the end of that day, or a floating date-time); untilUTC an instant (an
	// UNTIL date-time in UTC, "…Z"). Zero when unbounded.
	untilWall time.Time
	untilUTC  time.Time
	// untilText is UNTIL as written (upper-cased), kept for the canonical form.
	untilText string
}

var freqs = map[string]rrule.Frequency{
	"YEARLY": rrule.YEARLY, "MONTHLY": rrule.MONTHLY, "WEEKLY": rrule.WEEKLY, "DAILY": rrule.DAILY,
	"HOURLY": rrule.HOURLY, "MINUTELY": rrule.MINUTELY, "SECONDLY": rrule.SECONDLY,
}

// parseRule reads an RRULE value ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU", in any case,
// with or without the "RRULE:" name). Errors are field errors under field, with code "rrule"
// (not RRULE syntax, or a part twice or out of range) or "rrule_conflict" (parts RFC 5545 does
// not allow together), and the part at fault as "part".
func parseRule(s, field string) (recurRule, []errs.FieldError) {
	text := strings.ToUpper(strings.TrimSpace(s))
	text = strings.TrimPrefix(text, "RRULE:")
	var r recurRule
	bad := func(code, part string) (recurRule, []errs.FieldError) {
		return recurRule{}, []errs.FieldError{errs.Field(field, code, "value", strings.TrimSpace(s), "part", part)}
	}
	if text == "" {
		return bad("rrule", "FREQ")
	}
	seen := map[string]bool{}
	for _, p := range strings.Split(text, ";") {
		name, value, ok := strings.Cut(p, "=")
		if !ok || value == "" || seen[name] {
			return bad("rrule", name)
		}
		seen[name] = true
		var err bool
		switch name {
		case "FREQ":
			f, ok := freqs[value]
			r.opt.Freq, err = f, !ok
		case "INTERVAL":
			r.opt.Interval, err = positive(value)
		case "COUNT":
			r.opt.Count, err = positive(value)
		case "UNTIL":
			err = r.parseUntil(value)
		case "WKST":
			var wd rrule.Weekday
			wd, err = weekday(value, false)
			r.opt.Wkst = wd
		case "BYSECOND":
			r.opt.Bysecond, err = ints(value, 0, 59, false)
		case "BYMINUTE":
			r.opt.Byminute, err = ints(value, 0, 59, false)
		case "BYHOUR":
			r.opt.Byhour, err = ints(value, 0, 23, false)
		case "BYDAY":
			for _, d := range strings.Split(value, ",") {
				wd, bad := weekday(d, true)
				err = err || bad
				r.opt.Byweekday = append(r.opt.Byweekday, wd)
			}
		case "BYMONTHDAY":
			r.opt.Bymonthday, err = ints(value, 1, 31, true)
		case "BYYEARDAY":
			r.opt.Byyearday, err = ints(value, 1, 366, true)
		case "BYWEEKNO":
			r.opt.Byweekno, err = ints(value, 1, 53, true)
		case "BYMONTH":
			r.opt.Bymonth, err = ints(value, 1, 12, false)
		case "BYSETPOS":
			r.opt.Bysetpos, err = ints(value, 1, 366, true)
		default:
			err = true
		}
		if err {
			return bad("rrule", name)
		}
	}
	if !seen["FREQ"] {
		return bad("rrule", "FREQ")
	}
	if r.opt.Interval == 0 {
		r.opt.Interval = 1
	}
	f := r.opt.Freq
	nth := slices.ContainsFunc(r.opt.Byweekday, func(w rrule.Weekday) bool { return w.N() != 0 })
	switch {
	case seen["COUNT"] && seen["UNTIL"]:
		return bad("rrule_conflict", "UNTIL")
	case nth && f != rrule.MONTHLY && f != rrule.YEARLY, nth && seen["BYWEEKNO"]:
		return bad("rrule_conflict", "BYDAY")
	case seen["BYMONTHDAY"] && f == rrule.WEEKLY:
		return bad("rrule_conflict", "BYMONTHDAY")
	case seen["BYYEARDAY"] && (f == rrule.DAILY || f == rrule.WEEKLY || f == rrule.MONTHLY):
		return bad("rrule_conflict", "BYYEARDAY")
	case seen["BYWEEKNO"] && f != rrule.YEARLY:
		return bad("rrule_conflict", "BYWEEKNO")
	case seen["BYSETPOS"] && len(seen) == countOf(seen, "FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYSETPOS"):
		return bad("rrule_conflict", "BYSETPOS")
	}
	return r, nil
}

// countOf counts the names of parts that are in seen.
func countOf(seen map[string]bool, names ...string) int {
	n := 0
	for _, name := range names {
		if seen[name] {
			n++
		}
	}
	return n
}

func (r *recurRule) parseUntil(v string) bool {
	r.untilText = v
	if t, err := time.Parse("20060102", v); err == nil {
		r.untilWall = t.AddDate(0, 0, 1).Add(-time.Second) // the whole day, as the simple form
		return false
	}
	if t, err := time.Parse("20060102T150405", v); err == nil {
		r.untilWall = t
		return false
	}
	if t, err := time.Parse("20060102T150405Z", v); err == nil {
		r.untilUTC = t
		return false
	}
	return true
}

// positive reads an integer >= 1.
func positive(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	return n, err != nil || n < 1 || strings.HasPrefix(v, "+") || strings.HasPrefix(v, "-")
}

// ints reads a comma-separated list of integers in [lo, hi], or in ±[lo, hi] when signed.
func ints(v string, lo, hi int, signed bool) ([]int, bool) {
	var out []int
	for _, s := range strings.Split(v, ",") {
		n, err := strconv.Atoi(s)
		if err != nil || (!signed && strings.ContainsAny(s[:1], "+-")) {
			return nil, true
		}
		if a := max(n, -n); a < lo || a > hi || (!signed && n < 0) {
			return nil, true
		}
		out = append(out, n)
	}
	return out, false
}

// weekday reads "MO", or with nth "2TU", "-1FR", "+3WE" (ordinal 1..53 either way).
func weekday(v string, nth bool) (rrule.Weekday, bool) {
	if len(v) < 2 {
		return rrule.Weekday{}, true
	}
	i := slices.Index(dayNames, v[len(v)-2:])
	if i < 0 {
		return rrule.Weekday{}, true
	}
	wd := weekdayValues[i]
	if ord := v[:len(v)-2]; ord != "" {
		n, err := strconv.Atoi(ord)
		if !nth || err != nil || n == 0 || n < -53 || n > 53 {
			return rrule.Weekday{}, true
		}
		wd = wd.Nth(n)
	}
	return wd, false
}

var weekdayValues = []rrule.Weekday{rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU}

// String is the rule's canonical text: upper case, parts in the RFC's order of description.
func (r recurRule) String() string {
	o := r.opt
	parts := []string{"FREQ=" + o.Freq.String()}
	if o.Interval > 1 {
		parts = append(parts, "INTERVAL="+strconv.Itoa(o.Interval))
	}
	if o.Count > 0 {
		parts = append(parts, "COUNT="+strconv.Itoa(o.Count))
	}
	if r.untilText != "" {
		parts = append(parts, "UNTIL="+r.untilText)
	}
	list := func(name string, v []int) {
		if len(v) > 0 {
			s := make([]string, len(v))
			for i, n := range v {
				s[i] = strconv.Itoa(n)
			}
			parts = append(parts, name+"="+strings.Join(s, ","))
		}
	}
	list("BYSECOND", o.Bysecond)
	list("BYMINUTE", o.Byminute)
	list("BYHOUR", o.Byhour)
	if len(o.Byweekday) > 0 {
		s := make([]string, len(o.Byweekday))
		for i, wd := range o.Byweekday {
			s[i] = dayNames[wd.Day()]
			if n := wd.N(); n != 0 {
				s[i] = strconv.Itoa(n) + s[i]
			}
		}
		parts = append(parts, "BYDAY="+strings.Join(s, ","))
	}
	list("BYMONTHDAY", o.Bymonthday)
	list("BYYEARDAY", o.Byyearday)
	list("BYWEEKNO", o.Byweekno)
	list("BYMONTH", o.Bymonth)
	list("BYSETPOS", o.Bysetpos)
	if o.Wkst != rrule.MO {
		parts = append(parts, "WKST="+dayNames[o.Wkst.Day()])
	}
	return strings.Join(parts, ";")
}
