package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"

	"hearth/backend/errs"
)

// Migration moves the database from schema Version-1 to Version. Up may write in several
// transactions (through Update or Bulk), so it must be safe to run again after a crash halfway:
// the version is bumped only once Up has returned nil.
type Migration struct {
	Version int
	Name    string
	Up      func(ctx context.Context, s *Store) error
}

// SchemaVersion returns the database's schema version (0 for a new database).
func (s *Store) SchemaVersion() (int, error) {
	var v int
	err := s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(keySchema)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return item.Value(func(b []byte) error {
			if len(b) != 4 {
				return fmt.Errorf("store: corrupt schema version")
			}
			v = int(binary.BigEndian.Uint32(b))
			return nil
		})
	})
	return v, wrapBadger(err, "store: read schema version")
}

// Migrate applies, in order, every migration above the current schema version. Migrations are
// forward only: a database whose version is above the last known one was written by a newer
// Hearth and is refused rather than misread. It returns the versions it applied.
func (s *Store) Migrate(ctx context.Context, ms []Migration) ([]int, error) {
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, errs.New(errs.Internal, "internal", fmt.Sprintf("store: migration %q has version %d, want %d", m.Name, m.Version, i+1))
		}
	}
	current, err := s.SchemaVersion()
	if err != nil {
		return nil, err
	}
	if current > len(ms) {
		return nil, errs.New(errs.Unavailable, "workspace_too_new",
			fmt.Sprintf("store: workspace schema %d is newer than this Hearth understands (%d); update Hearth", current, len(ms))).
			With("found", fmt.Sprint(current), "known", fmt.Sprint(len(ms)))
	}
	var applied []int
	for _, m := range ms[current:] {
		if err := m.Up(ctx, s); err != nil {
			return applied, errs.Wrap(errs.Internal, "migration_failed", err, fmt.Sprintf("store: migration %d (%s)", m.Version, m.Name))
		}
		var buf [4]byte
		binary.BigEndian.PutUint32(buf[:], uint32(m.Version))
		if err := s.db.Update(func(txn *badger.Txn) error { return txn.Set(keySchema, buf[:]) }); err != nil {
			return applied, wrapBadger(err, "store: save schema version")
		}
		applied = append(applied, m.Version)
	}
	return applied, nil
}
