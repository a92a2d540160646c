package store

import (
	"context"

	"github.com/dgraph-io/badger/v4"
)

// Rewrite rebuilds collection c for a migration: it drops all of c's index entries, then writes
// every live record again, so that records take the collection's current form (sealed when c has
// a Subject) and indexes its current definition (hashed values, new indexes). Safe to rerun
// after a crash halfway.
func Rewrite[T any](ctx context.Context, s *Store, c *Collection[T]) error {
	for _, prefix := range []string{"i/" + c.Name + "/", "u/" + c.Name + "/"} {
		if err := s.deletePrefix(ctx, []byte(prefix)); err != nil {
			return err
		}
	}
	var ids []string
	err := s.View(func(tx *Tx) error {
		it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: recordPrefix(c.Name)})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			ids = append(ids, string(it.Item().Key()[len(recordPrefix(c.Name)):]))
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.Bulk(ctx, len(ids), func(tx *Tx, i int) error {
		v, m, found, err := load(tx, c, ids[i])
		if err != nil || !found || m.Deleted {
			return err
		}
		// The index entries were dropped above: write them all, as for a new record.
		_, err = put(tx, c, ids[i], v, nil, Meta{})
		return err
	}, nil)
}

// deletePrefix deletes every key under prefix, a thousand per transaction.
func (s *Store) deletePrefix(ctx context.Context, prefix []byte) error {
	for {
		var keys [][]byte
		err := s.View(func(tx *Tx) error {
			it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
			defer it.Close()
			for it.Rewind(); it.Valid() && len(keys) < 1000; it.Next() {
				keys = append(keys, it.Item().KeyCopy(nil))
			}
			return nil
		})
		if err != nil || len(keys) == 0 {
			return err
		}
		err = s.Update(ctx, func(tx *Tx) error {
			for _, k := range keys {
				if err := tx.txn.Delete(k); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
}
