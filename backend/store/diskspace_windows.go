//go:build windows

package store

import (
	"os"

	"golang.org/x/sys/windows"
)

// freeSpace asks the volume holding dir how many bytes the calling user may write.
func freeSpace(dir string) (uint64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	var free uint64
	if err := windows.GetDiskFreeSpaceEx(p, &free, nil, nil); err != nil {
		return 0, err
	}
	return free, nil
}

// allocated is how many bytes of the disk a file takes (its size, here).
func allocated(fi os.FileInfo) uint64 { return uint64(fi.Size()) }
