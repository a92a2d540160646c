package newsletter

import (
	"strings"

	"hearth/backend/store"
)

// Prefixes of the ids MoveMember returns: which collection each record is in.
const (
	movedDelivery = "d:"
	movedOnce     = "o:"
)

// MoveMember re-points, inside the transaction that merges member from into member to
// (backend/members), the newsletters and one-off e-mails sent to from at to, sealed from then
// on under to's key, and returns their ids (marked with their collection) for PointAt. A
// delivery keeps its id (<newsletter>/<member>): it is the record of what was sent to the
// address it names.
func MoveMember(tx *store.Tx, from, to string) ([]string, error) {
	var out []string
	for _, c := range []struct {
		coll   *store.Collection[Delivery]
		prefix string
	}{{deliveries, movedDelivery}, {onceMails, movedOnce}} {
		ids, err := store.ReassignIndexed(tx, c.coll, "member", from, func(d *Delivery) { d.MemberID = to })
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out = append(out, c.prefix+id)
		}
	}
	return out, nil
}

// PointAt re-points the records ids (as MoveMember returned them) at member to.
func PointAt(tx *store.Tx, ids []string, to string) error {
	var ds, os []string
	for _, id := range ids {
		if rest, ok := strings.CutPrefix(id, movedOnce); ok {
			os = append(os, rest)
		} else {
			ds = append(ds, strings.TrimPrefix(id, movedDelivery))
		}
	}
	set := func(d *Delivery) { d.MemberID = to }
	if err := store.Reassign(tx, deliveries, ds, set); err != nil {
		return err
	}
	return store.Reassign(tx, onceMails, os, set)
}
