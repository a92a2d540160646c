package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"hearth/backend/backup"
)

func TestWorkspaceRestoreShowsWhatABackupHoldsThenRestoresItWithYes(t *testing.T) {
	dir := t.TempDir()
	if r := hearth(t, dir, "en", "members", "add", "--email", "ann@example.org", "--name", "Ann"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r := hearth(t, dir, "en", "workspace", "backup", "--json")
	var bk backup.Backup
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &bk) != nil || bk.Members != 1 || bk.Reason != backup.ReasonManual {
		t.Fatalf("%+v %+v", r, bk)
	}
	if r := hearth(t, dir, "en", "members", "add", "--email", "bob@example.org"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	r = hearth(t, dir, "fr", "workspace", "backups")
	if r.code != 0 || !strings.Contains(r.stdout, bk.ID) || !strings.Contains(r.stdout, "à la main") || !strings.Contains(r.stdout, "MEMBRES") {
		t.Fatalf("%+v", r)
	}
	// Without --yes: what it holds, and how to go on; nothing changes.
	r = hearth(t, dir, "en", "workspace", "restore", bk.ID)
	if r.code != 0 || !strings.Contains(r.stdout, "1 members") || !strings.Contains(r.stdout, "--yes") {
		t.Fatalf("%+v", r)
	}
	if r := hearth(t, dir, "en", "members", "list", "--json"); strings.Count(r.stdout, `"id"`) != 2 {
		t.Fatalf("restored without --yes: %s", r.stdout)
	}
	r = hearth(t, dir, "en", "workspace", "restore", bk.ID, "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "Restored "+bk.ID) {
		t.Fatalf("%+v", r)
	}
	if r := hearth(t, dir, "en", "members", "list", "--json"); strings.Count(r.stdout, `"id"`) != 1 || !strings.Contains(r.stdout, "ann@example.org") {
		t.Fatalf("after the restore: %s", r.stdout)
	}
	if r := hearth(t, dir, "en", "workspace", "restore", "20200101T000000Z-daily"); r.code != 1 || !strings.Contains(r.stderr, "no backup 20200101T000000Z-daily") {
		t.Fatalf("%+v", r)
	}
	if r := hearth(t, dir, "en", "workspace", "restore"); r.code != 2 {
		t.Fatalf("%+v", r)
	}
}
