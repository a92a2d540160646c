package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/dgraph-io/badger/v4"

	"hearth/backend/errs"
)

// A full disk must be a message, not a crash. Badger writes its memtables, tables and value log
// through memory-mapped files it extends in advance: when the filesystem cannot allocate a page
// the kernel answers the write with SIGBUS and the process dies with a stack trace. The store
// therefore never lets Badger write without room for what it may allocate next (reserve): it
// opens read-only when the disk is already that full, refuses writes once the free space falls
// under the reserve, and callers about to write much (an import) ask for room first with
// EnsureFree.

// FreeSpaceFunc reports the bytes an unprivileged process may still write on the filesystem
// holding dir.
type FreeSpaceFunc func(dir string) (uint64, error)

// unknownFree is what a platform without a free-space query reports: never full.
const unknownFree = ^uint64(0)

// diskGuard checks the free space before Badger writes.
type diskGuard struct {
	dir      string
	free     FreeSpaceFunc // nil for in-memory stores: nothing to check
	reserve  uint64
	readOnly bool // opened read-only because the disk was full
}

// reserveFor is what Badger may allocate without warning with options bo: a memtable being
// filled and another being flushed to a level-0 table (each an arena of the memtable's size
// plus its batch headroom, about 1.3 times MemTableSize), and room for the manifest, the
// discard statistics, the keyring, the clock and the views' snapshots.
func reserveFor(bo badger.Options) uint64 {
	arena := uint64(bo.MemTableSize) * 13 / 10
	return 2*arena + 8<<20
}

// newDiskGuard measures the free space at opts.Dir before Badger opens it and says whether
// it must be opened read-only. A disk too full for a new database is an error.
func newDiskGuard(opts Options, bo badger.Options) (diskGuard, error) {
	if opts.InMemory {
		return diskGuard{}, nil
	}
	g := diskGuard{dir: opts.Dir, free: opts.FreeSpace, reserve: reserveFor(bo)}
	if g.free == nil {
		g.free = freeSpace
	}
	free, ok := g.measure()
	if !ok || free >= g.reserve {
		return g, nil
	}
	if _, err := os.Stat(filepath.Join(opts.Dir, badger.ManifestFilename)); err != nil {
		return g, diskFull(g.dir, g.reserve-free, nil)
	}
	g.readOnly = true
	return g, nil
}

// measure returns the free space where the database lives (its parent while it does not
// exist yet); ok is false when it cannot be known, which never stops a write.
func (g diskGuard) measure() (uint64, bool) {
	for dir := g.dir; ; dir = filepath.Dir(dir) {
		free, err := g.free(dir)
		if err == nil {
			return free, free != unknownFree
		}
		if !errors.Is(err, os.ErrNotExist) || filepath.Dir(dir) == dir {
			return 0, false
		}
	}
}

// check fails with disk_full when writing now could leave Badger without room for extra bytes
// more than its reserve.
func (g diskGuard) check(extra uint64) error {
	if g.free == nil {
		return nil
	}
	if g.readOnly {
		free, _ := g.measure()
		return diskFull(g.dir, g.reserve+extra-min(free, g.reserve+extra), nil)
	}
	free, ok := g.measure()
	if !ok || free >= g.reserve+extra {
		return nil
	}
	return diskFull(g.dir, g.reserve+extra-free, nil)
}

// EnsureFree fails with disk_full unless the disk holding the workspace has room for extra
// bytes besides what the database keeps in reserve: long jobs ask before writing much (an
// import asks for a few times its file's size).
func (s *Store) EnsureFree(extra uint64) error { return s.disk.check(extra) }

// Size is how many bytes the database takes on disk (tables and value logs): what a full copy
// of it (a backup) needs at most.
func (s *Store) Size() uint64 {
	var n uint64
	for _, pattern := range []string{"*.sst", "*.vlog", "*.mem"} {
		files, _ := filepath.Glob(filepath.Join(s.db.Opts().Dir, pattern))
		for _, f := range files {
			if fi, err := os.Stat(f); err == nil {
				n += allocated(fi)
			}
		}
	}
	return n
}

// ReadOnly reports whether the store was opened read-only because its disk was full: reads
// work, every write fails with disk_full.
func (s *Store) ReadOnly() bool { return s.disk.readOnly }

// diskFull is the error of a write the disk has no room for; needed is how many bytes must be
// freed, rounded up to whole megabytes in the message.
func diskFull(dir string, needed uint64, cause error) *errs.Error {
	mb := max(1, (needed+(1<<20)-1)>>20)
	e := errs.Wrap(errs.Unavailable, "disk_full", cause,
		fmt.Sprintf("store: the disk is full: %d MB are needed", mb))
	return e.With("mb", strconv.FormatUint(mb, 10), "dir", dir)
}

// isNoSpace reports whether err comes from a filesystem without room left.
func isNoSpace(err error) bool { return errors.Is(err, syscall.ENOSPC) }
