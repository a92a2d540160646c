//go:build linux || darwin || freebsd || netbsd || openbsd

package store

import (
	"os"
	"syscall"
)

// mapFile returns a read-only view of the file at path and the function that releases it. A
// mapping reads only the pages that are touched: opening a workspace looks up a few keys of a
// keyring of tens of megabytes without reading the rest. The file must not shrink while it is
// mapped (Hearth replaces such files by renaming a new one over them, which leaves the mapped
// one intact until it is released).
func mapFile(path string) ([]byte, func(), error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if st.Size() == 0 {
		return []byte{}, func() {}, nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		// Some filesystems cannot map: read the file instead.
		b, err := os.ReadFile(path)
		return b, func() {}, err
	}
	return b, func() { _ = syscall.Munmap(b) }, nil
}
