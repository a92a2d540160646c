package wiring

import (
	"bytes"
	"context"
	"testing"
	"time"

	"hearth/backend/members"
	"hearth/backend/segments"
)

// TestSegmentsTravelWithTeamBundlesAndCountWhatEachCopyHolds: a segment saved on one copy is
// on a teammate's after they join; its deletion travels too; an erasure merged from the first
// copy leaves the person out of the teammate's count.
func TestSegmentsTravelWithTeamBundlesAndCountWhatEachCopyHolds(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	everyone := `tag != "personne n'a ce tag"`
	if _, err := w.b.Segments.Create(ctx, segments.Input{Name: "Tout le monde", Where: everyone}); err != nil {
		t.Fatal(err)
	}
	stay, err := w.b.Segments.Create(ctx, segments.Input{Name: "Reste", Where: `platform = discord`})
	if err != nil {
		t.Fatal(err)
	}
	other, err := w.b.Members.Create(ctx, members.CreateInput{Emails: []string{"autre@example.org"}, Name: "Autre"})
	if err != nil {
		t.Fatal(err)
	}
	b := openTeammate(t, ctx, t.TempDir(), w)
	if _, err := b.Team.Join(ctx, bytes.NewReader(bundleFor(t, ctx, w.b, b)), ""); err != nil {
		t.Fatal(err)
	}
	before, err := b.Segments.SegmentIDs(ctx, "tout le monde")
	if err != nil {
		t.Fatal(err)
	}
	if len(before) == 0 || !contains(before, w.m.ID) {
		t.Fatalf("the joined copy's segment holds %v, want the person among them", before)
	}
	// The newsletter seedEveryKind sent reached the person, on both copies.
	for _, where := range []string{`received = "LETTRE de mars"`, `newsletters(30d) >= 1`} {
		for _, copy := range []*Backend{w.b, b} {
			ids, err := copy.Segments.IDs(ctx, where)
			if err != nil {
				t.Fatal(err)
			}
			if !contains(ids, w.m.ID) {
				t.Errorf("%s: %d members, the person who received the newsletter not among them", where, len(ids))
			}
		}
	}
	if n, err := b.Segments.Count(ctx, `received = "Lettre d'avril"`); err != nil || n != 0 {
		t.Errorf("a newsletter never sent was received by %d (%v)", n, err)
	}
	// An edit made on the first copy at an earlier time than the teammate's newest edit: the
	// teammate counts it once merged all the same.
	if _, err := b.Members.Create(ctx, members.CreateInput{Emails: []string{"recent@example.org"}}); err != nil {
		t.Fatal(err)
	}
	if n, err := b.Segments.Count(ctx, `tag = fraise`); err != nil || n != 0 {
		t.Fatalf("before: %d %v", n, err)
	}
	now := w.clk.Now()
	w.clk.Set(now.Add(-time.Hour))
	if _, err := w.b.Members.Edit(ctx, other.ID, members.Edit{AddTags: []string{"Fraise"}}); err != nil {
		t.Fatal(err)
	}
	w.clk.Set(now.Add(time.Minute))
	if _, err := w.b.Segments.Delete(ctx, stay.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.b.GDPR.Erase(ctx, w.m.ID, person.email); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Team.Merge(ctx, bytes.NewReader(bundleFor(t, ctx, w.b, b)), ""); err != nil {
		t.Fatal(err)
	}
	if ids, err := b.Segments.IDs(ctx, `tag = fraise`); err != nil || len(ids) != 1 || ids[0] != other.ID {
		t.Fatalf("the teammate's copy after merging an edit older than its own: %v %v", ids, err)
	}
	after, err := b.Segments.SegmentIDs(ctx, "Tout le monde")
	if err != nil {
		t.Fatal(err)
	}
	if contains(after, w.m.ID) || len(after) != len(before) { // one erased, one created on b
		t.Fatalf("after the erasure merged: %d members (was %d), erased person in: %v", len(after), len(before), contains(after, w.m.ID))
	}
	if list, err := b.Segments.List(ctx); err != nil || len(list) != 1 || list[0].Name != "Tout le monde" {
		t.Fatalf("the teammate's segments after the deletion merged: %+v %v", list, err)
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
