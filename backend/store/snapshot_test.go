package store

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/backend/clock"
)

// snapStore opens the store of dir with snapshots kept in dir/cache; view is what the
// registered view "names" saves (nil: the view is not loaded).
func snapStore(t *testing.T, dir string, view *[]byte) *Store {
	t.Helper()
	s, err := Open(Options{
		Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"), SnapshotDir: filepath.Join(dir, "cache"),
		Clock: clock.NewManual(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), GCInterval: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	s.RegisterSnapshot("names", []string{notes.Name}, func(w io.Writer) (bool, error) {
		if *view == nil {
			return false, nil
		}
		_, err := w.Write(*view)
		return true, err
	})
	return s
}

func closeStore(t *testing.T, s *Store) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestASavedViewIsReadBackByTheNextOpenAndSealed(t *testing.T) {
	dir := t.TempDir()
	view := []byte("Hélène Dupont, Camille Martin")
	s := snapStore(t, dir, &view)
	putNote(t, s, "n1", note{Title: "a", Owner: "x"})
	closeStore(t, s)

	raw, err := os.ReadFile(filepath.Join(dir, "cache", "names.snap"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("Dupont")) {
		t.Fatal("the snapshot holds names in clear")
	}
	if fi, _ := os.Stat(filepath.Join(dir, "cache", "names.snap")); fi.Mode().Perm() != 0o600 {
		t.Fatalf("snapshot mode %v, want 0600", fi.Mode().Perm())
	}

	var none []byte
	s = snapStore(t, dir, &none)
	defer closeStore(t, s)
	got, ok := s.LoadSnapshot("names")
	if !ok || string(got) != string(view) {
		t.Fatalf("LoadSnapshot = %q, %v; want the saved view", got, ok)
	}
}

func TestAWriteAfterTheSnapshotMakesItStale(t *testing.T) {
	dir := t.TempDir()
	view := []byte("v1")
	s := snapStore(t, dir, &view)
	closeStore(t, s)

	// A process that does not load the view but writes its collection: the view is dropped.
	var none []byte
	s = snapStore(t, dir, &none)
	putNote(t, s, "n1", note{Title: "a", Owner: "x"})
	if _, ok := s.LoadSnapshot("names"); ok {
		t.Fatal("a snapshot older than a write was used")
	}
	closeStore(t, s)
	s = snapStore(t, dir, &none)
	defer closeStore(t, s)
	if _, ok := s.LoadSnapshot("names"); ok {
		t.Fatal("a snapshot was carried over a write to its collection")
	}
}

func TestWritesToOtherCollectionsCarryTheSnapshotForward(t *testing.T) {
	dir := t.TempDir()
	view := []byte("v1")
	s := snapStore(t, dir, &view)
	closeStore(t, s)

	var none []byte
	s = snapStore(t, dir, &none)
	other := &Collection[note]{Name: "other"}
	if err := s.Update(context.Background(), func(tx *Tx) error { _, err := Put(tx, other, "o1", note{Title: "b"}); return err }); err != nil {
		t.Fatal(err)
	}
	closeStore(t, s)
	s = snapStore(t, dir, &none)
	defer closeStore(t, s)
	if got, ok := s.LoadSnapshot("names"); !ok || string(got) != "v1" {
		t.Fatalf("LoadSnapshot = %q, %v; want the view carried forward", got, ok)
	}
}

// TestARejectedSnapshotIsReplacedNotCarriedForward is a view whose loader refuses the snapshot
// (made by another version of it) in a process that writes none of its collections: close saves
// the view built instead, and the next process gets that one.
func TestARejectedSnapshotIsReplacedNotCarriedForward(t *testing.T) {
	dir := t.TempDir()
	view := []byte("made the old way")
	s := snapStore(t, dir, &view)
	closeStore(t, s)

	rebuilt := []byte("made the new way")
	s = snapStore(t, dir, &rebuilt)
	if got, ok := s.LoadSnapshot("names"); !ok || string(got) != "made the old way" {
		t.Fatalf("LoadSnapshot = %q, %v", got, ok)
	}
	s.RejectSnapshot("names")
	closeStore(t, s)

	var none []byte
	s = snapStore(t, dir, &none)
	defer closeStore(t, s)
	if got, ok := s.LoadSnapshot("names"); !ok || string(got) != "made the new way" {
		t.Fatalf("LoadSnapshot = %q, %v; want the view built after the refusal", got, ok)
	}
}

func TestAnErasureDestroysEverySnapshot(t *testing.T) {
	dir := t.TempDir()
	view := []byte("Hélène")
	s := snapStore(t, dir, &view)
	closeStore(t, s)
	keyring, _ := os.ReadFile(filepath.Join(dir, "keyring"))

	var none []byte
	s = snapStore(t, dir, &none)
	if err := s.EraseSubjects(context.Background(), []string{"somebody"}, func(*Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "cache", "names.snap")); !os.IsNotExist(err) {
		t.Fatalf("the snapshot survived an erasure: %v", err)
	}
	if _, ok, _ := s.keys.key(snapshotSubject, false); ok {
		t.Fatal("the snapshots' key survived an erasure")
	}
	closeStore(t, s)
	if after, _ := os.ReadFile(filepath.Join(dir, "keyring")); bytes.Equal(after, keyring) {
		t.Fatal("the keyring was not rewritten")
	}
}

func TestADamagedSnapshotIsIgnored(t *testing.T) {
	dir := t.TempDir()
	view := []byte("v1")
	s := snapStore(t, dir, &view)
	closeStore(t, s)
	path := filepath.Join(dir, "cache", "names.snap")
	raw, _ := os.ReadFile(path)
	for _, damaged := range [][]byte{nil, raw[:6], append(raw[:len(raw)-1:len(raw)-1], raw[len(raw)-1]^1)} {
		if err := os.WriteFile(path, damaged, 0o600); err != nil {
			t.Fatal(err)
		}
		var none []byte
		s = snapStore(t, dir, &none)
		if got, ok := s.LoadSnapshot("names"); ok {
			t.Errorf("damaged snapshot %x read as %q", damaged, got)
		}
		closeStore(t, s)
	}
}

// A process that loaded a view and wrote none of its collections restamps the snapshot at
// close instead of sealing and writing the whole view again (a search then closing cost 400 ms
// at 100,000 members); the next process can still use it. Once a write concerns the view, the
// loaded view is saved in full.
func TestALoadedViewThatDidNotChangeIsRestampedNotRewritten(t *testing.T) {
	dir := t.TempDir()
	view := []byte("v1")
	s := snapStore(t, dir, &view)
	closeStore(t, s)
	path := filepath.Join(dir, "cache", "names.snap")
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	changed := []byte("v2: what save would write") // a save here would be seen in the file
	s = snapStore(t, dir, &changed)
	if got, ok := s.LoadSnapshot("names"); !ok || string(got) != "v1" {
		t.Fatalf("LoadSnapshot = %q, %v", got, ok)
	}
	other := &Collection[note]{Name: "other"}
	if err := s.Update(context.Background(), func(tx *Tx) error { _, err := Put(tx, other, "o1", note{Title: "b"}); return err }); err != nil {
		t.Fatal(err)
	}
	closeStore(t, s)
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(after[12:], before[12:]) || bytes.Equal(after[:12], before[:12]) {
		t.Fatal("the snapshot was not restamped in place (its view was written again, or its version not moved)")
	}
	s = snapStore(t, dir, &changed)
	if got, ok := s.LoadSnapshot("names"); !ok || string(got) != "v1" {
		t.Fatalf("after restamping: LoadSnapshot = %q, %v", got, ok)
	}
	putNote(t, s, "n1", note{Title: "a", Owner: "x"})
	closeStore(t, s)
	var none []byte
	s = snapStore(t, dir, &none)
	defer closeStore(t, s)
	if got, ok := s.LoadSnapshot("names"); !ok || string(got) != string(changed) {
		t.Fatalf("after a write to its collection: LoadSnapshot = %q, %v; want the loaded view saved", got, ok)
	}
}
