//go:build unix

package importer

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestRejectedRowsAreSavedForTheirOwnerOnly saves rejected rows (personal data) under umask 0,
// over a world-readable file of the same name.
func TestRejectedRowsAreSavedForTheirOwnerOnly(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	for _, format := range []string{"csv", "xlsx"} {
		path := filepath.Join(t.TempDir(), "rejected."+format)
		if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		rows := []Rejected{{Line: 2, Raw: []string{"Hélène", "helene@"}, Reason: "not an e-mail"}}
		if err := SaveRejected(path, RejectedFile{Format: format}, []string{"name", "email"}, rows); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 || fi.Size() < 10 {
			t.Errorf("%s: mode %v, %d bytes; want 0600 and the rows", format, fi.Mode().Perm(), fi.Size())
		}
	}
}
