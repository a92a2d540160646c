package activity

import (
	"context"
	"errors"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// moveChunk is how many records one transaction of PointAt re-points: a member with 10,000
// activities is moved in a few transactions that each fit Badger's limits.
const moveChunk = 1000

// MemberRecords lists, inside tx, the ids of member's activity records: what a merge of the
// member into another (backend/members) moves with PointAt once its transaction is committed.
func MemberRecords(tx *store.Tx, member string) ([]string, error) {
	if member == "" {
		return nil, nil
	}
	return store.IDsByIndex(tx, records, "member", member)
}

// PointAt re-points the activity records ids at member to (a merge of two members, or its
// undoing), sealed from then on under to's key. The hook (the analytics counters) is told of
// each record as taken from its member and given to to, so that KPIs, levels and super users
// count the person once. Records that are gone or already about to are skipped: running it
// again changes nothing.
func (s *Service) PointAt(ctx context.Context, ids []string, to string) error {
	for start := 0; start < len(ids); start += moveChunk {
		chunk := ids[start:min(start+moveChunk, len(ids))]
		err := s.update(ctx, func(tx *store.Tx, changed func(Record, int)) error {
			for _, id := range chunk {
				r, _, err := store.Get(tx, records, id)
				if errors.Is(err, errs.NotFound) {
					continue
				}
				if err != nil {
					return err
				}
				if r.MemberID == to {
					continue
				}
				changed(r, -1)
				r.MemberID = to
				if _, err := store.Put(tx, records, id, r); err != nil {
					return err
				}
				changed(r, +1)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}
