package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/members"
	"hearth/backend/store"
)

// twoYears is a community active from January 2024 to March 2026: members with and without
// a member-since date, one teammate, joins, and activity of every kind on random days.
func twoYears(t *testing.T, f *fixture) {
	t.Helper()
	rng := rand.New(rand.NewPCG(13, 2026))
	var who []string
	for i := range 12 {
		in := members.CreateInput{Name: fmt.Sprint("Member ", i), Emails: []string{fmt.Sprintf("m%d@example.org", i)}}
		switch i % 4 {
		case 1:
			in.CustomFields = map[string]string{"member_since": fmt.Sprintf("202%d-0%d-15", 4+i%3, 1+i%9)}
		case 2:
			in.Tags = []string{"équipe"}
		}
		f.member(t, in)
		who = append(who, in.Emails[0])
	}
	start := time.Date(2024, 1, 1, 12, 0, 0, 0, paris)
	kinds := []string{"post", "reply", "message", "reaction", "join", "follow", "mention", "event", "goal"}
	var evs []event
	for i := range 600 {
		// The later members arrive later, so that cohorts and new members change over time.
		w := rng.IntN(len(who))
		day := w*50 + rng.IntN(820-w*50)
		at := start.AddDate(0, 0, day).Add(time.Duration(i) * time.Minute)
		evs = append(evs, event{who[w], kinds[rng.IntN(len(kinds))], at.Format(time.RFC3339), fmt.Sprint("channel-", rng.IntN(3))})
	}
	// One who was active at the end of 2024 only, and churned after.
	f.member(t, members.CreateInput{Name: "Gone", Emails: []string{"gone@example.org"}})
	for _, at := range []string{"2024-10-03T10:00:00+02:00", "2024-11-20T10:00:00+01:00", "2024-12-01T10:00:00+01:00"} {
		evs = append(evs, event{"gone@example.org", "message", at, "channel-0"})
	}
	f.addLive(t, evs)
}

// windowRanges are a recent range, then ranges reaching ever further back.
var windowRanges = []Range{
	{From: time.Date(2026, 3, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 1, 0, 0, 0, 0, paris)},
	{From: time.Date(2025, 9, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 3, 1, 0, 0, 0, 0, paris)}, // its previous period churns
	{From: time.Date(2025, 10, 1, 0, 0, 0, 0, paris), To: time.Date(2025, 11, 15, 0, 0, 0, 0, paris)},
	{From: time.Date(2024, 2, 10, 0, 0, 0, 0, paris), To: time.Date(2024, 3, 1, 0, 0, 0, 0, paris)},
	{From: time.Date(2024, 1, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 1, 0, 0, 0, 0, paris)},
}

// rangeAnswers are the KPIs, funnel, levels and members behind each metric of r.
func rangeAnswers(t *testing.T, f *fixture, r Range) string {
	t.Helper()
	ctx := context.Background()
	k, err := f.svc.KPIs(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	fu, err := f.svc.Funnel(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	lv, err := f.svc.MemberLevels(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal([]any{k, fu, lv})
	if err != nil {
		t.Fatal(err)
	}
	out := string(b) + "\n"
	for _, m := range Metrics {
		ids, err := f.svc.MembersBehind(ctx, r, m, 0)
		if err != nil {
			t.Fatal(err)
		}
		out += fmt.Sprintln(m, ids)
	}
	return out
}

// newProcess closes the workspace and opens it as a process killed before saving its index.
func (f *fixture) newProcess(t *testing.T) {
	t.Helper()
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(f.dir, "cache")); err != nil {
		t.Fatal(err)
	}
	f.open(t)
}

func TestARecentRangeReadsOnlyTheMonthsItNeedsAndOlderRangesAnswerAsAFullLoad(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	twoYears(t, f)
	if err := f.svc.ensure(context.Background()); err != nil { // every day
		t.Fatal(err)
	}
	var want []string
	for _, r := range windowRanges {
		want = append(want, rangeAnswers(t, f, r))
	}

	f.newProcess(t)
	k := f.kpis(t, windowRanges[0].From, windowRanges[0].To)
	if k.Activities == 0 {
		t.Fatal("no activity in the recent range")
	}
	f.svc.mu.RLock()
	lo := f.svc.idx.lo
	f.svc.mu.RUnlock()
	if lo <= civil(2024, 6, 1) {
		t.Errorf("the KPIs of March 2026 read the days from %s on", dayString(lo))
	}
	for i, r := range windowRanges {
		if got := rangeAnswers(t, f, r); got != want[i] {
			t.Errorf("range %d, after the more recent ones:\n got %s\nwant %s", i, got, want[i])
		}
	}
}

func TestActivityWrittenBeforeTheDaysReadCountsWhenTheyAreRead(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	twoYears(t, f)
	f.newProcess(t)
	f.kpis(t, windowRanges[0].From, windowRanges[0].To)
	// A member never active before writes on a day before the window, then a range over it.
	f.member(t, members.CreateInput{Name: "Late", Emails: []string{"late@example.org"}})
	at := time.Date(2024, 2, 20, 10, 0, 0, 0, paris)
	if _, err := f.activity.AddManual(context.Background(), []activity.ManualInput{
		{Member: "late@example.org", Kind: activity.Post, At: at, Channel: "forum", Title: "Atelier compostage samedi"},
		{Member: "m3@example.org", Kind: activity.Reply, At: at, Channel: "forum", Text: "Super atelier compostage, merci !"},
	}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range windowRanges {
		got = append(got, rangeAnswers(t, f, r))
	}
	f.newProcess(t)
	if err := f.svc.ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, r := range windowRanges {
		if want := rangeAnswers(t, f, r); got[i] != want {
			t.Errorf("range %d:\n got %s\nwant (every day read) %s", i, got[i], want)
		}
	}
	checkCounters(t, f, "after writing before the window")
}

func TestWordsAboutNobodyWrittenBeforeTheDaysReadCountWhenTheyAreRead(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	twoYears(t, f)
	f.newProcess(t)
	f.kpis(t, windowRanges[0].From, windowRanges[0].To)
	at := time.Date(2024, 2, 20, 10, 0, 0, 0, paris)
	// Articles about nobody (a feed's), before the window and in it.
	var articles []activity.Change
	for i, at := range []time.Time{at, time.Date(2026, 3, 20, 10, 0, 0, 0, paris)} {
		articles = append(articles, activity.Change{Delta: 1, Record: activity.Record{ID: fmt.Sprint("feed-", i), Connection: "feed",
			Platform: "rss", Kind: activity.Article, At: at, Channel: "news", Title: "Atelier compostage au jardin"}})
	}
	f.svc.Begin()
	err := f.st.Update(context.Background(), func(tx *store.Tx) error { return f.svc.Apply(tx, articles) })
	f.svc.End(articles)
	if err != nil {
		t.Fatal(err)
	}
	words := func() [2]int32 {
		f.svc.mu.RLock()
		defer f.svc.mu.RUnlock()
		return [2]int32{f.svc.idx.words[civil(2024, 2, 20)]["compostage"], f.svc.idx.words[civil(2026, 3, 20)]["compostage"]}
	}
	if err := f.svc.ensure(context.Background()); err != nil { // reaches back to February 2024
		t.Fatal(err)
	}
	if got := words(); got != [2]int32{1, 1} {
		t.Errorf("compostage on 20 February 2024 and 20 March 2026: %v, want [1 1]", got)
	}
	f.newProcess(t)
	if err := f.svc.ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := words(); got != [2]int32{1, 1} {
		t.Errorf("read by a new process: %v, want [1 1]", got)
	}
}
