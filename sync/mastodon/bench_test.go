package mastodon_test

import (
	"testing"

	"hearth/sync/mastodon/mastodontest"
)

// BenchmarkPullFollowers pulls 100,000 followers and the first pull's notifications from a fake
// with no rate limit.
func BenchmarkPullFollowers(b *testing.B) {
	c := newClock()
	fake, u := mastodontest.Start(b, mastodontest.Options{Token: token, Now: c.Now, NoRecord: true})
	fake.Generate(100_000, 1_000_000)
	s := setup{fake: fake, url: u, clock: c}
	for b.Loop() {
		out := &sink{}
		if _, err := s.client(b, token).Pull(ctx, "", out); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(out.people)), "people")
		b.ReportMetric(float64(len(out.items)), "activities")
	}
}
