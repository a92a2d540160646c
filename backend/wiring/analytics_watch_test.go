package wiring

import (
	"bytes"
	"context"
	"testing"
	"time"

	"hearth/backend/analytics"
	"hearth/backend/members"
)

// TestTheDashboardOfATeammatesCopyFollowsMembersMergedFromABundle: a teammate's copy has
// counted its members; a bundle then brings a member created on the first copy at an earlier
// time than the teammate's newest edit, and the erasure of another (as many members as before,
// so a count alone cannot tell). The teammate's dashboard counts the new member and no longer
// the erased person.
func TestTheDashboardOfATeammatesCopyFollowsMembersMergedFromABundle(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	b := openTeammate(t, ctx, t.TempDir(), w)
	if _, err := b.Team.Join(ctx, bytes.NewReader(bundleFor(t, ctx, w.b, b)), ""); err != nil {
		t.Fatal(err)
	}
	now := w.clk.Now()
	r := analytics.Range{From: now.AddDate(0, 0, -30), To: now.Add(48 * time.Hour)}
	newOnes := func() []string {
		t.Helper()
		ids, err := b.Analytics.MembersBehind(ctx, r, "new", 0)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	if !contains(newOnes(), w.m.ID) {
		t.Fatal("the joined copy does not count the person")
	}
	// The teammate's own newest edit, counted.
	w.clk.Set(now.Add(time.Hour))
	if _, err := b.Members.Create(ctx, members.CreateInput{Emails: []string{"recent@example.org"}}); err != nil {
		t.Fatal(err)
	}
	before, err := b.Analytics.KPIs(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	// On the first copy, earlier than that: a new member, and the person erased.
	w.clk.Set(now.Add(30 * time.Minute))
	older, err := w.b.Members.Create(ctx, members.CreateInput{Name: "Older", Emails: []string{"older@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.b.GDPR.Erase(ctx, w.m.ID, person.email); err != nil {
		t.Fatal(err)
	}
	w.clk.Set(now.Add(2 * time.Hour))
	if _, err := b.Team.Merge(ctx, bytes.NewReader(bundleFor(t, ctx, w.b, b)), ""); err != nil {
		t.Fatal(err)
	}
	ids := newOnes()
	if !contains(ids, older.ID) || contains(ids, w.m.ID) {
		t.Fatalf("after the merge: the older member counted %v, the erased person counted %v", contains(ids, older.ID), contains(ids, w.m.ID))
	}
	after, err := b.Analytics.KPIs(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	if after.MembersTotal != before.MembersTotal {
		t.Fatalf("members: %d after one erased and one created, want %d", after.MembersTotal, before.MembersTotal)
	}
}
