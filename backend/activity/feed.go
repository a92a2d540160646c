package activity

import (
	"context"
	"errors"
	"slices"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// FeedQuery selects a page of the activity feed. Zero fields select everything.
type FeedQuery struct {
	// Limit is the page size: 50 when zero, at most MaxFeedLimit.
	Limit int `json:"limit"`
	// Before is the cursor of the next page: the last item's id from the previous page.
	Before     string `json:"before,omitempty"`
	Connection string `json:"connection,omitempty"`
	Kind       Kind   `json:"kind,omitempty"`
	MemberID   string `json:"memberId,omitempty"`
}

// MaxFeedLimit is the largest feed page.
const MaxFeedLimit = 500

// FeedItem is a record as the feed shows it, with the member's display name.
type FeedItem struct {
	Record
	MemberName string `json:"memberName,omitempty"`
}

// FeedPage is one page of the feed, newest first. Next is the Before of the following page,
// empty on the last page.
type FeedPage struct {
	Items []FeedItem `json:"items"`
	Next  string     `json:"next"`
}

// Feed returns one page of activity, most recently stored first.
func (s *Service) Feed(ctx context.Context, q FeedQuery) (FeedPage, error) {
	var fields []errs.FieldError
	if q.Limit < 0 {
		fields = append(fields, errs.Field("limit", "min", "min", "0"))
	}
	if q.Limit > MaxFeedLimit {
		fields = append(fields, errs.Field("limit", "max", "max", "500"))
	}
	if q.Kind != "" && !q.Kind.Valid() {
		fields = append(fields, errs.Field("kind", "oneof", "value", "post reply message reaction join follow mention article"))
	}
	if len(fields) > 0 {
		return FeedPage{}, errs.Fields("activity: invalid feed query", fields...)
	}
	if q.Limit == 0 {
		q.Limit = 50
	}
	match := func(id string, r Record) bool {
		return (q.Before == "" || id < q.Before) && (q.Connection == "" || r.Connection == q.Connection) &&
			(q.Kind == "" || r.Kind == q.Kind)
	}
	// One more than asked says whether there is a next page.
	var recs []Record
	err := s.st.View(func(tx *store.Tx) error {
		if q.MemberID != "" {
			var err error
			recs, err = newestOfMember(tx, q.MemberID, q.Limit+1, match)
			return err
		}
		n := 0
		return store.ScanNewest(tx, records, func(id string, r Record, _ store.Meta) error {
			if n++; n%4096 == 0 && ctx.Err() != nil {
				return errs.Wrap(errs.Unavailable, "cancelled", ctx.Err(), "activity: feed cancelled")
			}
			if !match(id, r) {
				return nil
			}
			recs = append(recs, r)
			if len(recs) > q.Limit {
				return store.ErrStop
			}
			return nil
		})
	})
	if err != nil {
		return FeedPage{}, err
	}
	page := FeedPage{Items: make([]FeedItem, 0, min(len(recs), q.Limit))}
	if len(recs) > q.Limit {
		recs = recs[:q.Limit]
		page.Next = recs[len(recs)-1].ID
	}
	ids := make([]string, 0, len(recs))
	for _, r := range recs {
		ids = append(ids, r.MemberID)
	}
	names, err := s.members.Names(ctx, ids)
	if err != nil {
		return FeedPage{}, err
	}
	for _, r := range recs {
		page.Items = append(page.Items, FeedItem{Record: r, MemberName: names[r.MemberID]})
	}
	return page, nil
}

// newestOfMember reads up to limit of a member's records that match, newest first.
func newestOfMember(tx *store.Tx, memberID string, limit int, match func(string, Record) bool) ([]Record, error) {
	ids, err := store.IDsByIndex(tx, records, "member", memberID)
	if err != nil {
		return nil, err
	}
	var out []Record
	for _, id := range slices.Backward(ids) {
		r, _, err := store.Get(tx, records, id)
		if errors.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !match(id, r) {
			continue
		}
		if out = append(out, r); len(out) == limit {
			break
		}
	}
	return out, nil
}

// ForMember returns a member's most recent activity, newest first: at most limit records
// (50 when limit is not positive).
func (s *Service) ForMember(_ context.Context, memberID string, limit int) ([]Record, error) {
	if limit <= 0 {
		limit = 50
	}
	out := []Record{}
	err := s.st.View(func(tx *store.Tx) error {
		recs, err := newestOfMember(tx, memberID, limit, func(string, Record) bool { return true })
		out = append(out, recs...)
		return err
	})
	return out, err
}

// Scan calls fn for every record that happened at or after since (every record when since is
// zero), in no particular order, reading them from one consistent snapshot without holding
// them all in memory. fn's error stops the scan and is returned.
func (s *Service) Scan(ctx context.Context, since time.Time, fn func(Record) error) error {
	n := 0
	return s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, records, func(_ string, r Record, _ store.Meta) error {
			if n++; n%4096 == 0 && ctx.Err() != nil {
				return errs.Wrap(errs.Unavailable, "cancelled", ctx.Err(), "activity: scan cancelled")
			}
			if !since.IsZero() && r.At.Before(since) {
				return nil
			}
			return fn(r)
		})
	})
}
