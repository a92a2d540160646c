package members

import (
	"context"
	"errors"
	"testing"

	"hearth/backend/errs"
	"hearth/backend/internal/bytescan"
)

func TestErasureLeavesNoTraceOfThePersonInTheWorkspaceFiles(t *testing.T) {
	f := newTestService(t)
	m := f.add(t, "Gwendoline Kerjean", "gwendoline.kerjean@example.org", "bretagne")
	name, handle := "Gwendoline K. Kerjean", []Handle{{Platform: "mastodon", Handle: "@gwenk@social.example"}}
	notes := "Rencontrée au salon de Rennes"
	if _, err := f.svc.Update(context.Background(), m.ID, Patch{Name: &name, Handles: &handle, Notes: &notes}); err != nil {
		t.Fatal(err)
	}
	f.add(t, "Someone Else", "else@example.org")
	if _, err := f.svc.Erase(context.Background(), m.ID, EraseOptions{Suppress: true}); err != nil {
		t.Fatal(err)
	}
	// Right after erasure, before any compaction: every byte of the workspace is checked.
	for _, needle := range []string{"gwendoline.kerjean@example.org", "Gwendoline", "Kerjean", "@gwenk@social.example", "salon de Rennes"} {
		if hits := bytescan.FilesContaining(t, f.dir, needle); len(hits) > 0 {
			t.Errorf("%q still readable in %v", needle, hits)
		}
	}
	if _, err := f.svc.Get(context.Background(), m.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("erased member still found: %v", err)
	}
	f.reopen(t)
	if got := f.names(t, ListQuery{}); len(got) != 1 || got[0] != "Someone Else" {
		t.Fatalf("after reopen: %v", got)
	}
}

func TestAnErasedPersonCannotBeAddedBackByEmailOrHandle(t *testing.T) {
	f := newTestService(t)
	m, err := f.svc.Create(context.Background(), CreateInput{Name: "Gone", Emails: []string{"gone@example.org"},
		Handles: []Handle{{Platform: "discord", Handle: "gone#1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Erase(context.Background(), m.ID, EraseOptions{Suppress: true}); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Create(context.Background(), CreateInput{Name: "Back", Emails: []string{"GONE@example.org"}})
	if errs.From(err).Code != "suppressed" || fieldCodes(err)["emails[0]"] != "suppressed" {
		t.Fatalf("by e-mail: %v", err)
	}
	_, err = f.svc.Create(context.Background(), CreateInput{Name: "Back", Handles: []Handle{{Platform: "discord", Handle: "GONE#1"}}})
	if fieldCodes(err)["handles[0].handle"] != "suppressed" {
		t.Fatalf("by handle: %v", err)
	}
}

func TestAnonymisingDoesNotSuppress(t *testing.T) {
	f := newTestService(t)
	m := f.add(t, "Idle", "idle@example.org")
	if _, err := f.svc.Erase(context.Background(), m.ID, EraseOptions{}); err != nil {
		t.Fatal(err)
	}
	f.add(t, "Idle Again", "idle@example.org") // may come back of their own accord
}
