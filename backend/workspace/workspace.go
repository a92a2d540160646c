// Package workspace opens, locks and closes a Hearth workspace: a directory holding the Badger
// database (db/) and a small manifest (hearth.json) naming the workspace. One process at a time
// may hold a workspace open; a second one is refused with a message naming the directory.
package workspace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"hearth/backend/backup"
	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// ManifestFile is the manifest's file name inside a workspace directory.
const ManifestFile = "hearth.json"

// KeyringFile holds the per-person data keys that erasure destroys (see store.Collection).
const KeyringFile = "keyring"

// SnapshotDir holds sealed snapshots of in-memory views (the member directory, the analytics
// index) saved at close so that the next open starts without reading every record; deleting it
// only makes the next open slower.
const SnapshotDir = "cache"

// Manifest describes a workspace. It is a mirror for people and tools; the database itself is
// authoritative for the schema version.
type Manifest struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	SchemaVersion int       `json:"schemaVersion"`
	CreatedAt     time.Time `json:"createdAt"`
}

// Workspace is an open, locked workspace.
type Workspace struct {
	Dir      string
	Manifest Manifest
	Store    *store.Store
	lock     *dirLock
}

// Options configure Open.
type Options struct {
	Clock      clock.Clock
	Logger     *slog.Logger
	Migrations []store.Migration
	// GCInterval is passed to the store (see store.Options).
	GCInterval time.Duration
}

// DefaultDir is the workspace used when none is named: "Hearth/default" in the OS user data
// directory ($XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application Support on macOS,
// %AppData% on Windows).
func DefaultDir() (string, error) {
	base, err := userDataDir()
	if err != nil {
		return "", errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "workspace: no user data directory")
	}
	return filepath.Join(base, "hearth", "default"), nil
}

func userDataDir() (string, error) {
	if runtime.GOOS == "linux" || runtime.GOOS == "freebsd" || runtime.GOOS == "openbsd" {
		if d := os.Getenv("XDG_DATA_HOME"); filepath.IsAbs(d) {
			return d, nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, ".local", "share"), nil
	}
	return os.UserConfigDir()
}

// Open opens the workspace in dir, creating it (and its manifest) if dir does not exist or is
// empty, locks it for this process, and runs schema migrations.
func Open(ctx context.Context, dir string, opts Options) (*Workspace, error) {
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "workspace_unavailable", err, "workspace: "+dir)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return nil, errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "workspace: create "+abs)
	}
	lock, err := lockDir(abs)
	if err != nil {
		return nil, err
	}
	ws, err := open(ctx, abs, lock, opts)
	if err != nil {
		lock.release()
		return nil, err
	}
	return ws, nil
}

func open(ctx context.Context, dir string, lock *dirLock, opts Options) (*Workspace, error) {
	m, err := readManifest(dir)
	existed := err == nil
	if errors.Is(err, fs.ErrNotExist) {
		// A new workspace, unless its database is there: a workspace that lost its manifest is
		// not opened as another one (see damage.go).
		if holdsData(dir) {
			return nil, errs.New(errs.Unavailable, "workspace_manifest_missing",
				"workspace: "+filepath.Join(dir, ManifestFile)+" is missing; nothing was changed").With("dir", dir)
		}
		m, err = Manifest{Name: defaultName(dir), CreatedAt: opts.Clock.Now().UTC().Truncate(time.Second)}, nil
	}
	if err != nil {
		return nil, err
	}
	if _, err := backup.Finish(dir); err != nil { // a restore prepared by the last process
		return nil, err
	}
	st, err := store.Open(store.Options{
		Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, KeyringFile),
		SnapshotDir: filepath.Join(dir, SnapshotDir), Clock: opts.Clock, Logger: opts.Logger, GCInterval: opts.GCInterval,
		Existing: existed, // a manifest without its database is damage, not a new workspace
	})
	if err != nil {
		return nil, err
	}
	if err := backupBeforeMigration(ctx, dir, st, opts, m.ID != ""); err != nil {
		_ = st.Close()
		return nil, err
	}
	if _, err := st.Migrate(ctx, opts.Migrations); err != nil {
		_ = st.Close()
		return nil, err
	}
	version, err := st.SchemaVersion()
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	if m.ID == "" {
		m.ID = st.NewID()
	}
	if m.SchemaVersion != version || !existed {
		m.SchemaVersion = version
		if err := writeManifest(dir, m); err != nil {
			_ = st.Close()
			return nil, err
		}
	}
	return &Workspace{Dir: dir, Manifest: m, Store: st, lock: lock}, nil
}

// Close closes the database and releases the lock. Safe to call twice.
func (w *Workspace) Close() error {
	err := w.Store.Close()
	w.lock.release()
	return err
}

func defaultName(dir string) string {
	name := filepath.Base(dir)
	if name == "default" || name == "." || name == string(filepath.Separator) {
		return "Hearth"
	}
	return name
}

func readManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return m, err
		}
		return m, errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "workspace: read manifest")
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, errs.Wrap(errs.Invalid, "workspace_corrupt", err,
			fmt.Sprintf("workspace: %s is not a valid manifest; nothing was changed", filepath.Join(dir, ManifestFile))).
			With("dir", dir)
	}
	return m, nil
}

// writeManifest replaces the manifest atomically (write to a temporary file, then rename), so a
// crash never leaves half a manifest.
func writeManifest(dir string, m Manifest) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return errs.Wrap(errs.Internal, "internal", err, "workspace: encode manifest")
	}
	tmp, err := os.CreateTemp(dir, ManifestFile+".*")
	if err != nil {
		return errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "workspace: write manifest")
	}
	_, werr := tmp.Write(append(b, '\n'))
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "workspace: write manifest")
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, ManifestFile)); err != nil {
		return errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "workspace: write manifest")
	}
	return nil
}
