package mailchimp

import (
	"context"
	"net/http"
	"runtime"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/connections"
	"hearth/sync/connector"
	"hearth/sync/mailchimp/mailchimptest"
)

// countSink counts people without keeping them.
type countSink struct{ people int }

func (s *countSink) People(_ context.Context, p []activity.Person) error {
	s.people += len(p)
	return nil
}
func (s *countSink) Activities(context.Context, []activity.Incoming) error { return nil }
func (s *countSink) Cursor(context.Context, string) error                  { return nil }

// BenchmarkPull100kMembers pulls a generated audience of 100,000 members from the fake (100
// pages of 1,000), unthrottled. It reports members per second and the heap in use after the
// pull (fake and client together).
func BenchmarkPull100kMembers(b *testing.B) {
	const n = 100_000
	fake, url := mailchimptest.Start(b, mailchimptest.Options{NoRecord: true})
	fake.Generate(n, 1_000_000)
	c, err := NewClient(connector.Config{Connection: connections.Connection{
		Settings: connections.Settings{ListID: mailchimptest.DefaultList, APIURL: url}},
		Secret: key, HTTP: &http.Client{Timeout: time.Minute}, NoLimit: true})
	if err != nil {
		b.Fatal(err)
	}
	var elapsed time.Duration
	b.ResetTimer()
	for range b.N {
		s := &countSink{}
		start := time.Now()
		if _, err := c.Pull(context.Background(), "", s); err != nil {
			b.Fatal(err)
		}
		elapsed += time.Since(start)
		if s.people != n {
			b.Fatalf("pulled %d people", s.people)
		}
	}
	b.StopTimer()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(n*b.N)/elapsed.Seconds(), "members/s")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
}
