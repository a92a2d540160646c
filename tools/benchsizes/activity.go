package main

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The activity section (issue #13, parts 1 and 2 for analytics): at -activities activities over
// -activity-members members, in new processes beside sqlite3 doing the same work on the same
// rows:
//
//   - import the activity CSV into a workspace holding the members (sqlite3: `.import` into a
//     table with an index on time and one on member and time, as the KPIs below read them);
//   - `stats` of the last 30 days and of the whole year of the data (sqlite3: the same KPIs,
//     of the period and of the one before: activities, by channel, by kind, members active,
//     active each day, new members);
//   - `report kpi` of the 30 days (no baseline: it is the stats written to a workbook).
//
// The members are imported first, untimed, by both (Hearth: `members import`; sqlite3: a table
// with a unique e-mail index). The activity is spread over the year activityYear, every member
// active on some days of it, most often on weekdays.

const activityYear = 2025

// activityKinds are the kinds the generated activity has, most frequent first.
var activityKinds = []string{"message", "message", "message", "reply", "reply", "post", "reaction", "reaction"}

// activityChannels are its channels.
var activityChannels = []string{"forum", "discord", "mastodon", "discourse", "newsletter"}

// activityPeriods are the stats measured: a key, the first and last day (both included).
var activityPeriods = []struct{ key, label, from, to string }{
	{"stats30", "30 days", fmt.Sprintf("%d-12-02", activityYear), fmt.Sprintf("%d-12-31", activityYear)},
	{"stats365", "365 days", fmt.Sprintf("%d-01-01", activityYear), fmt.Sprintf("%d-12-31", activityYear)},
}

// activityMeasures are the activity section's tables, in order.
var activityMeasures = []struct{ key, hearth, baseline string }{
	{"activity-import", "import the activity CSV into the workspace holding the members: `hearth activity import activity.csv`",
		"sqlite3: the table, an index on time (covering member, kind and channel) and one on member and time, then `.import --csv`"},
	{"stats30", "the KPIs of 30 days in a new process: `hearth stats --from " + activityPeriods[0].from + " --to " + activityPeriods[0].to + "`",
		"sqlite3: the same KPIs of the period and of the one before (activities, by channel, by kind, members active, active each day, new members) through the indexes"},
	{"stats365", "the KPIs of the year in a new process: `hearth stats --from " + activityPeriods[1].from + " --to " + activityPeriods[1].to + "`",
		"sqlite3: the same KPIs of the year and of the one before"},
	{"report-kpi", "the KPI workbook of the 30 days in a new process: `hearth report kpi --from " + activityPeriods[0].from + " --to " + activityPeriods[0].to + " --out kpi.xlsx`",
		"none (the same KPIs as stats, written to a workbook)"},
}

// activityRun is what the activity section measured.
type activityRun struct {
	members, activities int
	genSecs             float64
	results             map[string]measured
}

// writeActivityCSVs writes members.csv (`name,email`) and activity.csv (`member,kind,at,channel`,
// the member by e-mail) under dir.
func writeActivityCSVs(dir string, members, activities int) (membersCSV, activityCSV string, err error) {
	membersCSV, activityCSV = filepath.Join(dir, "members.csv"), filepath.Join(dir, "activity.csv")
	mf, err := os.Create(membersCSV)
	if err != nil {
		return "", "", err
	}
	w := bufio.NewWriterSize(mf, 1<<20)
	fmt.Fprintln(w, "name,email")
	for i := range members {
		fmt.Fprintf(w, "Membre %d,%s\n", i, activityEmail(i))
	}
	if err := errors.Join(w.Flush(), mf.Close()); err != nil {
		return "", "", err
	}
	af, err := os.Create(activityCSV)
	if err != nil {
		return "", "", err
	}
	w = bufio.NewWriterSize(af, 1<<20)
	r := rand.New(rand.NewPCG(13, 7))
	start := time.Date(activityYear, 1, 1, 0, 0, 0, 0, time.UTC)
	days := start.AddDate(1, 0, 0).Sub(start).Hours() / 24
	fmt.Fprintln(w, "member,kind,at,channel")
	for range activities {
		// Some members are far more active than others (the square of a uniform draw).
		u := r.Float64()
		m := int(u * u * float64(members))
		at := start.Add(time.Duration(r.Float64() * days * 24 * float64(time.Hour))).Truncate(time.Second)
		if wd := at.Weekday(); (wd == time.Saturday || wd == time.Sunday) && r.IntN(2) == 0 {
			at = at.AddDate(0, 0, 2) // quieter weekends
			if at.Year() != activityYear {
				at = at.AddDate(0, 0, -7)
			}
		}
		fmt.Fprintf(w, "%s,%s,%s,%s\n", activityEmail(m), activityKinds[r.IntN(len(activityKinds))],
			at.Format(time.RFC3339), activityChannels[r.IntN(len(activityChannels))])
	}
	return membersCSV, activityCSV, errors.Join(w.Flush(), af.Close())
}

func activityEmail(i int) string { return fmt.Sprintf("membre%d@exemple.fr", i) }

// The baseline's tables: members with a unique e-mail, activity by e-mail with the indexes the
// KPIs read: time (covering member, kind and channel) for the periods, member and time for
// each member's first activity.
const (
	sqliteActivityMembers = `CREATE TABLE members(name TEXT NOT NULL, email TEXT NOT NULL);
CREATE UNIQUE INDEX members_email ON members(email COLLATE NOCASE);
`
	sqliteActivitySchema = `CREATE TABLE activity(member TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, channel TEXT NOT NULL);
CREATE INDEX activity_at ON activity(at, member, kind, channel);
CREATE INDEX activity_member_at ON activity(member, at);
`
)

// sqliteStats computes the KPIs `hearth stats` shows of days [from, to] (both included) and of
// as many days just before: activities, by channel, by kind, members active, active each day,
// new members (their first activity in the period). Times are RFC 3339 in UTC, so that text
// order is time order.
func sqliteStats(from, to string) string {
	f, _ := time.Parse(time.DateOnly, from)
	t, _ := time.Parse(time.DateOnly, to)
	end := t.AddDate(0, 0, 1)
	n := int(end.Sub(f).Hours() / 24)
	var b strings.Builder
	for _, p := range [][2]time.Time{{f, end}, {f.AddDate(0, 0, -n), f}} {
		lo, hi := p[0].Format(time.RFC3339), p[1].Format(time.RFC3339)
		in := fmt.Sprintf("at >= '%s' AND at < '%s'", lo, hi)
		fmt.Fprintf(&b, "SELECT count(*), count(DISTINCT member) FROM activity WHERE %s;\n", in)
		fmt.Fprintf(&b, "SELECT channel, count(*) FROM activity WHERE %s GROUP BY channel;\n", in)
		fmt.Fprintf(&b, "SELECT kind, count(*) FROM activity WHERE %s GROUP BY kind;\n", in)
		fmt.Fprintf(&b, "SELECT d, count(*) FROM (SELECT DISTINCT substr(at, 1, 10) AS d, member FROM activity WHERE %s) GROUP BY d;\n", in)
		fmt.Fprintf(&b, "SELECT count(*) FROM (SELECT member FROM activity GROUP BY member HAVING min(at) >= '%s' AND min(at) < '%s');\n", lo, hi)
	}
	return b.String()
}

// runActivity measures the activity section, writing the report after every measure, then
// removes its files.
func (b *bench) runActivity(members, activities int) error {
	dir := filepath.Join(b.work, "activity")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	a := &activityRun{members: members, activities: activities, results: map[string]measured{}}
	b.activity = a
	start := time.Now()
	membersCSV, activityCSV, err := writeActivityCSVs(dir, members, activities)
	if err != nil {
		return err
	}
	a.genSecs = time.Since(start).Seconds()

	ws, db := filepath.Join(dir, "ws"), filepath.Join(dir, "baseline.db")
	nth := func(path string, i int) string {
		if i == 0 {
			return path
		}
		return path + "-" + fmt.Sprint(i)
	}
	// The members of every workspace and database an import runs on, untimed.
	setup := func(i int) error {
		r, err := run(command(b.hearth, "--workspace", nth(ws, i), "members", "import", membersCSV))
		if err == nil && countOf(r.out, "created") != members {
			err = fmt.Errorf("hearth members import: not %d created:\n%s", members, tail(r.out))
		}
		if err != nil {
			return err
		}
		_, err = sqlite(nth(db, i), sqliteActivityMembers+fmt.Sprintf(".import --csv --skip 1 '%s' members\n", membersCSV))
		return err
	}
	hearth := func(args ...string) (sample, error) {
		return run(command(b.hearth, append([]string{"--workspace", ws}, args...)...))
	}
	stats := func(from, to string) side {
		return func(int) (sample, error) {
			r, err := hearth("stats", "--from", from, "--to", to, "--json")
			if err == nil && !strings.Contains(r.out, `"activities"`) {
				err = fmt.Errorf("hearth stats: no activities in its answer:\n%s", tail(r.out))
			}
			return r, err
		}
	}
	baseStats := func(from, to string) side {
		return func(int) (sample, error) { return sqlite(db, sqliteStats(from, to)) }
	}
	steps := []struct {
		key          string
		hearth, base side
	}{
		{"activity-import", func(i int) (sample, error) {
			if err := setup(i); err != nil {
				return sample{}, err
			}
			r, err := run(command(b.hearth, "--workspace", nth(ws, i), "activity", "import", activityCSV, "--json"))
			// Two generated rows may name the same activity (member, kind, second, channel): the
			// second is unchanged, not rejected.
			if compact := strings.Join(strings.Fields(r.out), ""); err == nil && !strings.Contains(compact, `"rejected":0`) {
				err = fmt.Errorf("hearth activity import: rows rejected of %d:\n%s", activities, tail(r.out))
			}
			if err == nil && i > 0 {
				err = os.RemoveAll(nth(ws, i))
			}
			return r, err
		}, func(i int) (sample, error) {
			r, err := sqlite(nth(db, i), sqliteActivitySchema+fmt.Sprintf(".import --csv --skip 1 '%s' activity\n", activityCSV))
			if err != nil {
				return r, err
			}
			if got, err := sqliteCount(nth(db, i), "SELECT count(*) FROM activity;"); err != nil || got != activities {
				return r, fmt.Errorf("sqlite3 import: %d rows of %d (%v)", got, activities, err)
			}
			if i > 0 {
				return r, os.Remove(nth(db, i))
			}
			return r, nil
		}},
		{"stats30", stats(activityPeriods[0].from, activityPeriods[0].to), baseStats(activityPeriods[0].from, activityPeriods[0].to)},
		{"stats365", stats(activityPeriods[1].from, activityPeriods[1].to), baseStats(activityPeriods[1].from, activityPeriods[1].to)},
		{"report-kpi", func(i int) (sample, error) {
			path := filepath.Join(dir, fmt.Sprintf("kpi-%d.xlsx", i))
			r, err := hearth("report", "kpi", "--from", activityPeriods[0].from, "--to", activityPeriods[0].to, "--out", path)
			return r, errors.Join(err, os.Remove(path))
		}, nil},
	}
	for _, step := range steps {
		fmt.Fprintf(os.Stderr, "benchsizes: activity: %s\n", step.key)
		base := step.base
		if base == nil {
			base = func(int) (sample, error) { return sample{}, nil }
		}
		m, err := measure(step.hearth, base, b.once)
		if err != nil {
			return fmt.Errorf("activity %s: %w", step.key, err)
		}
		if step.base == nil {
			m.base = nil
		}
		a.results[step.key] = m
		if err := b.write(); err != nil {
			return err
		}
	}
	return nil
}

// activityMarkdown is the activity section of the report ("" when it was not run).
func (b *bench) activityMarkdown() string {
	a := b.activity
	if a == nil {
		return ""
	}
	var w strings.Builder
	fmt.Fprintf(&w, `
Activity (issue #13): %s activities over %s members (generated: `+"`member,kind,at,channel`"+`, the
member by e-mail, spread over %d, a few members far more active than most; written in %s), the
real CLI in new processes beside sqlite3 %s doing the same work, alternately in the same run.
The members are imported first by both, untimed. Hearth's first stats run reads the rollups (no
snapshot of the index exists after an import); the next ones start from the snapshot the first
one saved; the "first run" column is the first alone.

| work | Hearth | Hearth CPU | Hearth peak memory | first run | baseline | baseline CPU | baseline peak memory | ratio | runs |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
`, thousands(a.activities), thousands(a.members), activityYear, seconds(a.genSecs), b.sqlite)
	for _, m := range activityMeasures {
		r, ok := a.results[m.key]
		if !ok || len(r.hearth) == 0 {
			continue
		}
		h := summarize(r.hearth)
		base, baseCPU, baseMem, rat := "", "", "", ""
		if len(r.base) > 0 {
			s := summarize(r.base)
			base, baseCPU, baseMem, rat = seconds(s.secs), seconds(s.cpu), mebibytes(s.mib), ratio(h.secs, s.secs)
		}
		fmt.Fprintf(&w, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", m.key, seconds(h.secs), seconds(h.cpu), mebibytes(h.mib),
			seconds(r.hearth[0].secs), base, baseCPU, baseMem, rat, len(r.hearth))
	}
	fmt.Fprintln(&w)
	for _, m := range activityMeasures {
		fmt.Fprintf(&w, "- %s: %s; baseline: %s.\n", m.key, m.hearth, m.baseline)
	}
	return w.String()
}
