package store

import (
	"context"

	"github.com/dgraph-io/badger/v4"
)

// DropCollection deletes every record (live, tombstone and every older version) and every index
// entry of the collection named name, for a collection no release uses any more. Unlike
// deleting its records one by one, it takes them out of Badger's table files at once (Badger's
// DropPrefix flushes the memtables and rewrites the tables that hold the prefix), so a
// collection that kept personal data in clear leaves none behind there; values large enough to
// live in the value log go with its next garbage collection. Writes wait meanwhile (Update
// retries them); when no version of any key of the collection is left, nothing is done.
func (s *Store) DropCollection(ctx context.Context, name string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	prefixes := [][]byte{recordPrefix(name), []byte("i/" + name + "/"), []byte("u/" + name + "/")}
	found := false
	err := s.db.View(func(txn *badger.Txn) error {
		o := badger.DefaultIteratorOptions
		o.AllVersions, o.PrefetchValues = true, false
		for _, p := range prefixes {
			o.Prefix = p
			it := txn.NewIterator(o)
			it.Rewind()
			found = found || it.Valid()
			it.Close()
		}
		return nil
	})
	if err != nil || !found {
		return wrapBadger(err, "store: drop "+name)
	}
	s.touch(name)
	return wrapBadger(s.db.DropPrefix(prefixes...), "store: drop "+name)
}
