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

// MoveMember re-points every activity record of member from at member to (a merge of the two,
// backend/members), sealed from then on under to's key, and returns their ids for PointAt (an
// unmerge). The hook (the analytics counters) is told of each record as taken from from and
// given to to, so that KPIs, levels and super users count the person once, under to.
func (s *Service) MoveMember(ctx context.Context, from, to string) ([]string, error) {
	if from == "" {
		return nil, nil
	}
	var ids []string
	err := s.st.View(func(tx *store.Tx) (err error) {
		ids, err = store.IDsByIndex(tx, records, "member", from)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ids, s.PointAt(ctx, ids, to)
}

// PointAt re-points the activity records ids at member to, telling the hook; records that are
// gone or already about to are skipped, so running it again changes nothing.
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
