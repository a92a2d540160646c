package calendar

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// referenceCase is one rule expanded both here and by python-dateutil.
type referenceCase struct {
	Name    string   `json:"name"`
	Zone    string   `json:"zone"`
	DTStart string   `json:"dtstart"` // wall time in Zone, 20060102T150405
	RRule   string   `json:"rrule"`
	ExDate  []string `json:"exdate,omitempty"` // wall times in Zone
	RDate   []string `json:"rdate,omitempty"`
	N       int      `json:"n"`
}

// rfc5545Examples are every example rule of RFC 5545 §3.8.5.3, with its DTSTART, in
// America/New_York as the RFC gives them.
var rfc5545Examples = []referenceCase{
	{Name: "daily for 10 occurrences", DTStart: "19970902T090000", RRule: "FREQ=DAILY;COUNT=10"},
	{Name: "daily until December 24, 1997", DTStart: "19970902T090000", RRule: "FREQ=DAILY;UNTIL=19971224T000000Z"},
	{Name: "every other day, forever", DTStart: "19970902T090000", RRule: "FREQ=DAILY;INTERVAL=2"},
	{Name: "every 10 days, 5 occurrences", DTStart: "19970902T090000", RRule: "FREQ=DAILY;INTERVAL=10;COUNT=5"},
	{Name: "every day in January, for 3 years (yearly)", DTStart: "19980101T090000",
		RRule: "FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA", N: 100},
	{Name: "every day in January, for 3 years (daily)", DTStart: "19980101T090000",
		RRule: "FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1", N: 100},
	{Name: "weekly for 10 occurrences", DTStart: "19970902T090000", RRule: "FREQ=WEEKLY;COUNT=10"},
	{Name: "weekly until December 24, 1997", DTStart: "19970902T090000", RRule: "FREQ=WEEKLY;UNTIL=19971224T000000Z"},
	{Name: "every other week, forever", DTStart: "19970902T090000", RRule: "FREQ=WEEKLY;INTERVAL=2;WKST=SU"},
	{Name: "weekly on Tuesday and Thursday for five weeks (until)", DTStart: "19970902T090000",
		RRule: "FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH"},
	{Name: "weekly on Tuesday and Thursday for five weeks (count)", DTStart: "19970902T090000",
		RRule: "FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH"},
	{Name: "every other week on Monday, Wednesday and Friday until December 24, 1997", DTStart: "19970901T090000",
		RRule: "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR"},
	{Name: "every other week on Tuesday and Thursday, for 8 occurrences", DTStart: "19970902T090000",
		RRule: "FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH"},
	{Name: "monthly on the first Friday for 10 occurrences", DTStart: "19970905T090000", RRule: "FREQ=MONTHLY;COUNT=10;BYDAY=1FR"},
	{Name: "monthly on the first Friday until December 24, 1997", DTStart: "19970905T090000",
		RRule: "FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR"},
	{Name: "every other month on the first and last Sunday, 10 occurrences", DTStart: "19970907T090000",
		RRule: "FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU"},
	{Name: "monthly on the second-to-last Monday for 6 months", DTStart: "19970922T090000", RRule: "FREQ=MONTHLY;COUNT=6;BYDAY=-2MO"},
	{Name: "monthly on the third-to-the-last day, forever", DTStart: "19970928T090000", RRule: "FREQ=MONTHLY;BYMONTHDAY=-3"},
	{Name: "monthly on the 2nd and 15th for 10 occurrences", DTStart: "19970902T090000", RRule: "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15"},
	{Name: "monthly on the first and last day for 10 occurrences", DTStart: "19970930T090000",
		RRule: "FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1"},
	{Name: "every 18 months on the 10th thru 15th for 10 occurrences", DTStart: "19970910T090000",
		RRule: "FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15"},
	{Name: "every Tuesday, every other month", DTStart: "19970902T090000", RRule: "FREQ=MONTHLY;INTERVAL=2;BYDAY=TU"},
	{Name: "yearly in June and July for 10 occurrences", DTStart: "19970610T090000", RRule: "FREQ=YEARLY;COUNT=10;BYMONTH=6,7"},
	{Name: "every other year on January, February and March for 10 occurrences", DTStart: "19970310T090000",
		RRule: "FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3"},
	{Name: "every third year on the 1st, 100th and 200th day for 10 occurrences", DTStart: "19970101T090000",
		RRule: "FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200"},
	{Name: "every 20th Monday of the year, forever", DTStart: "19970519T090000", RRule: "FREQ=YEARLY;BYDAY=20MO"},
	{Name: "Monday of week number 20, forever", DTStart: "19970512T090000", RRule: "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO"},
	{Name: "every Thursday in March, forever", DTStart: "19970313T090000", RRule: "FREQ=YEARLY;BYMONTH=3;BYDAY=TH"},
	{Name: "every Thursday, only during June, July and August, forever", DTStart: "19970605T090000",
		RRule: "FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8"},
	{Name: "every Friday the 13th, forever", DTStart: "19970902T090000", RRule: "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13",
		ExDate: []string{"19970902T090000"}},
	{Name: "the first Saturday that follows the first Sunday of the month, forever", DTStart: "19970913T090000",
		RRule: "FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13"},
	{Name: "every 4 years, the first Tuesday after a Monday in November, forever", DTStart: "19961105T090000",
		RRule: "FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8"},
	{Name: "the third instance of one of Tuesday, Wednesday or Thursday, for 3 months", DTStart: "19970904T090000",
		RRule: "FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3"},
	{Name: "the second-to-last weekday of the month", DTStart: "19970929T090000", RRule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2"},
	{Name: "every 3 hours from 9:00 AM to 5:00 PM on a specific day", DTStart: "19970902T090000",
		RRule: "FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z"},
	{Name: "every 15 minutes for 6 occurrences", DTStart: "19970902T090000", RRule: "FREQ=MINUTELY;INTERVAL=15;COUNT=6"},
	{Name: "every hour and a half for 4 occurrences", DTStart: "19970902T090000", RRule: "FREQ=MINUTELY;INTERVAL=90;COUNT=4"},
	{Name: "every 20 minutes from 9:00 AM to 4:40 PM every day (daily)", DTStart: "19970902T090000",
		RRule: "FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40", N: 60},
	{Name: "every 20 minutes from 9:00 AM to 4:40 PM every day (minutely)", DTStart: "19970902T090000",
		RRule: "FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16", N: 60},
	{Name: "WKST makes a difference: MO", DTStart: "19970805T090000", RRule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO"},
	{Name: "WKST makes a difference: SU", DTStart: "19970805T090000", RRule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU"},
	{Name: "an invalid date (February 30) is ignored", DTStart: "20070115T090000", RRule: "FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5"},
}

// parisEdges are what issue #11 found wrong, in Europe/Paris: times the clocks skip or repeat,
// an UNTIL with a time, WKST, yearly BYDAY, lower-case rules, EXDATE and RDATE.
var parisEdges = []referenceCase{
	{Name: "ambiguous 02:30 on the last Sunday of October is the first one", DTStart: "20261004T023000", RRule: "FREQ=WEEKLY;COUNT=5"},
	{Name: "a series starting at the ambiguous time", DTStart: "20261025T023000", RRule: "FREQ=DAILY;COUNT=3"},
	{Name: "nonexistent 02:30 on the last Sunday of March moves forward by the gap", DTStart: "20260301T023000",
		RRule: "FREQ=WEEKLY;BYDAY=SU;COUNT=6"},
	{Name: "hourly across the spring-forward gap", DTStart: "20260329T003000", RRule: "FREQ=HOURLY;COUNT=6"},
	{Name: "hourly across the fall-back fold", DTStart: "20261025T003000", RRule: "FREQ=HOURLY;COUNT=6"},
	{Name: "every 30 minutes through the fold", DTStart: "20261025T013000", RRule: "FREQ=MINUTELY;INTERVAL=30;COUNT=8"},
	{Name: "UNTIL with a time stops at that instant", DTStart: "20260302T090000", RRule: "FREQ=DAILY;UNTIL=20260310T075959Z"},
	{Name: "UNTIL with a time at the ambiguous instant", DTStart: "20261020T023000", RRule: "FREQ=DAILY;UNTIL=20261025T003000Z"},
	{Name: "floating UNTIL with a time", DTStart: "20260302T090000", RRule: "FREQ=DAILY;UNTIL=20260306T085959"},
	{Name: "WKST=MO with INTERVAL=2;BYDAY=TU,SU", DTStart: "20260804T090000", RRule: "FREQ=WEEKLY;INTERVAL=2;COUNT=8;BYDAY=TU,SU;WKST=MO"},
	{Name: "WKST=SU with INTERVAL=2;BYDAY=TU,SU", DTStart: "20260804T090000", RRule: "FREQ=WEEKLY;INTERVAL=2;COUNT=8;BYDAY=TU,SU;WKST=SU"},
	{Name: "yearly on the 2nd Sunday of the year", DTStart: "20260111T090000", RRule: "FREQ=YEARLY;BYDAY=2SU;COUNT=4"},
	{Name: "yearly on the 2nd Sunday of May", DTStart: "20260510T090000", RRule: "FREQ=YEARLY;BYMONTH=5;BYDAY=2SU;COUNT=4"},
	{Name: "lower-case rule", DTStart: "20260130T120000", RRule: "freq=monthly;byday=-1fr;count=4"},
	{Name: "lower-case rule with its name and an UNTIL", DTStart: "20260302T090000",
		RRule: "rrule:freq=weekly;interval=2;byday=mo,we;until=20261231T225959z", N: 60},
	{Name: "monthly on a plain weekday", DTStart: "20260303T183000", RRule: "FREQ=MONTHLY;BYDAY=TU;COUNT=10"},
	{Name: "EXDATE and RDATE", DTStart: "20260323T090000", RRule: "FREQ=DAILY;COUNT=10",
		ExDate: []string{"20260325T090000", "20260329T090000"}, RDate: []string{"20260329T023000", "20260401T180000", "20260324T090000"}},
	{Name: "EXDATE at the ambiguous time", DTStart: "20261024T023000", RRule: "FREQ=DAILY;COUNT=4",
		ExDate: []string{"20261025T023000"}},
	{Name: "the last day of February in leap years", DTStart: "20240229T100000", RRule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1;COUNT=5"},
	{Name: "weekdays of week 1 with WKST=SU", DTStart: "20260101T090000", RRule: "FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO,TU,WE,TH,FR;WKST=SU;COUNT=15"},
}

// TestRecurrenceMatchesPythonDateutil expands every example rule of RFC 5545 §3.8.5.3 and
// issue #11's daylight-saving edge cases both with the calendar and with python-dateutil (a
// reference implementation, run by testdata/dateutil_expand.py), and compares the instants.
func TestRecurrenceMatchesPythonDateutil(t *testing.T) {
	const python = "/usr/bin/python3"
	if out, err := exec.Command(python, "-c", "import dateutil.rrule, zoneinfo").CombinedOutput(); err != nil {
		t.Fatalf("the reference needs Debian's python3 with python3-dateutil (apt-get install python3-dateutil, "+
			"listed in .ci/deps): %v\n%s", err, out)
	}
	var cases []referenceCase
	for _, c := range rfc5545Examples {
		c.Zone = "America/New_York"
		cases = append(cases, c)
	}
	for _, c := range parisEdges {
		c.Zone = "Europe/Paris"
		cases = append(cases, c)
	}
	for i := range cases {
		if cases[i].N == 0 {
			cases[i].N = 30
		}
	}
	in := filepath.Join(t.TempDir(), "cases.json")
	b, err := json.Marshal(cases)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, filepath.Join("testdata", "dateutil_expand.py"), in)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("dateutil_expand.py: %v\n%s", err, stderr.String())
	}
	var want map[string]struct {
		Instants []string `json:"instants"`
		Complete bool     `json:"complete"`
	}
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			ref, ok := want[c.Name]
			if !ok {
				t.Fatal("no reference answer")
			}
			got := expandCase(t, c, ref.Instants, ref.Complete)
			if !slices.Equal(got, ref.Instants) {
				t.Errorf("%s from %s in %s:\n got  %v\n want %v (dateutil)", c.RRule, c.DTStart, c.Zone, got, ref.Instants)
			}
		})
	}
}

