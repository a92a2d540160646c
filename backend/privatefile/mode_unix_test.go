//go:build unix

package privatefile

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestFilesAreTheOwnersOnlyWhateverTheUmaskAndTheOldMode replaces a world-readable file under
// umask 0: the new file must still be 0600.
func TestFilesAreTheOwnersOnlyWhateverTheUmaskAndTheOldMode(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	path := filepath.Join(t.TempDir(), "dossier.xlsx")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != Mode {
		t.Fatalf("mode %v, want %v", fi.Mode().Perm(), Mode)
	}
	if b, _ := os.ReadFile(path); string(b) != "new" {
		t.Fatalf("content %q", b)
	}
}
