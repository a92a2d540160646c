package members

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestEditAddsAndRemovesTagsAndCustomFieldsOneByOne(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a, err := f.svc.Create(ctx, CreateInput{Emails: []string{"ann@example.org"}, Tags: []string{"Bénévole", "paris"},
		CustomFields: map[string]string{"city": "Lyon", "tshirt": "M"}})
	if err != nil {
		t.Fatal(err)
	}
	name := "Ann"
	m, err := f.svc.Edit(ctx, a.ID, Edit{
		Patch:   Patch{Name: &name},
		AddTags: []string{"speaker", "PARIS"}, RemoveTags: []string{"  benevole "},
		SetFields: map[string]string{"city": "Paris", " team ": "core"}, RemoveFields: []string{"tshirt ", "unknown"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "Ann" || !slices.Equal(m.Tags, []string{"paris", "speaker"}) ||
		!maps.Equal(m.CustomFields, map[string]string{"city": "Paris", "team": "core"}) {
		t.Fatalf("edited: %+v", m)
	}
	if got, _ := f.svc.Get(ctx, a.ID); !slices.Equal(got.Tags, m.Tags) || !maps.Equal(got.CustomFields, m.CustomFields) || got.Name != "Ann" {
		t.Fatalf("stored: %+v", got)
	}
	if n := f.names(t, ListQuery{Tag: "speaker"}); !slices.Equal(n, []string{"Ann"}) {
		t.Fatalf("the tag index does not know the added tag: %v", n)
	}
	if n := f.names(t, ListQuery{Tag: "bénévole"}); len(n) != 0 {
		t.Fatalf("the tag index still has the removed tag: %v", n)
	}
	// Removing what is not there is no error and changes nothing but the date.
	again, err := f.svc.Edit(ctx, a.ID, Edit{RemoveTags: []string{"nope"}, RemoveFields: []string{"nope"}})
	if err != nil || !slices.Equal(again.Tags, m.Tags) || !maps.Equal(again.CustomFields, m.CustomFields) {
		t.Fatalf("idempotent removal: %+v %v", again, err)
	}
}

func TestARefusedEditChangesNothing(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a := f.add(t, "Ann", "ann@example.org", "paris")
	_, err := f.svc.Edit(ctx, a.ID, Edit{AddTags: []string{"ok", strings.Repeat("x", 65)}, RemoveTags: []string{"paris"},
		SetFields: map[string]string{"": "no name"}})
	codes := fieldCodes(err)
	if codes["tags[1]"] != "max" || len(codes) != 2 {
		t.Fatalf("got %v (%v), want the long tag and the nameless field", codes, err)
	}
	if got, _ := f.svc.Get(ctx, a.ID); !slices.Equal(got.Tags, []string{"paris"}) || len(got.CustomFields) != 0 || !got.UpdatedAt.Equal(a.UpdatedAt) {
		t.Fatalf("a refused edit changed the member: %+v", got)
	}
}
