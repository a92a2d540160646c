package members

import (
	"context"
	"errors"
	"fmt"
	"hearth/backend/internal/storetest"
	"slices"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/store"
)

type fixture struct {
	svc   *Service
	st    *store.Store
	dir   string
	clock *clock.Manual
	rec   *notify.Recorder
}

// newTestService runs the member service on a real Badger in a temporary directory.
func newTestService(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: clock.NewManual(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)), rec: &notify.Recorder{}}
	f.open(t)
	return f
}

func (f *fixture) open(t *testing.T) {
	t.Helper()
	st := storetest.Open(t, f.dir, f.clock)
	f.st = st
	f.svc = NewService(st, f.clock, f.rec)
}

func (f *fixture) reopen(t *testing.T) {
	t.Helper()
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	f.open(t)
}

func (f *fixture) add(t *testing.T, name string, email string, tags ...string) Member {
	t.Helper()
	m, err := f.svc.Create(context.Background(), CreateInput{Name: name, Emails: []string{email}, Tags: tags})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	f.clock.Advance(time.Second)
	return m
}

func (f *fixture) names(t *testing.T, q ListQuery) []string {
	t.Helper()
	p, err := f.svc.List(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range p.Items {
		out = append(out, m.Name)
	}
	return out
}

func fieldCodes(err error) map[string]string {
	out := map[string]string{}
	for _, f := range errs.From(err).Fields {
		out[f.Field] = f.Code
	}
	return out
}

func TestCreateStoresATrimmedMemberWithDates(t *testing.T) {
	f := newTestService(t)
	m, err := f.svc.Create(context.Background(), CreateInput{
		Name: "  Hélène Dupont ", Emails: []string{" Helene@Example.org "}, Tags: []string{"bénévole", "Bénévole", " paris "},
		Handles: []Handle{{Platform: "Discord", Handle: "helene#1"}}, CustomFields: map[string]string{" city ": "Lyon"},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Get(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Hélène Dupont" || got.Emails[0] != "Helene@Example.org" || !slices.Equal(got.Tags, []string{"bénévole", "paris"}) ||
		got.Handles[0].Platform != "discord" || got.CustomFields["city"] != "Lyon" || !got.CreatedAt.Equal(f.clock.Now()) {
		t.Fatalf("stored %+v", got)
	}
	if ev := f.rec.Events(); len(ev) != 1 || ev[0].Name != EventChanged {
		t.Fatalf("events %+v, want one %s", ev, EventChanged)
	}
}

func TestSearchIgnoresCaseAndAccents(t *testing.T) {
	f := newTestService(t)
	f.add(t, "Hélène Dupont", "hd@example.org")
	f.add(t, "Marc Lefèvre", "marc@example.org", "Bénévole")
	f.add(t, "Zoë Martin", "zoe@exemple.fr")
	cases := map[string][]string{
		"helene":          {"Hélène Dupont"},
		"HÉLÈNE dup":      {"Hélène Dupont"},
		"lefevre":         {"Marc Lefèvre"},
		"benevole":        {"Marc Lefèvre"}, // tag
		"exemple.fr":      {"Zoë Martin"},   // e-mail
		"example.org":     {"Hélène Dupont", "Marc Lefèvre"},
		"nobody":          nil,
		"  ":              {"Hélène Dupont", "Marc Lefèvre", "Zoë Martin"},
		"marc example":    {"Marc Lefèvre"}, // every word must match
		"zoe martin nope": nil,
	}
	for q, want := range cases {
		if got := f.names(t, ListQuery{Search: q}); !slices.Equal(got, want) {
			t.Errorf("search %q = %v, want %v", q, got, want)
		}
	}
}

func TestSearchFindsPlatformHandles(t *testing.T) {
	f := newTestService(t)
	_, err := f.svc.Create(context.Background(), CreateInput{Name: "Kim", Handles: []Handle{{Platform: "mastodon", Handle: "@kim@social.example"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.names(t, ListQuery{Search: "social.example"}); !slices.Equal(got, []string{"Kim"}) {
		t.Fatalf("got %v", got)
	}
}

func TestEmailsAreUniqueIgnoringCase(t *testing.T) {
	f := newTestService(t)
	first := f.add(t, "Ann", "ann@example.org")
	_, err := f.svc.Create(context.Background(), CreateInput{Name: "Other", Emails: []string{"ANN@Example.ORG"}})
	if !errors.Is(err, errs.Conflict) || errs.From(err).Code != "email_taken" {
		t.Fatalf("got %v, want email_taken conflict", err)
	}
	fe := errs.From(err).Fields[0]
	if fe.Field != "emails[0]" || fe.Code != "unique" || fe.Params["member"] != first.ID {
		t.Fatalf("field error %+v, want emails[0] unique naming %s", fe, first.ID)
	}
	if n, _ := f.svc.Count(context.Background()); n != 1 {
		t.Fatalf("%d members after a refused create", n)
	}
}

func TestUpdateCanKeepItsOwnEmailButNotTakeAnothers(t *testing.T) {
	f := newTestService(t)
	a := f.add(t, "Ann", "ann@example.org")
	f.add(t, "Bob", "bob@example.org")
	name := "Ann Smith"
	emails := []string{"ANN@example.org", "ann.smith@example.org"}
	m, err := f.svc.Update(context.Background(), a.ID, Patch{Name: &name, Emails: &emails})
	if err != nil || m.Name != "Ann Smith" || len(m.Emails) != 2 || !m.UpdatedAt.After(m.CreatedAt) {
		t.Fatalf("update: %+v %v", m, err)
	}
	steal := []string{"ann@example.org", "Bob@example.org"}
	_, err = f.svc.Update(context.Background(), a.ID, Patch{Emails: &steal})
	if codes := fieldCodes(err); codes["emails[1]"] != "unique" {
		t.Fatalf("got %v, want emails[1] unique", err)
	}
	got, _ := f.svc.Get(context.Background(), a.ID)
	if !slices.Equal(got.Emails, emails) {
		t.Fatalf("refused update changed the member: %v", got.Emails)
	}
}

func TestValidationNamesEveryBadField(t *testing.T) {
	f := newTestService(t)
	long := make([]byte, 201)
	for i := range long {
		long[i] = 'a'
	}
	_, err := f.svc.Create(context.Background(), CreateInput{
		Name: string(long), Emails: []string{"not-an-email", "x@example.org", "X@example.org"},
		Handles: []Handle{{Platform: "myspace", Handle: "me"}},
	})
	want := map[string]string{"name": "max", "emails[0]": "email", "emails[2]": "duplicate", "handles[0].platform": "platform"}
	got := fieldCodes(err)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("field %s: got %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if !errors.Is(err, errs.Invalid) {
		t.Fatalf("kind %v, want invalid", errs.KindOf(err))
	}
}

func TestAMemberNeedsAnEmailOrAHandle(t *testing.T) {
	f := newTestService(t)
	_, err := f.svc.Create(context.Background(), CreateInput{Name: "Nobody"})
	if fieldCodes(err)["emails"] != "required" {
		t.Fatalf("got %v", err)
	}
	_, err = f.svc.Create(context.Background(), CreateInput{Name: "Blank", Emails: []string{"   "}})
	if fieldCodes(err)["emails[0]"] != "required" {
		t.Fatalf("blank e-mail: got %v", err)
	}
}

func TestDeleteThenRestoreBringsTheMemberBack(t *testing.T) {
	f := newTestService(t)
	m := f.add(t, "Ann", "ann@example.org", "core")
	deleted, err := f.svc.Delete(context.Background(), m.ID)
	if err != nil || deleted.ID != m.ID {
		t.Fatalf("delete: %+v %v", deleted, err)
	}
	if _, err := f.svc.Get(context.Background(), m.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if got := f.names(t, ListQuery{}); len(got) != 0 {
		t.Fatalf("deleted member still listed: %v", got)
	}
	restored, err := f.svc.Restore(context.Background(), deleted)
	if err != nil || restored.ID != m.ID || !restored.CreatedAt.Equal(m.CreatedAt) {
		t.Fatalf("restore: %+v %v", restored, err)
	}
	if got := f.names(t, ListQuery{Tag: "CORE"}); !slices.Equal(got, []string{"Ann"}) {
		t.Fatalf("after restore: %v", got)
	}
	if _, err := f.svc.Restore(context.Background(), deleted); !errors.Is(err, errs.NotFound) {
		t.Fatalf("restoring a live member: %v, want not found", err)
	}
}

func TestRestoreRefusesAnEmailTakenSinceDeletion(t *testing.T) {
	f := newTestService(t)
	m := f.add(t, "Ann", "ann@example.org")
	deleted, _ := f.svc.Delete(context.Background(), m.ID)
	f.add(t, "New Ann", "ANN@example.org")
	_, err := f.svc.Restore(context.Background(), deleted)
	if fieldCodes(err)["emails[0]"] != "unique" {
		t.Fatalf("got %v, want emails[0] unique", err)
	}
}

func TestDeleteOfAnUnknownMemberIsNotFound(t *testing.T) {
	f := newTestService(t)
	if _, err := f.svc.Delete(context.Background(), "01NOPE"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("got %v", err)
	}
}

func TestListSortsPagesAndCounts(t *testing.T) {
	f := newTestService(t)
	for _, n := range []string{"Émile", "bruno", "Alice", "Chloé", "david"} {
		f.add(t, n, n+"@example.org")
	}
	if got := f.names(t, ListQuery{}); !slices.Equal(got, []string{"Alice", "bruno", "Chloé", "david", "Émile"}) {
		t.Fatalf("by name: %v", got)
	}
	if got := f.names(t, ListQuery{Sort: SortCreated, Desc: true, Limit: 2}); !slices.Equal(got, []string{"david", "Chloé"}) {
		t.Fatalf("newest two: %v", got)
	}
	p, err := f.svc.List(context.Background(), ListQuery{Offset: 3, Limit: 10})
	if err != nil || p.Total != 5 || len(p.Items) != 2 || p.Items[0].Name != "david" || p.Offset != 3 {
		t.Fatalf("page: %+v %v", p, err)
	}
	if _, err := f.svc.List(context.Background(), ListQuery{Sort: "shoe size"}); fieldCodes(err)["sort"] != "oneof" {
		t.Fatalf("bad sort: %v", err)
	}
	if _, err := f.svc.List(context.Background(), ListQuery{Limit: 501}); fieldCodes(err)["limit"] != "max" {
		t.Fatalf("huge limit: %v", err)
	}
}

func TestTagsAreCountedAcrossSpellings(t *testing.T) {
	f := newTestService(t)
	f.add(t, "A", "a@example.org", "Bénévole", "paris")
	f.add(t, "B", "b@example.org", "benevole")
	f.add(t, "C", "c@example.org", "lyon")
	tags, err := f.svc.Tags(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []TagCount{{"Bénévole", 2}, {"lyon", 1}, {"paris", 1}}
	if !slices.Equal(tags, want) {
		t.Fatalf("tags %v, want %v", tags, want)
	}
}

func TestMembersAreStillThereAfterReopening(t *testing.T) {
	f := newTestService(t)
	m := f.add(t, "Hélène Dupont", "helene@example.org", "core")
	f.reopen(t)
	got := f.names(t, ListQuery{Search: "helene"})
	if !slices.Equal(got, []string{"Hélène Dupont"}) {
		t.Fatalf("after reopen: %v", got)
	}
	found, err := f.svc.Find(context.Background(), "HELENE@example.org")
	if err != nil || found.ID != m.ID {
		t.Fatalf("find by e-mail: %+v %v", found, err)
	}
}

func TestCreateManyIsAllOrNothing(t *testing.T) {
	f := newTestService(t)
	f.add(t, "Taken", "taken@example.org")
	batch := []CreateInput{
		{Name: "One", Emails: []string{"one@example.org"}},
		{Name: "Two", Emails: []string{"TAKEN@example.org"}},
		{Name: "Three", Emails: []string{"bad"}},
		{Name: "Four", Emails: []string{"one@example.org"}},
	}
	_, err := f.svc.CreateMany(context.Background(), batch, nil)
	codes := fieldCodes(err)
	if codes["[2].emails[0]"] != "email" || codes["[3].emails[0]"] != "duplicate" {
		t.Fatalf("got %v", err)
	}
	batch = batch[:2]
	_, err = f.svc.CreateMany(context.Background(), batch, nil)
	if fieldCodes(err)["[1].emails[0]"] != "unique" {
		t.Fatalf("got %v", err)
	}
	if n, _ := f.svc.Count(context.Background()); n != 1 {
		t.Fatalf("%d members after refused batches, want 1", n)
	}
}

func TestCreateManyWritesLargeBatchesWithProgress(t *testing.T) {
	f := newTestService(t)
	ins := make([]CreateInput, 3000)
	for i := range ins {
		ins[i] = CreateInput{Name: fmt.Sprintf("Member %d", i), Emails: []string{fmt.Sprintf("m%d@example.org", i)}}
	}
	var last int
	ms, err := f.svc.CreateMany(context.Background(), ins, func(done int) { last = done })
	if err != nil || len(ms) != 3000 || last != 3000 {
		t.Fatalf("created %d, progress %d, err %v", len(ms), last, err)
	}
	f.reopen(t)
	if n, _ := f.svc.Count(context.Background()); n != 3000 {
		t.Fatalf("count after reopen %d", n)
	}
}
