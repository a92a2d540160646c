package consent

import (
	"context"
	"slices"
	"time"

	"hearth/backend/store"
)

// States gives the standing for one purpose at time at (zero = now) of every member the ledger
// has an event from, as State would answer for each; members absent from the map have none. It
// reads the ledger once, for segments (backend/segments) that test consent over every member.
func (s *Service) States(ctx context.Context, purposeID string, at time.Time) (map[string]State, error) {
	out := map[string]State{}
	err := s.view(ctx, func(tx *store.Tx) error {
		p, err := purpose(tx, purposeID)
		if err != nil {
			return err
		}
		byMember := map[string][]Event{}
		err = store.Scan(tx, events, func(_ string, e Event, _ store.Meta) error {
			if e.Purpose == purposeID {
				byMember[e.MemberID] = append(byMember[e.MemberID], e)
			}
			return nil
		})
		if err != nil {
			return err
		}
		t := s.at(at)
		for id, evs := range byMember {
			slices.SortStableFunc(evs, chronological)
			out[id] = derive(evs, p, t).State
		}
		return nil
	})
	return out, err
}
