//go:build unix

package gdpr

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"hearth/backend/audit"
)

// TestTheDossierFilesAreTheOwnersOnlyAndTheExportIsAuditedOnce writes a dossier under umask 0,
// over world-readable files of the same names, as a second export to the same folder does.
func TestTheDossierFilesAreTheOwnersOnlyAndTheExportIsAuditedOnce(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	f := newFixture(t)
	m := f.member(t, "Hélène Dupont", "helene@example.org")
	out := t.TempDir()
	for _, ext := range []string{".json", ".xlsx"} {
		if err := os.WriteFile(filepath.Join(out, "hearth-member-"+m.ID+ext), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	paths, err := f.gdpr.Export(context.Background(), m.ID, out, "en")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
	if es, _ := os.ReadDir(out); len(es) != 2 {
		t.Errorf("the folder holds %d files, want the two of the dossier", len(es))
	}
	entries, err := audit.NewLog(f.gdpr.st).List(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == audit.MemberExported || e.Action == audit.MembersExported {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d export entries in the audit log, want 1", n)
	}
}
