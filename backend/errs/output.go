//go:build !plan9

package errs

import (
	"errors"
	"syscall"
)

// NoRoomFor classifies a failure to write a file the user asked for (an export, a report, a
// dossier, the rejected rows) at path: when err comes from a disk without room left (or a spent
// quota), it returns the "output_disk_full" error, which says so and names the file, instead of
// a vague "could not be written"; otherwise nil.
func NoRoomFor(path string, err error) *Error {
	if !errors.Is(err, syscall.ENOSPC) && !errors.Is(err, syscall.EDQUOT) {
		return nil
	}
	return Wrap(Unavailable, "output_disk_full", err, "the disk is full: cannot write "+path).With("path", path)
}
