package audit

import "hearth/backend/store"

// MoveMember re-points, inside the transaction that merges member from into member to
// (backend/members), the log entries about from at to, so that the kept member's history is
// the person's whole history, and returns their ids for PointAt (an unmerge).
func MoveMember(tx *store.Tx, from, to string) ([]string, error) {
	return store.ReassignIndexed(tx, collection, "member", from, func(e *Entry) { e.MemberID = to })
}

// PointAt re-points the entries ids at member to (an unmerge gives them back).
func PointAt(tx *store.Tx, ids []string, to string) error {
	return store.Reassign(tx, collection, ids, func(e *Entry) { e.MemberID = to })
}
