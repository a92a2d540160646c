package members

import (
	"context"
	"slices"
	"strings"
	"sync"

	"hearth/backend/errs"
	"hearth/backend/store"
	"hearth/backend/textfold"
)

// Each calls fn with every live member matching q's Search and Tag, oldest first, reading each
// record once: for writers of every member (exports, workbooks) that must not keep a list in
// memory nor read a record twice. q's Sort, Desc, Offset and Limit are ignored. Without a
// filter, or when the filter keeps more than a quarter of the members, it walks the records in
// id order as one consistent view; otherwise it reads only the members the list finds, page
// by page (see eachListed). fn's error stops the walk and is returned; so is ctx's, checked
// every few hundred members.
func (s *Service) Each(ctx context.Context, q ListQuery, fn func(m Member) error) error {
	if done, err := s.eachListed(ctx, q, fn); done {
		return err
	}
	return s.st.View(func(tx *store.Tx) error {
		return s.walk(ctx, tx, newEachFilter(q), false, func(string) bool { return true }, fn)
	})
}

// EachFromBothEnds is Each reading from both ends at once, on two goroutines, for a caller
// that puts the two halves together: oldest is called with members oldest first, newest with
// members newest first (concurrently with oldest), until the two walks meet; each matching
// member goes to exactly one of them. Unsealing and decoding, most of a walk's cost, are
// shared by two cores. Both walks read the same consistent view; a record at the meeting
// point may be read by both, and is used by one. The first error (a callback's, the store's,
// ctx's) stops both and is returned. A filter that keeps a quarter of the members or fewer is
// answered as Each answers it, through oldest alone.
func (s *Service) EachFromBothEnds(ctx context.Context, q ListQuery, oldest, newest func(m Member) error) error {
	if done, err := s.eachListed(ctx, q, oldest); done {
		return err
	}
	var (
		mu        sync.Mutex
		low, high string // the newest id the oldest-first walk took, the oldest the other took
		lowSet    bool
		highSet   bool
		failed    bool
	)
	// take claims id for one walk, unless the other took it or went past it, or a walk failed.
	take := func(newestFirst bool) func(id string) bool {
		return func(id string) bool {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case failed:
				return false
			case newestFirst:
				if lowSet && id <= low {
					return false
				}
				high, highSet = id, true
			default:
				if highSet && id >= high {
					return false
				}
				low, lowSet = id, true
			}
			return true
		}
	}
	match := newEachFilter(q)
	return s.st.View(func(tx *store.Tx) error {
		var newestErr error
		done := make(chan struct{})
		go func() {
			defer close(done)
			if newestErr = s.walk(ctx, tx, match, true, take(true), newest); newestErr != nil {
				mu.Lock()
				failed = true
				mu.Unlock()
			}
		}()
		err := s.walk(ctx, tx, match, false, take(false), oldest)
		if err != nil {
			mu.Lock()
			failed = true
			mu.Unlock()
		}
		<-done
		if err == nil {
			err = newestErr
		}
		return err
	})
}

// listedShare is the largest share of the members (1/listedShare) a filter may keep for Each to
// read them through the list rather than walk every record: a record the list finds costs a
// lookup and a read, one walked costs a read and the filter's test, and walks take two cores.
const listedShare = 4

// eachListed calls fn with the members matching q's filter that the list finds, oldest first
// (by creation, then id, which is id order), MaxLimit at a time, when q has a filter keeping
// at most 1/listedShare of the members. done is false, with nothing read but the count, when
// it has not.
func (s *Service) eachListed(ctx context.Context, q ListQuery, fn func(m Member) error) (done bool, err error) {
	if strings.TrimSpace(q.Search) == "" && strings.TrimSpace(q.Tag) == "" {
		return false, nil
	}
	q.Sort, q.Desc, q.Offset, q.Limit = SortCreated, false, 0, 1
	probe, err := s.List(ctx, q)
	if err != nil {
		return true, err
	}
	all, err := s.Count(ctx)
	if err != nil {
		return true, err
	}
	if probe.Total*listedShare > all {
		return false, nil
	}
	for q.Limit = MaxLimit; q.Offset < probe.Total; q.Offset += MaxLimit {
		if err := ctx.Err(); err != nil {
			return true, errs.Wrap(errs.Unavailable, "cancelled", err, "members: cancelled")
		}
		page, err := s.List(ctx, q)
		if err != nil {
			return true, err
		}
		for _, m := range page.Items {
			if err := fn(m); err != nil {
				return true, err
			}
		}
		if len(page.Items) == 0 {
			break
		}
	}
	return true, nil
}

// walk calls fn with the live members matching f, in id order (newest first when newestFirst),
// as long as take takes their id.
func (s *Service) walk(ctx context.Context, tx *store.Tx, f eachFilter, newestFirst bool, take func(id string) bool, fn func(m Member) error) error {
	scan := store.Scan[Member]
	if newestFirst {
		scan = store.ScanNewest[Member]
	}
	n := 0
	return scan(tx, collection, func(id string, m Member, _ store.Meta) error {
		if n++; n%256 == 1 {
			if err := ctx.Err(); err != nil {
				return errs.Wrap(errs.Unavailable, "cancelled", err, "members: cancelled")
			}
		}
		if !take(id) {
			return store.ErrStop
		}
		if !f.matches(m) {
			return nil
		}
		return fn(m)
	})
}

// eachFilter decides List's Search and Tag filters on a whole record, as ListQuery documents
// them: every word of Search within the member's name, an e-mail, a handle or a tag, and Tag
// one of its tags, all ignoring case and accents.
type eachFilter struct {
	words []string
	tag   string
}

func newEachFilter(q ListQuery) eachFilter {
	return eachFilter{words: strings.Fields(textfold.Fold(q.Search)), tag: textfold.Fold(strings.TrimSpace(q.Tag))}
}

func (f eachFilter) matches(m Member) bool {
	if f.tag == "" && len(f.words) == 0 {
		return true
	}
	tags := tagKeys(m)
	if f.tag != "" && !slices.Contains(tags, f.tag) {
		return false
	}
	if len(f.words) == 0 {
		return true
	}
	fields := make([]string, 0, 1+len(m.Emails)+len(m.Handles)+len(tags))
	fields = append(fields, textfold.Fold(m.Name))
	for _, e := range m.Emails {
		fields = append(fields, textfold.Fold(e))
	}
	for _, h := range m.Handles {
		fields = append(fields, textfold.Fold(h.Handle))
	}
	fields = append(fields, tags...)
	for _, w := range f.words {
		if !slices.ContainsFunc(fields, func(s string) bool { return strings.Contains(s, w) }) {
			return false
		}
	}
	return true
}
