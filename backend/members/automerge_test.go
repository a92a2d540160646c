package members

import (
	"context"
	"testing"
)

func TestAutoMergeJoinsTheSameHandleAcrossPlatformsWhenTheNamesAgree(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	first, err := f.svc.Link(ctx, "discourse", []Identity{{Handle: "camille", Name: "Camille Martin"}, {Handle: "zoe", Name: "Zoë"}})
	if err != nil {
		t.Fatal(err)
	}
	// Off (the default): a second member.
	off, err := f.svc.Link(ctx, "discord", []Identity{{Handle: "camille", Name: "Camille  MARTIN"}})
	if err != nil || off[0].MemberID == first[0].MemberID {
		t.Fatalf("merged while off: %+v %v", off, err)
	}
	if _, err := f.svc.SaveMergeSettings(ctx, MergeSettings{Auto: true}); err != nil {
		t.Fatal(err)
	}
	on, err := f.svc.Link(ctx, "mastodon", []Identity{{Handle: "camille@mastodon.social", Name: "Camille Martin"}, {Handle: "zoe@mastodon.social", Name: "Zoé Blanc"}})
	if err != nil {
		t.Fatal(err)
	}
	if on[0].MemberID != first[0].MemberID {
		t.Fatalf("the Mastodon account links to %s, want the kept member %s", on[0].MemberID, first[0].MemberID)
	}
	if on[1].MemberID == first[1].MemberID {
		t.Fatal("names that differ were merged")
	}
	m, err := f.svc.Get(ctx, first[0].MemberID)
	if err != nil || len(m.Handles) != 3 {
		t.Fatalf("kept member %+v %v", m, err)
	}
	if _, err := f.svc.Get(ctx, off[0].MemberID); err == nil {
		t.Fatal("the Discord member is still there")
	}
	merges, err := f.svc.Merges(ctx, m.ID)
	if err != nil || len(merges) != 2 || merges[0].Auto != ReasonSameHandle {
		t.Fatalf("merges %+v %v", merges, err)
	}
}

func TestAutoMergeJoinsAnImportedProfileEmail(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a := f.add(t, "Inès Faure", "ines@example.org")
	if _, err := f.svc.SaveMergeSettings(ctx, MergeSettings{Auto: true}); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Merge(ctx, []CreateInput{{Name: "nes", Handles: []Handle{{Platform: "discord", Handle: "nes"}}, CustomFields: map[string]string{"email": "INES@example.org"}}}, MergeOptions{})
	if err != nil || res[0].Outcome != Created || res[0].MemberID != a.ID {
		t.Fatalf("import: %+v %v", res, err)
	}
	if n, _ := f.svc.Count(ctx); n != 1 {
		t.Fatalf("%d members after the import, want 1", n)
	}
}
