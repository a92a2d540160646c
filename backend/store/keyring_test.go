package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// The keyring's index over its file's bytes finds every key after appends, an erasure and a
// reopening, finds no destroyed one, and reads a subject written twice at its last entry, as
// the map it replaced did.
func TestTheKeyringFindsEveryKeyAfterAppendsErasuresAndReopening(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keyring")
	kr, err := openKeyring(path, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	add := func(from, to int) {
		for i := from; i < to; i++ {
			s := fmt.Sprintf("subject-%05d", i)
			k, ok, err := kr.key(s, true)
			if err != nil || !ok {
				t.Fatal(err)
			}
			want[s] = bytes.Clone(k)
		}
		if _, _, err := kr.flush(true); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		t.Helper()
		if kr.count() != len(want) {
			t.Fatalf("%s: %d keys, want %d", when, kr.count(), len(want))
		}
		for i := range 6000 {
			s := fmt.Sprintf("subject-%05d", i)
			k, ok, err := kr.key(s, false)
			if err != nil || ok != (want[s] != nil) || !bytes.Equal(k, want[s]) {
				t.Fatalf("%s: %s: ok %v, err %v, same key %v", when, s, ok, err, bytes.Equal(k, want[s]))
			}
		}
	}
	reopen := func() {
		var err error
		if kr, err = openKeyring(path, ""); err != nil {
			t.Fatal(err)
		}
	}

	add(0, 3000)
	reopen()
	check("reopened")
	add(3000, 4000) // appended to an indexed file
	var gone []string
	for i := 0; i < 4000; i += 7 { // from the file read at open and from the keys added since
		s := fmt.Sprintf("subject-%05d", i)
		gone = append(gone, s)
		delete(want, s)
	}
	if err := kr.destroy(func(keyringState) error { return nil }, gone...); err != nil {
		t.Fatal(err)
	}
	check("after the erasure")
	add(4000, 4500)
	reopen()
	check("reopened after the erasure")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range gone {
		if bytes.Contains(b, []byte(s)) {
			t.Fatalf("%s is still in the file", s)
		}
	}

	// A subject written twice (by hand: Hearth never does) is read at its last entry.
	again := bytes.Repeat([]byte{7}, 32)
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	var e bytes.Buffer
	writeEntry(&e, "subject-04001", again)
	if _, err := f.Write(e.Bytes()); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	reopen()
	want["subject-04001"] = again
	check("with a subject written twice")
}

// A long import folds the keys it creates into an index over the file as it goes: the keys
// the heap holds stay under foldEvery, and every key is still found, after an erasure and
// after reopening.
func TestTheKeyringFoldsNewKeysIntoTheFileAsAnImportGoesOn(t *testing.T) {
	saved := foldEvery
	foldEvery = 100
	t.Cleanup(func() { foldEvery = saved })
	path := filepath.Join(t.TempDir(), "keyring")
	kr, err := openKeyring(path, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for i := range 1000 {
		s := fmt.Sprintf("member-%04d", i)
		k, _, err := kr.key(s, true)
		if err != nil {
			t.Fatal(err)
		}
		want[s] = bytes.Clone(k)
		if i%30 == 29 { // a transaction's keys written before it commits
			if _, _, err := kr.flush(false); err != nil {
				t.Fatal(err)
			}
			if kr.tail.count() >= foldEvery {
				t.Fatalf("after %d keys the tail holds %d", i+1, kr.tail.count())
			}
		}
	}
	if _, _, err := kr.flush(true); err != nil {
		t.Fatal(err)
	}
	if kr.folded == nil || kr.index.n < 900 {
		t.Fatalf("nothing was folded: %d keys indexed over the file", kr.index.n)
	}
	check := func(when string) {
		t.Helper()
		if kr.count() != len(want) {
			t.Fatalf("%s: %d keys, want %d", when, kr.count(), len(want))
		}
		for i := range 1000 {
			s := fmt.Sprintf("member-%04d", i)
			k, ok, err := kr.key(s, false)
			if err != nil || ok != (want[s] != nil) || !bytes.Equal(k, want[s]) {
				t.Fatalf("%s: %s: ok %v, err %v, same key %v", when, s, ok, err, bytes.Equal(k, want[s]))
			}
		}
	}
	check("folded")
	var gone []string
	for i := 0; i < 1000; i += 9 {
		s := fmt.Sprintf("member-%04d", i)
		gone = append(gone, s)
		delete(want, s)
	}
	if err := kr.destroy(func(keyringState) error { return nil }, gone...); err != nil {
		t.Fatal(err)
	}
	check("after an erasure")
	kr.close()
	if kr, err = openKeyring(path, ""); err != nil {
		t.Fatal(err)
	}
	check("reopened")
	kr.close()
}
