package automations

import "hearth/backend/store"

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
