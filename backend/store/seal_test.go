package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/backend/errs"
	"hearth/backend/internal/bytescan"
)

type person struct {
	ID    string `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

var people = &Collection[person]{
	Name:    "person",
	Subject: func(p person) string { return p.ID },
	Indexes: []Index[person]{{Name: "email", Unique: true, Hashed: true, Values: func(p person) []string { return []string{strings.ToLower(p.Email)} }}},
}

func openSealed(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func putPerson(t *testing.T, s *Store, p person) {
	t.Helper()
	if err := s.Update(context.Background(), func(tx *Tx) error { _, err := Put(tx, people, p.ID, p); return err }); err != nil {
		t.Fatal(err)
	}
}

func TestSealedRecordsAndHashedIndexesNeverWritePersonalDataInClear(t *testing.T) {
	dir := t.TempDir()
	s := openSealed(t, dir)
	putPerson(t, s, person{ID: "p1", Email: "Helene.Secret@example.org", Name: "Hélène Secrète"})
	if err := s.db.Sync(); err != nil {
		t.Fatal(err)
	}
	for _, needle := range []string{"helene.secret@example.org", "Hélène Secrète"} {
		if hits := bytescan.FilesContaining(t, dir, needle); len(hits) > 0 {
			t.Fatalf("%q found in clear in %v", needle, hits)
		}
	}
	var got person
	err := s.View(func(tx *Tx) (err error) {
		id, err := Lookup(tx, people, "email", "helene.secret@example.org")
		if err != nil {
			return err
		}
		got, _, err = Get(tx, people, id)
		return err
	})
	if err != nil || got.Name != "Hélène Secrète" {
		t.Fatalf("lookup through the hashed index: %+v %v", got, err)
	}
}

func TestSealedRecordsReadBackAfterReopening(t *testing.T) {
	dir := t.TempDir()
	s := openSealed(t, dir)
	putPerson(t, s, person{ID: "p1", Email: "a@example.org", Name: "Ann"})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openSealed(t, dir)
	err := s.View(func(tx *Tx) error {
		p, _, err := Get(tx, people, "p1")
		if err == nil && p.Name != "Ann" {
			err = errors.New("wrong name " + p.Name)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestErasingASubjectMakesEveryOldVersionUnreadable(t *testing.T) {
	dir := t.TempDir()
	s := openSealed(t, dir)
	putPerson(t, s, person{ID: "p1", Email: "gone@example.org", Name: "First Version"})
	putPerson(t, s, person{ID: "p1", Email: "gone@example.org", Name: "Second Version"})
	putPerson(t, s, person{ID: "p2", Email: "stays@example.org", Name: "Stays"})
	keyBefore, _, _ := s.keys.key("p1", false)
	err := s.EraseSubjects(context.Background(), []string{"p1"}, func(tx *Tx) error {
		if _, err := Delete(tx, people, "p1"); err != nil {
			return err
		}
		return Suppress(tx, "email", "gone@example.org")
	})
	if err != nil {
		t.Fatal(err)
	}
	if hits := bytescan.FilesContaining(t, dir, string(keyBefore)); len(hits) > 0 {
		t.Fatalf("the destroyed data key is still in %v", hits)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = openSealed(t, dir)
	err = s.View(func(tx *Tx) error {
		if _, _, err := Get(tx, people, "p1"); !errors.Is(err, errs.NotFound) {
			t.Errorf("erased subject still readable: %v", err)
		}
		if p, _, err := Get(tx, people, "p2"); err != nil || p.Name != "Stays" {
			t.Errorf("another subject was harmed: %+v %v", p, err)
		}
		if ok, err := Suppressed(tx, "email", "gone@example.org"); !ok || err != nil {
			t.Errorf("suppression lost: %v %v", ok, err)
		}
		if ok, _ := Suppressed(tx, "email", "stays@example.org"); ok {
			t.Error("suppression matched another value")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The e-mail is free again for a new, different person (not for an import: members checks
	// suppression before writing).
	putPerson(t, s, person{ID: "p3", Email: "gone@example.org", Name: "Someone Else"})
}

func TestATornKeyringEntryFromACrashIsIgnored(t *testing.T) {
	dir := t.TempDir()
	s := openSealed(t, dir)
	putPerson(t, s, person{ID: "p1", Email: "a@example.org", Name: "Ann"})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(dir, "keyring"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte{26, 'X', 'Y'}) // half an entry
	_ = f.Close()
	s = openSealed(t, dir)
	if err := s.View(func(tx *Tx) error { _, _, err := Get(tx, people, "p1"); return err }); err != nil {
		t.Fatal(err)
	}
}

func TestUniqueErrorsOnHashedIndexesNameTheValueInClear(t *testing.T) {
	s := openSealed(t, t.TempDir())
	putPerson(t, s, person{ID: "p1", Email: "dup@example.org"})
	err := s.Update(context.Background(), func(tx *Tx) error {
		_, err := Put(tx, people, "p2", person{ID: "p2", Email: "DUP@example.org"})
		return err
	})
	var ue *UniqueError
	if !errors.As(err, &ue) || ue.Value != "dup@example.org" || ue.Owner != "p1" {
		t.Fatalf("got %v", err)
	}
}

// Live says what Get would find, without unsealing: a live record is there; a missing one, a
// deleted one and one whose subject was erased (its key destroyed, the record left as it was)
// are not. Shredded tells the erased one from the others.
func TestLiveAnswersAsGetWouldWithoutUnsealing(t *testing.T) {
	s := openSealed(t, t.TempDir())
	ctx := context.Background()
	for _, id := range []string{"live", "deleted", "shredded"} {
		putPerson(t, s, person{ID: id, Email: id + "@example.org"})
	}
	if err := s.Update(ctx, func(tx *Tx) error { _, err := Delete(tx, people, "deleted"); return err }); err != nil {
		t.Fatal(err)
	}
	// The key destroyed, the record not deleted: it reads as absent.
	if err := s.EraseSubjects(ctx, []string{"shredded"}, func(*Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	err := s.View(func(tx *Tx) error {
		for id, want := range map[string]bool{"live": true, "deleted": false, "shredded": false, "never": false} {
			live, err := Live(tx, people, id)
			_, _, getErr := Get(tx, people, id)
			if err != nil || live != want || live != (getErr == nil) {
				t.Errorf("%s: Live = %v, %v; Get: %v", id, live, err, getErr)
			}
			// Of the records Get does not find, only the erased one is shredded.
			if shredded, err := Shredded(tx, people, id); err != nil || shredded != (id == "shredded") {
				t.Errorf("%s: Shredded = %v, %v", id, shredded, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
