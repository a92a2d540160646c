package app

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/backend/audit"
	"hearth/backend/exports"
	"hearth/backend/members"
	"hearth/backend/wiring"
)

// TestEveryExportFromTheWindowIsAuditedOnceAndTheOwnersOnly exports members every way the
// window can (CSV, XLSX, the members workbook, the KPI workbook, a GDPR dossier): each leaves
// exactly one audit entry, recorded by the backend, and files of mode 0600.
func TestEveryExportFromTheWindowIsAuditedOnceAndTheOwnersOnly(t *testing.T) {
	b := openTestBackend(t)
	m, err := b.Members.Create(windowCtx(), members.CreateInput{Name: "Hélène", Emails: []string{"helene@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	at := func(name string) Dialogs { return savePicker{filepath.Join(dir, name)} }
	today := time.Now().Format(time.DateOnly)
	for _, c := range []struct {
		name   string
		export func() error
		files  []string
	}{
		{"csv", func() error {
			_, err := NewExportService(b.Reports.Exports(), b.Members, b.Segments, at("members.csv"), "fr").Export(exports.Request{Format: "csv"})
			return err
		}, []string{"members.csv"}},
		{"xlsx", func() error {
			_, err := NewExportService(b.Reports.Exports(), b.Members, b.Segments, at("members.xlsx"), "fr").Export(exports.Request{Format: "xlsx"})
			return err
		}, []string{"members.xlsx"}},
		{"members workbook", func() error {
			_, err := reportsOf(b, at("workbook.xlsx"), "fr").ExportMembers("fr")
			return err
		}, []string{"workbook.xlsx"}},
		{"KPI workbook", func() error {
			_, err := reportsOf(b, at("kpi.xlsx"), "fr").ExportKPI(today, today, "", "fr")
			return err
		}, []string{"kpi.xlsx"}},
		{"GDPR dossier", func() error {
			_, err := NewGdprService(b.GDPR, b.Audit, at("dossier/x"), "fr").Export(m.ID)
			return err
		}, []string{"dossier/hearth-member-" + m.ID + ".json", "dossier/hearth-member-" + m.ID + ".xlsx"}},
	} {
		if c.name == "GDPR dossier" {
			if err := os.MkdirAll(filepath.Join(dir, "dossier"), 0o700); err != nil {
				t.Fatal(err)
			}
		}
		before := exportEntries(t, b)
		if err := c.export(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := exportEntries(t, b); got != before+1 {
			t.Errorf("%s left %d audit entries, want 1", c.name, got-before)
		}
		for _, f := range c.files {
			fi, err := os.Stat(filepath.Join(dir, f))
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if fi.Mode().Perm()&0o077 != 0 {
				t.Errorf("%s: %s is %v, want the owner's only", c.name, f, fi.Mode().Perm())
			}
		}
	}
}

func exportEntries(t *testing.T, b *wiring.Backend) int {
	t.Helper()
	entries, err := b.Audit.List(windowCtx(), "", 10_000)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == audit.MembersExported || e.Action == audit.MemberExported {
			if e.Actor != "window" {
				t.Errorf("entry %+v does not name the window", e)
			}
			n++
		}
	}
	return n
}
