package wiring

import (
	"context"
	"slices"
	"testing"
	"time"

	"hearth/backend/automations"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/segments"
)

// TestAutomationsFollowMembersEnteringAndLeavingASavedSegment: with the real segments service,
// a segment_entered automation enrols those who come to match the segment after it is enabled
// (not those already in it), once each; a segment_left one enrols those who stop matching it,
// but not a member deleted meanwhile; an automation naming no known segment is refused.
func TestAutomationsFollowMembersEnteringAndLeavingASavedSegment(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	b, clk := w.b, w.clk
	add := func(email, city string) members.Member {
		t.Helper()
		m, err := b.Members.Create(ctx, members.CreateInput{Name: "N " + email, Emails: []string{email},
			CustomFields: map[string]string{"ville": city}})
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	setCity := func(m members.Member, city string) {
		t.Helper()
		if _, err := b.Members.Edit(ctx, m.ID, members.Edit{Patch: members.Patch{CustomFields: &map[string]string{"ville": city}}}); err != nil {
			t.Fatal(err)
		}
	}
	already := add("deja@example.org", "Lyon")
	mover := add("arrive@example.org", "Paris")
	leaver := add("part@example.org", "Lyon")
	gone := add("efface@example.org", "Lyon")
	seg, err := b.Segments.Create(ctx, segments.Input{Name: "Lyonnais", Where: `ville = "lyon"`})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Automations.Save(ctx, automations.Input{Name: "Ghost",
		Trigger: automations.Trigger{Kind: automations.TriggerSegmentEntered, Segment: "no-such-segment"},
		Steps:   []automations.Step{{Kind: automations.StepCreateTask, TaskTitle: "x"}}}); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("an automation on an unknown segment was saved: %v", err)
	} else if fe := errs.From(err).Fields; len(fe) != 1 || fe[0].Field != "trigger.segment" {
		t.Fatalf("the refusal names %+v, want trigger.segment", fe)
	}
	save := func(name string, kind automations.TriggerKind) automations.Automation {
		t.Helper()
		a, err := b.Automations.Save(ctx, automations.Input{Name: name, Trigger: automations.Trigger{Kind: kind, Segment: seg.ID},
			Steps: []automations.Step{{Kind: automations.StepCreateTask, TaskTitle: name}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.Automations.SetEnabled(ctx, a.ID, true); err != nil {
			t.Fatal(err)
		}
		return a
	}
	entered := save("Bienvenue à Lyon", automations.TriggerSegmentEntered)
	left := save("Au revoir Lyon", automations.TriggerSegmentLeft)
	tick := func() {
		t.Helper()
		clk.Advance(time.Minute)
		if _, err := b.Automations.Tick(ctx, clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	enrolled := func(a automations.Automation) []string {
		t.Helper()
		es, err := b.Automations.Progress(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, e := range es {
			ids = append(ids, e.MemberID)
		}
		slices.Sort(ids)
		return ids
	}
	tick() // the baseline: those already in the segment enter nothing
	if got := enrolled(entered); len(got) != 0 {
		t.Fatalf("members already in the segment were enrolled: %v", got)
	}
	setCity(mover, "LYON")
	setCity(leaver, "Grenoble")
	setCity(gone, "Marseille")
	if _, err := b.Members.Delete(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	tick()
	if got := enrolled(entered); !slices.Equal(got, []string{mover.ID}) {
		t.Errorf("entered: %v, want only %s", got, mover.ID)
	}
	if got := enrolled(left); !slices.Equal(got, []string{leaver.ID}) {
		t.Errorf("left: %v, want only %s (the deleted member is not enrolled)", got, leaver.ID)
	}
	// Leaving and coming back does not enrol a second time.
	setCity(mover, "Paris")
	tick()
	setCity(mover, "Lyon")
	tick()
	if got := enrolled(entered); !slices.Equal(got, []string{mover.ID}) {
		t.Errorf("after leaving and coming back: %v", got)
	}
	if got := enrolled(left); !slices.Equal(got, sorted(leaver.ID, mover.ID)) {
		t.Errorf("left after the round trip: %v", got)
	}
	// A deleted segment enrols nobody and fires no mass "left".
	if _, err := b.Segments.Delete(ctx, seg.ID); err != nil {
		t.Fatal(err)
	}
	setCity(already, "Nantes")
	tick()
	if got := enrolled(left); len(got) != 2 {
		t.Errorf("after the segment's deletion, left holds %v", got)
	}
}

func sorted(xs ...string) []string {
	slices.Sort(xs)
	return xs
}
