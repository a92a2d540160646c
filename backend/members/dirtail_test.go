package members

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"hearth/backend/store"
)

// bulkMerge merges n new people in batches of 256 as an import does (MergeOptions.Bulk), their
// e-mails numbered from first, and returns the ids created.
func bulkMerge(t *testing.T, f *fixture, first, n int) []string {
	t.Helper()
	var ids []string
	for start := first; start < first+n; start += 256 {
		var rows []CreateInput
		for i := start; i < min(start+256, first+n); i++ {
			rows = append(rows, CreateInput{Name: fmt.Sprintf("Maëlle Importée %d", i), Emails: []string{fmt.Sprintf("m%d@exemple.fr", i)}, Tags: []string{"import"}})
		}
		out, err := f.svc.Merge(context.Background(), rows, MergeOptions{Bulk: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out {
			if m.Outcome != Created {
				t.Fatalf("merge: %+v", m)
			}
			ids = append(ids, m.MemberID)
		}
	}
	return ids
}

// TestABulkMergeListsEveryMemberOnceFlushedAndAgreesWithTheRecords merges more than the tail
// holds, so that it is written both by a batch filling it and by the flush at the end.
func TestABulkMergeListsEveryMemberOnceFlushedAndAgreesWithTheRecords(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	live := []string{f.add(t, "Hélène Dupont", "helene@exemple.fr", "lyon").ID}
	live = append(live, bulkMerge(t, f, 0, tailFlush+700)...)
	if err := f.svc.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	checkBulk(t, f, live, "after a bulk merge")
	f.reopen(t)
	checkBulk(t, f, live, "after reopening")
}

// checkBulk checks the directory against the records entry by entry (workspace check), counts,
// and lists a member of each end of the bulk write by a search.
func checkBulk(t *testing.T, f *fixture, live []string, when string) {
	t.Helper()
	ctx := context.Background()
	if rep, err := f.st.Check(ctx); err != nil || !rep.OK {
		t.Fatalf("%s: workspace check: %v %+v", when, err, rep.Findings)
	}
	if n, err := f.svc.Count(ctx); err != nil || n != len(live) {
		t.Fatalf("%s: count %d (%v), want %d", when, n, err, len(live))
	}
	for _, id := range []string{live[1], live[len(live)-1]} {
		m, err := f.svc.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		p, err := f.svc.List(ctx, ListQuery{Search: m.Emails[0], Limit: 5})
		if err != nil || p.Total != 1 || p.Items[0].ID != id {
			t.Fatalf("%s: a search for %s finds %+v (%v)", when, m.Emails[0], p, err)
		}
	}
}

// TestMembersLeftOutOfTheDirectoryByAProcessThatDiedAreListedByTheNext stops a bulk merge
// without its flush, as a kill does, and reopens the workspace.
func TestMembersLeftOutOfTheDirectoryByAProcessThatDiedAreListedByTheNext(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	live := []string{f.add(t, "Hélène Dupont", "helene@exemple.fr", "lyon").ID}
	live = append(live, bulkMerge(t, f, 0, tailFlush+700)...)
	// The process dies here: its tail was never written. Its store's files are what a kill
	// leaves (Badger recovers the committed transactions).
	f.svc = NewService(f.st, f.clock, f.rec)
	if rep, err := f.st.Check(ctx); err != nil || !rep.OK {
		t.Fatalf("workspace check of the next process: %v %+v", err, rep.Findings)
	}
	f.reopen(t)
	checkBulk(t, f, live, "in the next process")
	var pending string
	err := f.st.View(func(tx *store.Tx) (err error) {
		pending, err = readPending(tx)
		return err
	})
	if err != nil || pending != "" {
		t.Fatalf("pending value left after the catch-up: %q %v", pending, err)
	}
}

// TestEditsAndErasuresDuringABulkMergeApplyToTheMembersItCreated edits, deletes and erases
// members a bulk merge created while their entries are still in its tail, then lets it go on.
func TestEditsAndErasuresDuringABulkMergeApplyToTheMembersItCreated(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	live := []string{f.add(t, "Hélène Dupont", "helene@exemple.fr", "lyon").ID}
	live = append(live, bulkMerge(t, f, 0, 600)...)
	renamed, deleted, erased := live[10], live[20], live[31]
	name := "Solène Renommée"
	if _, err := f.svc.Update(ctx, renamed, Patch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	live = append(live, bulkMerge(t, f, 600, 300)...)
	if _, err := f.svc.Delete(ctx, deleted); err != nil {
		t.Fatal(err)
	}
	live = append(live, bulkMerge(t, f, 900, 300)...)
	if _, err := f.svc.Erase(ctx, erased, EraseOptions{Suppress: true}); err != nil {
		t.Fatal(err)
	}
	live = append(live, bulkMerge(t, f, 1200, 300)...)
	if err := f.svc.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	live = slices.DeleteFunc(live, func(id string) bool { return id == deleted || id == erased })
	checkAgainstReference(t, f, live, "after the bulk merge")
	if got := f.names(t, ListQuery{Search: "solène", Limit: 10}); !slices.Equal(got, []string{name}) {
		t.Fatalf("the renamed member lists as %v", got)
	}
	if got := f.names(t, ListQuery{Search: "m30@exemple.fr", Limit: 10}); len(got) != 0 {
		t.Fatalf("the erased member is still listed: %v", got)
	}
	if rep, err := f.st.Check(ctx); err != nil || !rep.OK {
		t.Fatalf("workspace check: %v %+v", err, rep.Findings)
	}
}
