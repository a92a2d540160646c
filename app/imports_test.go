package app

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/backend/imports"
	"hearth/backend/notify"
	"hearth/backend/wiring"
)

// savePicker is a Dialogs that "chooses" a fixed path, as a person would in the save dialog.
type savePicker struct{ path string }

func (p savePicker) OpenFile(string, ...FileFilter) (string, error)         { return p.path, nil }
func (p savePicker) SaveFile(string, string, ...FileFilter) (string, error) { return p.path, nil }
func (p savePicker) ChooseDir(string) (string, error)                       { return filepath.Dir(p.path), nil }

var _ Dialogs = savePicker{}

func TestAWindowImportReportsProgressThenASummaryAndSavesRejectedRows(t *testing.T) {
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	src := filepath.Join(t.TempDir(), "people.csv")
	_ = os.WriteFile(src, []byte("email;name\nann@example.org;Ann\nbroken;Bad\nbob@example.org;Bob\n"), 0o600)
	rec := &notify.Recorder{}
	out := filepath.Join(t.TempDir(), "rejected.csv")
	s := &ImportService{imports: b.Imports, newID: b.Workspace.Store.NewID, events: rec, dialogs: savePicker{out}, jobs: map[string]*importJob{}}

	id, err := s.Start(imports.Request{Path: src, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	var sum imports.Summary
	deadline := time.Now().Add(20 * time.Second)
	for sum.JobID == "" && time.Now().Before(deadline) {
		for _, e := range rec.Events() {
			if e.Name == "import:done:"+id {
				sum = e.Payload.(imports.Summary)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if sum.Created != 2 || sum.Rejected != 1 {
		t.Fatalf("summary %+v", sum)
	}
	progressed := false
	for _, e := range rec.Events() {
		progressed = progressed || e.Name == "import:progress:"+id
	}
	if !progressed {
		t.Error("no progress event")
	}
	path, err := s.SaveRejected(id)
	if err != nil || path != out {
		t.Fatalf("save rejected: %q %v", path, err)
	}
	// As the file went in (semicolons, UTF-8 without a BOM), for its owner only, each reason in
	// the importer's language.
	b2, _ := os.ReadFile(out)
	if want := "email;name;Error\nbroken;Bad;E-mail: not a valid address\n"; string(b2) != want {
		t.Fatalf("rejected file %q, want %q", b2, want)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Fatalf("rejected rows saved %v, want 0600", fi.Mode().Perm())
	}
	if err := s.Cancel("nope"); err == nil {
		t.Fatal("cancelled an unknown job")
	}
	if _, err := s.Start(imports.Request{Path: filepath.Join(t.TempDir(), "missing.csv")}); err == nil {
		t.Fatal("started an import of a missing file")
	}
}
