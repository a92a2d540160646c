//go:build unix

package reports

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"hearth/backend/audit"
	"hearth/backend/exports"
)

// TestEveryWorkbookIsTheOwnersOnlyAndAuditedOnce saves the KPI workbook, the members workbook
// and a scheduled KPI workbook under umask 0: each file is 0600, each leaves one audit entry,
// and a scheduled report's new folder is 0700.
func TestEveryWorkbookIsTheOwnersOnlyAndAuditedOnce(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	s, c, _ := newSchedule(t)
	ctx := audit.WithActor(context.Background(), "test")
	dir := t.TempDir()
	kpi, membersBook := filepath.Join(dir, "kpi.xlsx"), filepath.Join(dir, "members.xlsx")
	if err := os.WriteFile(kpi, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveKPIWorkbook(ctx, kpi, fixture(), exports.MemberSlice(people(3)), Options{Lang: "fr"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveMembersWorkbook(ctx, membersBook, exports.MemberSlice(people(3)), Options{Lang: "fr", LevelOf: func(string) int { return 2 }}); err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(dir, "weekly")
	if _, err := s.SetSchedule(ctx, ScheduleInput{Enabled: true, Weekday: "monday", At: "08:00", Folder: folder, Lang: "fr"}); err != nil {
		t.Fatal(err)
	}
	var k kpiCalls
	run, err := s.RunScheduled(ctx, time.Date(2026, 3, 9, 8, 1, 0, 0, paris), Sources{KPIs: k.source, Members: fakeLister(people(2))})
	if err != nil || !run.Written {
		t.Fatalf("%+v %v", run, err)
	}
	for _, p := range []string{kpi, membersBook, run.File} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
	if fi, err := os.Stat(folder); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("the report folder: %v %v", fi.Mode().Perm(), err)
	}
	entries, err := audit.NewLog(s.st).List(ctx, "", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []map[string]string{{"count": "2", "file": filepath.Base(run.File)}, {"count": "3", "file": "members.xlsx"}, {"count": "3", "file": "kpi.xlsx"}}
	if len(entries) != len(want) {
		t.Fatalf("audit log %+v", entries)
	}
	for i, e := range entries {
		if e.Action != audit.MembersExported || !maps.Equal(e.Params, want[i]) || !e.At.Equal(c.Now()) {
			t.Errorf("entry %d: %+v, want %v", i, e, want[i])
		}
	}
}
