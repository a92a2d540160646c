package newsletter

import (
	"context"
	"errors"
	"slices"
	"strings"

	"hearth/backend/errs"
	"hearth/backend/members"
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
// address it names. A send reads every delivery of a newsletter a person holds together
// (deliveryStates, mergedAway), so that a merge before or during it never makes it reach them
// twice.
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

// reached says whether a delivery's message went out, or may have: the person is not sent the
// newsletter again.
func reached(st DeliveryStatus) bool {
	return st == DeliverySent || st == DeliverySending || st == DeliveryUncertain
}

// unsent says whether a delivery's message never reached the server.
func unsent(st DeliveryStatus) bool { return st == DeliveryPending || st == DeliveryFailedTemp }

// deliveryStates reads the newsletter's deliveries, one per member. A member into whom others
// were merged may hold several (a moved delivery keeps its id, <newsletter>/<other member>):
// the one that reached them counts, else a failed one, else their own; the other unsent ones
// are deleted (no message went out under them), so that the person is sent the newsletter at
// most once.
func (s *Service) deliveryStates(ctx context.Context, newsletterID string, size int) (map[string]Delivery, error) {
	states := make(map[string]Delivery, size)
	rank := func(d Delivery, own bool) int {
		switch {
		case reached(d.Status):
			return 3
		case d.Status == DeliveryFailedPerm:
			return 2
		case own:
			return 1
		}
		return 0
	}
	ranks := map[string]int{}
	var drop []string
	keyOf := map[string]string{}
	err := s.st.View(func(tx *store.Tx) error {
		ids, err := store.IDsByIndex(tx, deliveries, "newsletter", newsletterID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			d, _, err := store.Get(tx, deliveries, id)
			if errors.Is(err, errs.NotFound) {
				continue // its member was erased
			}
			if err != nil {
				return err
			}
			r := rank(d, id == deliveryID(newsletterID, d.MemberID))
			cur, seen := states[d.MemberID]
			switch {
			case !seen:
			case r > ranks[d.MemberID]:
				if unsent(cur.Status) {
					drop = append(drop, keyOf[d.MemberID])
				}
			default:
				if unsent(d.Status) {
					drop = append(drop, id)
				}
				continue
			}
			states[d.MemberID], ranks[d.MemberID], keyOf[d.MemberID] = d, r, id
		}
		return nil
	})
	if err != nil || len(drop) == 0 {
		return states, err
	}
	return states, s.st.Update(ctx, func(tx *store.Tx) error {
		for _, id := range drop {
			if _, err := store.Delete(tx, deliveries, id); err != nil && !errors.Is(err, errs.NotFound) {
				return err
			}
		}
		return nil
	})
}

// mergedAway says whether member must not be sent the newsletter after all because of a merge
// since the send began: they are no longer a member (merged into another, or deleted), or a
// delivery of this newsletter to someone merged into them since reached them. It deletes the
// unsent deliveries of the newsletter the person holds beside the one that counts (no message
// went out under them), so that their record holds one.
func (s *Service) mergedAway(ctx context.Context, newsletterID, member string) (bool, error) {
	var away bool
	err := s.st.Update(context.WithoutCancel(ctx), func(tx *store.Tx) error {
		away = false
		if err := members.Exists(tx, member); err == nil {
			away, err = tidyDeliveries(tx, newsletterID, member, true)
			return err
		} else if !errors.Is(err, errs.NotFound) {
			return err
		}
		away = true
		d, _, err := store.Get(tx, deliveries, deliveryID(newsletterID, member))
		if errors.Is(err, errs.NotFound) || (err == nil && d.MemberID == member) {
			return nil
		}
		if err != nil {
			return err
		}
		_, err = tidyDeliveries(tx, newsletterID, d.MemberID, false) // moved to whom they were merged into
		return err
	})
	return away, err
}

// tidyDeliveries reads the deliveries of the newsletter that member holds (their own, and those
// moved to them by merges) and deletes those left unsent beside one that reached them. When the
// member is about to be sent it (sending), it says whether one moved to them reached them
// already, and otherwise deletes the unsent moved ones: their own is the one that counts.
func tidyDeliveries(tx *store.Tx, newsletterID, member string, sending bool) (bool, error) {
	own := deliveryID(newsletterID, member)
	ids, err := store.IDsByIndex(tx, deliveries, "member", member)
	if err != nil {
		return false, err
	}
	var unsentIDs []string
	reachedOwn, reachedMoved := false, false
	for _, id := range ids {
		if !strings.HasPrefix(id, newsletterID+"/") {
			continue
		}
		d, _, err := store.Get(tx, deliveries, id)
		if errors.Is(err, errs.NotFound) || (err == nil && d.NewsletterID != newsletterID) {
			continue
		}
		if err != nil {
			return false, err
		}
		switch {
		case reached(d.Status) && id == own:
			reachedOwn = true
		case reached(d.Status):
			reachedMoved = true
		case unsent(d.Status):
			unsentIDs = append(unsentIDs, id)
		}
	}
	drop := unsentIDs
	if !reachedOwn && !reachedMoved {
		if !sending {
			return false, nil
		}
		drop = slices.DeleteFunc(drop, func(id string) bool { return id == own })
	}
	for _, id := range drop {
		if _, err := store.Delete(tx, deliveries, id); err != nil {
			return false, err
		}
	}
	return reachedMoved, nil
}
