package members

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"

	"hearth/backend/errs"
)

func TestOneMembersSuggestionIsTheFullSearchsWhenItsIndexesReachTheWholeGroup(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a, b, c := threePlatforms(t, f)
	full, err := f.svc.SuggestMerges(ctx)
	if err != nil || len(full) != 1 {
		t.Fatalf("full search: %+v, %v", full, err)
	}
	// The Mastodon record's handle leads to the two others: the same group, worded alike.
	got, err := f.svc.SuggestMergesFor(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, full) {
		t.Fatalf("Mastodon Camille's suggestion %+v, want the full search's %+v", got, full)
	}
	// Camille on Discord: her Discourse record (same handle, same name); a Mastodon handle kept
	// with its instance is left to the full search.
	got, err = f.svc.SuggestMergesFor(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].A != a.ID || len(got[0].Others) != 1 || got[0].Others[0].ID != b.ID ||
		got[0].Reason != ReasonSameHandle || got[0].Score != 0.9 {
		t.Fatalf("Discord Camille's suggestion %+v, want her Discourse record kept, same handle at 0.9", got)
	}
	// By e-mail as well as by id.
	byEmail, err := f.svc.SuggestMergesFor(ctx, "CAMILLE@example.org")
	if err != nil || !reflect.DeepEqual(byEmail, got) {
		t.Fatalf("by e-mail: %+v, %v; want %+v", byEmail, err, got)
	}
}

func TestOneMembersSuggestionFollowsAProfilesEmailAndItsName(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	ines, _ := f.svc.Create(ctx, CreateInput{Name: "Inès Faure", Emails: []string{"ines@example.org"}})
	profile, _ := f.svc.Create(ctx, CreateInput{Name: "ines", Handles: []Handle{{Platform: "discord", Handle: "nes"}}, CustomFields: map[string]string{"email": " INES@example.org "}})
	helene, _ := f.svc.Create(ctx, CreateInput{Name: "Hélène Dupont", Emails: []string{"hd@example.org"}, Handles: []Handle{{Platform: "discourse", Handle: "hdupont"}}})
	namesake, _ := f.svc.Create(ctx, CreateInput{Name: "helene dupont", Handles: []Handle{{Platform: "discord", Handle: "helene"}}})
	got, err := f.svc.SuggestMergesFor(ctx, profile.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].A != ines.ID || got[0].Reason != ReasonProfileEmail || got[0].Others[0].ID != profile.ID {
		t.Fatalf("the profile's suggestion %+v, want Inès kept, profile e-mail", got)
	}
	// Hélène's name makes the handle "helene" the namesake holds on Discord.
	got, err = f.svc.SuggestMergesFor(ctx, helene.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].A != helene.ID || got[0].Others[0].ID != namesake.ID || got[0].Reason != ReasonSameNameHandle {
		t.Fatalf("Hélène's suggestion %+v, want the namesake, same name and handle", got)
	}
}

func TestOneMembersSuggestionLeavesOutDismissedPairsAndLoneMembers(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a, b, c := threePlatforms(t, f)
	if err := f.svc.DismissMerge(ctx, a.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.SuggestMergesFor(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Fatalf("Discord Camille, said not to be her Discourse record, is still proposed: %+v", got)
	}
	got, err = f.svc.SuggestMergesFor(ctx, c.ID)
	if err != nil || len(got) != 1 || got[0].A != a.ID || len(got[0].Others) != 1 || got[0].Others[0].ID != c.ID {
		t.Fatalf("Mastodon Camille: %+v, %v; want her Discourse record alone", got, err)
	}
	zoe, err := f.svc.SuggestMergesFor(ctx, "zoe@example.org")
	if err != nil || zoe == nil || len(zoe) != 0 {
		t.Fatalf("Zoë, who looks like nobody: %#v, %v; want an empty list", zoe, err)
	}
	if _, err := f.svc.SuggestMergesFor(ctx, "01NOSUCHMEMBER0000000000000"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("an unknown member: %v, want not found", err)
	}
}

func TestTheFullSearchReportsItsProgressAndStopsWhenCancelled(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	threePlatforms(t, f)
	for i := range suggestProgressEvery + 10 {
		if _, err := f.svc.Create(ctx, CreateInput{Name: fmt.Sprintf("Member %d", i), Emails: []string{fmt.Sprintf("m%d@example.org", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	total := suggestProgressEvery + 14
	var seen []SuggestProgress
	got, err := f.svc.SuggestMergesWith(ctx, func(p SuggestProgress) { seen = append(seen, p) })
	if err != nil || len(got) != 1 {
		t.Fatalf("%+v, %v", got, err)
	}
	want := []SuggestProgress{{suggestProgressEvery, total}, {total, total}}
	if !reflect.DeepEqual(seen, want) {
		t.Fatalf("progress %+v, want %+v", seen, want)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := f.svc.SuggestMergesWith(cancelled, func(SuggestProgress) {}); !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled search answered %v, want context.Canceled", err)
	}
}
