package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dgraph-io/badger/v4"

	"hearth/backend/errs"
)

func openKeyed(t *testing.T, dir string) (*Store, error) {
	t.Helper()
	// With the snapshot directory, as a workspace opens it: the keyring's saved index (keyidx.go)
	// is used from the second open on, and every damage below must be found all the same.
	return Open(Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"), SnapshotDir: filepath.Join(dir, "cache"), GCInterval: -1})
}

func putContacts(t *testing.T, s *Store, from, to int) {
	t.Helper()
	err := s.Update(context.Background(), func(tx *Tx) error {
		for i := from; i < to; i++ {
			if _, err := Put(tx, contacts, fmt.Sprintf("c%02d", i), contact{Email: fmt.Sprintf("c%02d@example.org", i)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func countContacts(t *testing.T, s *Store) int {
	t.Helper()
	n := 0
	if err := s.View(func(tx *Tx) error {
		return Scan(tx, contacts, func(string, contact, Meta) error { n++; return nil })
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestAKeyringRewrittenByAnErasureOpens(t *testing.T) {
	dir := t.TempDir()
	s, err := openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	putContacts(t, s, 0, 10)
	err = s.EraseSubjects(context.Background(), []string{"person:c02@example.org"}, func(tx *Tx) error {
		_, err := Delete(tx, contacts, "c02")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	putContacts(t, s, 10, 12) // appended to the new generation
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = openKeyed(t, dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := countContacts(t, s); n != 11 {
		t.Fatalf("%d contacts", n)
	}
}

func TestACrashInsideAnErasureLeavesAKeyringThatOpens(t *testing.T) {
	dir := t.TempDir()
	s, err := openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	putContacts(t, s, 0, 5)
	// The new generation's witness is recorded, then the process dies before the rename.
	crash := errors.New("killed")
	err = s.keys.destroy(func(st keyringState) error {
		if err := s.db.Update(func(txn *badger.Txn) error { return recordKeyring(txn, st) }); err != nil {
			return err
		}
		return crash
	}, "person:c01@example.org")
	if !errors.Is(err, crash) {
		t.Fatal(err)
	}
	s.keys.path = "" // what a killed process no longer writes
	_ = s.db.Close()
	if s, err = openKeyed(t, dir); err != nil {
		t.Fatalf("the old keyring was refused: %v", err)
	}
	defer s.Close()
	if n := countContacts(t, s); n != 5 {
		t.Fatalf("%d contacts", n)
	}
}

func TestATornKeyringEntryIsCutBeforeTheNextAppend(t *testing.T) {
	dir := t.TempDir()
	s, err := openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	putContacts(t, s, 0, 3)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "keyring"), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte{20, 'x', 'y'}) // a crash mid-append
	_ = f.Close()
	if s, err = openKeyed(t, dir); err != nil {
		t.Fatal(err)
	}
	putContacts(t, s, 3, 6)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s, err = openKeyed(t, dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := countContacts(t, s); n != 6 {
		t.Fatalf("%d contacts", n)
	}
}

func TestAKeyringCutShortIsRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	putContacts(t, s, 0, 10)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(filepath.Join(dir, "keyring"))
	if err := os.Truncate(filepath.Join(dir, "keyring"), st.Size()-40); err != nil {
		t.Fatal(err)
	}
	_, err = openKeyed(t, dir)
	if errs.From(err).Code != CodeKeyringDamaged {
		t.Fatalf("got %v", err)
	}
}

func TestAWorkspaceFromBeforeWitnessesWithoutItsKeyringIsRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	putContacts(t, s, 0, 5)
	// What a version without witnesses left: no s/keyring/ entry.
	rawUpdate(t, s, func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: keyringCheckPrefix})
		var keys [][]byte
		for it.Rewind(); it.Valid(); it.Next() {
			keys = append(keys, it.Item().KeyCopy(nil))
		}
		it.Close()
		for _, k := range keys {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	s.keys.path = "" // nor does the close write one
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "keyring")); err != nil {
		t.Fatal(err)
	}
	_, err = openKeyed(t, dir)
	if errs.From(err).Code != CodeKeyringDamaged {
		t.Fatalf("got %v", err)
	}
}
