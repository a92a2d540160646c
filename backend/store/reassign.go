package store

import (
	"errors"

	"hearth/backend/errs"
)

// Reassign rewrites the records ids of c with set applied (it re-points them at another
// member, say), each through Put: the new version is stamped, re-indexed and, in a collection
// with a Subject, sealed under the subject the changed record names. Ids that name no live
// record are skipped. Merging two members (backend/members) moves their records with it.
func Reassign[T any](tx *Tx, c *Collection[T], ids []string, set func(*T)) error {
	for _, id := range ids {
		v, _, err := Get(tx, c, id)
		if errors.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		set(&v)
		if _, err := Put(tx, c, id, v); err != nil {
			return err
		}
	}
	return nil
}

// ReassignIndexed is Reassign of every record whose index holds value; it returns their ids.
func ReassignIndexed[T any](tx *Tx, c *Collection[T], index, value string, set func(*T)) ([]string, error) {
	if value == "" {
		return nil, nil
	}
	ids, err := IDsByIndex(tx, c, index, value)
	if err != nil {
		return nil, err
	}
	return ids, Reassign(tx, c, ids, set)
}
