package cli

import (
	"crypto/sha256"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// snapshotFiles hashes every file of a workspace (the lock file aside).
func snapshotFiles(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := map[string][32]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == "hearth.lock" {
			return err
		}
		b, err := os.ReadFile(path)
		out[path] = sha256.Sum256(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameFiles(a, b map[string][32]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func workspaceWithMembers(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, e := range []string{"ada@example.org", "brigitte@example.org", "chloe@example.org"} {
		if r := hearth(t, dir, "en", "members", "add", "--email", e); r.code != ExitOK {
			t.Fatalf("members add: %+v", r)
		}
	}
	return dir
}

func TestWorkspaceCheckSaysASoundWorkspaceIsSound(t *testing.T) {
	dir := workspaceWithMembers(t)
	r := hearth(t, dir, "en", "workspace", "check")
	if r.code != ExitOK || !strings.Contains(r.stdout, "sound") {
		t.Fatalf("%+v", r)
	}
	r = hearth(t, dir, "en", "workspace", "check", "--json")
	var got checkJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != ExitOK || !got.OK || got.Report == nil {
		t.Fatalf("%+v %v", r, err)
	}
	for _, c := range got.Report.Collections {
		if c.Name == "members" && c.Live != 3 {
			t.Fatalf("members counted: %+v", c)
		}
	}
}

func TestATruncatedIndexFileIsRefusedWithExitOneAndNothingChanged(t *testing.T) {
	dir := workspaceWithMembers(t)
	if err := os.Truncate(filepath.Join(dir, "db", "MANIFEST"), 10); err != nil {
		t.Fatal(err)
	}
	before := snapshotFiles(t, dir)
	r := hearth(t, dir, "en", "members", "list")
	if r.code != ExitError || !strings.Contains(r.stderr, "index file (db/MANIFEST) is damaged") ||
		!strings.Contains(r.stderr, "nothing was changed") || strings.Contains(r.stderr, "panic") {
		t.Fatalf("%+v", r)
	}
	r = hearth(t, dir, "fr", "members", "list")
	if r.code != ExitError || !strings.Contains(r.stderr, "fichier d'index") || !strings.Contains(r.stderr, "rien n'a été modifié") {
		t.Fatalf("%+v", r)
	}
	r = hearth(t, dir, "en", "workspace", "check", "--json")
	var got checkJSON
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != ExitError || got.OK ||
		got.Refused == nil || got.Refused.Code != "workspace_index_damaged" {
		t.Fatalf("%+v %v", r, err)
	}
	if !sameFiles(before, snapshotFiles(t, dir)) {
		t.Fatal("the refused workspace's files changed")
	}
}

func TestADeletedKeyringIsRefusedNotAWorkspaceOfStrangers(t *testing.T) {
	dir := workspaceWithMembers(t)
	if err := os.Remove(filepath.Join(dir, "keyring")); err != nil {
		t.Fatal(err)
	}
	before := snapshotFiles(t, dir)
	for _, args := range [][]string{{"members", "list"}, {"members", "add", "--email", "ada@example.org"}} {
		r := hearth(t, dir, "en", args...)
		if r.code != ExitError || !strings.Contains(r.stderr, "keyring") || strings.Contains(r.stderr, "already") {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	if !sameFiles(before, snapshotFiles(t, dir)) {
		t.Fatal("the refused workspace's files changed")
	}
}

func TestRepairWritesANewManifestForAWorkspaceThatLostIt(t *testing.T) {
	dir := workspaceWithMembers(t)
	if err := os.Remove(filepath.Join(dir, "hearth.json")); err != nil {
		t.Fatal(err)
	}
	r := hearth(t, dir, "en", "members", "list")
	if r.code != ExitError || !strings.Contains(r.stderr, "manifest (hearth.json) is missing") {
		t.Fatalf("%+v", r)
	}
	r = hearth(t, dir, "en", "workspace", "repair")
	if r.code != ExitOK || !strings.Contains(r.stdout, "new manifest") {
		t.Fatalf("%+v", r)
	}
	r = hearth(t, dir, "en", "members", "list", "--json")
	var got []listed
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got) != 3 {
		t.Fatalf("%+v %v", r, err)
	}
}
