package cli

import (
	"strconv"
	"strings"
	"time"

	"hearth/backend/calendar"
)

// describeRepeat says a series' rule in people's words ("every 2 weeks on Monday and
// Wednesday, until Dec 31, 2026"), from the catalogs; the window's describer
// (frontend/src/features/calendar/describe.ts) says the same things.
func describeRepeat(r calendar.Recurrence, start time.Time, t tr) string {
	p, err := r.Parts(start)
	if err != nil {
		return r.String()
	}
	k := func(key string, kv ...string) string {
		s := t.msg("repeat_" + key)
		for i := 0; i+1 < len(kv); i += 2 {
			s = strings.ReplaceAll(s, "{"+kv[i]+"}", kv[i+1])
		}
		return s
	}
	plural := func(key string, n int, kv ...string) string {
		form := "_other"
		if n == 1 {
			form = "_one"
		}
		return k(key+form, append(kv, "count", t.printer.Sprint(n))...)
	}
	list := func(items []string) string {
		switch len(items) {
		case 0:
			return ""
		case 1:
			return items[0]
		}
		return strings.Join(items[:len(items)-1], k("list_sep")) + k("list_and") + items[len(items)-1]
	}
	ord := func(n int) string { return ordinal(t, n, "ordinal") }
	fromEnd := func(n int, what, day string) string {
		switch n {
		case -1:
			return k("last_"+what, "day", day)
		case -2:
			return k("second_to_last_"+what, "day", day)
		}
		return k("from_end_"+what, "nth", ord(-n), "day", day)
	}
	numbers := func(ns []int) []string {
		out := make([]string, len(ns))
		for i, n := range ns {
			out[i] = strconv.Itoa(n)
		}
		return out
	}
	unit := map[string]string{"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour", "DAILY": "day",
		"WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}[p.Freq]
	out := []string{plural("every_"+unit, p.Interval)}
	if len(p.ByMonth) > 0 {
		names := make([]string, len(p.ByMonth))
		for i, m := range p.ByMonth {
			names[i] = t.msg("calendar_month_" + strconv.Itoa(m))
		}
		out = append(out, k("in_months", "months", list(names)))
	}
	if len(p.ByWeekNo) > 0 {
		out = append(out, plural("in_weeks", len(p.ByWeekNo), "weeks", list(numbers(p.ByWeekNo))))
	}
	if len(p.ByYearDay) > 0 {
		out = append(out, plural("on_year_days", len(p.ByYearDay), "days", list(numbers(p.ByYearDay))))
	}
	var days, monthDays []string
	nth := false
	for _, d := range p.ByDay {
		name := t.msg("calendar_day_" + d.Day)
		switch {
		case d.N == 0:
			days = append(days, k("weekday", "day", name))
		case d.N > 0:
			nth = true
			days = append(days, k("nth_weekday", "nth", ord(d.N), "day", name))
		default:
			nth = true
			days = append(days, fromEnd(d.N, "weekday", name))
		}
	}
	for _, n := range p.ByMonthDay {
		if n > 0 {
			monthDays = append(monthDays, k("month_day", "nth", ordinal(t, n, "day_ordinal")))
		} else {
			monthDays = append(monthDays, fromEnd(n, "day", ""))
		}
	}
	switch {
	case len(days) > 0 && len(monthDays) > 0:
		out = append(out, k("on_days_falling", "days", list(days), "monthDays", list(monthDays)))
	case len(days) > 0:
		s := k("on_days", "days", list(days))
		if nth && p.Freq == "YEARLY" && len(p.ByMonth)+len(p.ByWeekNo) == 0 {
			s += k("of_the_year")
		}
		out = append(out, s)
	case len(monthDays) > 0:
		out = append(out, k("on_month_days", "days", list(monthDays)))
	}
	if h, m := p.ByHour, p.ByMinute; len(h) > 0 && len(m) > 0 && len(h)*len(m) <= 6 && len(p.BySecond) == 0 {
		var times []string
		for _, hh := range h {
			for _, mm := range m {
				times = append(times, time.Date(2024, 1, 1, hh, mm, 0, 0, time.UTC).Format("15:04"))
			}
		}
		out = append(out, k("at_times", "times", list(times)))
	} else {
		if len(h) > 0 {
			out = append(out, plural("at_hours", len(h), "hours", list(numbers(h))))
		}
		if len(m) > 0 {
			out = append(out, plural("at_minutes", len(m), "minutes", list(numbers(m))))
		}
		if len(p.BySecond) > 0 {
			out = append(out, plural("at_seconds", len(p.BySecond), "seconds", list(numbers(p.BySecond))))
		}
	}
	if len(p.BySetPos) > 0 {
		pos := make([]string, len(p.BySetPos))
		for i, n := range p.BySetPos {
			if n > 0 {
				pos[i] = k("position", "nth", ord(n))
			} else {
				pos[i] = fromEnd(n, "position", "")
			}
		}
		out = append(out, k("set_pos", "positions", list(pos), "period", k("period_"+unit)))
	}
	if p.Wkst != "MO" {
		out = append(out, k("week_start", "day", t.msg("calendar_day_"+p.Wkst)))
	}
	text := strings.Join(out, " ")
	switch {
	case p.Count > 0:
		text += plural("times", p.Count)
	case p.UntilDate:
		text += k("until", "date", calendarDate(t, p.Until))
	case !p.Until.IsZero():
		text += k("until", "date", calendarDate(t, p.Until)+" "+p.Until.Format("15:04"))
	}
	dates := func(ts []time.Time) string {
		out := make([]string, len(ts))
		for i, d := range ts {
			d = d.In(start.Location())
			out[i] = calendarDate(t, d) + " " + d.Format("15:04")
		}
		return list(out)
	}
	if n := len(r.ExDates); n > 0 {
		text += plural("except", n, "dates", dates(r.ExDates))
	}
	if n := len(r.RDates); n > 0 {
		text += plural("also", n, "dates", dates(r.RDates))
	}
	return text
}

// ordinal is n as an ordinal from the set of catalog keys ("ordinal": 1st, 2nd; "day_ordinal":
// the day of a month, 1st in English, 1er in French, 15 rather than 15e).
func ordinal(t tr, n int, set string) string {
	form := "other"
	if t.lang == "fr" {
		if n == 1 {
			form = "one"
		}
	} else {
		switch {
		case n%10 == 1 && n%100 != 11:
			form = "one"
		case n%10 == 2 && n%100 != 12:
			form = "two"
		case n%10 == 3 && n%100 != 13:
			form = "few"
		}
	}
	return strings.ReplaceAll(t.msg("repeat_"+set+"_"+form), "{n}", strconv.Itoa(n))
}

// calendarDate is a date as people write it ("Dec 31, 2026", "31 déc. 2026").
func calendarDate(t tr, d time.Time) string {
	r := strings.NewReplacer("{day}", strconv.Itoa(d.Day()), "{month}", t.msg("calendar_month_short_"+strconv.Itoa(int(d.Month()))),
		"{year}", strconv.Itoa(d.Year()))
	return r.Replace(t.msg("calendar_date"))
}
