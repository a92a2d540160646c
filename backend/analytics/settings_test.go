package analytics

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
)

// january is January 2026 in Paris: levels are counted when it ends.
func january() Range {
	return Range{From: time.Date(2026, 1, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 2, 1, 0, 0, 0, 0, paris)}
}

// levelCounts are the members per level of KPIs(r), by level number.
func levelCounts(t *testing.T, f *fixture, r Range) [Levels + 1]int {
	t.Helper()
	var out [Levels + 1]int
	for _, l := range f.kpis(t, r.From, r.To).Levels {
		out[l.Level] = l.Members
	}
	return out
}

func memberLevels(t *testing.T, f *fixture, r Range) map[string]int {
	t.Helper()
	lv, err := f.svc.MemberLevels(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	return lv
}

func TestSavingLevelSettingsChangesLevelsAtOnceAndSurvivesARestart(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ctx := context.Background()
	ann := f.member(t, members.CreateInput{Name: "Ann", Emails: []string{"ann@example.org"}})
	bob := f.member(t, members.CreateInput{Name: "Bob", Emails: []string{"bob@example.org"}, Tags: []string{"Staff"}})
	// Five posts on five days each: 15 points on 5 days by the default weights, a
	// Contributor (12 on 4) but not an Ambassador (40 on 10).
	for _, who := range []string{"ann@example.org", "bob@example.org"} {
		for d := 5; d < 10; d++ {
			f.add(t, event{who, "post", time.Date(2026, 1, d, 10, 0, 0, 0, time.UTC).Format(time.RFC3339), ""})
		}
	}
	r := january()
	if got := levelCounts(t, f, r); got != [Levels + 1]int{0, 0, 2, 0, 0} {
		t.Fatalf("levels with the defaults = %v, want both contributors", got)
	}

	set, err := f.svc.LevelSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !sameSettings(set, f.svc.LevelDefaults()) || set.ScoreWindowDays != 90 || set.Weights["post"] != 3 {
		t.Fatalf("settings never saved = %+v, want the defaults", set)
	}
	// A post now weighs 10 (50 points), an Ambassador needs 45 points on 5 days, and "staff"
	// marks teammates.
	set.Weights["post"] = 10
	set.Milestones[0] = Milestone{MinScore: 45, ActiveDays: 5}
	set.TeamTags = []string{" staff ", "STAFF", ""}
	saved, err := f.svc.SaveLevelSettings(ctx, set)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(saved.TeamTags, []string{"staff"}) || saved.Milestones[0].Level != 1 {
		t.Fatalf("saved = %+v, want tags cleaned and levels numbered", saved)
	}
	if got := levelCounts(t, f, r); got != [Levels + 1]int{0, 1, 0, 0, 0} {
		t.Fatalf("levels after saving = %v, want Ann an ambassador and Bob left out", got)
	}
	lv := memberLevels(t, f, r)
	if lv[ann.ID] != 1 || lv[bob.ID] != 0 || len(lv) != 1 {
		t.Fatalf("member levels = %v, want only Ann at 1", lv)
	}

	f.reopen(t)
	if got := levelCounts(t, f, r); got != [Levels + 1]int{0, 1, 0, 0, 0} {
		t.Fatalf("levels after a restart = %v, want the saved settings in force", got)
	}
	if got, _ := f.svc.LevelSettings(ctx); got.Weights["post"] != 10 {
		t.Fatalf("settings after a restart = %+v", got)
	}

	if _, err := f.svc.ResetLevelSettings(ctx); err != nil {
		t.Fatal(err)
	}
	if got := levelCounts(t, f, r); got != [Levels + 1]int{0, 0, 2, 0, 0} {
		t.Fatalf("levels after restoring the defaults = %v", got)
	}
}

// sameSettings reports whether a and b are the same settings.
func sameSettings(a, b LevelSettings) bool {
	return a.ScoreWindowDays == b.ScoreWindowDays && slices.Equal(a.Milestones, b.Milestones) &&
		slices.Equal(a.TeamTags, b.TeamTags) && slices.Equal(a.GoalTags, b.GoalTags) && len(a.Weights) == len(b.Weights) &&
		func() bool {
			for k, v := range a.Weights {
				if b.Weights[k] != v {
					return false
				}
			}
			return true
		}()
}

func TestInvalidLevelSettingsAreRefusedNamingTheFieldsAndNothingIsSaved(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ctx := context.Background()
	longTag := strings.Repeat("é", MaxTagLength+1)
	cases := []struct {
		name   string
		change func(*LevelSettings)
		field  string
		code   string
	}{
		{"a weight that is not a number", func(s *LevelSettings) { s.Weights["post"] = math.NaN() }, "weights.post", "number"},
		{"a negative weight", func(s *LevelSettings) { s.Weights["reply"] = -1 }, "weights.reply", "min"},
		{"a weight over 100", func(s *LevelSettings) { s.Weights["reply"] = 101 }, "weights.reply", "max"},
		{"an unknown kind", func(s *LevelSettings) { s.Weights["dance"] = 1 }, "weights.dance", "kind"},
		{"a negative score", func(s *LevelSettings) { s.Milestones[1].MinScore = -2 }, "milestones[1].minScore", "min"},
		{"no active day", func(s *LevelSettings) { s.Milestones[2].ActiveDays = 0 }, "milestones[2].activeDays", "min"},
		{"more days than the window", func(s *LevelSettings) { s.Milestones[0].ActiveDays = 91 }, "milestones[0].activeDays", "max"},
		{"level 1 easier than 2 in score", func(s *LevelSettings) { s.Milestones[0].MinScore = 10 }, "milestones[0].minScore", "milestone_order"},
		{"level 2 easier than 3 in days", func(s *LevelSettings) { s.Milestones[2].ActiveDays = 5 }, "milestones[1].activeDays", "milestone_order"},
		{"two levels alike", func(s *LevelSettings) { s.Milestones[1] = s.Milestones[0] }, "milestones[0].minScore", "milestone_same"},
		{"two milestones", func(s *LevelSettings) { s.Milestones = s.Milestones[:2] }, "milestones", "len"},
		{"a window too short", func(s *LevelSettings) { s.ScoreWindowDays = 6 }, "scoreWindowDays", "min"},
		{"a window too long", func(s *LevelSettings) { s.ScoreWindowDays = 366 }, "scoreWindowDays", "max"},
		{"a tag too long", func(s *LevelSettings) { s.GoalTags = []string{"customer", longTag} }, "goalTags[1]", "max"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := f.svc.LevelDefaults()
			c.change(&in)
			_, err := f.svc.SaveLevelSettings(ctx, in)
			e := errs.From(err)
			if errs.KindOf(err) != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != c.field || e.Fields[0].Code != c.code {
				t.Fatalf("error = %v (%+v), want %s %s", err, e.Fields, c.field, c.code)
			}
			err = f.st.View(func(tx *store.Tx) error {
				_, _, err := store.Get(tx, levelSettings, levelsID)
				return err
			})
			if !errors.Is(err, errs.NotFound) {
				t.Fatalf("settings record after a refusal: %v, want none", err)
			}
			if got, _ := f.svc.LevelSettings(ctx); !sameSettings(got, f.svc.LevelDefaults()) {
				t.Fatalf("settings in force = %+v, want the defaults", got)
			}
		})
	}
}

