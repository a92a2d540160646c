package segments

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/members"
	"hearth/backend/schema"
	"hearth/backend/workspace"
)

var benchExprs = []string{
	`tag = "bénévole"`,
	`tag = "bénévole" AND ville = "Lyon"`,
	`tag = "bénévole" AND ville = "Lyon" AND (platform = discord OR age >= 30) AND NOT tag = "équipe"`,
	`ville contains "saint" OR code_postal < 50000`,
	`joined >= 2026-01-01 AND NOT platform = mastodon`,
	`tag = "bénévole" AND consent.newsletter = granted`,
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[int(p*float64(len(s)-1))]
}

// BenchmarkSegmentCount100k measures counting segments over 100,000 members (tags, custom
// fields, platforms, join dates, 20,000 newsletter grants): the first count of a process (which
// reads every member into the projection), then p50/p95 of counts as a person builds a
// segment, counts right after one member is edited, and the brute-force baseline (every member
// unsealed and tested, no projection). Run with -benchtime 1x; HEARTH_BENCH_MEMBERS changes the size.
func BenchmarkSegmentCount100k(b *testing.B) {
	n := 100_000
	if s := os.Getenv("HEARTH_BENCH_MEMBERS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	c := clock.System{}
	ws, err := workspace.Open(ctx, b.TempDir(), workspace.Options{Clock: c, Migrations: schema.Migrations(), GCInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	watch := members.NewWatch(nil) // as the app wires it
	ms := members.NewService(ws.Store, c, watch)
	cs := consent.NewService(ws.Store, c, nil, consent.WithMemberCheck(members.Exists))
	act := activity.NewService(ws.Store, ms, c, nil)
	r := rand.New(rand.NewPCG(15, 3))
	cities := []string{"Lyon", "lyon", "Paris", "Saint-Étienne", "Marseille", "Lille", "Nantes", "Saint-Denis"}
	tags := []string{"bénévole", "équipe", "donateur", "ambassadeur", "nouveau", "lyon"}
	ins := make([]members.CreateInput, n)
	for i := range ins {
		in := members.CreateInput{Name: fmt.Sprintf("Membre %d", i), Emails: []string{fmt.Sprintf("m%d@exemple.fr", i)},
			Tags: []string{tags[r.IntN(len(tags))]}, CustomFields: map[string]string{
				"Ville": cities[r.IntN(len(cities))], "âge": strconv.Itoa(16 + r.IntN(60)), "Code postal": fmt.Sprintf("%05d", 1000+r.IntN(94000))}}
		if r.IntN(3) == 0 {
			in.Tags = append(in.Tags, tags[r.IntN(len(tags))])
		}
		if r.IntN(2) == 0 {
			in.Handles = []members.Handle{{Platform: []string{"discord", "discourse", "mastodon"}[r.IntN(3)], Handle: fmt.Sprintf("h%d", i)}}
		}
		if r.IntN(4) == 0 {
			in.CustomFields["member_since"] = fmt.Sprintf("20%02d-%02d-01", 18+r.IntN(8), 1+r.IntN(12))
		}
		ins[i] = in
	}
	created, err := ms.CreateMany(ctx, ins, nil)
	if err != nil {
		b.Fatal(err)
	}
	grants := make([]consent.Input, 0, n/5)
	for i := 0; i < len(created); i += 5 {
		grants = append(grants, consent.Input{MemberID: created[i].ID, Purpose: "newsletter", By: "bench", Method: "import"})
	}
	if err := cs.RecordMany(ctx, consent.Granted, grants, nil); err != nil {
		b.Fatal(err)
	}

	for i := 0; i < b.N; i++ {
		svc := NewService(ws.Store, ms, Sources{Activity: act, Consent: cs}, c)
		svc.Follow(watch.Follow())
		start := time.Now()
		first, err := svc.Count(ctx, benchExprs[0])
		if err != nil {
			b.Fatal(err)
		}
		cold := time.Since(start)

		var warm []time.Duration
		each := map[string][]time.Duration{}
		counts := map[string]int{}
		for round := 0; round < 30; round++ {
			for _, e := range benchExprs {
				t0 := time.Now()
				got, err := svc.Count(ctx, e)
				if err != nil {
					b.Fatal(err)
				}
				warm = append(warm, time.Since(t0))
				each[e] = append(each[e], time.Since(t0))
				counts[e] = got
			}
		}

		var edited []time.Duration
		for k := 0; k < 20; k++ {
			m := created[r.IntN(len(created))]
			if _, err := ms.Edit(ctx, m.ID, members.Edit{SetFields: map[string]string{"Ville": cities[k%len(cities)]}}); err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			if _, err := svc.Count(ctx, benchExprs[2]); err != nil {
				b.Fatal(err)
			}
			edited = append(edited, time.Since(t0))
		}

		// The baseline: no projection, every member unsealed and tested at every count.
		e, _ := Parse(benchExprs[2])
		var brute []time.Duration
		for k := 0; k < 3; k++ {
			t0 := time.Now()
			f := &facts{now: time.Now(), today: dayOf(time.Now(), time.Local)}
			sy := &symbols{}
			var people []person
			err := ms.Each(ctx, members.ListQuery{}, func(mm members.Member) error {
				people = append(people, newPerson(mm, time.Local, sy))
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			m := compile(e, f, sy)
			hits := 0
			for i := range people {
				if m(&people[i]) {
					hits++
				}
			}
			brute = append(brute, time.Since(t0))
		}

		fmt.Printf("\nsegment count over %d members (%d match %q)\n", n, first, benchExprs[0])
		fmt.Printf("| work | p50 | p95 | runs |\n| --- | ---: | ---: | ---: |\n")
		fmt.Printf("| first count of a process (reads every member into the projection) | %v | | 1 |\n", cold.Round(time.Millisecond))
		fmt.Printf("| count, projection up to date (%d expressions below) | %v | %v | %d |\n", len(benchExprs), percentile(warm, .5).Round(10*time.Microsecond), percentile(warm, .95).Round(10*time.Microsecond), len(warm))
		fmt.Printf("| count right after one member was edited | %v | %v | %d |\n", percentile(edited, .5).Round(10*time.Microsecond), percentile(edited, .95).Round(10*time.Microsecond), len(edited))
		fmt.Printf("| baseline: brute force, every member unsealed and tested | %v | %v | %d |\n", percentile(brute, .5).Round(time.Millisecond), percentile(brute, .95).Round(time.Millisecond), len(brute))
		for _, e := range benchExprs {
			fmt.Printf("- `%s`: %d members, p50 %v, p95 %v\n", e, counts[e], percentile(each[e], .5).Round(10*time.Microsecond), percentile(each[e], .95).Round(10*time.Microsecond))
		}
		b.ReportMetric(float64(percentile(warm, .5).Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(percentile(warm, .95).Microseconds())/1000, "p95-ms")
	}
}
