package members

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/store"
)

// openDir opens the store of dir as a workspace does, snapshots included.
func openDir(t *testing.T, dir string) (*store.Store, *Service) {
	t.Helper()
	st, err := store.Open(store.Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"),
		SnapshotDir: filepath.Join(dir, "cache"), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	return st, NewService(st, clock.NewManual(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)), nil)
}

// answers is what a person sees of the directory: pages in every order, searches, tags, count.
func answers(t *testing.T, s *Service) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	for _, q := range []ListQuery{
		{Sort: SortName, Limit: 20}, {Sort: SortName, Desc: true, Limit: 20, Offset: 7}, {Sort: SortEmail, Limit: 20},
		{Sort: SortCreated, Desc: true, Limit: 20}, {Sort: SortUpdated, Limit: 20}, {Search: "helene", Limit: 50},
		{Search: "DUPONT", Limit: 50}, {Tag: "bénévole", Limit: 50}, {Search: "camille lyon", Limit: 50},
	} {
		p, err := s.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(p.Items))
		for i, m := range p.Items {
			ids[i] = m.ID
		}
		out = append(out, fmt.Sprint(q, p.Total, ids))
	}
	tags, err := s.Tags(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, fmt.Sprint(tags), fmt.Sprint(n))
}

func TestTheNextOpenAnswersFromTheSavedDirectoryExactlyAsFromTheRecords(t *testing.T) {
	dir := t.TempDir()
	st, s := openDir(t, dir)
	names := []string{"Hélène Dupont", "Camille Martin", "Léa Girard", "Émile Dupont", "camille durand", ""}
	var ins []CreateInput
	for i := range 240 {
		in := CreateInput{Name: names[i%len(names)], Emails: []string{fmt.Sprintf("p%d@exemple.fr", i)}}
		if i%3 == 0 {
			in.Tags = []string{"Bénévole", "lyon"}
		}
		ins = append(ins, in)
	}
	ctx := context.Background()
	created, err := s.CreateMany(ctx, ins, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Delete(ctx, created[5].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, created[9].ID, Patch{Name: ptr("Zoé Camille")}); err != nil {
		t.Fatal(err)
	}
	want := answers(t, s)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "cache", directorySnapshot+".snap")); err != nil {
		t.Fatalf("no directory snapshot saved at close: %v", err)
	}

	st, s = openDir(t, dir)
	if d := s.loadSnapshot(); d == nil {
		t.Fatal("the saved directory was not usable by the next open")
	}
	if got := answers(t, s); !slices.Equal(got, want) {
		t.Fatalf("from the snapshot:\n%q\nfrom the records:\n%q", got, want)
	}
	// A write in this process, then close: the next open still answers like the records.
	if _, err := s.Create(ctx, CreateInput{Name: "Anne Dupont", Emails: []string{"anne@exemple.fr"}}); err != nil {
		t.Fatal(err)
	}
	want = answers(t, s)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	st, s = openDir(t, dir)
	defer st.Close()
	if got := answers(t, s); !slices.Equal(got, want) {
		t.Fatalf("after a write, from the snapshot:\n%q\nwant:\n%q", got, want)
	}
}

func TestADamagedDirectorySnapshotIsRebuiltFromTheRecords(t *testing.T) {
	dir := t.TempDir()
	st, s := openDir(t, dir)
	ctx := context.Background()
	for i := range 30 {
		if _, err := s.Create(ctx, CreateInput{Name: fmt.Sprint("Membre ", i), Emails: []string{fmt.Sprintf("m%d@exemple.fr", i)}}); err != nil {
			t.Fatal(err)
		}
	}
	want := answers(t, s)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "cache", directorySnapshot+".snap")
	b, _ := os.ReadFile(path)
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	st, s = openDir(t, dir)
	defer st.Close()
	if got := answers(t, s); !slices.Equal(got, want) {
		t.Fatalf("after damage:\n%q\nwant:\n%q", got, want)
	}
}

func ptr[T any](v T) *T { return &v }