// goals returns a member's goal activities.
func goals(t *testing.T, f *fixture, id string) []activity.Record {
	t.Helper()
	rs, err := f.activity.ForMember(context.Background(), id, 100)
	if err != nil {
		t.Fatal(err)
	}
	return slices.DeleteFunc(rs, func(r activity.Record) bool { return r.Kind != activity.Goal })
}

func (f *fixture) tag(t *testing.T, id string, at time.Time, tags ...string) members.Member {
	t.Helper()
	f.clock.Set(at)
	m, err := f.members.Update(context.Background(), id, members.Patch{Tags: &tags})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestAGoalTagCountsAsOneConversionDatedAtTheEdit(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ctx := context.Background()
	ann := f.member(t, members.CreateInput{Name: "Ann", Emails: []string{"ann@example.org"}})
	bob := f.member(t, members.CreateInput{Name: "Bob", Emails: []string{"bob@example.org"}})
	cid := f.member(t, members.CreateInput{Name: "Cid", Emails: []string{"cid@example.org"}})
	r := Range{From: time.Date(2026, 1, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 1, 0, 0, 0, 0, paris)}
	funnelGoal := func() int {
		t.Helper()
		fu, err := f.svc.Funnel(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return fu.Goal
	}

	// Bob is a client before "client" is a goal tag: he counts from that edit.
	bobAt := f.tag(t, bob.ID, time.Date(2026, 1, 15, 9, 0, 0, 0, time.UTC), "Client").UpdatedAt
	if n := funnelGoal(); n != 0 {
		t.Fatalf("goal before any goal tag = %d", n)
	}
	f.clock.Set(time.Date(2026, 1, 20, 9, 0, 0, 0, time.UTC))
	in := f.svc.LevelDefaults()
	in.GoalTags = []string{"customer", "client"}
	if _, err := f.svc.SaveLevelSettings(ctx, in); err != nil {
		t.Fatal(err)
	}
	annAt := f.tag(t, ann.ID, time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC), "vip", "Customer").UpdatedAt
	if n := funnelGoal(); n != 2 {
		t.Fatalf("goal = %d, want Ann and Bob", n)
	}
	for id, at := range map[string]time.Time{ann.ID: annAt, bob.ID: bobAt} {
		g := goals(t, f, id)
		if len(g) != 1 || !g[0].At.Equal(at) {
			t.Fatalf("goal activities of %s = %+v, want one at %v", id, g, at)
		}
	}

	// Later edits, a second query, removing the tag and a restart add nothing, undo nothing.
	f.tag(t, ann.ID, time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC), "Customer", "renewed")
	f.tag(t, bob.ID, time.Date(2026, 2, 11, 9, 0, 0, 0, time.UTC))
	if n := funnelGoal(); n != 2 {
		t.Fatalf("goal after later edits = %d", n)
	}
	f.reopen(t)
	if n := funnelGoal(); n != 2 {
		t.Fatalf("goal after a restart = %d", n)
	}
	for _, id := range []string{ann.ID, bob.ID} {
		if g := goals(t, f, id); len(g) != 1 {
			t.Fatalf("goal activities of %s after a restart = %+v, want one", id, g)
		}
	}
	cidAt := f.tag(t, cid.ID, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), "customer").UpdatedAt
	k := f.kpis(t, r.From, r.To)
	if k.ActivitiesByKind["goal"] != 3 {
		t.Fatalf("goal activities in KPIs = %d, want 3", k.ActivitiesByKind["goal"])
	}
	if g := goals(t, f, cid.ID); len(g) != 1 || !g[0].At.Equal(cidAt) {
		t.Fatalf("goal activities of Cid = %+v, want one at %v", g, cidAt)
	}

	// Erasing a member takes their conversion with them.
	if err := f.gdpr.Erase(ctx, ann.ID, "ann@example.org"); err != nil {
		t.Fatal(err)
	}
	if n := funnelGoal(); n != 2 {
		t.Fatalf("goal after erasing Ann = %d, want Bob and Cid", n)
	}
	err := f.st.View(func(tx *store.Tx) error {
		_, _, err := store.Get(tx, goalMarks, ann.ID)
		return err
	})
	if !errors.Is(err, errs.NotFound) {
		t.Fatalf("Ann's goal mark after her erasure: %v, want none", err)
	}
}

func TestLevelSettingsCanChangeWhileKPIsAreComputed(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ctx := context.Background()
	f.member(t, members.CreateInput{Name: "Ann", Emails: []string{"ann@example.org"}})
	f.add(t, event{"ann@example.org", "post", "2026-01-05T10:00:00Z", ""})
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for range 20 {
				if i%2 == 0 {
					in := f.svc.LevelDefaults()
					in.Weights["post"] = float64(i)
					in.TeamTags = []string{"team", "x"}[:1+i%2]
					if _, err := f.svc.SaveLevelSettings(ctx, in); err != nil {
						t.Error(err)
					}
				} else if _, err := f.svc.KPIs(ctx, january()); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
}
