package automations

import (
	"errors"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// MoveMember re-points, inside the transaction that merges member from into member to
// (backend/members), every automation enrolment of from at to (their progress goes on under
// the kept member), sealed from then on under to's key, and returns their ids for PointAt.
func MoveMember(tx *store.Tx, from, to string) ([]string, error) {
	return store.ReassignIndexed(tx, enrolments, "member", from, func(e *Enrolment) { e.MemberID = to })
}

// PointAt re-points the enrolments ids at member to (an unmerge gives them back).
func PointAt(tx *store.Tx, ids []string, to string) error {
	return store.Reassign(tx, enrolments, ids, func(e *Enrolment) { e.MemberID = to })
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
