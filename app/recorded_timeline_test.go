package app

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/tasks"
	"hearth/backend/timeline"
	"hearth/backend/wiring"
)

// timelinePage is how many entries the member drawer's story asks for at a time
// (frontend/src/features/members/MemberStory.tsx).
const timelinePage = 20

// TestRecordAnswersForTheWindowFakeTimeline records the member drawer's story over the active
// recorded workspace (see TestRecordAnswersForTheWindowFake), with Hélène (member-01) also seen
// on Discourse and Mastodon and a task about her: for every member, their story a page at a
// time as the drawer asks for it (every page, for "Load more"), with each kind filter, each
// platform of theirs (all kinds, then activity, questions and answers only), and the refusals
// of a damaged cursor and an unknown kind. Answers are keyed as a scenario's reads
// (recorded_scenario_test.go), so that the fake answers a member it does not know as the blank
// one.
func TestRecordAnswersForTheWindowFakeTimeline(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	b, ids := seedRecordedWorkspace(t, true)
	seedStoryOfHelene(t, b, ids[0].id)
	// A member with nothing but their creation: the fake answers for a member the recording
	// does not know (a test's own, demo mode's) as Go answered for this one.
	blank, err := b.Members.Create(windowCtx(), members.CreateInput{Name: "Blank", Emails: []string{"blank@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	people := append(slices.Clone(ids), idName{blank.ID, timelineBlank})
	a := NewMembersService(b.Members, b.Timeline)
	s := newScenario(t)
	// pages records q and every page after it, as "Load more" asks for them.
	pages := func(id string, q timeline.Query) timeline.Page {
		q.Limit = timelinePage
		var first timeline.Page
		for i := 0; ; i++ {
			p, err := a.Timeline(id, q)
			s.read(id, "timeline", []any{id, q}, p, err)
			if err != nil {
				t.Fatalf("%s %+v: %v", id, q, err)
			}
			if i == 0 {
				first = p
			}
			if p.Next == "" {
				return first
			}
			q.After = p.Next
		}
	}
	for _, m := range people {
		if !strings.HasPrefix(m.name, "member-") {
			continue
		}
		all := pages(m.id, timeline.Query{})
		for _, k := range timeline.Kinds {
			pages(m.id, timeline.Query{Kinds: []timeline.Kind{k}})
		}
		for platform := range all.Summary.ByPlatform {
			pages(m.id, timeline.Query{Platform: platform})
			for _, k := range []timeline.Kind{timeline.Activity, timeline.Question, timeline.Answer} { // what they did there
				pages(m.id, timeline.Query{Platform: platform, Kinds: []timeline.Kind{k}})
			}
		}
	}
	helene := ids[0].id
	for _, q := range []timeline.Query{
		{After: "not a cursor", Limit: timelinePage},
		{Kinds: []timeline.Kind{"gossip"}, Limit: timelinePage},
	} {
		v, err := a.Timeline(helene, q)
		s.read(helene, "timeline", []any{helene, q}, v, err)
	}
	all := map[string]json.RawMessage{}
	scenarioAnswers(t, all, people, s)
	holdRecording(t, "members-timeline", all)
}

// timelineBlank names the recorded member with nothing but their creation
// (frontend/src/api/fake/recorded.ts TIMELINE_BLANK).
const timelineBlank = "member-blank"

// seedStoryOfHelene gives the recorded Hélène a story beyond the forum: posts with links on
// Discourse, a mention on Mastodon, and a task about her, done.
func seedStoryOfHelene(t *testing.T, b *wiring.Backend, id string) {
	t.Helper()
	ctx := windowCtx()
	day := func(daysAgo, hour int) time.Time {
		return recordedNow.AddDate(0, 0, -daysAgo).Truncate(24 * time.Hour).Add(time.Duration(hour) * time.Hour)
	}
	her := &activity.Person{RemoteID: "7", Handle: "helene", Name: "Hélène Dupont"}
	forum := b.Activity.Ingest(connections.Connection{ID: "forum", Name: "Forum", Platform: connections.Discourse})
	if err := forum.Activities(ctx, []activity.Incoming{
		{RemoteID: "p1", Kind: activity.Post, At: day(1, 9), Channel: "Annonces", Author: her,
			Title: "Meetup Lyon: <b>inscriptions</b>", Text: "Rendez-vous le 4 avril.", Link: "https://forum.example.org/t/meetup-lyon/42"},
		{RemoteID: "p2", Kind: activity.Reply, At: day(6, 17), Channel: "Support", Author: her,
			Text: "Essayez la version 2.1.", Link: "https://forum.example.org/t/export/40/3"},
	}); err != nil {
		t.Fatal(err)
	}
	her = &activity.Person{RemoteID: "109", Handle: "helene", Email: "helene@example.org"}
	toots := b.Activity.Ingest(connections.Connection{ID: "masto", Name: "Mastodon", Platform: connections.Mastodon})
	if err := toots.Activities(ctx, []activity.Incoming{
		{RemoteID: "n1", Kind: activity.Mention, At: day(3, 20), Channel: "notifications", Author: her,
			Text: "@hearth merci pour le replay !", Link: "https://mastodon.example/@helene/1"},
	}); err != nil {
		t.Fatal(err)
	}
	clk, ok := b.Clock.(*clock.Manual)
	if !ok {
		t.Fatalf("the recorded workspace's clock is a %T", b.Clock)
	}
	clk.Set(day(5, 14))
	task, err := b.Tasks.Create(ctx, tasks.Input{Title: "Proposer un talk au meetup", MemberID: id})
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(day(2, 11))
	if _, err := b.Tasks.Complete(ctx, task.ID, true); err != nil {
		t.Fatal(err)
	}
	clk.Set(recordedNow)
}

// The story of a member nobody has is refused as not found, not an empty story.
func TestTheStoryOfAnUnknownMemberIsNotFound(t *testing.T) {
	b, _ := seedRecordedWorkspace(t, false)
	_, err := NewMembersService(b.Members, b.Timeline).Timeline("nobody", timeline.Query{})
	if !errors.Is(err, errs.NotFound) {
		t.Fatalf("got %v, want not found", err)
	}
}
