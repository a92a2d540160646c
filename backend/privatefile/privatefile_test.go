package privatefile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestAFailedWriteLeavesTheOldFileAndNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "members.csv")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		_, _ = io.WriteString(w, "half a file")
		return boom
	})
	if err != boom {
		t.Fatalf("the writer's error came back as %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "old" {
		t.Fatalf("the old file became %q", b)
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Fatalf("left behind: %v", es)
	}
}

func TestAFolderThatDoesNotExistIsAFileSystemError(t *testing.T) {
	err := Write(filepath.Join(t.TempDir(), "missing", "x.csv"), func(io.Writer) error { return nil })
	var fe *Error
	if !errors.As(err, &fe) || fe.Op != "create" {
		t.Fatalf("got %v", err)
	}
}
