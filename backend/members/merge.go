package members

import (
	"context"
	"encoding/json"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// Collection is the name members are stored under, as team bundles carry it.
const Collection = "member"

// MergeRecords brings member records from another copy of the workspace (a team bundle, backend/team)
// into this one, in one transaction, with the member directory: each record goes through
// store.Tx.Merge (newest version wins, unique e-mails and handles to the older record), and the
// directory puts the members that came or changed and drops those deleted. It returns what
// Merge did with each record, in order.
func (s *Service) MergeRecords(ctx context.Context, recs []store.Record) ([]store.MergeResult, error) {
	if err := s.ensureDirectory(ctx); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.flushTail(ctx); err != nil {
		return nil, err
	}
	var results []store.MergeResult
	var changed []string
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		results, changed = results[:0], changed[:0]
		var put []Member
		var gone []string
		for _, r := range recs {
			res, err := tx.Merge(r)
			if err != nil {
				return err
			}
			results = append(results, res)
			for _, d := range res.Displaced {
				gone = append(gone, d.ID)
			}
			switch res.Action {
			case store.MergeAdded, store.MergeUpdated:
				var m Member
				if err := json.Unmarshal(res.New.Data, &m); err != nil {
					return errs.Wrap(errs.Invalid, "bundle_damaged", err, "members: merged member does not decode")
				}
				m.ID = r.ID
				put = append(put, m)
			case store.MergeDeleted, store.MergeCollided:
				if res.Old != nil && !res.Old.Deleted {
					gone = append(gone, r.ID)
				}
			default:
				continue
			}
			changed = append(changed, r.ID)
		}
		if len(put)+len(gone) == 0 {
			return nil
		}
		return updateDirectory(tx, false, func(w *dirWrite) error {
			for _, id := range gone {
				if err := w.remove(id, false); err != nil {
					return err
				}
			}
			return w.put(put...)
		})
	})
	s.lists.changed()
	if err != nil {
		return nil, err
	}
	if len(changed) > 0 {
		s.notifier.Emit(EventChanged, ChangedEvent{IDs: changed})
	}
	return results, nil
}
