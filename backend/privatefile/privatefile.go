// Package privatefile writes the files that hold personal data (member exports, workbooks,
// GDPR dossiers, rejected import rows) the one way Hearth writes them: readable and writable
// by their owner only (Mode, 0600), whatever the umask and whatever mode an earlier file of the
// same name had; and whole or not at all: the bytes go to a temporary file in the same folder,
// which is synced and then renamed over the name, so that a crash, a full disk or a cancelled
// job never leaves half a file where the person expects a whole one.
package privatefile

import (
	"bufio"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// Mode is the permission of every file Write leaves: the owner's only.
const Mode fs.FileMode = 0o600

// Error is a failure of the file system (creating, writing, syncing or renaming the file), as
// opposed to an error of the writer, which Write returns unchanged.
type Error struct {
	Op   string
	Path string
	Err  error
}

func (e *Error) Error() string { return "privatefile: " + e.Op + " " + e.Path + ": " + e.Err.Error() }

// Unwrap exposes the cause.
func (e *Error) Unwrap() error { return e.Err }

// Write creates or replaces path with what write puts in w. The file has mode Mode, and path
// is only replaced once everything was written and synced: when write or the file system
// fails, path is left as it was (absent, or its earlier content) and no temporary file stays
// behind. An error from write is returned as it is; file system failures are *Error.
func Write(path string, write func(w io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp") // created 0600, umask or not
	if err != nil {
		return &Error{"create", path, err}
	}
	name := tmp.Name()
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(name)
		}
	}()
	// Some platforms and file systems create temporary files with wider modes.
	if err := tmp.Chmod(Mode); err != nil {
		return &Error{"chmod", path, err}
	}
	bw := bufio.NewWriterSize(tmp, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return &Error{"write", path, err}
	}
	if err := tmp.Sync(); err != nil {
		return &Error{"sync", path, err}
	}
	if err := tmp.Close(); err != nil {
		return &Error{"close", path, err}
	}
	if err := os.Rename(name, path); err != nil {
		return &Error{"rename", path, err}
	}
	// The rename itself survives a crash once the folder is synced (not possible everywhere).
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
