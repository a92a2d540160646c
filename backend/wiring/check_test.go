package wiring

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"
)

// mustBeSound fails the test unless `hearth workspace check` would find nothing wrong.
func mustBeSound(t *testing.T, ctx context.Context, b *Backend, when string) {
	t.Helper()
	rep, err := b.Workspace.Store.Check(ctx)
	if err != nil || !rep.OK {
		t.Fatalf("workspace check %s: %v, %+v", when, err, rep.Findings)
	}
}

// Every collection with indexes is checked both ways, not only members: an index entry that a
// record gives but that was lost is found, named and rebuilt by repair, for every kind of
// record, and a sound workspace with every kind of record (before and after an erasure, see
// TestErasureLeavesNoTraceOfThePersonInAnyKindOfRecord) has nothing to report.
func TestCheckFindsAndRepairRebuildsALostIndexEntryOfEveryKindOfRecord(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w := seedEveryKind(t, ctx, dir)
	mustBeSound(t, ctx, w.b, "after seeding")
	if err := w.b.Close(); err != nil {
		t.Fatal(err)
	}

	// Lose the first secondary index entry of every collection, as a damaged table would. Badger's
	// default options compress with Snappy, as Hearth did before it turned compression off: the
	// check must read such a table with the compression the manifest records for it.
	db, err := badger.Open(badger.DefaultOptions(filepath.Join(dir, "db")).WithLogger(nil).WithCompression(options.Snappy))
	if err != nil {
		t.Fatal(err)
	}
	lost := map[string]string{} // collection -> key
	err = db.Update(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("i/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			key := string(it.Item().KeyCopy(nil))
			coll, _, _ := strings.Cut(strings.TrimPrefix(key, "i/"), "/")
			if _, ok := lost[coll]; !ok {
				lost[coll] = key
			}
		}
		for _, k := range lost {
			if err := txn.Delete([]byte(k)); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	colls := slices.Sorted(func(yield func(string) bool) {
		for c := range lost {
			if !yield(c) {
				return
			}
		}
	})
	// Every kind of record with indexes is in the seeded workspace.
	for _, want := range []string{"activity", "analytics_member", "analytics_member_words", "analytics_thread", "audit",
		"automation_enrolment", "consent_event", "mail_once", "member", "newsletter_delivery", "task"} {
		if !slices.Contains(colls, want) {
			t.Errorf("no index entry of %s in the seeded workspace (it has %v)", want, colls)
		}
	}

	b, err := Open(ctx, Options{Dir: dir, Clock: w.clk})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	rep, err := b.Workspace.Store.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	missing := map[string]bool{}
	for _, f := range rep.Findings {
		if f.Code == "index_missing" && f.Repairable {
			coll, _, _ := strings.Cut(strings.TrimPrefix(f.Key, "i/"), "/")
			missing[coll] = true
		}
	}
	for _, c := range colls {
		if !missing[c] {
			t.Errorf("the lost index entry of %s was not found (findings %+v)", c, rep.Findings)
		}
	}
	if rep, err := b.Workspace.Store.Repair(ctx); err != nil || rep.Repaired < len(colls) {
		t.Fatalf("repair: %v, %d repaired of %d lost", err, rep.Repaired, len(colls))
	}
	mustBeSound(t, ctx, b, "after the repair")
}
