package store

import (
	"errors"

	"github.com/dgraph-io/badger/v4"
)

// Suppress records that value (for example an erased person's e-mail, normalised) must never be
// brought back by an import or a sync. Only a keyed hash of value is stored.
func Suppress(tx *Tx, kind, value string) error {
	return wrapBadger(tx.txn.Set(suppressionKey(kind, tx.s.keyedHash(value)), nil), "store: suppress")
}

// Suppressed reports whether value was suppressed under kind.
func Suppressed(tx *Tx, kind, value string) (bool, error) {
	_, err := tx.txn.Get(suppressionKey(kind, tx.s.keyedHash(value)))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, wrapBadger(err, "store: check suppression")
}

// AnySuppressed reports whether any value was suppressed under kind: a bulk write (an import of
// a million rows) looks each of its values up only when something was.
func AnySuppressed(tx *Tx, kind string) (bool, error) {
	it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: suppressionKey(kind, "")})
	defer it.Close()
	it.Rewind()
	return it.Valid(), nil
}
