package members_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/members"
	"hearth/backend/schema"
	"hearth/backend/textfold"
	"hearth/backend/workspace"
)

// BenchmarkSuggestMerges100k times merge suggestions over 100,000 members (HEARTH_BENCH_MEMBERS
// to change it), each with an e-mail and a handle on Discourse, Discord and Mastodon; one
// person in a hundred is also a second member, seen on the three platforms under the same
// handle without an e-mail. Adding the members is not timed. It reports the time of one
// SuggestMerges (wall and CPU: the machine may be shared), what it allocated, the heap it held at its peak (sampled), and how many
// suggestions it made. Run with -benchtime 1x.
func BenchmarkSuggestMerges100k(b *testing.B) {
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
	defer func() { _ = ws.Close() }()
	svc := members.NewService(ws.Store, c, nil)
	ins := generated(n)
	dups := 0
	for i := range ins {
		stem := fmt.Sprintf("%s%d", textfold.Fold(ins[i].Name[:3]), i)
		ins[i].Handles = []members.Handle{{Platform: "discourse", Handle: stem}, {Platform: "discord", Handle: stem + "#42"},
			{Platform: "mastodon", Handle: stem + "@piaille.example"}}
		if i%100 == 99 { // the same person again, without an e-mail, on the same three platforms
			twin := i - 1
			ins[i].Emails = nil
			ins[i].Name = ins[twin].Name
			ins[i].Handles = []members.Handle{{Platform: "discourse", Handle: "x" + stem}, {Platform: "discord", Handle: ins[twin].Handles[0].Handle},
				{Platform: "other", Handle: "y" + stem}}
			ins[twin].Handles[1].Handle = "z" + stem // so the twin's Discord handle is free
			dups++
		}
	}
	if _, err := svc.CreateMany(ctx, ins, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		peak := uint64(0)
		done := make(chan struct{})
		go func() { // sample the live heap while suggestions are computed
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-done:
					return
				case <-t.C:
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					peak = max(peak, m.HeapInuse)
				}
			}
		}()
		cpu0 := cpuTime()
		start := time.Now()
		got, err := svc.SuggestMerges(ctx)
		took := time.Since(start)
		cpu := cpuTime() - cpu0
		close(done)
		if err != nil {
			b.Fatal(err)
		}
		if len(got) != dups {
			b.Fatalf("%d suggestions, want %d", len(got), dups)
		}
		b.ReportMetric(ms(took), "suggest-ms")
		b.ReportMetric(ms(cpu), "suggest-cpu-ms")
		b.ReportMetric(float64(peak-min(peak, before.HeapInuse))/(1<<20), "peak-heap-growth-MiB")
		b.ReportMetric(float64(len(got)), "suggestions")
	}
}

// cpuTime is the CPU time this process used so far (user and system), so that a benchmark on a
// shared machine says how much work it did beside how long it waited.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
