package wiring

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/timeline"
)

// A member's story gathers every kind of record about them, newest first, pages through it
// without a gap or a repeat, filters by kind and platform, and says where they stand.
func TestAMembersTimelineTellsEveryKindOfRecordNewestFirstInPages(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	b, m := w.b, w.m

	whole, err := b.Timeline.Of(ctx, m, timeline.Query{Limit: timeline.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	count := map[timeline.Kind]int{}
	for i, e := range whole.Entries {
		count[e.Kind]++
		if i > 0 && e.At.After(whole.Entries[i-1].At) {
			t.Fatalf("entry %d (%s %s at %s) is newer than the one before it", i, e.Kind, e.What, e.At)
		}
	}
	// 3 posts and a question; the newsletter consent; the automation's e-mail and the newsletter; the tasks
	// about them (one written by hand, one first about nobody, one the automation made); the
	// automation's two steps; and what the log recorded about them.
	want := map[timeline.Kind]int{timeline.Activity: 3, timeline.Question: 1, timeline.Consent: 1, timeline.Mail: 2, timeline.Task: 3, timeline.Automation: 2}
	for k, n := range want {
		if count[k] != n {
			t.Errorf("%d %s entries, want %d (all: %v)", count[k], k, n, count)
		}
	}
	if count[timeline.Log] == 0 || whole.Total != len(whole.Entries) || whole.Next != "" {
		t.Errorf("log entries %d, total %d of %d, next %q", count[timeline.Log], whole.Total, len(whole.Entries), whole.Next)
	}
	mails := filterKind(whole.Entries, timeline.Mail)
	if !slices.ContainsFunc(mails, func(e timeline.Entry) bool { return e.Title == "Lettre de mars" && e.What == "sent" }) {
		t.Errorf("the newsletter is not in the story as sent: %+v", mails)
	}
	if c := filterKind(whole.Entries, timeline.Consent); len(c) == 0 || c[0].What != "granted" || c[0].Title != "newsletter" {
		t.Errorf("consent entries: %+v", c)
	}

	// Pages of three: the same entries in the same order, each once.
	var paged []timeline.Entry
	after := ""
	for range 100 {
		p, err := b.Timeline.Of(ctx, m, timeline.Query{Limit: 3, After: after})
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, p.Entries...)
		if after = p.Next; after == "" {
			break
		}
	}
	if !slices.EqualFunc(paged, whole.Entries, func(a, b timeline.Entry) bool { return a.Kind == b.Kind && a.ID == b.ID && a.At.Equal(b.At) }) {
		t.Fatalf("paging gave %d entries, the whole story has %d, or in another order", len(paged), len(whole.Entries))
	}

	// Filters.
	only, err := b.Timeline.Of(ctx, m, timeline.Query{Kinds: []timeline.Kind{timeline.Consent, timeline.Task}})
	if err != nil {
		t.Fatal(err)
	}
	if only.Total != 4 || len(filterKind(only.Entries, timeline.Consent))+len(filterKind(only.Entries, timeline.Task)) != 4 {
		t.Errorf("consent and tasks only: %+v", only.Entries)
	}
	manual, err := b.Timeline.Of(ctx, m, timeline.Query{Platform: string(activity.Manual.Platform)})
	if err != nil {
		t.Fatal(err)
	}
	if manual.Total != 4 || len(filterKind(manual.Entries, timeline.Activity)) != 3 || len(filterKind(manual.Entries, timeline.Question)) != 1 {
		t.Errorf("the activity entered by hand: %+v", manual.Entries)
	}
	none, err := b.Timeline.Of(ctx, m, timeline.Query{Platform: "discord"})
	if err != nil || none.Total != 0 || len(none.Entries) != 0 {
		t.Errorf("no activity on Discord: %+v %v", none, err)
	}

	// Where they stand: four posts on one day weigh 12, on 1 day of the last 90: participants,
	// and contributors ask 12 over at least 4 days.
	s := whole.Summary
	if s.Activities != 4 || s.ByPlatform["manual"] != 4 || s.FirstActivity == nil || s.LastActivity == nil ||
		!s.LastActivity.Equal(s.FirstActivity.Add(60*60*1e9)) {
		t.Errorf("summary: %+v", s)
	}
	if s.Level != 3 || s.LevelName != "participants" || !s.Counted || s.Score != 12 || s.ActiveDays != 1 || s.WindowDays != 90 ||
		s.Next == nil || s.Next.Level != 2 || s.Next.MinScore != 12 || s.Next.ActiveDays != 4 {
		t.Errorf("standing: %+v next %+v", s.Standing, s.Next)
	}

	if _, err := b.Timeline.Of(ctx, m, timeline.Query{After: "not a cursor"}); errs.From(err).Code != "timeline_bad_cursor" {
		t.Errorf("a damaged cursor: %v", err)
	}
	if _, err := b.Timeline.Of(ctx, m, timeline.Query{Kinds: []timeline.Kind{"gossip"}}); !errors.Is(err, errs.Invalid) {
		t.Errorf("an unknown kind: %v", err)
	}
}

func filterKind(es []timeline.Entry, k timeline.Kind) []timeline.Entry {
	return slices.DeleteFunc(slices.Clone(es), func(e timeline.Entry) bool { return e.Kind != k })
}

// A story tells the questions a member asked and those of others they answered apart from
// their other posts, and a merge of another record of the person (and its undoing) as a merge,
// naming the other record, rather than as an edit; each is a filter of its own.
func TestAStoryTellsQuestionsAskedAndAnsweredAndMergesApart(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	b, m := w.b, w.m
	story := func(id string, q timeline.Query) []timeline.Entry {
		t.Helper()
		mem, err := b.Members.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		q.Limit = timeline.MaxLimit
		p, err := b.Timeline.Of(ctx, mem, q)
		if err != nil {
			t.Fatal(err)
		}
		return p.Entries
	}
	asked := story(m.ID, timeline.Query{Kinds: []timeline.Kind{timeline.Question}})
	if len(asked) != 1 || asked[0].Text != person.question || asked[0].What != "post" || asked[0].Platform != "manual" {
		t.Fatalf("questions asked: %+v", asked)
	}
	yann, err := b.Members.FindID(ctx, "yann@example.org")
	if err != nil {
		t.Fatal(err)
	}
	answered := story(yann, timeline.Query{Kinds: []timeline.Kind{timeline.Answer}})
	if len(answered) != 1 || answered[0].Text != "Oui" || answered[0].What != "reply" {
		t.Fatalf("questions answered: %+v", answered)
	}
	if acts := story(yann, timeline.Query{Kinds: []timeline.Kind{timeline.Activity}}); len(acts) != 0 {
		t.Fatalf("the answer is also told as another activity: %+v", acts)
	}
	if on := story(yann, timeline.Query{Platform: "manual"}); len(on) != 1 || on[0].Kind != timeline.Answer {
		t.Fatalf("the answer on its platform: %+v", on)
	}

	twin, err := b.Members.Create(ctx, members.CreateInput{Name: "Maëlenn Q.", Emails: []string{"maelenn.bis@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	w.clk.Advance(time.Minute)
	if _, err := b.Members.MergePeople(ctx, m.ID, twin.ID, members.PeopleMergeOptions{}); err != nil {
		t.Fatal(err)
	}
	merges := story(m.ID, timeline.Query{Kinds: []timeline.Kind{timeline.Merge}})
	if len(merges) != 1 || merges[0].What != "merged" || merges[0].Params["other"] != twin.ID || merges[0].Params["name"] != "Maëlenn Q." {
		t.Fatalf("the merge in the story: %+v", merges)
	}
	for _, e := range story(m.ID, timeline.Query{Kinds: []timeline.Kind{timeline.Log}}) {
		if e.Params["merged"] != "" {
			t.Fatalf("the merge is also told as a log entry: %+v", e)
		}
	}
	w.clk.Advance(time.Minute)
	if _, err := b.Members.UnmergePeople(ctx, m.ID); err != nil {
		t.Fatal(err)
	}
	merges = story(m.ID, timeline.Query{Kinds: []timeline.Kind{timeline.Merge}})
	if len(merges) != 2 || merges[0].What != "unmerged" || merges[0].Params["name"] != "Maëlenn Q." || merges[1].What != "merged" {
		t.Fatalf("the merge and its undoing in the story: %+v", merges)
	}
	back := story(twin.ID, timeline.Query{Kinds: []timeline.Kind{timeline.Merge}})
	if len(back) != 1 || back[0].What != "unmerged" || back[0].Params["name"] != person.name {
		t.Fatalf("the undoing in the other record's story: %+v", back)
	}
}
