package calendar

import (
	"context"
	"slices"
	"strings"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// ListQuery selects the occurrences to show: those happening in [From, To), at most MaxSpan
// apart, optionally on one channel only.
type ListQuery struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Channel string    `json:"channel"`
}

// MaxSpan is the longest period List expands at once.
const MaxSpan = 2 * 366 * 24 * time.Hour

// List returns the occurrences of every dated item in the period, recurring items expanded,
// in time order, each with its own status and its time in its item's zone.
func (s *Service) List(_ context.Context, q ListQuery) ([]Occurrence, error) {
	var fields []errs.FieldError
	if q.From.IsZero() {
		fields = append(fields, errs.Field("from", "required"))
	}
	if !q.To.After(q.From) {
		fields = append(fields, errs.Field("to", "after_from"))
	} else if q.To.Sub(q.From) > MaxSpan {
		fields = append(fields, errs.Field("to", "span", "max", "732"))
	}
	if len(fields) > 0 {
		return nil, errs.Fields("calendar: invalid period", fields...)
	}
	var out []Occurrence
	err := s.st.View(func(tx *store.Tx) error {
		records, err := allRecords(tx)
		if err != nil {
			return err
		}
		return store.Scan(tx, itemCollection, func(_ string, it Item, _ store.Meta) error {
			if q.Channel != "" && !onChannel(it.Channels, q.Channel) {
				return nil
			}
			out = s.appendOccurrences(out, it, records[it.ID], q.From, q.To)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b Occurrence) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return strings.Compare(a.ItemID, b.ItemID)
	})
	return out, nil
}

func onChannel(chs []string, ch string) bool {
	return slices.ContainsFunc(chs, func(c string) bool { return strings.EqualFold(c, ch) })
}

// allRecords reads every occurrence record, grouped by item.
func allRecords(tx *store.Tx) (map[string][]record, error) {
	out := map[string][]record{}
	err := store.Scan(tx, recordCollection, func(_ string, r record, _ store.Meta) error {
		out[r.ItemID] = append(out[r.ItemID], r)
		return nil
	})
	return out, err
}

// appendOccurrences adds it's occurrences happening in [from, to): the series' own, moved ones
// where they were moved to, and those with a publishing record even if the series has changed
// since. Cancelled occurrences are left out. Past occurrences without a record keep the item's
// status: a series scheduled after some of its occurrences never publishes those.
func (s *Service) appendOccurrences(out []Occurrence, it Item, recs []record, from, to time.Time) []Occurrence {
	if it.At.IsZero() {
		return out
	}
	loc := s.localize(&it)
	ser, err := newSeries(it.At, it.Repeat)
	if err != nil {
		return out
	}
	byOriginal := make(map[int64]record, len(recs))
	for _, r := range recs {
		byOriginal[r.Original.Unix()] = r
	}
	// An occurrence moved into the period may come from outside it: widen the expansion by the
	// farthest move.
	lo, hi := from, to
	for _, r := range recs {
		if r.At != nil {
			lo = minTime(lo, r.Original)
			hi = maxTime(hi, r.Original.Add(time.Second))
		}
	}
	seen := make(map[int64]bool)
	for _, orig := range ser.between(lo, hi) {
		r, has := byOriginal[orig.Unix()]
		seen[orig.Unix()] = true
		if o, ok := occurrenceOf(it, r, has, orig, loc, from, to); ok {
			out = append(out, o)
		}
	}
	for _, r := range recs {
		if seen[r.Original.Unix()] || r.Status == "" {
			continue
		}
		if o, ok := occurrenceOf(it, r, true, r.Original, loc, from, to); ok {
			out = append(out, o)
		}
	}
	return out
}

// occurrenceOf builds the occurrence at original, if it happens in [from, to).
func occurrenceOf(it Item, r record, has bool, original time.Time, loc *time.Location, from, to time.Time) (Occurrence, bool) {
	at, status := original, it.Status
	if has {
		at = r.when()
		if r.Status != "" {
			status = r.Status
		} else if !editorial(status) {
			status = Scheduled // a one-off item being retried or rescheduled
		}
	}
	if status == Cancelled || at.Before(from) || !at.Before(to) {
		return Occurrence{}, false
	}
	return Occurrence{
		ItemID: it.ID, Original: original.In(loc), At: at.In(loc), Status: status, Late: r.Late, Moved: r.At != nil,
		Recurring: it.Repeat != nil, Reason: r.Reason, Kind: it.Kind, Title: it.Title, Channels: it.Channels,
		Campaign: it.Campaign, Assignee: it.Assignee, TimeZone: it.TimeZone,
	}, true
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
