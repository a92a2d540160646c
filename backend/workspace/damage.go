package workspace

import (
	"os"
	"path/filepath"
	"strings"
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
