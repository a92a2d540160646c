package app

import (
	"encoding/json"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/members"
	"hearth/backend/notify"
)

// mergesWorld is the quiet recorded workspace with people seen more than once: Camille Roux on
// Discourse (with her e-mail), on Discord and on Mastodon, and Alex Martin on Discourse beside an
// "Alex" on Discord who shares his handle but is someone else.
type mergesWorld struct {
	svc *MergesService
	ids []idName
	by  map[string]string // recorded name -> id
}

func newMergesWorld(t *testing.T) *mergesWorld {
	t.Helper()
	ctx := windowCtx()
	b, ids := seedRecordedWorkspace(t, false)
	clk := b.Clock.(*clock.Manual)
	w := &mergesWorld{svc: NewMergesService(b.Members, &notify.Recorder{}), ids: ids, by: map[string]string{}}
	people := []struct {
		name, recorded, email, platform, handle string
	}{
		{"Camille Roux", "member-camille-discourse", "camille@example.org", "discourse", "camille"},
		{"Camille Roux", "member-camille-discord", "", "discord", "camille"},
		{"Camille Roux", "member-camille-mastodon", "", "mastodon", "camille@mastodon.social"},
		{"Alex Martin", "member-alex-martin", "alex@example.org", "discourse", "alex"},
		{"Alex", "member-alex-discord", "", "discord", "alex"},
	}
	for i, p := range people {
		clk.Set(recordedNow.Add(-time.Duration(len(people)-i) * time.Hour))
		in := members.CreateInput{Name: p.name, Handles: []members.Handle{{Platform: p.platform, Handle: p.handle}}}
		if p.email != "" {
			in.Emails = []string{p.email}
		}
		m, err := b.Members.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		w.ids = append(w.ids, idName{m.ID, p.recorded})
		w.by[p.recorded] = m.ID
	}
	clk.Set(recordedNow)
	return w
}

// mergesStep is one thing a person does with the Members screen's possible duplicates.
type mergesStep func(t *testing.T, s *scenario, w *mergesWorld)

// TestRecordAnswersForTheWindowFakeMerges records the Members screen's possible duplicates as
// scenarios: Camille, seen on three platforms, merged into her Discourse record then the merge
// undone; the two Alexes said not to be one person; a merge of a member already merged away
// refused; automatic merging turned on then off in Settings.
func TestRecordAnswersForTheWindowFakeMerges(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	var merged []string // the merge ids of the scenario's last accepted MergeGroup
	mergeGroup := func(keep string, others ...string) mergesStep {
		return func(t *testing.T, s *scenario, w *mergesWorld) {
			ids := make([]string, len(others))
			for i, o := range others {
				ids[i] = w.by[o]
			}
			v, err := w.svc.MergeGroup(w.by[keep], ids)
			s.step("", "mergeGroup", []any{w.by[keep], ids}, v, err)
			if err == nil {
				merged = merged[:0]
				for _, m := range v {
					merged = append(merged, m.ID)
				}
			}
		}
	}
	undo := func(t *testing.T, s *scenario, w *mergesWorld) {
		ids := append([]string{}, merged...)
		err := w.svc.Undo(ids)
		s.step("", "undo", []any{ids}, nil, err)
	}
	dismiss := func(a string, others ...string) mergesStep {
		return func(t *testing.T, s *scenario, w *mergesWorld) {
			ids := make([]string, len(others))
			for i, o := range others {
				ids[i] = w.by[o]
			}
			err := w.svc.Dismiss(w.by[a], ids)
			s.step("", "dismiss", []any{w.by[a], ids}, nil, err)
		}
	}
	saveSettings := func(auto bool) mergesStep {
		return func(t *testing.T, s *scenario, w *mergesWorld) {
			in := members.MergeSettings{Auto: auto}
			v, err := w.svc.SaveSettings(in)
			s.step("", "saveSettings", []any{in}, v, err)
		}
	}
	camille := mergeGroup("member-camille-discourse", "member-camille-discord", "member-camille-mastodon")
	scenarios := [][]mergesStep{
		{camille, undo},
		{dismiss("member-alex-martin", "member-alex-discord")},
		{camille, mergeGroup("member-alex-martin", "member-camille-discord")},
		{saveSettings(true), saveSettings(false)},
	}
	all := map[string]json.RawMessage{}
	for _, sc := range scenarios {
		w := newMergesWorld(t)
		s := newScenario(t)
		readMerges(t, s, w)
		for _, st := range sc {
			st(t, s, w)
			readMerges(t, s, w)
		}
		scenarioAnswers(t, all, w.ids, s)
	}
	holdRecording(t, "merges", all)
}

// readMerges records what the window reads of the possible duplicates: the Members screen's
// list, found at once or as a background search (Find, with the events it emitted until it was
// done), each member's in their drawer, and Settings' automatic merging.
func readMerges(t *testing.T, s *scenario, w *mergesWorld) {
	t.Helper()
	v, err := w.svc.Suggestions()
	s.read("", "suggestions", []any{}, v, err)
	events := newJobEvents(EventMergesDone)
	w.svc.events = events
	id, err := w.svc.Find()
	s.read("", "find", []any{}, id, err)
	if err == nil {
		s.read("", "find.events", []any{}, events.wait(t), nil)
		// Go's Cancel once the search is over: nothing to stop.
		s.read("", "cancel", []any{id}, nil, w.svc.Cancel(id))
	}
	for _, m := range w.ids {
		v, err := w.svc.SuggestionsFor(m.id)
		s.read("", "suggestionsFor", []any{m.id}, v, err)
	}
	settings, err := w.svc.Settings()
	s.read("", "settings", []any{}, settings, err)
}

// TestMergesServiceMergesAGroupWholeOrNotAtAll: when one member of a group cannot be merged,
// the merges done before it are undone and the failure is returned.
func TestMergesServiceMergesAGroupWholeOrNotAtAll(t *testing.T) {
	w := newMergesWorld(t)
	keep := w.by["member-camille-discourse"]
	_, err := w.svc.MergeGroup(keep, []string{w.by["member-camille-discord"], "no-such-member"})
	if err == nil {
		t.Fatal("a group with a member that does not exist was merged")
	}
	got, err := w.svc.Suggestions()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 || got[0].A != keep || len(got[0].Others) != 2 {
		t.Fatalf("after a refused group, Camille should still be proposed with her two other records: %+v", got)
	}
}
