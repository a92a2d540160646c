package analytics

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"hearth/backend/members"
)

// A member's standing, computed from their own records for their drawer, says the level the
// dashboard and the reports give them (MemberLevels over the whole index), and its score and
// active days are the plain sums over the window: each activity's weight, each distinct day.
func TestAMembersStandingAgreesWithTheLevelsOfTheWholeIndex(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	twoYears(t, f)
	ctx := context.Background()
	page, err := f.members.List(ctx, members.ListQuery{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, now := range []time.Time{
		time.Date(2024, 3, 5, 18, 0, 0, 0, paris), time.Date(2024, 12, 31, 23, 30, 0, 0, paris),
		time.Date(2025, 6, 1, 8, 0, 0, 0, paris), time.Date(2026, 3, 31, 12, 0, 0, 0, paris),
	} {
		levels, err := f.svc.MemberLevels(ctx, f.svc.Today(now))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range page.Items {
			recs, err := f.activity.ForMember(ctx, m.ID, 100_000)
			if err != nil {
				t.Fatal(err)
			}
			var acts []Act
			score, days := 0.0, map[string]bool{}
			today := now.In(paris)
			from := time.Date(today.Year(), today.Month(), today.Day()-fixtureOptions.ScoreWindow+1, 0, 0, 0, 0, paris)
			to := time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, paris)
			for _, r := range recs {
				acts = append(acts, Act{At: r.At, Kind: r.Kind})
				if !r.At.Before(from) && r.At.Before(to) {
					score += DefaultWeights[string(r.Kind)]
					days[r.At.In(paris).Format(time.DateOnly)] = true
				}
			}
			st, err := f.svc.StandingOf(ctx, m.Tags, acts, now)
			if err != nil {
				t.Fatal(err)
			}
			// The index leaves out teammates, and members who had not joined yet on that day
			// (their standing is then the lowest level, with nothing in the window).
			want, listed := levels[m.ID]
			counted := !slices.Contains(m.Tags, "équipe")
			if !listed {
				want = Levels
			}
			if listed && !counted || !listed && counted && score != 0 {
				t.Fatalf("%s on %s: the fixture is not what this test expects", m.Name, now.Format(time.DateOnly))
			}
			if st.Counted != counted || st.Level != want || st.LevelName != LevelNames[want] {
				t.Errorf("%s on %s: standing %+v; the index says level %d (counted %v)", m.Name, now.Format(time.DateOnly), st, levels[m.ID], counted)
			}
			if math.Abs(st.Score-score) > 1e-9 || st.ActiveDays != len(days) {
				t.Errorf("%s on %s: score %v on %d days, want %v on %d", m.Name, now.Format(time.DateOnly), st.Score, st.ActiveDays, score, len(days))
			}
			if counted && st.Level > 1 && (st.Next == nil || st.Next.Level != st.Level-1) {
				t.Errorf("%s on %s: level %d, next %+v", m.Name, now.Format(time.DateOnly), st.Level, st.Next)
			}
		}
	}
}
