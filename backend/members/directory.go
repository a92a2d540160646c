package members

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"hearth/backend/textfold"
)

// directory is the in-memory view of every live member that lists, search and sorting need:
// folded text and sort keys, not whole records. It costs about 200 bytes a member.
type directory struct {
	mu      sync.RWMutex
	byID    map[string]*entry
	byOrder map[Sort][]*entry // cached ascending orders; dropped on every change
}

type entry struct {
	id      string
	name    string // folded name, or folded primary e-mail when the member has no name
	email   string // folded primary e-mail
	hay     string // folded name, e-mails, handles and tags, separated by \x1f
	tags    []string
	tagKeys []string
	created int64
	updated int64
}

func newDirectory() *directory {
	return &directory{byID: map[string]*entry{}, byOrder: map[Sort][]*entry{}}
}

func newEntry(m Member) *entry {
	e := &entry{id: m.ID, tags: m.Tags, tagKeys: tagKeys(m), created: m.CreatedAt.UnixMilli(), updated: m.UpdatedAt.UnixMilli()}
	var hay strings.Builder
	hay.WriteString(textfold.Fold(m.Name))
	for _, em := range m.Emails {
		hay.WriteString("\x1f" + textfold.Fold(em))
	}
	for _, h := range m.Handles {
		hay.WriteString("\x1f" + textfold.Fold(h.Handle))
	}
	for _, t := range e.tagKeys {
		hay.WriteString("\x1f" + t)
	}
	e.hay = hay.String()
	if len(m.Emails) > 0 {
		e.email = textfold.Fold(m.Emails[0])
	}
	e.name = textfold.Fold(m.Name)
	if e.name == "" {
		e.name = e.email
	}
	if e.name == "" && len(m.Handles) > 0 {
		e.name = textfold.Fold(m.Handles[0].Handle)
	}
	return e
}

func (d *directory) put(ms ...Member) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, m := range ms {
		d.byID[m.ID] = newEntry(m)
	}
	clear(d.byOrder)
}

func (d *directory) remove(id string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.byID, id)
	clear(d.byOrder)
}

func (d *directory) len() int {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.byID)
}

// query returns the ids of one page of matches, in order, and how many members match in all.
func (d *directory) query(q ListQuery) (ids []string, total int) {
	words := strings.Fields(textfold.Fold(q.Search))
	tag := textfold.Fold(strings.TrimSpace(q.Tag))
	order := d.ordered(q.Sort)
	ids = make([]string, 0, q.Limit)
	for i := range order {
		e := order[i]
		if q.Desc {
			e = order[len(order)-1-i]
		}
		if !e.matches(words, tag) {
			continue
		}
		if total >= q.Offset && len(ids) < q.Limit {
			ids = append(ids, e.id)
		}
		total++
	}
	return ids, total
}

func (e *entry) matches(words []string, tag string) bool {
	if tag != "" && !slices.Contains(e.tagKeys, tag) {
		return false
	}
	for _, w := range words {
		if !strings.Contains(e.hay, w) {
			return false
		}
	}
	return true
}

// ordered returns every entry in ascending order of s, sorting once per change.
func (d *directory) ordered(s Sort) []*entry {
	d.mu.RLock()
	order, ok := d.byOrder[s]
	d.mu.RUnlock()
	if ok {
		return order
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if order, ok := d.byOrder[s]; ok {
		return order
	}
	order = make([]*entry, 0, len(d.byID))
	for _, e := range d.byID {
		order = append(order, e)
	}
	slices.SortFunc(order, compareBy(s))
	d.byOrder[s] = order
	return order
}

// compareBy orders by the sort key, then by id (creation order) so that ties are stable.
func compareBy(s Sort) func(a, b *entry) int {
	switch s {
	case SortEmail:
		return func(a, b *entry) int { return cmp.Or(strings.Compare(a.email, b.email), strings.Compare(a.id, b.id)) }
	case SortCreated:
		return func(a, b *entry) int { return cmp.Or(cmp.Compare(a.created, b.created), strings.Compare(a.id, b.id)) }
	case SortUpdated:
		return func(a, b *entry) int { return cmp.Or(cmp.Compare(a.updated, b.updated), strings.Compare(a.id, b.id)) }
	default:
		return func(a, b *entry) int { return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.id, b.id)) }
	}
}

// tags counts members per tag, merging tags that fold alike under one spelling.
func (d *directory) tags() []TagCount {
	d.mu.RLock()
	defer d.mu.RUnlock()
	counts := map[string]*TagCount{}
	for _, e := range d.byID {
		for i, k := range e.tagKeys {
			if tc, ok := counts[k]; ok {
				tc.Count++
				tc.Tag = min(tc.Tag, e.tags[i]) // one spelling, whatever the map order
			} else {
				counts[k] = &TagCount{Tag: e.tags[i], Count: 1}
			}
		}
	}
	out := make([]TagCount, 0, len(counts))
	for _, tc := range counts {
		out = append(out, *tc)
	}
	slices.SortFunc(out, func(a, b TagCount) int {
		return cmp.Or(strings.Compare(textfold.Fold(a.Tag), textfold.Fold(b.Tag)), strings.Compare(a.Tag, b.Tag))
	})
	return out
}
