package members

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
)

func TestMergePeopleGivesTheKeptMemberEverythingAndKeepsItsConflictingField(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	keep, err := f.svc.Create(ctx, CreateInput{Name: "Camille Martin", Emails: []string{"camille@example.org"}, Tags: []string{"bénévole"},
		Handles: []Handle{{Platform: "discourse", Handle: "camille"}}, CustomFields: map[string]string{"city": "Lyon"}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := f.svc.Create(ctx, CreateInput{Name: "camille", Emails: []string{"cm@perso.example"}, Tags: []string{"Bénévole", "lyon"},
		Handles: []Handle{{Platform: "discord", Handle: "camille"}}, CustomFields: map[string]string{"city": "Paris", "job": "baker"}})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := f.svc.MergePeople(ctx, keep.ID, other.ID, PeopleMergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.svc.Get(ctx, keep.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Emails) != 2 || got.Emails[0] != "camille@example.org" || len(got.Handles) != 2 || len(got.Tags) != 2 ||
		got.CustomFields["city"] != "Lyon" || got.CustomFields["job"] != "baker" || got.Name != "Camille Martin" {
		t.Fatalf("kept member %+v", got)
	}
	if len(rec.Conflicts) != 1 || rec.Conflicts[0] != (FieldConflict{Field: "city", Kept: "Lyon", Other: "Paris"}) {
		t.Fatalf("conflicts %+v", rec.Conflicts)
	}
	if _, err := f.svc.Get(ctx, other.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("other still there: %v", err)
	}
	if id, err := f.svc.FindID(ctx, "CM@perso.example"); err != nil || id != keep.ID {
		t.Fatalf("the other's e-mail finds %q %v", id, err)
	}
	if names := f.names(t, ListQuery{Search: "camille"}); len(names) != 1 {
		t.Fatalf("list after merge: %v", names)
	}
	if _, err := f.svc.MergePeople(ctx, keep.ID, keep.ID, PeopleMergeOptions{}); !errors.Is(err, errs.Invalid) {
		t.Fatalf("merge into itself: %v", err)
	}
}

// randomInput is a member with random e-mails, handles, tags and custom fields; i keeps its
// e-mails and handles apart from other members'.
func randomInput(r *rand.Rand, i int) CreateInput {
	in := CreateInput{Name: []string{"", "Camille Martin", "Zoë Lefèvre", "Noël"}[r.IntN(4)], CustomFields: map[string]string{}}
	for j := range r.IntN(3) {
		in.Emails = append(in.Emails, fmt.Sprintf("p%d.%d@example.org", i, j))
	}
	for j, p := range []string{"discourse", "discord", "mastodon"} {
		if r.IntN(2) == 0 {
			in.Handles = append(in.Handles, Handle{Platform: p, Handle: fmt.Sprintf("h%d_%d", i, j)})
		}
	}
	if len(in.Emails) == 0 && len(in.Handles) == 0 {
		in.Emails = []string{fmt.Sprintf("only%d@example.org", i)}
	}
	for range r.IntN(4) {
		in.Tags = append(in.Tags, []string{"bénévole", "Lyon", "ambassadeur", "paris", "Équipe"}[r.IntN(5)])
	}
	for range r.IntN(4) {
		in.CustomFields[[]string{"city", "job", "since", "url"}[r.IntN(4)]] = fmt.Sprintf("v%d", r.IntN(3))
	}
	if r.IntN(2) == 0 {
		in.Notes = fmt.Sprintf("note %d", i)
	}
	return in
}

func TestMergeThenUnmergeRestoresBothMembersExactly(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(15, 1))
	for round := range 40 {
		a, err := f.svc.Create(ctx, randomInput(r, 2*round))
		if err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(time.Minute)
		b, err := f.svc.Create(ctx, randomInput(r, 2*round+1))
		if err != nil {
			t.Fatal(err)
		}
		a, _ = f.svc.Get(ctx, a.ID)
		b, _ = f.svc.Get(ctx, b.ID)
		if r.IntN(2) == 0 {
			a, b = b, a
		}
		f.clock.Advance(time.Hour)
		rec, err := f.svc.MergePeople(ctx, a.ID, b.ID, PeopleMergeOptions{})
		if err != nil {
			t.Fatalf("round %d: merge: %v", round, err)
		}
		ref := rec.ID
		if round%2 == 1 {
			ref = a.ID // by the kept member
		}
		f.clock.Advance(time.Hour)
		if _, err := f.svc.UnmergePeople(ctx, ref); err != nil {
			t.Fatalf("round %d: unmerge: %v", round, err)
		}
		for _, want := range []Member{a, b} {
			got, err := f.svc.Get(ctx, want.ID)
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			if !reflect.DeepEqual(normal(got), normal(want)) {
				t.Fatalf("round %d: after unmerge\n got %+v\nwant %+v", round, got, want)
			}
		}
	}
	if _, err := f.svc.UnmergePeople(ctx, "nothing-merged"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("unmerge of nothing: %v", err)
	}
}

// normal makes nil and empty collections compare equal (JSON decoding gives either).
func normal(m Member) Member {
	if len(m.Emails) == 0 {
		m.Emails = nil
	}
	if len(m.Handles) == 0 {
		m.Handles = nil
	}
	if len(m.Tags) == 0 {
		m.Tags = nil
	}
	if len(m.CustomFields) == 0 {
		m.CustomFields = nil
	}
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return m
}

func TestUnmergeAfterAnEditTakesOffOnlyWhatCameFromTheOther(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a := f.add(t, "Camille Martin", "camille@example.org", "bénévole")
	b := f.add(t, "Camille", "cm@perso.example", "lyon")
	if _, err := f.svc.MergePeople(ctx, a.ID, b.ID, PeopleMergeOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Edit(ctx, a.ID, Edit{AddTags: []string{"ambassadeur"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.UnmergePeople(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.Get(ctx, a.ID)
	if len(got.Emails) != 1 || fmt.Sprint(got.Tags) != "[bénévole ambassadeur]" {
		t.Fatalf("kept member after unmerge: %+v", got)
	}
	back, err := f.svc.Get(ctx, b.ID)
	if err != nil || !reflect.DeepEqual(normal(back), normal(b)) {
		t.Fatalf("other after unmerge: %+v %v", back, err)
	}
}

func TestMergesChainAndUndoInTurn(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a := f.add(t, "Camille Martin", "a@example.org", "un")
	b := f.add(t, "Camille", "b@example.org", "deux")
	c := f.add(t, "C. Martin", "c@example.org", "trois")
	first, err := f.svc.MergePeople(ctx, a.ID, b.ID, PeopleMergeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	aMerged, _ := f.svc.Get(ctx, a.ID)
	if _, err := f.svc.MergePeople(ctx, c.ID, a.ID, PeopleMergeOptions{}); err != nil {
		t.Fatal(err)
	}
	got, _ := f.svc.Get(ctx, c.ID)
	if len(got.Emails) != 3 || len(got.Tags) != 3 {
		t.Fatalf("the last kept member %+v", got)
	}
	// a's own merge cannot be undone while a is merged away.
	if _, err := f.svc.UnmergePeople(ctx, first.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("undoing a merge whose kept member is gone: %v", err)
	}
	if _, err := f.svc.UnmergePeople(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if back, _ := f.svc.Get(ctx, a.ID); !reflect.DeepEqual(normal(back), normal(aMerged)) {
		t.Fatalf("a after the second unmerge: %+v", back)
	}
	if _, err := f.svc.UnmergePeople(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	for _, want := range []Member{a, b, c} {
		if got, _ := f.svc.Get(ctx, want.ID); !reflect.DeepEqual(normal(got), normal(want)) {
			t.Fatalf("after both unmerges\n got %+v\nwant %+v", got, want)
		}
	}
}

// flakyMover names one record of each member and fails its first move after a merge's
// transaction, as a crash between the two would leave it.
type flakyMover struct {
	fail  bool
	moves []string // "<ids> -> <to>"
}

func (m *flakyMover) mover() Mover {
	return Mover{Kind: "flaky",
		List: func(_ *store.Tx, of string) ([]string, error) { return []string{"rec-of-" + of}, nil },
		PointAtAfter: func(_ context.Context, ids []string, to string) error {
			if m.fail {
				m.fail = false
				return errors.New("cut short")
			}
			m.moves = append(m.moves, fmt.Sprint(ids, " -> ", to))
			return nil
		}}
}

func TestAMergeOrUnmergeCutShortIsFinishedLater(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	fm := &flakyMover{fail: true}
	f.svc.SetMovers(fm.mover())
	a := f.add(t, "Camille Martin", "a@example.org")
	b := f.add(t, "Camille", "b@example.org")
	if _, err := f.svc.MergePeople(ctx, a.ID, b.ID, PeopleMergeOptions{}); err == nil {
		t.Fatal("the failed move was not reported")
	}
	if ms, _ := f.svc.Merges(ctx, a.ID); len(ms) != 1 || !ms[0].Pending {
		t.Fatalf("merges %+v, want one pending", ms)
	}
	f.reopen(t)
	f.svc.SetMovers(fm.mover())
	if err := f.svc.FinishMerges(ctx); err != nil {
		t.Fatal(err)
	}
	if ms, _ := f.svc.Merges(ctx, a.ID); len(ms) != 1 || ms[0].Pending || fmt.Sprint(fm.moves) != "[[rec-of-"+b.ID+"] -> "+a.ID+"]" {
		t.Fatalf("merges %+v, moves %v", ms, fm.moves)
	}
	fm.fail = true
	if _, err := f.svc.UnmergePeople(ctx, a.ID); err == nil {
		t.Fatal("the failed move back was not reported")
	}
	if _, err := f.svc.Get(ctx, b.ID); err != nil {
		t.Fatalf("the other member is not back: %v", err)
	}
	if ms, _ := f.svc.Merges(ctx, a.ID); len(ms) != 0 {
		t.Fatalf("a merge being undone is still listed: %+v", ms)
	}
	if err := f.svc.FinishMerges(ctx); err != nil {
		t.Fatal(err)
	}
	if len(fm.moves) != 2 || fm.moves[1] != "[rec-of-"+b.ID+"] -> "+b.ID {
		t.Fatalf("moves %v", fm.moves)
	}
	if err := f.svc.FinishMerges(ctx); err != nil || len(fm.moves) != 2 {
		t.Fatalf("finishing twice: %v %v", err, fm.moves)
	}
}