// expandCase is the calendar's first c.N occurrences of c as UTC instants. It looks as far as
// the reference's last one, or 30 years on when the reference says the set ended.
func expandCase(t *testing.T, c referenceCase, ref []string, complete bool) []string {
	t.Helper()
	loc := mustZone(c.Zone)
	text := c.RRule
	if len(c.ExDate) > 0 {
		text += "\nEXDATE;TZID=" + c.Zone + ":" + strings.Join(c.ExDate, ",")
	}
	if len(c.RDate) > 0 {
		text += "\nRDATE;TZID=" + c.Zone + ":" + strings.Join(c.RDate, ",")
	}
	r, err := ParseRRule(text, loc)
	if err != nil {
		t.Fatalf("ParseRRule(%q): %v", text, err)
	}
	wall, err := time.Parse("20060102T150405", c.DTStart)
	if err != nil {
		t.Fatal(err)
	}
	start := wallToInstant(wall, loc)
	ser, err := newSeries(start, &r)
	if err != nil {
		t.Fatalf("newSeries(%+v): %v", r, err)
	}
	to := start.AddDate(30, 0, 0)
	if !complete && len(ref) > 0 {
		last, err := time.Parse(time.RFC3339, ref[len(ref)-1])
		if err != nil {
			t.Fatal(err)
		}
		to = last.Add(time.Second)
	}
	got := []string{}
	for _, o := range ser.between(start.Add(-48*time.Hour), to) {
		if o.Location() != loc {
			t.Errorf("%s not in %s", o, loc)
		}
		got = append(got, o.UTC().Format(time.RFC3339))
	}
	return got[:min(len(got), c.N)]
}
