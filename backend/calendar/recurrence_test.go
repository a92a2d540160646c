package calendar

import (
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"hearth/backend/errs"
)

func TestRecurrenceRulesExpandAsRFC5545Says(t *testing.T) {
	cases := []struct {
		name  string
		start time.Time
		rule  string
		want  []string // local dates; all at the start's wall time
	}{
		{"monthly on the 2nd Tuesday", local(2026, 1, 13, 18, 30), "FREQ=MONTHLY;BYDAY=2TU",
			[]string{"2026-01-13", "2026-02-10", "2026-03-10", "2026-04-14", "2026-05-12", "2026-06-09"}},
		{"monthly on the last Friday", local(2026, 1, 30, 12, 0), "FREQ=MONTHLY;BYDAY=-1FR;COUNT=3",
			[]string{"2026-01-30", "2026-02-27", "2026-03-27"}},
		{"monthly by day of the month", local(2026, 1, 31, 10, 0), "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3",
			[]string{"2026-01-31", "2026-02-28", "2026-03-31"}},
		{"weekly with COUNT", local(2026, 3, 2, 9, 0), "FREQ=WEEKLY;BYDAY=MO;COUNT=6",
			[]string{"2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30", "2026-04-06"}},
		{"every 2 weeks on chosen weekdays until a date, inclusive", local(2026, 3, 2, 9, 0), "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20260326",
			[]string{"2026-03-02", "2026-03-05", "2026-03-16", "2026-03-19"}},
		{"until the day of an occurrence includes it", local(2026, 3, 2, 9, 0), "FREQ=WEEKLY;UNTIL=20260316",
			[]string{"2026-03-02", "2026-03-09", "2026-03-16"}},
		{"until a time before an occurrence excludes it", local(2026, 3, 2, 9, 0), "FREQ=WEEKLY;UNTIL=20260316T075959Z",
			[]string{"2026-03-02", "2026-03-09"}},
		{"every 3 days", local(2026, 3, 27, 7, 0), "FREQ=DAILY;INTERVAL=3;COUNT=3",
			[]string{"2026-03-27", "2026-03-30", "2026-04-02"}},
		{"yearly on the 2nd Sunday of the year", local(2026, 1, 11, 9, 0), "FREQ=YEARLY;BYDAY=2SU;COUNT=2",
			[]string{"2026-01-11", "2027-01-10"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ser, err := newSeries(c.start, rule(t, c.rule))
			if err != nil {
				t.Fatal(err)
			}
			occ := ser.between(c.start, c.start.AddDate(1, 0, 0))
			var got []string
			for _, o := range occ {
				got = append(got, o.Format(time.DateOnly))
				if o.Hour() != c.start.Hour() || o.Minute() != c.start.Minute() || o.Location() != paris {
					t.Errorf("%s not at %s Paris time", o, c.start.Format("15:04"))
				}
			}
			if !slices.Equal(got[:min(len(got), len(c.want))], c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestParseRRuleKeepsWhatTheScreensEditInTheSimpleForm(t *testing.T) {
	for _, s := range []string{"FREQ=WEEKLY;BYDAY=MO;COUNT=6", "FREQ=MONTHLY;BYDAY=2TU;UNTIL=20261231", "FREQ=DAILY;INTERVAL=3",
		"FREQ=MONTHLY;BYMONTHDAY=15", "FREQ=YEARLY;INTERVAL=2"} {
		r := rule(t, s)
		if r.Rule != "" || r.String() != s {
			t.Errorf("%s read as %+v, back as %s", s, r, r.String())
		}
	}
	if r := rule(t, "RRULE:FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2"); r.Week != 2 || r.Weekdays[0] != "TU" {
		t.Errorf("BYSETPOS=2 with BYDAY=TU read as %+v", r)
	}
	if r := rule(t, "rrule:freq=weekly;interval=2;byday=mo,we;until=20261231"); r.Freq != Weekly || r.Interval != 2 ||
		!slices.Equal(r.Weekdays, []string{"MO", "WE"}) || r.Until != "2026-12-31" {
		t.Errorf("a lower-case rule read as %+v", r)
	}
}

func TestParseRRuleKeepsEveryOtherRuleWholeInCanonicalForm(t *testing.T) {
	cases := map[string]string{
		"FREQ=YEARLY;BYDAY=2SU":                                "FREQ=YEARLY;BYDAY=2SU",
		"freq=weekly;wkst=su;interval=2;byday=tu,su":           "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU",
		"FREQ=MONTHLY;BYDAY=1SU,-1SU;INTERVAL=2;COUNT=10":      "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU",
		"FREQ=DAILY;UNTIL=20261231T225959Z":                    "FREQ=DAILY;UNTIL=20261231T225959Z",
		"FREQ=MONTHLY;BYDAY=TU":                                "FREQ=MONTHLY;BYDAY=TU",
		"FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO":                     "FREQ=YEARLY;BYDAY=MO;BYWEEKNO=20",
		"FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10":                "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2":        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2",
		"FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,+200": "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200",
	}
	for in, want := range cases {
		r := rule(t, in)
		if r.Rule != want || r.simple() || r.String() != want {
			t.Errorf("%s read as %+v, want rule %s", in, r, want)
		}
	}
}

func TestParseRRuleRefusesWhatRFC5545Refuses(t *testing.T) {
	cases := []struct{ rule, code, part string }{
		{"FREQ=DAILY;INTERVAL=0", "rrule", "INTERVAL"},
		{"FREQ=DAILY;COUNT=0", "rrule", "COUNT"},
		{"FREQ=WEEKLY;COUNT=2;UNTIL=20261231", "rrule_conflict", "UNTIL"},
		{"FREQ=WEEKLY;BYDAY=1MO", "rrule_conflict", "BYDAY"},
		{"FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO", "rrule_conflict", "BYDAY"},
		{"FREQ=WEEKLY;BYMONTHDAY=3", "rrule_conflict", "BYMONTHDAY"},
		{"FREQ=MONTHLY;BYYEARDAY=3", "rrule_conflict", "BYYEARDAY"},
		{"FREQ=MONTHLY;BYWEEKNO=3", "rrule_conflict", "BYWEEKNO"},
		{"FREQ=MONTHLY;BYSETPOS=1", "rrule_conflict", "BYSETPOS"},
		{"FREQ=DAILY;BYHOUR=24", "rrule", "BYHOUR"},
		{"FREQ=DAILY;BYSECOND=60", "rrule", "BYSECOND"},
		{"FREQ=MONTHLY;BYMONTHDAY=0", "rrule", "BYMONTHDAY"},
		{"FREQ=MONTHLY;BYMONTHDAY=-32", "rrule", "BYMONTHDAY"},
		{"FREQ=YEARLY;BYMONTH=-1", "rrule", "BYMONTH"},
		{"FREQ=MONTHLY;BYDAY=0MO", "rrule", "BYDAY"},
		{"FREQ=DAILY;FREQ=WEEKLY", "rrule", "FREQ"},
		{"FREQ=FORTNIGHTLY", "rrule", "FREQ"},
		{"FREQ=DAILY;BYEASTER=0", "rrule", "BYEASTER"},
		{"INTERVAL=2", "rrule", "FREQ"},
		{"bogus", "rrule", "BOGUS"},
	}
	for _, c := range cases {
		_, err := ParseRRule(c.rule, paris)
		if !errors.Is(err, errs.Invalid) {
			t.Errorf("%s: want Invalid, got %v", c.rule, err)
			continue
		}
		f := errs.From(err).Fields
		if len(f) != 1 || f[0].Field != "repeat" || f[0].Code != c.code || f[0].Params["part"] != c.part {
			t.Errorf("%s: fields %+v, want %s on %s", c.rule, f, c.code, c.part)
		}
	}
}

func TestParseRRuleReadsExdateAndRdateLines(t *testing.T) {
	r, err := ParseRRule("RRULE:FREQ=DAILY;COUNT=5\nexdate;tzid=Europe/Paris:20260303T090000,20260304T090000\n"+
		"RDATE:20260310T080000Z", paris)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ExDates) != 2 || !r.ExDates[0].Equal(local(2026, 3, 3, 9, 0)) || len(r.RDates) != 1 ||
		!r.RDates[0].Equal(local(2026, 3, 10, 9, 0)) || r.RDates[0].Location() != paris {
		t.Errorf("read %+v", r)
	}
	for _, s := range []string{"FREQ=DAILY\nEXDATE;VALUE=DATE:20260303", "FREQ=DAILY\nRDATE:tomorrow",
		"FREQ=DAILY\nEXDATE;TZID=Mars/Olympus:20260303T090000", "FREQ=DAILY\nFREQ=WEEKLY"} {
		if _, err := ParseRRule(s, paris); !errors.Is(err, errs.Invalid) {
			t.Errorf("%q: want Invalid, got %v", s, err)
		}
	}
}

func TestStoredRulesOfEarlierVersionsStillReadTheSame(t *testing.T) {
	var r Recurrence
	stored := `{"freq":"monthly","interval":0,"weekdays":["TU"],"monthDay":0,"week":2,"until":"2026-06-30","count":0}`
	if err := json.Unmarshal([]byte(stored), &r); err != nil {
		t.Fatal(err)
	}
	ser, err := newSeries(local(2026, 1, 13, 18, 30), &r)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(ser.between(local(2026, 1, 1, 0, 0), local(2027, 1, 1, 0, 0))); n != 6 {
		t.Errorf("%d occurrences of the 2nd Tuesday to June, want 6", n)
	}
	// Older versions wrote a yearly rule with a week as that week of the first month.
	old := Recurrence{Freq: Yearly, Week: 2, Weekdays: []string{"SU"}}
	ser, _ = newSeries(local(2026, 5, 10, 9, 0), &old)
	if occ := ser.between(local(2026, 1, 1, 0, 0), local(2028, 1, 1, 0, 0)); len(occ) != 2 || occ[1].Format(time.DateOnly) != "2027-05-09" {
		t.Errorf("legacy yearly rule: %v", occ)
	}
}

func TestCreateRefusesInvalidRecurrencesNamingTheField(t *testing.T) {
	f := newTestService(t)
	cases := []struct {
		name  string
		rule  Recurrence
		field string
		code  string
	}{
		{"a rule and simple fields", Recurrence{Rule: "FREQ=YEARLY;BYDAY=2SU", Freq: Weekly}, "repeat.rule", "rule_or_fields"},
		{"a rule RFC 5545 refuses", Recurrence{Rule: "FREQ=DAILY;INTERVAL=0"}, "repeat.rule", "rrule"},
		{"neither a rule nor a frequency", Recurrence{Count: 3}, "repeat.freq", "required"},
		{"an empty exception", Recurrence{Freq: Daily, ExDates: []time.Time{{}}}, "repeat.exDates[0]", "required"},
		{"an empty extra date", Recurrence{Freq: Daily, RDates: []time.Time{t0, {}}}, "repeat.rDates[1]", "required"},
		{"too many exceptions", Recurrence{Freq: Daily, ExDates: make([]time.Time, 1001)}, "repeat.exDates", "max"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.cal.Create(ctx, CreateInput{Title: "x", At: t0, Repeat: &c.rule})
			if e := wantCode(t, err, errs.Invalid, "invalid_input"); !hasField(e, c.field, c.code) {
				t.Errorf("fields %+v, want %s %s", e.Fields, c.field, c.code)
			}
		})
	}
}

func TestSeriesKeepsItsExceptionsAndExtraDatesThroughTheService(t *testing.T) {
	f := newTestService(t)
	r := Recurrence{Rule: "freq=weekly;byday=mo,we;wkst=su", ExDates: []time.Time{local(2026, 3, 4, 9, 0).UTC(),
		local(2026, 3, 4, 9, 0)}, RDates: []time.Time{local(2026, 3, 7, 11, 0)}}
	it := f.create(t, CreateInput{At: local(2026, 3, 2, 9, 0), Repeat: &r, Status: Scheduled})
	if it.Repeat.Rule != "FREQ=WEEKLY;BYDAY=MO,WE;WKST=SU" || len(it.Repeat.ExDates) != 1 || it.Repeat.ExDates[0].Location().String() != "Europe/Paris" {
		t.Errorf("stored %s %v %v", it.Repeat, it.Repeat.ExDates, it.Repeat.RDates)
	}
	var got []string
	for _, o := range f.list(t, local(2026, 3, 1, 0, 0), local(2026, 3, 10, 0, 0)) {
		got = append(got, o.At.Format("01-02 15:04"))
	}
	if want := []string{"03-02 09:00", "03-07 11:00", "03-09 09:00"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// The extra date is an occurrence of its own: it can move.
	extra, to := local(2026, 3, 7, 11, 0), local(2026, 3, 7, 12, 0)
	if _, err := f.cal.Update(ctx, it.ID, Patch{Occurrence: &extra, At: &to}); err != nil {
		t.Fatal(err)
	}
	// Sending the same rule again is no change: the move stays.
	same := *it.Repeat
	if _, err := f.cal.Update(ctx, it.ID, Patch{Repeat: &same}); err != nil {
		t.Fatal(err)
	}
	if occ := f.list(t, local(2026, 3, 7, 0, 0), local(2026, 3, 8, 0, 0)); len(occ) != 1 || !occ[0].At.Equal(to) {
		t.Errorf("moved extra date: %+v", occ)
	}
}

func TestWallTimesTheClocksSkipOrRepeatArePlacedAsRFC5545Says(t *testing.T) {
	cases := []struct {
		wall string
		want string
	}{
		{"2026-10-25T02:30:00", "2026-10-25T02:30:00+02:00"}, // the first of the two
		{"2026-03-29T02:30:00", "2026-03-29T03:30:00+02:00"}, // shifted by the gap
		{"2026-03-29T03:00:00", "2026-03-29T03:00:00+02:00"},
		{"2026-10-25T03:00:00", "2026-10-25T03:00:00+01:00"},
	}
	for _, c := range cases {
		w, _ := time.Parse("2006-01-02T15:04:05", c.wall)
		if got := wallToInstant(w, paris).Format(time.RFC3339); got != c.want {
			t.Errorf("%s in Paris: got %s, want %s", c.wall, got, c.want)
		}
	}
}

func TestFrequentRulesStartedLongAgoSkipAheadToTheSameOccurrences(t *testing.T) {
	start := local(2026, 1, 5, 8, 15)
	for _, text := range []string{"FREQ=MINUTELY;INTERVAL=7;BYSECOND=0,30", "FREQ=HOURLY;INTERVAL=5;BYMINUTE=0,40",
		"FREQ=SECONDLY;INTERVAL=45;BYMINUTE=3"} {
		ser, err := newSeries(start, rule(t, text))
		if err != nil {
			t.Fatal(err)
		}
		from, to := local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0) // across the spring-forward gap
		var want []time.Time
		for _, o := range ser.between(start, to) {
			if !o.Before(from) {
				want = append(want, o)
			}
		}
		if got := ser.between(from, to); len(want) == 0 || !slices.EqualFunc(got, want, time.Time.Equal) {
			t.Errorf("%s: skipping ahead gave %d occurrences, walking from the start %d", text, len(got), len(want))
		}
	}
	// A rule every second since 2000 lists one day of 2026 without walking 26 years of seconds.
	ser, _ := newSeries(local(2000, 1, 1, 0, 0), rule(t, "FREQ=SECONDLY;BYSECOND=0;BYMINUTE=0"))
	if got := ser.between(local(2026, 3, 29, 0, 0), local(2026, 3, 30, 0, 0)); len(got) != 23 {
		t.Errorf("%d hourly occurrences on a 23-hour day", len(got))
	}
}

// FuzzParseRRule feeds recurrence text people type or import: whatever is accepted reads back
// the same from its canonical form and expands without failing, in order.
func FuzzParseRRule(f *testing.F) {
	for _, s := range []string{"FREQ=WEEKLY;BYDAY=MO;COUNT=6", "freq=monthly;byday=-1fr", "FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO",
		"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2", "FREQ=DAILY;UNTIL=20261025T003000Z", "FREQ=HOURLY;INTERVAL=3;BYMINUTE=0,30",
		"FREQ=YEARLY;BYYEARDAY=-1,366;BYMONTH=12", "RRULE:FREQ=DAILY\nEXDATE;TZID=Europe/Paris:20261025T023000\nRDATE:20260329T013000Z",
		"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU", "FREQ=MINUTELY;BYSECOND=59;BYMONTHDAY=31"} {
		f.Add(s)
	}
	start := local(2026, 3, 1, 2, 30)
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRRule(s, paris)
		if err != nil {
			if !errors.Is(err, errs.Invalid) {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		back, err := ParseRRule(r.String(), paris)
		back.ExDates, back.RDates = r.ExDates, r.RDates
		if err != nil || !back.equal(&r) {
			t.Fatalf("%q read as %q, which reads back as %q (%v)", s, r.String(), back.String(), err)
		}
		if fields := r.check("repeat"); len(fields) > 0 {
			t.Fatalf("%q accepted but %+v", s, fields)
		}
		ser, err := newSeries(start, &r)
		if err != nil {
			t.Fatal(err)
		}
		occ := ser.between(start.AddDate(0, 0, 300), start.AddDate(0, 0, 302))
		if !slices.IsSortedFunc(occ, time.Time.Compare) {
			t.Fatalf("%q: out of order %v", s, occ)
		}
	})
}

func TestCreateRefusesARuleWithNoOccurrenceAtAll(t *testing.T) {
	f := newTestService(t)
	_, err := f.cal.Create(ctx, CreateInput{Title: "x", At: t0, Repeat: rule(t, "FREQ=MINUTELY;BYMONTH=2;BYMONTHDAY=30")})
	if e := wantCode(t, err, errs.Invalid, "invalid_input"); !hasField(e, "repeat", "rrule_empty") {
		t.Errorf("fields %+v", e.Fields)
	}
	// Extra dates alone are occurrences enough.
	r := rule(t, "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")
	r.RDates = []time.Time{t0.AddDate(0, 1, 0)}
	f.create(t, CreateInput{At: t0, Repeat: r})
}
