package discourse

import (
	"context"
	"runtime"
	"testing"

	"hearth/backend/activity"
	"hearth/sync/discourse/discoursetest"
)

// countingSink counts what a pull reports without keeping it.
type countingSink struct{ people, items int }

func (s *countingSink) People(_ context.Context, p []activity.Person) error {
	s.people += len(p)
	return nil
}

func (s *countingSink) Activities(_ context.Context, items []activity.Incoming) error {
	s.items += len(items)
	return nil
}

func (s *countingSink) Cursor(context.Context, string) error { return nil }

// BenchmarkPullGeneratedForum pulls 100,000 members and 1,000,000 posts from the fake with no
// pacing: one full first pull per iteration.
func BenchmarkPullGeneratedForum(b *testing.B) {
	fake, base := discoursetest.Start(b, discoursetest.Options{APIKey: testKey, NoRecord: true})
	fake.Generate(100_000, 1_000_000)
	c := newClient(b, base)
	b.ResetTimer()
	for b.Loop() {
		s := &countingSink{}
		if _, err := c.Pull(context.Background(), "", s); err != nil {
			b.Fatal(err)
		}
		if s.people != 100_001 || s.items != 100_001+1_000_000 {
			b.Fatalf("pulled %d people, %d items", s.people, s.items)
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapSys)/(1<<20), "MiB-heap-sys")
}
