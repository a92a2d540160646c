package members

import (
	"context"
	"slices"
	"strings"

	"hearth/backend/errs"
	"hearth/backend/store"
	"hearth/backend/textfold"
)

// Each calls fn with every live member matching q's Search and Tag, oldest first (id order),
// reading each record once, straight from the store, as one consistent view: for writers of
// every member (exports, workbooks) that must not keep a list in memory nor read a record
// twice. q's Sort, Desc, Offset and Limit are ignored. It does not load the list directory.
// fn's error stops the walk and is returned; so is ctx's, checked every few hundred members.
func (s *Service) Each(ctx context.Context, q ListQuery, fn func(m Member) error) error {
	match := newEachFilter(q)
	n := 0
	return s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, collection, func(_ string, m Member, _ store.Meta) error {
			if n++; n%256 == 1 {
				if err := ctx.Err(); err != nil {
					return errs.Wrap(errs.Unavailable, "cancelled", err, "members: cancelled")
				}
			}
			if !match.matches(m) {
				return nil
			}
			return fn(m)
		})
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
