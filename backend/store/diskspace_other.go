//go:build !unix && !windows

package store

import "os"

// freeSpace is unknown here: the store never refuses a write for want of space.
func freeSpace(string) (uint64, error) { return unknownFree, nil }

// allocated is how many bytes of the disk a file takes (its size, here).
func allocated(fi os.FileInfo) uint64 { return uint64(fi.Size()) }
