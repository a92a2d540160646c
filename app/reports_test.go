package app

import (
	"archive/zip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/backend/members"
	"hearth/backend/reports"
)

func TestTheReportsScreenExportsWorkbooksWhereThePersonChoseAndKeepsTheSchedule(t *testing.T) {
	b := openTestBackend(t)
	if _, err := b.Members.Create(windowCtx(), members.CreateInput{Name: "Hélène", Emails: []string{"helene@example.org"}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := reportsOf(b, savePicker{filepath.Join(dir, "kpi")}, "fr")
	today := time.Now().Format(time.DateOnly)
	path, err := s.ExportKPI(today, today, "")
	if err != nil || path != filepath.Join(dir, "kpi.xlsx") {
		t.Fatalf("%q %v", path, err)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	charts := 0
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/charts/chart") {
			charts++
		}
	}
	_ = zr.Close()
	if charts == 0 {
		t.Fatal("the KPI workbook has no chart")
	}
	if _, err := s.ExportKPI("2026-02-30", today, "en"); err == nil {
		t.Fatal("a day that does not exist was accepted")
	}
	if p, err := reportsOf(b, savePicker{""}, "fr").ExportMembers("en"); err != nil || p != "" {
		t.Fatalf("a cancelled export: %q %v", p, err)
	}
	sc, err := s.SetSchedule(reports.ScheduleInput{Enabled: true, Weekday: "monday", At: "08:00", Folder: dir, Lang: "fr"})
	if err != nil || !sc.Enabled || sc.NextSlot.IsZero() {
		t.Fatalf("%+v %v", sc, err)
	}
	if got, _ := s.Schedule(); got.Folder != dir || got.Weekday != "monday" {
		t.Fatalf("%+v", got)
	}
}
