package store

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hearth/backend/clock"
)

// TestABackupTakenWhileWritesHappenIsConsistent writes pairs of notes, each pair in one
// transaction, while backups are taken: every backup holds both notes of a pair or neither.
func TestABackupTakenWhileWritesHappenIsConsistent(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	var stop atomic.Bool
	var wg sync.WaitGroup
	var written atomic.Int64
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				id := fmt.Sprintf("w%d-%06d", w, i)
				err := s.Update(ctx, func(tx *Tx) error {
					if _, err := Put(tx, notes, id+"-a", note{Title: "a", Tags: []string{"pair"}}); err != nil {
						return err
					}
					_, err := Put(tx, notes, id+"-b", note{Title: "b", Tags: []string{"pair"}})
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
				written.Add(1)
			}
		}()
	}
	for written.Load() < 200 {
		time.Sleep(time.Millisecond)
	}
	for round := 0; round < 3; round++ {
		var buf bytes.Buffer
		if _, err := s.Backup(&buf); err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(t.TempDir(), "restored")
		if err := LoadBackup(dir, &buf); err != nil {
			t.Fatal(err)
		}
		r, err := Open(Options{Dir: dir, Clock: clock.System{}, GCInterval: -1})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]int{}
		var indexed []string
		err = r.View(func(tx *Tx) error {
			if indexed, err = IDsByIndex(tx, notes, "tag", "pair"); err != nil {
				return err
			}
			return Scan(tx, notes, func(id string, _ note, _ Meta) error {
				seen[id[:len(id)-2]]++
				return nil
			})
		})
		_ = r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) == 0 || len(indexed) != 2*len(seen) {
			t.Fatalf("round %d: %d pairs, %d index entries", round, len(seen), len(indexed))
		}
		for id, n := range seen {
			if n != 2 {
				t.Fatalf("round %d: pair %s has %d notes in the backup", round, id, n)
			}
		}
	}
	stop.Store(true)
	wg.Wait()
}

// TestReconcileKeepsTheErasuresMadeAfterTheBackup: a subject whose key is gone from the live
// keyring has only tombstones in the restored database, without index entries, and the live
// suppression entries are copied in.
func TestReconcileKeepsTheErasuresMadeAfterTheBackup(t *testing.T) {
	s, _ := newTestStore(t)
	ctx := context.Background()
	sealed := &Collection[note]{Name: "sealed_note", Subject: func(n note) string { return n.Owner },
		Indexes: []Index[note]{{Name: "owner", Values: func(n note) []string { return []string{n.Owner} }},
			{Name: "text", Unique: true, Values: func(n note) []string { return []string{n.Title} }}}}
	for _, n := range []note{{Owner: "ann", Title: "a"}, {Owner: "bob", Title: "b"}} {
		if err := s.Update(ctx, func(tx *Tx) error { _, err := Put(tx, sealed, n.Owner, n); return err }); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	err := s.EraseSubjects(ctx, []string{"ann"}, func(tx *Tx) error {
		if _, err := Delete(tx, sealed, "ann"); err != nil {
			return err
		}
		return Suppress(tx, "email", "ann@example.org")
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if err := LoadBackup(dir, &buf); err != nil {
		t.Fatal(err)
	}
	rec, err := s.Reconcile(dir, ReconcileOptions{})
	if err != nil || rec.Suppressions != 1 || len(rec.Subjects) != 1 || rec.Subjects[0] != "ann" {
		t.Fatalf("%+v %v", rec, err)
	}
	// The restored database with the live keys (sharing the live store's keyring).
	r, err := Open(Options{Dir: dir, GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	r.keys = s.keys
	err = r.View(func(tx *Tx) error {
		if gone, err := Suppressed(tx, "email", "ann@example.org"); err != nil || !gone {
			return fmt.Errorf("suppression not restored: %v %v", gone, err)
		}
		if _, dead, err := Tombstone(tx, sealed, "ann"); err != nil || !dead {
			return fmt.Errorf("ann is not a tombstone: %v %v", dead, err)
		}
		if ids, _ := IDsByIndex(tx, sealed, "owner", "ann"); len(ids) != 0 {
			return fmt.Errorf("ann's index entries: %v", ids)
		}
		if _, err := Lookup(tx, sealed, "text", "a"); err == nil {
			return fmt.Errorf("ann's unique entry is still there")
		}
		if b, _, err := Get(tx, sealed, "bob"); err != nil || b.Title != "b" {
			return fmt.Errorf("bob: %+v %v", b, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
