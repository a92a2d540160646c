package store

import (
	"path/filepath"
	"sync"
)

// Badger reads and writes its files through memory mappings (tables, value logs, write-ahead
// logs), so every page of them a process touches stays in its resident set: an import of
// 1,000,000 members held some 800 MB of mapped table pages on top of its heap, and a search of
// a million members the 100 MB of directory pages it read, where sqlite, reading through its own
// small cache, holds neither. Those pages are the page cache's (the kernel keeps them, clean or
// written back, for the next read), not the process's: keepResidentLow tells the kernel this
// process no longer needs them mapped once they pass residentBudget, as a process reading with
// read(2) would not have them. Mappings are shared and of files, so the data stays where it is;
// a later read maps the page again from the cache. Only on Linux (resident_linux.go); elsewhere
// it does nothing.

// residentBudget is how much of the database's files a process keeps mapped in memory before
// it lets them go.
var residentBudget int64 = 64 << 20 // a variable for the tests

// residentTrim is the trimming state of one store.
type residentTrim struct {
	dir string // the database directory, whose files' mappings are let go
	mu  sync.Mutex
}

// KeepResidentLow lets go of the database's mapped pages when they hold more than
// residentBudget. Long reads and writes call it as they go (every few thousand records, after a
// bulk commit); it costs a read of /proc/self/statm, and now and then one of /proc/self/maps.
func (s *Store) KeepResidentLow() {
	if s.trim.dir == "" {
		return
	}
	if !s.trim.mu.TryLock() {
		return // another goroutine is at it
	}
	defer s.trim.mu.Unlock()
	if fileResident() > residentBudget {
		dropMapped(s.trim.dir)
	}
}

// residentDir is the absolute database directory dir, "" when it cannot be made absolute
// (nothing is let go then).
func residentDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	return abs
}

// KeepResidentLow is Store.KeepResidentLow, for long reads inside a transaction (a scan of every
// page of a view).
func (tx *Tx) KeepResidentLow() { tx.s.KeepResidentLow() }
