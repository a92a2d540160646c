package analytics

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/clock"
	"hearth/backend/members"
	"hearth/backend/store"
)

// BenchmarkDashboard100k1M measures the dashboard's KPI query over 100,000 members and
// 1,000,000 activities spread over 2025 (Europe/Paris), side by side in the same run with the
// same KPIs computed by SQL in sqlite3 over the same activities, with indexes.
//
// Members are created through members.CreateMany. Every post asks a question and replies answer
// recent ones (about 91,000 questions and 180,000 answers at full size). The activities are
// written through the
// counter path (the activity hook's Begin, Apply and End, 256 records a transaction as the activity's writes do), not as
// 1,000,000 sealed activity records: the dashboard reads only the counters. The index is then
// loaded by a fresh service, as a new process would.
//
// Each round queries 10 typical ranges (7, 30, 90 and 365 days, each with its previous period);
// p50-ms and p95-ms are over every query after a warm-up round; segment-p50-ms and
// segment-p95-ms are the same ranges restricted to every other member (KPIsOf, the dashboard's
// segment picker). sqlite3 runs members_active,
// activities by channel and by kind, DAU and MAU (the mean over the range's days of the
// members active in the 30 days ending that day) for each range once; sqlite-p50-ms and
// sqlite-p95-ms are over those, sqlite-ratio is sqlite's p50 over ours.
//
// HEARTH_BENCH_MEMBERS and HEARTH_BENCH_ACTIVITIES shrink the sizes for quick runs. Run it with
// -benchtime 1x.
func BenchmarkDashboard100k1M(b *testing.B) {
	nMembers, nActs := envInt("HEARTH_BENCH_MEMBERS", 100_000), envInt("HEARTH_BENCH_ACTIVITIES", 1_000_000)
	if _, err := exec.LookPath("sqlite3"); err != nil {
		b.Fatal("sqlite3 is needed for the baseline (apt-get install sqlite3)")
	}
	ctx := context.Background()
	dir := b.TempDir()
	storeOpts := store.Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"),
		SnapshotDir: filepath.Join(dir, "cache"), GCInterval: -1}
	st, err := store.Open(storeOpts)
	if err != nil {
		b.Fatal(err)
	}
	clk := clock.NewManual(time.Date(2024, 6, 1, 9, 0, 0, 0, time.UTC))
	ms := members.NewService(st, clk, nil)
	rng := rand.New(rand.NewPCG(2025, 6))

	start := time.Now()
	ids := make([]string, 0, nMembers)
	for at := 0; at < nMembers; at += 5000 {
		ins := make([]members.CreateInput, min(5000, nMembers-at))
		for i := range ins {
			ins[i] = members.CreateInput{Name: fmt.Sprint("Member ", at+i), Emails: []string{fmt.Sprintf("m%d@example.org", at+i)}}
			if rng.IntN(4) == 0 {
				ins[i].CustomFields = map[string]string{"member_since": time.Date(2023+rng.IntN(3), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)}
			}
			if rng.IntN(200) == 0 {
				ins[i].Tags = []string{"team"}
			}
		}
		created, err := ms.CreateMany(ctx, ins, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range created {
			ids = append(ids, m.ID)
		}
		clk.Advance(5 * 24 * time.Hour) // creation dates spread over the months
	}
	membersSecs := time.Since(start).Seconds()

	// Activities: a few members do most (a power law), on 12 channels, over 2025 in Paris.
	z := paris
	year := time.Date(2025, 1, 1, 0, 0, 0, 0, z)
	perMember := make([]int, nMembers)
	for range nActs {
		perMember[int(float64(nMembers)*math.Pow(rng.Float64(), 2.5))]++
	}
	kinds := []activity.Kind{activity.Post, activity.Reply, activity.Reply, activity.Message, activity.Message, activity.Message, activity.Reaction, activity.Reaction, activity.Mention, activity.Follow, activity.Join}
	csvPath := filepath.Join(dir, "activities.csv")
	csvFile, err := os.Create(csvPath)
	if err != nil {
		b.Fatal(err)
	}
	csv := bufio.NewWriter(csvFile)
	svc := NewService(st, ms, nil, Options{Zone: z})
	if err := svc.Warm(ctx); err != nil { // writes the counters' state
		b.Fatal(err)
	}
	start = time.Now()
	var batch []activity.Change
	flush := func() {
		svc.Begin()
		err := st.Update(ctx, func(tx *store.Tx) error { return svc.Apply(tx, batch) })
		svc.End(batch)
		if err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	// Every post asks a question, every reply answers one of the last 5,000 asked (so questions
	// and their threads are part of what the dashboard answers over).
	var asked []string
	seq := 0
	for i, n := range perMember {
		for range n {
			at := year.Add(time.Duration(rng.Int64N(int64(365 * 24 * time.Hour))))
			seq++
			r := activity.Record{ID: "a" + strconv.Itoa(seq), Connection: "bench", MemberID: ids[i], Kind: kinds[rng.IntN(len(kinds))], At: at,
				Channel: "channel-" + strconv.Itoa(rng.IntN(12)), Platform: "discord"}
			switch {
			case r.Kind == activity.Post:
				r.Thread, r.Title = r.ID, "How do I export the members?"
				if asked = append(asked, r.Thread); len(asked) > 5000 {
					asked = asked[1:]
				}
			case r.Kind == activity.Reply && len(asked) > 0:
				r.Thread = asked[rng.IntN(len(asked))]
			}
			batch = append(batch, activity.Change{Record: r, Delta: 1})
			fmt.Fprintf(csv, "%d,%d,%s,%s\n", i, dayOf(at, z), r.Channel, r.Kind)
			if len(batch) == 256 { // 1,000 overflow one Badger transaction with the active rollup
				flush()
			}
		}
	}
	flush()
	if err := csv.Flush(); err != nil {
		b.Fatal(err)
	}
	_ = csvFile.Close()
	writeSecs := time.Since(start).Seconds()

	// A new process, as after a crash (no snapshot): load the counters and the members.
	reopen := func(keepSnapshots bool) (*Service, time.Duration) {
		if err := st.Close(); err != nil {
			b.Fatal(err)
		}
		if !keepSnapshots {
			if err := os.RemoveAll(filepath.Join(dir, "cache")); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		start := time.Now()
		st, err = store.Open(storeOpts)
		if err != nil {
			b.Fatal(err)
		}
		ms = members.NewService(st, clk, nil)
		fresh := NewService(st, ms, nil, Options{Zone: z})
		if err := fresh.Warm(ctx); err != nil {
			b.Fatal(err)
		}
		if _, err := fresh.KPIs(ctx, benchRanges(z)[0]); err != nil {
			b.Fatal(err)
		}
		return fresh, time.Since(start)
	}
	_, cold := reopen(false)
	loadMs := float64(cold.Milliseconds())
	// The dashboard's cards when the window opens again on it: the workspace opened, the
	// counters and members loaded (from what the last process saved at close), then the first
	// KPIs answered.
	fresh, warm := reopen(true)
	firstCardsMs := float64(warm.Milliseconds())
	defer st.Close()

	ranges := benchRanges(z)
	var took []float64
	b.ResetTimer()
	for range b.N {
		for round := 0; round < 5; round++ {
			for _, r := range ranges {
				t0 := time.Now()
				k, err := fresh.KPIs(ctx, r)
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, float64(time.Since(t0).Microseconds())/1000)
				if (k.Activities == 0 || k.Questions == 0) && nActs > 1000 {
					b.Fatal("no activity or no question in range")
				}
			}
		}
	}
	b.StopTimer()
	// The same ranges for a segment holding every other member (the dashboard's segment picker).
	half := make([]string, 0, len(ids)/2)
	for i := 0; i < len(ids); i += 2 {
		half = append(half, ids[i])
	}
	only := OnlyOf(half)
	var seg []float64
	for round := 0; round < 3; round++ {
		for _, r := range ranges {
			t0 := time.Now()
			if _, err := fresh.KPIsOf(ctx, r, only); err != nil {
				b.Fatal(err)
			}
			seg = append(seg, float64(time.Since(t0).Microseconds())/1000)
		}
	}
	b.ReportMetric(percentile(seg, 50), "segment-p50-ms")
	b.ReportMetric(percentile(seg, 95), "segment-p95-ms")
	b.ReportMetric(membersSecs, "members-s")
	b.ReportMetric(writeSecs, "counters-write-s")
	b.ReportMetric(loadMs, "load-ms")
	b.ReportMetric(firstCardsMs, "first-cards-ms")
	b.ReportMetric(percentile(took, 50), "p50-ms")
	b.ReportMetric(percentile(took, 95), "p95-ms")

	sqlite := sqliteBaseline(b, dir, csvPath, ranges, z)
	b.ReportMetric(percentile(sqlite, 50), "sqlite-p50-ms")
	b.ReportMetric(percentile(sqlite, 95), "sqlite-p95-ms")
	b.ReportMetric(percentile(sqlite, 50)/percentile(took, 50), "sqlite-ratio")
}

// benchRanges are 10 typical dashboard ranges over 2025.
func benchRanges(z *time.Location) []Range {
	day := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 0, 0, 0, 0, z) }
	var out []Range
	for _, end := range []time.Time{day(12, 31), day(10, 1), day(6, 15)} {
		out = append(out, Range{From: end.AddDate(0, 0, -7), To: end}, Range{From: end.AddDate(0, 0, -30), To: end})
	}
	out = append(out,
		Range{From: day(10, 2), To: day(12, 31)}, Range{From: day(4, 1), To: day(6, 30)},
		Range{From: day(1, 1), To: time.Date(2026, 1, 1, 0, 0, 0, 0, z)}, Range{From: day(1, 1), To: day(12, 31)})
	return out
}

