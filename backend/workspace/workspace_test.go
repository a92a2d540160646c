package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/backend/errs"
	"hearth/backend/store"
)

func migrations(n int) []store.Migration {
	ms := make([]store.Migration, n)
	for i := range ms {
		ms[i] = store.Migration{Version: i + 1, Name: "test", Up: func(context.Context, *store.Store) error { return nil }}
	}
	return ms
}

func openWS(t *testing.T, dir string, n int) *Workspace {
	t.Helper()
	ws, err := Open(context.Background(), dir, Options{Migrations: migrations(n), GCInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	return ws
}

func TestOpenCreatesAWorkspaceWithAManifest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "Association Les Jardins")
	ws := openWS(t, dir, 1)
	defer ws.Close()
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		t.Fatal(err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.ID == "" || m.Name != "Association Les Jardins" || m.SchemaVersion != 1 || m.CreatedAt.IsZero() {
		t.Fatalf("manifest %+v", m)
	}
}

func TestReopeningKeepsTheIdentityAndRecordsNewSchemaVersions(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, 1)
	first := ws.Manifest
	if err := ws.Close(); err != nil {
		t.Fatal(err)
	}
	ws = openWS(t, dir, 2)
	defer ws.Close()
	if ws.Manifest.ID != first.ID || !ws.Manifest.CreatedAt.Equal(first.CreatedAt) {
		t.Fatalf("identity changed: %+v -> %+v", first, ws.Manifest)
	}
	if ws.Manifest.SchemaVersion != 2 {
		t.Fatalf("schema version %d after migrating, want 2", ws.Manifest.SchemaVersion)
	}
}

func TestASecondOpenIsRefusedWithAMessageNamingTheDirectory(t *testing.T) {
	dir := t.TempDir()
	ws := openWS(t, dir, 1)
	defer ws.Close()
	_, err := Open(context.Background(), dir, Options{Migrations: migrations(1), GCInterval: -1})
	e := errs.From(err)
	if !errors.Is(err, errs.Unavailable) || e.Code != "workspace_locked" || e.Params["dir"] != dir {
		t.Fatalf("got %v, want workspace_locked naming %s", err, dir)
	}
	if strings.Contains(err.Error(), "badger") || strings.Contains(err.Error(), "goroutine") {
		t.Fatalf("message leaks internals: %v", err)
	}
}

func TestClosingReleasesTheLock(t *testing.T) {
	dir := t.TempDir()
	if err := openWS(t, dir, 1).Close(); err != nil {
		t.Fatal(err)
	}
	openWS(t, dir, 1).Close()
}

func TestAWorkspaceFromANewerHearthIsRefusedAndLeftUnlocked(t *testing.T) {
	dir := t.TempDir()
	openWS(t, dir, 3).Close()
	_, err := Open(context.Background(), dir, Options{Migrations: migrations(1), GCInterval: -1})
	if errs.From(err).Code != "workspace_too_new" {
		t.Fatalf("got %v", err)
	}
	openWS(t, dir, 3).Close() // not left locked
}

func TestADamagedManifestIsReportedNotOverwritten(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ManifestFile), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), dir, Options{Migrations: migrations(1), GCInterval: -1})
	if errs.From(err).Code != "workspace_corrupt" {
		t.Fatalf("got %v, want workspace_corrupt", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, ManifestFile)); string(b) != "{not json" {
		t.Fatalf("manifest was overwritten: %q", b)
	}
}

func TestDefaultDirFollowsXDGDataHome(t *testing.T) {
	base := t.TempDir()
	t.Setenv("XDG_DATA_HOME", base)
	got, err := DefaultDir()
	if err != nil || got != filepath.Join(base, "hearth", "default") {
		t.Fatalf("DefaultDir() = %q, %v", got, err)
	}
	t.Setenv("XDG_DATA_HOME", "")
	t.Setenv("HOME", base)
	got, _ = DefaultDir()
	if got != filepath.Join(base, ".local", "share", "hearth", "default") {
		t.Fatalf("without XDG_DATA_HOME: %q", got)
	}
}
