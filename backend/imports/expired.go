package imports

import (
	"context"
	"errors"
	"slices"
	"time"

	"hearth/backend/consent"
	"hearth/backend/errs"
)

// tallyExpired adds to the summary the file's consent evidence that is already expired under its
// purpose's current rule (ExpiredConsents), so that the manager learns it at import time, not
// when a newsletter reaches nobody; evidence of a member whose current consent stands is not
// counted.
func (s *Service) tallyExpired(ctx context.Context, sum *Summary, evidence []consent.Input) error {
	if len(evidence) == 0 {
		return nil
	}
	check, err := s.consent.ExpiryCheck(ctx, time.Time{})
	if err != nil {
		return err
	}
	for _, ev := range evidence {
		if !check.Expired(ev.Purpose, ev.At) {
			continue
		}
		// A member who already holds a newer consent that still stands loses nothing by it:
		// reporting the file's old opt-in as expired would only alarm.
		if ev.MemberID != "" {
			st, err := s.consent.State(ctx, ev.MemberID, ev.Purpose, time.Time{})
			if err != nil && !errors.Is(err, errs.NotFound) {
				return err
			}
			if err == nil && st.State == consent.StateGranted {
				continue
			}
		}
		check.Grant(ev.Purpose, ev.At)
	}
	for _, l := range check.Lapsed() {
		i := slices.IndexFunc(sum.ExpiredConsents, func(o consent.Lapsed) bool { return o.Purpose == l.Purpose })
		if i < 0 {
			sum.ExpiredConsents = append(sum.ExpiredConsents, l)
		} else {
			sum.ExpiredConsents[i].Merge(l)
		}
	}
	return nil
}
