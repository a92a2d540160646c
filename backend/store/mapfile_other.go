//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package store

import "os"

// mapFile reads the file at path (see mapfile_unix.go: where a mapped file could not be
// replaced while mapped, as on Windows, it is read whole).
func mapFile(path string) ([]byte, func(), error) {
	b, err := os.ReadFile(path)
	return b, func() {}, err
}
