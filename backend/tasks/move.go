package tasks

import "hearth/backend/store"

// MoveMember re-points, inside the transaction that merges member from into member to
// (backend/members), every task about from at to, sealed from then on under to's key, and
// returns their ids for PointAt (an unmerge).
func MoveMember(tx *store.Tx, from, to string) ([]string, error) {
	return store.ReassignIndexed(tx, collection, "member", from, func(t *Task) { t.MemberID = to })
}

// PointAt re-points the tasks ids at member to (an unmerge gives them back).
func PointAt(tx *store.Tx, ids []string, to string) error {
	return store.Reassign(tx, collection, ids, func(t *Task) { t.MemberID = to })
}
