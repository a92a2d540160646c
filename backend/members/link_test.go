package members

import (
	"context"
	"slices"
	"strings"
	"testing"

	"hearth/backend/errs"
)

func TestLinkMatchesCreatesAndNeverOverwrites(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	anne := f.add(t, "Anne Le Goff", "anne@example.org")
	before := len(f.rec.Events())
	res, err := f.svc.Link(ctx, "Mastodon", []Identity{
		{Handle: "anne@social.example", Email: "ANNE@example.org", Name: "anne 🐘"},
		{Handle: "new@social.example", Name: "Nouvelle"},
		{Handle: "NEW@social.example", Email: "new@example.org"}, // the same person again, in the same batch
		{Handle: strings.Repeat("x", 101)},
		{Email: "nobody"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []LinkOutcome{LinkMatched, LinkCreated, LinkMatched, LinkInvalid, LinkInvalid}
	for i, r := range res {
		if r.Outcome != want[i] {
			t.Fatalf("result %d: %+v, want %s", i, r, want[i])
		}
	}
	if res[0].MemberID != anne.ID || !res[0].Changed || res[2].MemberID != res[1].MemberID {
		t.Fatalf("ids: %+v", res)
	}
	a, _ := f.svc.Get(ctx, anne.ID)
	if a.Name != "Anne Le Goff" || len(a.Handles) != 1 || a.Handles[0] != (Handle{Platform: "mastodon", Handle: "anne@social.example"}) {
		t.Fatalf("anne: %+v", a)
	}
	n, _ := f.svc.Get(ctx, res[1].MemberID)
	if n.Name != "Nouvelle" || !slices.Equal(n.Emails, []string{"new@example.org"}) {
		t.Fatalf("new member: %+v", n)
	}
	if ev := f.rec.Events()[before:]; len(ev) != 1 || len(ev[0].Payload.(ChangedEvent).IDs) != 3 {
		t.Fatalf("events: %+v", ev)
	}
	// The same identities again change nothing and announce nothing.
	again, err := f.svc.Link(ctx, "mastodon", []Identity{{Handle: "anne@social.example", Name: "other"}, {Handle: "new@social.example"}})
	if err != nil || again[0].Changed || again[1].Changed || again[1].MemberID != res[1].MemberID {
		t.Fatalf("again: %+v %v", again, err)
	}
	if len(f.rec.Events()) != before+1 {
		t.Fatal("an event for nothing")
	}
	if p, _ := f.svc.List(ctx, ListQuery{Search: "nouvelle"}); p.Total != 1 {
		t.Fatalf("directory not in step: %+v", p)
	}
}

func TestLinkNeverBringsBackAnErasedPerson(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	res, _ := f.svc.Link(ctx, "discord", []Identity{{Handle: "zed", Email: "zed@example.org"}})
	if _, err := f.svc.Erase(ctx, res[0].MemberID, EraseOptions{Suppress: true}); err != nil {
		t.Fatal(err)
	}
	res, err := f.svc.Link(ctx, "discord", []Identity{{Handle: "ZED"}, {Handle: "zed2", Email: "Zed@example.org"}, {Handle: "zed", Email: "fresh@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Outcome != LinkSuppressed || r.MemberID != "" {
			t.Fatalf("result %d: %+v", i, r)
		}
	}
	if n, _ := f.svc.Count(ctx); n != 0 {
		t.Fatalf("%d members", n)
	}
}

func TestLinkReportsAConflictWithoutWriting(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	byMail := f.add(t, "Par mail", "lea@example.org")
	res, _ := f.svc.Link(ctx, "discourse", []Identity{{Handle: "lea"}})
	res2, err := f.svc.Link(ctx, "discourse", []Identity{{Handle: "lea", Email: "lea@example.org"}})
	if err != nil || res2[0].Outcome != LinkConflict || res2[0].MemberID != res[0].MemberID {
		t.Fatalf("%+v %v", res2, err)
	}
	if m, _ := f.svc.Get(ctx, byMail.ID); len(m.Handles) != 0 {
		t.Fatalf("e-mail's owner changed: %+v", m)
	}
}

func TestLinkRefusesAnUnknownPlatform(t *testing.T) {
	f := newTestService(t)
	_, err := f.svc.Link(context.Background(), "rss", []Identity{{Handle: "x"}})
	if errs.KindOf(err) != errs.Invalid {
		t.Fatalf("%v", err)
	}
}

func TestNamesFallBackToHandleThenEmail(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	named := f.add(t, "Nommé", "n@example.org")
	res, _ := f.svc.Link(ctx, "discord", []Identity{{Handle: "h_only"}})
	mail, _ := f.svc.Create(ctx, CreateInput{Emails: []string{"m@example.org"}})
	got, err := f.svc.Names(ctx, []string{named.ID, res[0].MemberID, mail.ID, "unknown", ""})
	if err != nil || len(got) != 3 || got[named.ID] != "Nommé" || got[res[0].MemberID] != "h_only" || got[mail.ID] != "m@example.org" {
		t.Fatalf("%v %v", got, err)
	}
}

func TestByHandleReadsTheHandleIndexOnOneOrEveryPlatform(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a, err := f.svc.Create(ctx, CreateInput{Handles: []Handle{{Platform: "discord", Handle: "Nyx"}}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := f.svc.Create(ctx, CreateInput{Handles: []Handle{{Platform: "discourse", Handle: "nyx"}}})
	if err != nil {
		t.Fatal(err)
	}
	if ids, err := f.svc.ByHandle(ctx, "discord", "NYX"); err != nil || len(ids) != 1 || ids[0] != a.ID {
		t.Fatalf("discord: %v %v", ids, err)
	}
	if ids, err := f.svc.ByHandle(ctx, "", "nyx"); err != nil || len(ids) != 2 || !slices.Contains(ids, b.ID) {
		t.Fatalf("any platform: %v %v", ids, err)
	}
	if ids, err := f.svc.ByHandle(ctx, "mastodon", "nyx"); err != nil || len(ids) != 0 {
		t.Fatalf("mastodon: %v %v", ids, err)
	}
}
