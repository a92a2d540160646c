package app

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/credentials"
	"hearth/backend/members"
	"hearth/backend/wiring"
)

// seedDashboard stores a small community: members imported with a member-since date, one
// whose activity predates their record, a teammate, a question and its answer, a member
// gone quiet, and a deleted member whose activity stays in the counters. It returns the
// first and last days with activity.
func seedDashboard(t *testing.T, b *wiring.Backend) (first, last time.Time) {
	t.Helper()
	ctx := windowCtx()
	now := time.Now()
	day := func(daysAgo int) time.Time {
		y, m, d := now.AddDate(0, 0, -daysAgo).Date()
		return time.Date(y, m, d, 12, 0, 0, 0, time.Local)
	}
	var ins []activity.ManualInput
	for i := range 30 {
		in := members.CreateInput{Name: fmt.Sprintf("Member %02d", i), Emails: []string{fmt.Sprintf("m%02d@example.org", i)}}
		switch {
		case i%3 == 0:
			in.CustomFields = map[string]string{"member_since": day(200 - i).Format(time.DateOnly)}
		case i == 1:
			in.Tags = []string{"team"}
		}
		m, err := b.Members.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		// Activity older than the record (imported history) and steady posting for some.
		ins = append(ins, activity.ManualInput{Member: m.ID, Kind: activity.Join, At: day(150 - i)})
		for d := 0; d < 120; d += 1 + i%7 {
			ins = append(ins, activity.ManualInput{Member: m.ID, Kind: activity.Post, At: day(140 - d - i%5)})
		}
		if i%4 == 0 {
			ins = append(ins, activity.ManualInput{Member: m.ID, Kind: activity.Event, At: day(10 + i)})
		}
		if i == 5 {
			ins = append(ins, activity.ManualInput{Member: m.ID, Kind: activity.Goal, At: day(3)})
		}
	}
	// A question and its answer.
	ins = append(ins,
		activity.ManualInput{Member: "m02@example.org", Kind: activity.Post, At: day(6), ID: "q1", Title: "How do I install it?", Text: "How do I install it?"},
		activity.ManualInput{Member: "m04@example.org", Kind: activity.Reply, At: day(5), ID: "a1", Thread: "q1", Text: "Like this."},
	)
	if _, err := b.Activity.AddManual(ctx, ins); err != nil {
		t.Fatal(err)
	}
	// Deleted after their activity was counted.
	gone, err := b.Members.Find(ctx, "m07@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Members.Delete(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	return day(260), day(0)
}

func TestMembersBehindAnswersEveryMetricForRangesBeforeDuringAndAfterTheActivity(t *testing.T) {
	b := openTestBackend(t)
	first, last := seedDashboard(t, b)
	s := dashboardOf(b)
	ranges := [][2]string{
		{first.AddDate(-2, 0, 0).Format(time.DateOnly), first.AddDate(-1, 0, 0).Format(time.DateOnly)}, // before anything
		{first.Format(time.DateOnly), last.Format(time.DateOnly)},                                      // all of it
		{last.AddDate(0, 0, -29).Format(time.DateOnly), last.Format(time.DateOnly)},                    // the last 30 days
		{last.AddDate(0, 0, -89).Format(time.DateOnly), last.AddDate(0, 0, -60).Format(time.DateOnly)}, // inside
		{last.AddDate(0, 0, 1).Format(time.DateOnly), last.AddDate(0, 0, 1).Format(time.DateOnly)},     // tomorrow
	}
	for _, r := range ranges {
		for _, metric := range analytics.Metrics {
			t.Run(r[0]+"_"+r[1]+"_"+metric, func(t *testing.T) {
				got, err := s.MembersBehind(r[0], r[1], metric, "", 0)
				if err != nil {
					t.Fatal(err)
				}
				if got == nil {
					t.Fatal("nil list: the window expects []")
				}
				seen := map[string]bool{}
				for _, m := range got {
					if seen[m.ID] {
						t.Fatalf("%s listed twice", m.Name)
					}
					seen[m.ID] = true
				}
			})
		}
	}
}

func TestMembersBehindAnswersWhileTheAnalyticsWarmUp(t *testing.T) {
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	b, err := wiring.Open(windowCtx(), wiring.Options{Dir: dir, Secrets: secrets})
	if err != nil {
		t.Fatal(err)
	}
	first, last := seedDashboard(t, b)
	from, to := first.Format(time.DateOnly), last.Format(time.DateOnly)
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	// A fresh backend over the same workspace each round: nothing loaded yet, as when the
	// window opens and main.go warms the analytics in the background.
	for round := range 3 {
		b2, err := wiring.Open(windowCtx(), wiring.Options{Dir: dir, Secrets: secrets})
		if err != nil {
			t.Fatal(err)
		}
		s := dashboardOf(b2)
		var wg sync.WaitGroup
		wg.Go(func() {
			if err := b2.Analytics.Warm(windowCtx()); err != nil {
				t.Error(err)
			}
		})
		for _, metric := range analytics.Metrics {
			wg.Go(func() {
				if _, err := s.MembersBehind(from, to, metric, "", 50); err != nil {
					t.Errorf("round %d, %s: %v", round, metric, err)
				}
			})
			wg.Go(func() {
				if _, err := s.Stats(from, to, ""); err != nil {
					t.Errorf("round %d, stats: %v", round, err)
				}
			})
		}
		// New activity while they read: the hook updates the index under their feet.
		wg.Go(func() {
			_, err := b2.Activity.AddManual(windowCtx(), []activity.ManualInput{{Member: "m03@example.org", Kind: activity.Reply, At: last.Add(-time.Duration(round+1) * time.Minute)}})
			if err != nil {
				t.Error(err)
			}
		})
		wg.Wait()
		if err := b2.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
