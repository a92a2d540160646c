package imports

import (
	"context"
	"slices"
	"time"

	"hearth/backend/consent"
)

// tallyExpired adds to the summary the file's consent evidence that is already expired under its
// purpose's current rule (ExpiredConsents), so that the manager learns it at import time, not
// when a newsletter reaches nobody.
func (s *Service) tallyExpired(ctx context.Context, sum *Summary, evidence []consent.Input) error {
	if len(evidence) == 0 {
		return nil
	}
	check, err := s.consent.ExpiryCheck(ctx, time.Time{})
	if err != nil {
		return err
	}
	for _, ev := range evidence {
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
