package discord_test

import (
	"context"
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/connections"
	"hearth/sync/connector"
	"hearth/sync/discord"
	"hearth/sync/discord/discordtest"
)

// countSink counts what a pull brings in, keeping nothing.
type countSink struct{ people, acts, cursors atomic.Int64 }

func (s *countSink) People(_ context.Context, p []activity.Person) error {
	s.people.Add(int64(len(p)))
	return nil
}

func (s *countSink) Activities(_ context.Context, a []activity.Incoming) error {
	s.acts.Add(int64(len(a)))
	return nil
}

func (s *countSink) Cursor(context.Context, string) error {
	s.cursors.Add(1)
	return nil
}

// BenchmarkPull100kMembers1MMessages pulls 100,000 members and 1,000,000 messages from the fake
// (no rate limit) into a sink that only counts, and reports items per second and the peak heap.
func BenchmarkPull100kMembers1MMessages(b *testing.B) {
	const people, messages = 100_000, 1_000_000
	srv, url := discordtest.Start(b, discordtest.Options{NoRecord: true})
	srv.Generate(people, messages)
	s := connections.Settings{Channel: discordtest.DefaultChannelID, Guild: discordtest.DefaultGuildID, APIURL: url}
	var peak atomic.Uint64
	var elapsed time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := discord.New(connector.Config{Connection: connections.Connection{Settings: s}, Secret: discordtest.DefaultToken,
			HTTP: &http.Client{Timeout: time.Minute}, NoLimit: true})
		if err != nil {
			b.Fatal(err)
		}
		sink := &countSink{}
		runtime.GC()
		stop := sampleHeap(&peak)
		start := time.Now()
		if _, err := c.Pull(context.Background(), "", sink); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		stop()
		if sink.people.Load() != people || sink.acts.Load() != people+messages {
			b.Fatalf("pulled %d people, %d activities", sink.people.Load(), sink.acts.Load())
		}
	}
	b.ReportMetric(float64(b.N*(people+messages))/elapsed.Seconds(), "items/s")
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}

// sampleHeap records the peak heap in use until the returned func is called.
func sampleHeap(peak *atomic.Uint64) func() {
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
