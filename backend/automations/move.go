package automations

import (
	"context"
	"errors"
	"slices"
	"strings"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// movedCheckpoint prefixes the ids MoveMember returns for tag checkpoints, apart from
// enrolment ids: "checkpoint:<automation>:<member moved to>:<1 if that member was added>".
const movedCheckpoint = "checkpoint:"

// MoveMember re-points, inside the transaction that merges member from into member to
// (backend/members), every automation enrolment of from at to (their progress goes on under
// the kept member), sealed from then on under to's key, and counts to as tagged in the tag
// checkpoints that counted from (the tag to gains from from was not added by anyone: it must not
// enrol them). It returns what it moved for PointAt.
func MoveMember(tx *store.Tx, from, to string) ([]string, error) {
	ids, err := store.ReassignIndexed(tx, enrolments, "member", from, func(e *Enrolment) { e.MemberID = to })
	if err != nil {
		return nil, err
	}
	var changed []cursor
	err = store.Scan(tx, cursors, func(_ string, c cursor, _ store.Meta) error {
		i, found := slices.BinarySearch(c.Tagged, from)
		if !found {
			return nil
		}
		c.Tagged = slices.Delete(slices.Clone(c.Tagged), i, i+1)
		added := "0"
		if j, had := slices.BinarySearch(c.Tagged, to); !had {
			c.Tagged = slices.Insert(c.Tagged, j, to)
			added = "1"
		}
		changed = append(changed, c)
		ids = append(ids, movedCheckpoint+c.ID+":"+to+":"+added)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, c := range changed {
		if _, err := store.Put(tx, cursors, c.ID, c); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// PointAt re-points the enrolments ids at member to, and gives the tag checkpoints back what
// they counted before the merge (an unmerge gives them back).
func PointAt(tx *store.Tx, ids []string, to string) error {
	var es []string
	for _, id := range ids {
		rest, ok := strings.CutPrefix(id, movedCheckpoint)
		if !ok {
			es = append(es, id)
			continue
		}
		parts := strings.Split(rest, ":")
		if len(parts) != 3 {
			continue
		}
		if err := pointCheckpointAt(tx, parts[0], parts[1], parts[2] == "1", to); err != nil {
			return err
		}
	}
	return store.Reassign(tx, enrolments, es, func(e *Enrolment) { e.MemberID = to })
}

// pointCheckpointAt counts member to as tagged again in automation's checkpoint, and no longer
// holder when the merge had added them.
func pointCheckpointAt(tx *store.Tx, automation, holder string, added bool, to string) error {
	c, _, err := store.Get(tx, cursors, automation)
	if errors.Is(err, errs.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	c.Tagged = slices.Clone(c.Tagged)
	if added {
		if i, found := slices.BinarySearch(c.Tagged, holder); found {
			c.Tagged = slices.Delete(c.Tagged, i, i+1)
		}
	}
	if j, found := slices.BinarySearch(c.Tagged, to); !found {
		c.Tagged = slices.Insert(c.Tagged, j, to)
	}
	_, err = store.Put(tx, cursors, c.ID, c)
	return err
}

// Checkpointed lists the automations whose tag checkpoint counts the member as already
// tagged (their tag being there is not news that would enrol them).
func (s *Service) Checkpointed(_ context.Context, memberID string) ([]string, error) {
	out := []string{}
	err := s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, cursors, func(_ string, c cursor, _ store.Meta) error {
			if _, found := slices.BinarySearch(c.Tagged, memberID); found {
				out = append(out, c.ID)
			}
			return nil
		})
	})
	return out, err
}

// enrolledUnderMerge reports whether the candidate's member holds an enrolment in automation a
// for the same occurrence that was made under another member merged into them since (its id
// names that member): the person is not enrolled twice for having been two members.
func enrolledUnderMerge(tx *store.Tx, automationID string, c candidate) (bool, error) {
	ids, err := store.IDsByIndex(tx, enrolments, "member", c.memberID)
	if err != nil {
		return false, err
	}
	for _, id := range ids {
		e, _, err := store.Get(tx, enrolments, id)
		if errors.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return false, err
		}
		if e.AutomationID == automationID && e.Occurrence == c.occurrence {
			return true, nil
		}
	}
	return false, nil
}
