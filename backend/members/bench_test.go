package members_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/members"
	"hearth/backend/schema"
	"hearth/backend/textfold"
	"hearth/backend/workspace"
)

var (
	firstNames = []string{"Hélène", "Marc", "Zoë", "François", "Amélie", "Jérôme", "Chloé", "Noël", "Inès", "Léa", "Thomas", "Camille", "Yannick", "Aurélie", "Benoît", "Océane", "Gaël", "Maëlle", "Sébastien", "Élodie"}
	lastNames  = []string{"Dupont", "Lefèvre", "Martin", "Bernard", "Durand", "Moreau", "Lefebvre", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément"}
	tagPool    = []string{"bénévole", "paris", "lyon", "ambassadeur", "nouveau", "donateur", "modérateur", "événement-2026", "newsletter", "super-utilisateur"}
	domains    = []string{"example.org", "exemple.fr", "mail.example", "asso.example", "courriel.example"}
)

// generated builds n realistic members deterministically.
func generated(n int) []members.CreateInput {
	r := rand.New(rand.NewPCG(1, 2))
	ins := make([]members.CreateInput, n)
	for i := range ins {
		first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		tags := []string{tagPool[r.IntN(len(tagPool))]}
		if r.IntN(3) == 0 {
			tags = append(tags, tagPool[r.IntN(len(tagPool))])
		}
		ins[i] = members.CreateInput{
			Name:    first + " " + last,
			Emails:  []string{fmt.Sprintf("%s.%s.%d@%s", textfold.Fold(first)[:1], textfold.Fold(last), i, domains[r.IntN(len(domains))])},
			Tags:    tags,
			Handles: []members.Handle{{Platform: "discord", Handle: fmt.Sprintf("%s%d", textfold.Fold(last), i)}},
		}
	}
	return ins
}

// BenchmarkWorkspace100k measures what a person feels with 100,000 members: bulk add, opening
// the workspace, the first list (which loads the search directory), search latency and memory.
// Run it with `make bench` (-benchtime 1x): each step is timed once over the whole data set,
// and search latency over many queries.
func BenchmarkWorkspace100k(b *testing.B) {
	n := 100_000
	if s := os.Getenv("HEARTH_BENCH_MEMBERS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	ctx := context.Background()
	dir := b.TempDir()
	c := clock.System{}
	opts := workspace.Options{Clock: c, Migrations: schema.Migrations(), GCInterval: -1}
	ins := generated(n)

	for i := 0; i < b.N; i++ {
		ws, err := workspace.Open(ctx, dir+"/"+strconv.Itoa(i), opts)
		if err != nil {
			b.Fatal(err)
		}
		svc := members.NewService(ws.Store, c, nil)
		start := time.Now()
		if _, err := svc.CreateMany(ctx, ins, nil); err != nil {
			b.Fatal(err)
		}
		bulk := time.Since(start)
		if err := ws.Close(); err != nil {
			b.Fatal(err)
		}

		// The first list as after a crash: no snapshot, every member read.
		if err := os.RemoveAll(filepath.Join(dir, strconv.Itoa(i), workspace.SnapshotDir)); err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		ws, err = workspace.Open(ctx, dir+"/"+strconv.Itoa(i), opts)
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		if p, err := members.NewService(ws.Store, c, nil).List(ctx, members.ListQuery{Limit: 200}); err != nil || p.Total != n {
			b.Fatalf("cold first list: total %d, err %v", p.Total, err)
		}
		coldList := time.Since(start)
		if err := ws.Close(); err != nil {
			b.Fatal(err)
		}

		// Then as every other time: the directory the last process saved at close.
		runtime.GC()
		start = time.Now()
		ws, err = workspace.Open(ctx, dir+"/"+strconv.Itoa(i), opts)
		if err != nil {
			b.Fatal(err)
		}
		open := time.Since(start)
		svc = members.NewService(ws.Store, c, nil)
		start = time.Now()
		if p, err := svc.List(ctx, members.ListQuery{Limit: 200}); err != nil || p.Total != n {
			b.Fatalf("first list: total %d, err %v", p.Total, err)
		}
		firstList := time.Since(start)

		queries := []string{"helene", "dupont", "Lefèvre", "marc mar", "exemple.fr", "benevole", "zoe", "ambassadeur", "12345", "garnier42", "o", "jerome rousseau", "nobody-matches", "e.durand", "lyon"}
		var lat []time.Duration
		for round := 0; round < 20; round++ {
			for qi, q := range queries {
				sort := []members.Sort{members.SortName, members.SortEmail, members.SortCreated, members.SortUpdated}[qi%4]
				start := time.Now()
				if _, err := svc.List(ctx, members.ListQuery{Search: q, Sort: sort, Limit: 200}); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
		}
		slices.Sort(lat)
		rss, peak := memory()
		b.ReportMetric(bulk.Seconds(), "bulk-add-s")
		b.ReportMetric(float64(n)/bulk.Seconds(), "members/s")
		b.ReportMetric(ms(open), "open-ms")
		b.ReportMetric(ms(firstList), "first-list-ms")
		b.ReportMetric(ms(coldList), "cold-first-list-ms")
		b.ReportMetric(ms(lat[len(lat)*50/100]), "search-p50-ms")
		b.ReportMetric(ms(lat[len(lat)*95/100]), "search-p95-ms")
		b.ReportMetric(rss, "rss-MiB")
		b.ReportMetric(peak, "peak-rss-MiB")
		if err := ws.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// memory reads this process's resident and peak resident set size, in MiB (Linux only).
func memory() (rss, peak float64) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}
