package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/dgraph-io/badger/v4"
)

type contact struct {
	Email string   `json:"email"`
	Tags  []string `json:"tags"`
}

var contacts = &Collection[contact]{
	Name:    "contact",
	Subject: func(c contact) string { return "person:" + c.Email },
	Indexes: []Index[contact]{
		{Name: "email", Unique: true, Hashed: true, Values: func(c contact) []string { return []string{c.Email} }},
		{Name: "tag", Values: func(c contact) []string { return c.Tags }},
	},
}

func newCheckedStore(t *testing.T) *Store {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	Declare(s, contacts)
	err = s.Update(context.Background(), func(tx *Tx) error {
		for i := range 20 {
			if _, err := Put(tx, contacts, fmt.Sprintf("c%02d", i), contact{Email: fmt.Sprintf("c%02d@example.org", i), Tags: []string{"garden"}}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func rawUpdate(t *testing.T, s *Store, fn func(txn *badger.Txn) error) {
	t.Helper()
	if err := s.db.Update(fn); err != nil {
		t.Fatal(err)
	}
}

func codes(r CheckReport) map[string]int {
	out := map[string]int{}
	for _, f := range r.Findings {
		out[f.Code]++
	}
	return out
}

func TestCheckFindsNothingWrongInASoundStore(t *testing.T) {
	s := newCheckedStore(t)
	r, err := s.Check(context.Background())
	if err != nil || !r.OK || len(r.Findings) != 0 {
		t.Fatalf("%+v %v", r, err)
	}
	if len(r.Collections) != 1 || r.Collections[0].Live != 20 || r.Collections[0].IndexEntries != 40 {
		t.Fatalf("counts %+v", r.Collections)
	}
}

func TestRepairRebuildsIndexEntriesFromTheRecordsAndLeavesDamagedRecordsAlone(t *testing.T) {
	s := newCheckedStore(t)
	ctx := context.Background()
	var emailKey []byte
	_ = s.View(func(tx *Tx) error {
		emailKey = uniqueKey("contact", "email", tx.indexValue(true, "c03@example.org"))
		return nil
	})
	damagedRecord := []byte("not an envelope")
	rawUpdate(t, s, func(txn *badger.Txn) error {
		// A unique entry lost, a secondary one lost, one pointing nowhere, one no record gives,
		// and a record whose bytes are garbage.
		return firstErr(
			txn.Delete(emailKey),
			txn.Delete(indexKey("contact", "tag", "garden", "c04")),
			txn.Set(indexKey("contact", "tag", "garden", "gone"), nil),
			txn.Set(indexKey("contact", "tag", "orchard", "c05"), nil),
			txn.Set(recordKey("contact", "c06"), damagedRecord),
		)
	})
	r, err := s.Check(ctx)
	if err != nil || r.OK {
		t.Fatalf("%+v %v", r, err)
	}
	got := codes(r)
	// c06's own two entries now point to a record that does not decode.
	want := map[string]int{"index_missing": 2, "index_dangling": 3, "index_unexpected": 1, "record_undecodable": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("findings %v, want %v: %+v", got, want, r.Findings)
	}
	if r, err = s.Repair(ctx); err != nil || r.Repaired != 6 {
		t.Fatalf("repair: %+v %v", r, err)
	}
	r, err = s.Check(ctx)
	if err != nil || fmt.Sprint(codes(r)) != fmt.Sprint(map[string]int{"record_undecodable": 1}) {
		t.Fatalf("after the repair: %+v %v", r, err)
	}
	_ = s.View(func(tx *Tx) error {
		item, err := tx.txn.Get(recordKey("contact", "c06"))
		if err != nil {
			t.Fatal(err)
		}
		v, _ := item.ValueCopy(nil)
		if string(v) != string(damagedRecord) {
			t.Fatal("repair changed a record")
		}
		id, err := Lookup(tx, contacts, "email", "c03@example.org")
		if err != nil || id != "c03" {
			t.Fatalf("lookup after repair: %q %v", id, err)
		}
		return nil
	})
}

func TestARecordWhoseKeyWasDestroyedIsShreddedNotDamage(t *testing.T) {
	s := newCheckedStore(t)
	if err := s.keys.destroy(func(keyringState) error { return nil }, "person:c01@example.org"); err != nil {
		t.Fatal(err)
	}
	r, err := s.Check(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if r.Collections[0].Shredded != 1 || r.Collections[0].Live != 19 {
		t.Fatalf("%+v", r.Collections)
	}
	for _, f := range r.Findings {
		if f.Code != "index_unexpected" { // c01's entries: a real erasure deletes them with the record
			t.Fatalf("finding %+v", f)
		}
	}
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestCheckNamesATableWhoseBlockNoLongerMatchesItsChecksum(t *testing.T) {
	dir := t.TempDir()
	s, err := openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	putContacts(t, s, 0, 90)
	if err := s.Close(); err != nil { // the memtable becomes a table
		t.Fatal(err)
	}
	if s, err = openKeyed(t, dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tables, _ := filepath.Glob(filepath.Join(dir, "db", "*.sst"))
	if len(tables) == 0 {
		t.Fatal("no table")
	}
	f, err := os.OpenFile(tables[0], os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("bit rot bit rot!"), 100); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	r, err := s.Check(context.Background())
	if err != nil || r.OK || len(r.Findings) == 0 || r.Findings[0].Code != "table_checksum" ||
		r.Findings[0].Key != "db/"+filepath.Base(tables[0]) {
		t.Fatalf("%+v %v", r, err)
	}
}