// sqliteBaseline loads the activities into sqlite3 with indexes, then times the KPI queries
// of each range (sqlite's own timer, summed over the range's statements), in milliseconds.
func sqliteBaseline(b *testing.B, dir, csvPath string, ranges []Range, z *time.Location) []float64 {
	b.Helper()
	db := filepath.Join(dir, "baseline.db")
	load := strings.Join([]string{
		"CREATE TABLE act(member INTEGER, day INTEGER, channel TEXT, kind TEXT);",
		".mode csv",
		".import " + csvPath + " act",
		"CREATE INDEX act_day_member ON act(day, member);",
		"CREATE INDEX act_day_channel ON act(day, channel);",
		"CREATE INDEX act_day_kind ON act(day, kind);",
		"ANALYZE;",
	}, "\n")
	loader := exec.Command("sqlite3", db)
	loader.Stdin = strings.NewReader(load + "\n")
	if out, err := loader.CombinedOutput(); err != nil {
		b.Fatalf("sqlite3 load: %v\n%s", err, out)
	}
	var script strings.Builder
	script.WriteString(".timer on\n")
	for _, r := range ranges {
		d0, d1 := rangeDays(r, z)
		a, e := d0, d1-1
		fmt.Fprintf(&script, "SELECT 'range';\n")
		fmt.Fprintf(&script, "SELECT COUNT(DISTINCT member) FROM act WHERE day BETWEEN %d AND %d;\n", a, e)
		fmt.Fprintf(&script, "SELECT channel, COUNT(*) FROM act WHERE day BETWEEN %d AND %d GROUP BY channel;\n", a, e)
		fmt.Fprintf(&script, "SELECT kind, COUNT(*) FROM act WHERE day BETWEEN %d AND %d GROUP BY kind;\n", a, e)
		fmt.Fprintf(&script, "SELECT SUM(c) * 1.0 / %d FROM (SELECT day, COUNT(DISTINCT member) c FROM act WHERE day BETWEEN %d AND %d GROUP BY day);\n", d1-d0, a, e)
		fmt.Fprintf(&script, "WITH RECURSIVE days(d) AS (SELECT %d UNION ALL SELECT d + 1 FROM days WHERE d < %d) "+
			"SELECT AVG((SELECT COUNT(DISTINCT member) FROM act WHERE day BETWEEN d - 29 AND d)) FROM days;\n", a, e)
	}
	cmd := exec.Command("sqlite3", db)
	cmd.Stdin = strings.NewReader(script.String())
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("sqlite3 queries: %v\n%s", err, out)
	}
	var times []float64
	cur := -1.0
	for line := range strings.Lines(string(out)) {
		line = strings.TrimSpace(line)
		if line == "range" {
			if cur >= 0 {
				times = append(times, cur)
			}
			cur = 0
			continue
		}
		if rest, ok := strings.CutPrefix(line, "Run Time: real "); ok && cur >= 0 {
			secs, _ := strconv.ParseFloat(strings.Fields(rest)[0], 64)
			cur += secs * 1000
		}
	}
	times = append(times, cur)
	return times
}

func percentile(xs []float64, p float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[min(len(s)-1, int(math.Ceil(p/100*float64(len(s))))-1)]
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}
