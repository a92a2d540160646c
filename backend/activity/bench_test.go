package activity

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/internal/storetest"
	"hearth/backend/members"
)

// BenchmarkIngest pulls a Discord-like community into an empty workspace the way the sync
// engine does: the guild's people in pages of 1,000, then their messages in pages of 500
// (authors drawn at random, so most pages mix known and new authors), each call durable. It
// reports records/s for the activity, people/s for the people, the peak live heap (as the last
// garbage collection found it) sampled after every page, and the process's peak resident set
// (which includes Badger's memtables and table builders). Defaults: 100,000 people and 200,000 messages; HEARTH_BENCH_PEOPLE and
// HEARTH_BENCH_ACTIVITY change them (1,000,000 messages is the target). Run it once:
// go test -run '^$' -bench Ingest -benchtime 1x ./backend/activity/
func BenchmarkIngest(b *testing.B) {
	people, msgs := envInt("HEARTH_BENCH_PEOPLE", 100_000), envInt("HEARTH_BENCH_ACTIVITY", 200_000)
	const peoplePage, activityPage = 1000, 500
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		st := storetest.Open(b, b.TempDir(), clock.System{})
		m := members.NewService(st, clock.System{}, nil)
		svc := NewService(st, m, clock.System{}, nil)
		in := svc.Ingest(discord)
		runtime.GC()
		var peak uint64
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		watch := func() {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64())
		}

		start := time.Now()
		page := make([]Person, 0, peoplePage)
		for p := 0; p < people; p++ {
			page = append(page, benchPerson(p))
			if len(page) == peoplePage || p == people-1 {
				if err := in.People(ctx, page); err != nil {
					b.Fatal(err)
				}
				page = page[:0]
				watch()
			}
		}
		peopleTime := time.Since(start)

		r := rand.New(rand.NewPCG(1, 2))
		start = time.Now()
		items := make([]Incoming, 0, activityPage)
		for k := 0; k < msgs; k++ {
			author := benchPerson(r.IntN(people))
			items = append(items, Incoming{
				RemoteID: strconv.Itoa(k), Kind: Message, At: time.Now(), Channel: "general",
				Link:   "https://discord.com/channels/1/2/" + strconv.Itoa(k),
				Text:   "Bonjour à tous, voici le message numéro " + strconv.Itoa(k) + " : " + strings.Repeat("blabla ", r.IntN(20)),
				Author: &Person{RemoteID: author.RemoteID, Handle: author.Handle},
			})
			if len(items) == activityPage || k == msgs-1 {
				if err := in.Activities(ctx, items); err != nil {
					b.Fatal(err)
				}
				items = items[:0]
				watch()
			}
		}
		activityTime := time.Since(start)
		got := in.Counts()
		if got.Activity != msgs || got.Created != people {
			b.Fatalf("counts: %+v", got)
		}
		b.ReportMetric(float64(people)/peopleTime.Seconds(), "people/s")
		b.ReportMetric(float64(msgs)/activityTime.Seconds(), "records/s")
		b.ReportMetric(activityTime.Seconds(), "activity-s")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
		b.ReportMetric(peakRSS(), "peak-rss-MiB")
	}
}

func benchPerson(i int) Person {
	return Person{RemoteID: strconv.Itoa(1_000_000 + i), Handle: fmt.Sprintf("membre_%06d", i), Name: fmt.Sprintf("Membre n°%d", i)}
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// peakRSS reads this process's peak resident set size in MiB (Linux only; 0 elsewhere).
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
