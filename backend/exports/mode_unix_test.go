//go:build unix

package exports

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"hearth/backend/audit"
	"hearth/backend/clock"
	"hearth/backend/members"
)

// TestEveryExportIsTheOwnersOnlyAndAuditedOnce exports to CSV and XLSX under umask 0, over
// world-readable files of the same names.
func TestEveryExportIsTheOwnersOnlyAndAuditedOnce(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	st := newStore(t)
	ms := newMembers(t, st, 2)
	log := audit.NewLog(st)
	svc := NewService(log, clock.NewManual(created), paris)
	ctx := audit.WithActor(context.Background(), "test")
	dir := t.TempDir()
	for i, format := range []string{"csv", "xlsx"} {
		path := filepath.Join(dir, "members."+format)
		if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		n, err := svc.ToFile(ctx, path, MembersOf(ctx, ms, members.ListQuery{}), Options{Format: format, Lang: "fr"})
		if err != nil || n != 2 {
			t.Fatalf("%s: %d, %v", format, n, err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want 0600", format, fi.Mode().Perm())
		}
		entries := exported(t, log)
		if len(entries) != i+1 {
			t.Fatalf("after the %s export: %d export entries", format, len(entries))
		}
		if e := entries[0]; e.Action != audit.MembersExported || e.Actor != "test" || !maps.Equal(e.Params, map[string]string{"count": "2", "file": "members." + format}) {
			t.Errorf("entry %+v", e)
		}
	}
	if es, _ := os.ReadDir(dir); len(es) != 2 {
		t.Errorf("left behind: %v", es)
	}
}
