package consent

import "hearth/backend/store"

// MoveMember re-points, inside the transaction that merges member from into member to
// (backend/members), every consent event of from at to, sealed from then on under to's key,
// and returns their ids for PointAt (an unmerge). The ledger becomes the union of both:
// for a purpose the latest event decides (derive), so a withdrawal is never overridden by an
// older grant, whichever of the two records either was made on.
func MoveMember(tx *store.Tx, from, to string) ([]string, error) {
	return store.ReassignIndexed(tx, events, "member", from, func(e *Event) { e.MemberID = to })
}

// PointAt re-points the consent events ids at member to (an unmerge gives them back).
func PointAt(tx *store.Tx, ids []string, to string) error {
	return store.Reassign(tx, events, ids, func(e *Event) { e.MemberID = to })
}
