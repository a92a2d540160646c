package app

import (
	"archive/zip"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/members"
	"hearth/backend/reports"
	"hearth/backend/segments"
)

func TestTheReportsScreenExportsWorkbooksWhereThePersonChoseAndKeepsTheSchedule(t *testing.T) {
	b := openTestBackend(t)
	if _, err := b.Members.Create(windowCtx(), members.CreateInput{Name: "Hélène", Emails: []string{"helene@example.org"}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := reportsOf(b, savePicker{filepath.Join(dir, "kpi")}, "fr")
	today := time.Now().Format(time.DateOnly)
	path, err := s.ExportKPI(today, today, "", "")
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
	if _, err := s.ExportKPI("2026-02-30", today, "", "en"); err == nil {
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

// TestAKPIWorkbookOfASegmentNamesItAndListsItsMembersOnly: exported from the dashboard with a
// segment chosen, the workbook's title names the segment, its members sheet holds the
// segment's members and no one else, and its channels table says channels are not per segment.
func TestAKPIWorkbookOfASegmentNamesItAndListsItsMembersOnly(t *testing.T) {
	b := openTestBackend(t)
	ctx := windowCtx()
	for _, in := range []members.CreateInput{
		{Name: "Hélène Lyon", Emails: []string{"helene@example.org"}, Tags: []string{"Lyon"}},
		{Name: "Paul Paris", Emails: []string{"paul@example.org"}, Tags: []string{"Paris"}},
	} {
		if _, err := b.Members.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	seg, err := b.Segments.Create(ctx, segments.Input{Name: "Lyonnais", Where: `tag = lyon`})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	today := time.Now().Format(time.DateOnly)
	path, err := reportsOf(b, savePicker{filepath.Join(dir, "kpi")}, "fr").ExportKPI(today, today, seg.ID, "fr")
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	var all strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			all.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	text := all.String()
	for _, want := range []string{"segment « Lyonnais »", "helene@example.org", "compté pour toute la communauté seulement"} {
		if !strings.Contains(text, want) {
			t.Errorf("the workbook does not hold %q", want)
		}
	}
	if strings.Contains(text, "paul@example.org") {
		t.Error("a member outside the segment is in the workbook")
	}
	if _, err := reportsOf(b, savePicker{filepath.Join(dir, "x")}, "fr").ExportKPI(today, today, "nowhere", "fr"); err == nil {
		t.Error("an unknown segment was exported")
	}
}
