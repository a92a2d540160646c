//go:build !unix

package credentials

// lockFile is a no-op where flock is unavailable: writes are still serialised within the
// process, and each write re-reads the file first, which leaves only a narrow window for two
// processes writing at the same instant.
func lockFile(string) (func(), error) { return func() {}, nil }

// syncDir is a no-op: Windows has no directory fsync.
func syncDir(string) {}
