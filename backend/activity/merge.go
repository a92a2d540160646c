package activity

import (
	"context"
	"encoding/json"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// Collection is the name activity records are stored under, as team bundles carry them.
const Collection = "activity"

// MergeRecords brings activity records from another copy of the workspace (a team bundle,
// backend/team) into this one, in one transaction: each goes through store.Tx.Merge (activity
// is a union by connection and remote id: when two copies pulled the same item, the record with
// the smaller id stays), and the per-connection counts and the hook's derived data (the
// analytics counters) follow every record that came, changed or went. It returns what Merge did
// with each record, in order.
func (s *Service) MergeRecords(ctx context.Context, recs []store.Record) ([]store.MergeResult, error) {
	var results []store.MergeResult
	err := s.update(ctx, func(tx *store.Tx, changed func(Record, int)) error {
		results = results[:0]
		tally := map[string]int{}
		gone := func(old *store.Record) error {
			if old == nil || old.Deleted || old.Data == nil {
				return nil
			}
			var r Record
			if err := json.Unmarshal(old.Data, &r); err != nil {
				return errs.Wrap(errs.Internal, "internal", err, "activity: merge: stored record does not decode")
			}
			r.ID = old.ID
			changed(r, -1)
			tally[r.Connection]--
			return nil
		}
		for _, in := range recs {
			res, err := tx.Merge(in)
			if err != nil {
				return err
			}
			results = append(results, res)
			for i := range res.Displaced {
				if err := gone(&res.Displaced[i]); err != nil {
					return err
				}
			}
			switch res.Action {
			case store.MergeAdded, store.MergeUpdated:
				if err := gone(res.Old); err != nil {
					return err
				}
				var r Record
				if err := json.Unmarshal(res.New.Data, &r); err != nil {
					return errs.Wrap(errs.Invalid, "bundle_damaged", err, "activity: merged record does not decode")
				}
				r.ID = in.ID
				changed(r, 1)
				tally[r.Connection]++
			case store.MergeDeleted, store.MergeCollided:
				if err := gone(res.Old); err != nil {
					return err
				}
			}
		}
		for conn, n := range tally {
			if n != 0 {
				if err := addTally(tx, conn, n); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}
