package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestTheSavedKeyringIndexOpensTheSameKeysAsTheKeyring follows the keyring's index through what a
// workspace lives: saved at close, used by the next open, keys appended after it (and after a
// process that never closed), an erasure that rewrites the keyring, a damaged index file. After
// each, every contact written reads back, the erased one does not, and the index was used when
// it should be.
func TestTheSavedKeyringIndexOpensTheSameKeysAsTheKeyring(t *testing.T) {
	dir := t.TempDir()
	idx := filepath.Join(dir, "cache", "keyring.idx")
	reopen := func(s *Store) *Store {
		t.Helper()
		if s != nil {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
		}
		s, err := openKeyed(t, dir)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	s := reopen(nil)
	putContacts(t, s, 0, 40)
	s = reopen(s)
	if s.keys.saved == nil || s.keys.tail.count() != 0 {
		t.Fatalf("the second open did not use the saved index (saved %v, %d keys indexed by hand)", s.keys.saved, s.keys.tail.count())
	}
	if n := countContacts(t, s); n != 40 {
		t.Fatalf("%d contacts read with the saved index, want 40", n)
	}

	// Keys appended, then a process that stops without closing (the index is not saved again):
	// the next open indexes only the keys after the saved index, and finds them all.
	putContacts(t, s, 40, 70)
	if _, _, err := s.keys.flush(true); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Close(); err != nil { // a kill: no witness, no index saved
		t.Fatal(err)
	}
	s = reopen(nil)
	if n := countContacts(t, s); n != 70 {
		t.Fatalf("after keys appended past the saved index: %d contacts, want 70", n)
	}
	if s.keys.tail.count() != 30 {
		t.Fatalf("%d keys indexed past the saved index, want the 30 appended", s.keys.tail.count())
	}

	// An erasure rewrites the keyring: the old index is dropped at once, a new one saved at close.
	err := s.EraseSubjects(context.Background(), []string{"person:c05@example.org"}, func(tx *Tx) error {
		_, err := Delete(tx, contacts, "c05")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(idx); !os.IsNotExist(err) {
		t.Fatalf("the index of the keyring before the erasure is still there: %v", err)
	}
	s = reopen(s)
	if n := countContacts(t, s); n != 69 || s.keys.saved == nil {
		t.Fatalf("after the erasure: %d contacts (want 69), saved index used: %v", n, s.keys.saved != nil)
	}
	err = s.View(func(tx *Tx) error {
		if tx.HasKey("person:c05@example.org") {
			return fmt.Errorf("the erased person's key is found through the index")
		}
		if !tx.HasKey("person:c06@example.org") {
			return fmt.Errorf("a kept person's key is not found through the index")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// A damaged index file is only a slower open.
	b, err := os.ReadFile(idx)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x40
	if err := os.WriteFile(idx, b, 0o600); err != nil {
		t.Fatal(err)
	}
	s = reopen(nil)
	if n := countContacts(t, s); n != 69 || s.keys.saved != nil {
		t.Fatalf("with a damaged index: %d contacts (want 69), damaged index used: %v", n, s.keys.saved != nil)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// A damaged keyring beside a good index is still refused at open, naming the keyring.
	if _, err := os.Stat(idx); err != nil {
		t.Fatalf("no index saved: %v", err)
	}
	kpath := filepath.Join(dir, "keyring")
	k, err := os.ReadFile(kpath)
	if err != nil {
		t.Fatal(err)
	}
	k[len(k)/3] ^= 0x01
	if err := os.WriteFile(kpath, k, 0o600); err != nil {
		t.Fatal(err)
	}
	if s, err := openKeyed(t, dir); err == nil || !IsDamage(err) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("a keyring with a changed byte opened: %v", err)
	}
}

// TestASavedKeyringIndexIsReadOnlyWhereALookupGoes opens a keyring of 20,000 keys through its
// saved index: nothing of the index is checked before a lookup needs it, every key reads back,
// a damaged chunk of the index makes the keyring index itself again (every key still right),
// and a keyring changed behind the index's back, its modification time put back as it was, is
// not trusted on its file's identity.
func TestASavedKeyringIndexIsReadOnlyWhereALookupGoes(t *testing.T) {
	dir := t.TempDir()
	path, idx := filepath.Join(dir, "keyring"), filepath.Join(dir, "keyring.idx")
	const n = 20_000
	subject := func(i int) string { return fmt.Sprintf("person:%05d@example.org", i) }
	kr, err := openKeyring(path, idx)
	if err != nil {
		t.Fatal(err)
	}
	want := make([][]byte, n)
	for i := range n {
		if want[i], _, err = kr.key(subject(i), true); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := kr.flush(true); err != nil {
		t.Fatal(err)
	}
	if err := kr.saveIndex(idx, kr.state()); err != nil {
		t.Fatal(err)
	}
	kr.close()

	reopen := func() *keyring {
		t.Helper()
		kr, err := openKeyring(path, idx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(kr.close)
		return kr
	}
	readAll := func(kr *keyring, what string) {
		t.Helper()
		for i := range n {
			k, ok, err := kr.key(subject(i), false)
			if err != nil || !ok || string(k) != string(want[i]) {
				t.Fatalf("%s: key %d read back %x (found %v, %v), want %x", what, i, k, ok, err, want[i])
			}
		}
	}

	kr = reopen()
	if kr.saved == nil || kr.index.lazy == nil {
		t.Fatal("the saved index was not used")
	}
	chunks := len(kr.index.lazy.state)
	if chunks < 4 {
		t.Fatalf("%d chunks: the test needs several", chunks)
	}
	checked := func() (c int) {
		for _, st := range kr.index.lazy.state {
			if st != 0 {
				c++
			}
		}
		return c
	}
	if c := checked(); c != 0 {
		t.Fatalf("%d chunks of the index read at open, want none", c)
	}
	if _, ok, _ := kr.key(subject(7), false); !ok {
		t.Fatal("a key is not found through the saved index")
	}
	if c := checked(); c < 1 || c > 2 {
		t.Fatalf("one lookup checked %d of %d chunks, want the one or two it read", c, chunks)
	}
	readAll(kr, "through the saved index")

	// One byte of the index's slots changed: found when a lookup reads its chunk, and the
	// keyring indexes its own bytes instead.
	b, err := os.ReadFile(idx)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-8*chunkSlots-5] ^= 0x10 // in the last whole chunk
	if err := os.WriteFile(idx, b, 0o600); err != nil {
		t.Fatal(err)
	}
	kr = reopen()
	if kr.saved == nil {
		t.Fatal("a damaged chunk was found at open: chunks are to be checked when read")
	}
	readAll(kr, "with a damaged chunk of the saved index")
	if kr.index.lazy != nil || kr.saved != nil {
		t.Fatal("the damaged index is still in use")
	}

	// The keyring changed and its modification time set back: its status change time tells.
	if err := os.WriteFile(idx, func() []byte { b[len(b)-8*chunkSlots-5] ^= 0x10; return b }(), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	k, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	k[len(k)/2] ^= 0x01
	if err := os.WriteFile(path, k, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if changeTime(st) == 0 {
		return // no status change time on this system: the modification time alone is trusted
	}
	if kr = reopen(); kr.saved != nil {
		t.Fatal("a keyring changed behind its saved index was trusted on its modification time")
	}
}

// TestASessionThatOnlyReadsLeavesTheWorkspaceAsItWas opens a workspace, reads every record and
// closes it, three times: no table is added to the database, and neither the keyring nor its
// saved index is written (a search must not make the next open slower).
func TestASessionThatOnlyReadsLeavesTheWorkspaceAsItWas(t *testing.T) {
	dir := t.TempDir()
	s, err := openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	putContacts(t, s, 0, 50)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	listing := func() map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, sub := range []string{"db", "cache", "."} {
			entries, err := os.ReadDir(filepath.Join(dir, sub))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if e.IsDir() || (sub == "db" && filepath.Ext(e.Name()) != ".sst") || (sub == "cache" && e.Name() == "tables.verified") {
					continue // Badger starts a new value log and rewrites its manifest at every open
				}
				st, err := e.Info()
				if err != nil {
					t.Fatal(err)
				}
				out[filepath.Join(sub, e.Name())] = fmt.Sprint(st.Size(), st.ModTime().UnixNano(), changeTime(st))
			}
		}
		return out
	}
	// The first session after the writes may save what the next opens use.
	s, err = openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	countContacts(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := listing()
	for range 3 {
		s, err := openKeyed(t, dir)
		if err != nil {
			t.Fatal(err)
		}
		if n := countContacts(t, s); n != 50 {
			t.Fatalf("%d contacts, want 50", n)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
	after := listing()
	for name, was := range before {
		if after[name] != was {
			t.Errorf("%s changed in sessions that only read: %s, then %s", name, was, after[name])
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s appeared in sessions that only read", name)
		}
	}
}

// TestTablesWrittenByAProcessAreNotReadBackByTheNext closes a workspace after writes: every
// table it wrote is on the verified list (the next open does not read it back), and a table
// changed after the close is still checked, and refused, at the next open.
func TestTablesWrittenByAProcessAreNotReadBackByTheNext(t *testing.T) {
	dir := t.TempDir()
	s, err := openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	putContacts(t, s, 0, 90)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	known := readVerifiedTables(filepath.Join(dir, "cache"))
	entries, err := os.ReadDir(filepath.Join(dir, "db"))
	if err != nil {
		t.Fatal(err)
	}
	var table string
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".sst" {
			continue
		}
		var id uint64
		fmt.Sscanf(e.Name(), "%d.sst", &id)
		st, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		if !known[tableFingerprint(id, st)] {
			t.Errorf("%s, written by the process, is not on the verified list", e.Name())
		}
		table = filepath.Join(dir, "db", e.Name())
	}
	if table == "" {
		t.Fatal("the close wrote no table")
	}
	b, err := os.ReadFile(table)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/3] ^= 0x20
	if err := os.WriteFile(table, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err := openKeyed(t, dir); err == nil || !IsDamage(err) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("a table changed after the close opened: %v", err)
	}
}
