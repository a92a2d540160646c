package members

import (
	"context"
	"slices"
	"testing"
)

// threePlatforms stores one person as three members, one per platform, and a stranger.
func threePlatforms(t *testing.T, f *fixture) (discourse, discord, mastodon Member) {
	t.Helper()
	ctx := context.Background()
	mk := func(in CreateInput) Member {
		m, err := f.svc.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	discourse = mk(CreateInput{Name: "Camille Martin", Emails: []string{"camille@example.org"}, Handles: []Handle{{Platform: "discourse", Handle: "camille"}}})
	discord = mk(CreateInput{Name: "Camille Martin", Handles: []Handle{{Platform: "discord", Handle: "Camille"}}})
	mastodon = mk(CreateInput{Name: "Camille", Handles: []Handle{{Platform: "mastodon", Handle: "camille@mastodon.social"}}})
	mk(CreateInput{Name: "Zoë Lefèvre", Emails: []string{"zoe@example.org"}, Handles: []Handle{{Platform: "discord", Handle: "zoe"}}})
	return discourse, discord, mastodon
}

func TestOnePersonOnThreePlatformsIsProposedOnceWithItsReason(t *testing.T) {
	f := newTestService(t)
	a, b, c := threePlatforms(t, f)
	got, err := f.svc.SuggestMerges(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("%d suggestions, want 1: %+v", len(got), got)
	}
	s := got[0]
	others := []string{s.Others[0].ID, s.Others[1].ID}
	slices.Sort(others)
	want := []string{b.ID, c.ID}
	slices.Sort(want)
	if s.A != a.ID || len(s.Others) != 2 || !slices.Equal(others, want) || s.Reason != ReasonSameHandle || s.Detail != "camille" {
		t.Fatalf("suggestion %+v", s)
	}
	if s.B != b.ID || s.Others[0].Score != 0.9 || s.Score >= 0.9 || s.Score <= 0 {
		t.Fatalf("scores: %+v", s)
	}
}

func TestSuggestionsFindEmailsAndProfileAddressesInCustomFields(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a, _ := f.svc.Create(ctx, CreateInput{Name: "Inès Faure", Emails: []string{"ines@example.org"}})
	b, _ := f.svc.Create(ctx, CreateInput{Name: "ines", Handles: []Handle{{Platform: "discord", Handle: "nes"}}, CustomFields: map[string]string{"email": " INES@example.org "}})
	c, _ := f.svc.Create(ctx, CreateInput{Name: "Gaël Blanc", Handles: []Handle{{Platform: "discourse", Handle: "gael"}}})
	d, _ := f.svc.Create(ctx, CreateInput{Name: "G.", Emails: []string{"g@example.org"}, CustomFields: map[string]string{"forum": "https://forum.example/u/gael"}})
	got, err := f.svc.SuggestMerges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, s := range got {
		reasons[s.A+" "+s.B] = s.Reason
	}
	if reasons[a.ID+" "+b.ID] != ReasonProfileEmail || reasons[d.ID+" "+c.ID] != ReasonProfileURL || len(got) != 2 {
		t.Fatalf("suggestions %+v", got)
	}
}

func TestSameFullNameNeedsAMatchingHandle(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a, _ := f.svc.Create(ctx, CreateInput{Name: "Hélène Dupont", Emails: []string{"hd@example.org"}, Handles: []Handle{{Platform: "discourse", Handle: "hdupont"}}})
	b, _ := f.svc.Create(ctx, CreateInput{Name: "helene dupont", Handles: []Handle{{Platform: "discord", Handle: "helene_dupont"}}})
	f.svc.Create(ctx, CreateInput{Name: "Hélène Dupont", Emails: []string{"other@example.org"}}) // no handle: a namesake
	got, err := f.svc.SuggestMerges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].A != a.ID || got[0].B != b.ID || got[0].Reason != ReasonSameNameHandle {
		t.Fatalf("suggestions %+v", got)
	}
}

func TestErasedPeopleAreNeverProposed(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a, b, c := threePlatforms(t, f)
	if _, err := f.svc.Erase(ctx, b.ID, EraseOptions{Suppress: true}); err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.SuggestMerges(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].A != a.ID || len(got[0].Others) != 1 || got[0].B != c.ID {
		t.Fatalf("suggestions %+v", got)
	}
	if _, err := f.svc.Erase(ctx, c.ID, EraseOptions{}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.SuggestMerges(ctx); len(got) != 0 {
		t.Fatalf("suggestions after erasing the others: %+v", got)
	}
}

func TestADismissedPairIsNotProposedAgain(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a, b, c := threePlatforms(t, f)
	if err := f.svc.DismissMerge(ctx, "camille@example.org", c.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.SuggestMerges(ctx)
	if len(got) != 1 || got[0].A != a.ID || len(got[0].Others) != 1 || got[0].B != b.ID {
		t.Fatalf("suggestions %+v", got)
	}
	if err := f.svc.DismissMerge(ctx, a.ID, b.ID); err != nil {
		t.Fatal(err)
	}
	// The Discord and Mastodon accounts may still be one person: only they are proposed.
	got, _ = f.svc.SuggestMerges(ctx)
	if len(got) != 1 || got[0].A != b.ID || got[0].B != c.ID {
		t.Fatalf("suggestions after dismissing both pairs of the e-mail's owner: %+v", got)
	}
	if err := f.svc.DismissMerge(ctx, b.ID, c.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.SuggestMerges(ctx); len(got) != 0 {
		t.Fatalf("suggestions after dismissing every pair: %+v", got)
	}
	f.reopen(t)
	if got, _ := f.svc.SuggestMerges(ctx); len(got) != 0 {
		t.Fatalf("dismissals forgotten at reopen: %+v", got)
	}
}
