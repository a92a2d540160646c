// Package storetest opens real on-disk stores for tests, laid out as a workspace lays them out
// (Badger in <dir>/db, the data-key keyring in <dir>/keyring), and closes them when the test ends.
package storetest

import (
	"path/filepath"
	"testing"

	"hearth/backend/clock"
	"hearth/backend/store"
)

// Open opens (creating if needed) the store in dir with value-log GC off; c may be nil for the
// system clock. The store is closed at the end of the test; closing it earlier is fine.
func Open(t testing.TB, dir string, c clock.Clock) *store.Store {
	t.Helper()
	st, err := store.Open(store.Options{
		Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"), SnapshotDir: filepath.Join(dir, "cache"),
		Clock: c, GCInterval: -1,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}
