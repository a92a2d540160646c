package workspace

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"hearth/backend/errs"
)

// A damaged workspace is refused with nothing changed (see store's preflight.go for the
// database and the keyring). The manifest's part: a workspace whose hearth.json is missing but
// whose db/ holds a database is not opened as a new workspace (a new id, a new name), and one
// whose hearth.json is present but whose db/ is missing or empty is not opened as an empty
// workspace (store.Options.Existing). `hearth workspace repair` writes a new manifest.

// holdsData reports whether dir's db/ holds a Badger database (a MANIFEST, a table or a log).
func holdsData(dir string) bool {
	entries, err := os.ReadDir(filepath.Join(dir, "db"))
	if err != nil {
		return false
	}
	for _, e := range entries {
		n := e.Name()
		if n == "MANIFEST" || strings.HasSuffix(n, ".sst") || strings.HasSuffix(n, ".vlog") || strings.HasSuffix(n, ".mem") {
			return true
		}
	}
	return false
}

// RepairManifest writes a new manifest (a new id, the directory's name) for a workspace whose
// hearth.json is missing or does not parse while its database is there; a damaged one is kept
// beside it as hearth.json.damaged. wrote is false when the manifest is sound or there is no
// database (a new workspace gets its manifest when it is first opened).
func RepairManifest(dir string) (wrote bool, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return false, errs.Wrap(errs.Invalid, "workspace_unavailable", err, "workspace: "+dir)
	}
	if !holdsData(abs) {
		return false, nil
	}
	lock, err := lockDir(abs)
	if err != nil {
		return false, err
	}
	defer lock.release()
	_, err = readManifest(abs)
	switch {
	case err == nil:
		return false, nil
	case errors.Is(err, fs.ErrNotExist):
	case errs.From(err).Code == "workspace_corrupt":
		if err := os.Rename(filepath.Join(abs, ManifestFile), filepath.Join(abs, ManifestFile+".damaged")); err != nil {
			return false, errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "workspace: keep the damaged manifest")
		}
	default:
		return false, err
	}
	// The schema version is left at 0: the next open reads the database's and records it.
	m := Manifest{ID: ulid.Make().String(), Name: defaultName(abs), CreatedAt: time.Now().UTC().Truncate(time.Second)}
	if err := writeManifest(abs, m); err != nil {
		return false, err
	}
	return true, nil
}
