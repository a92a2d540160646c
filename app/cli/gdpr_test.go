package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestExportWritesASpreadsheetThatOpens(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "helene@example.org", "--name", "Hélène Dupont", "--tag", "paris")
	hearth(t, dir, "en", "members", "add", "--email", "marc@example.org", "--name", "Marc", "--tag", "lyon")
	out := filepath.Join(t.TempDir(), "membres.xlsx")
	if r := hearth(t, dir, "fr", "members", "export", out, "--tag", "paris"); r.code != ExitOK || !strings.Contains(r.stdout, "1 membres exportés") {
		t.Fatalf("%+v", r)
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Membres")
	if len(rows) != 2 || rows[1][0] != "Hélène Dupont" || rows[0][0] != "Nom" {
		t.Fatalf("rows %q", rows)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the export's mode: %v", err)
	}
	if r := hearth(t, dir, "en", "members", "export", filepath.Join(t.TempDir(), "x.pdf")); r.code != ExitUsage {
		t.Fatalf("pdf: %+v", r)
	}
}

func TestGDPRExportThenEraseAndTheImportCannotBringThemBack(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "gone@example.org", "--name", "Gone Person")
	out := t.TempDir()
	r := hearth(t, dir, "en", "gdpr", "export", "gone@example.org", "--out", out)
	if r.code != ExitOK || !strings.Contains(r.stdout, ".json") || !strings.Contains(r.stdout, ".xlsx") {
		t.Fatalf("export: %+v", r)
	}
	if r := hearth(t, dir, "en", "gdpr", "erase", "gone@example.org"); r.code != ExitUsage || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("erase without --yes: %+v", r)
	}
	if r := hearth(t, dir, "en", "gdpr", "erase", "gone@example.org", "--yes"); r.code != ExitOK {
		t.Fatalf("erase: %+v", r)
	}
	r = hearth(t, dir, "fr", "members", "add", "--email", "Gone@example.org")
	if r.code != ExitError || !strings.Contains(r.stderr, "effacé à la demande") {
		t.Fatalf("re-add: %+v", r)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "keyring"))
	if len(b) == 0 {
		t.Fatal("no keyring in the workspace")
	}
}
