package members

import (
	"container/heap"
	"fmt"
	"slices"
	"strings"
	"sync"

	"hearth/backend/internal/snapcodec"
	"hearth/backend/store"
	"hearth/backend/textfold"
)

// A list streams the directory's pages once, one at a time, keeping the matches that belong on
// the pages up to the one asked for (a bounded heap): the first page of 50 among a million
// members holds 50 entries, whatever the order. Asking for a later page of the same list (a
// person scrolling, or a caller reading every member page by page) would stream everything
// again, so the whole ordered list of ids is kept for the last few lists asked, until the next
// member write.

// matcher is a list query's filter, folded once.
type matcher struct {
	words []string
	tag   string
}

func newMatcher(q ListQuery) matcher {
	return matcher{words: strings.Fields(textfold.Fold(q.Search)), tag: textfold.Fold(strings.TrimSpace(q.Tag))}
}

// scanWorkers is how many goroutines read, unseal and match pages at once.
const scanWorkers = 2

// scanPages calls fn with every entry of the directory that matches, on scanWorkers goroutines
// (worker is 0..scanWorkers-1; each worker's calls come one at a time, in id order within it).
// The entry's strings share a buffer each worker reuses for its next page: fn copies what it keeps.
func scanPages(tx *store.Tx, r *root, m matcher, fn func(worker int, e *entry)) error {
	next := make(chan pageRef)
	errc := make(chan error, scanWorkers)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var stopOnce sync.Once
	for w := range scanWorkers {
		wg.Go(func() {
			var buf []byte
			for p := range next {
				var err error
				if buf, err = scanPage(tx, p, m, buf, func(e *entry) { fn(w, e) }); err != nil {
					errc <- err
					stopOnce.Do(func() { close(stop) })
					for range next { // let the feeder finish
					}
					return
				}
			}
		})
	}
	func() {
		defer close(next)
		for _, p := range r.pages {
			if p.n == 0 {
				continue
			}
			select {
			case next <- p:
			case <-stop:
				return
			}
		}
	}()
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

// scanPage reads one page into buf's storage and calls fn with each entry that matches; it
// returns the buffer for the next page.
func scanPage(tx *store.Tx, p pageRef, m matcher, buf []byte, fn func(e *entry)) ([]byte, error) {
	b, _, found, err := tx.GetViewInto(dirView, pageName(p.no), buf)
	if err != nil {
		return buf, err
	}
	if !found {
		return buf, fmt.Errorf("members: directory page %d is missing", p.no)
	}
	rd := snapcodec.NewReader(b)
	if rd.Uint() != dirFormat {
		return b, fmt.Errorf("members: directory page %d of another format", p.no)
	}
	var e entry
	for range rd.Count(8) {
		ok := true
		e.id, e.hay = rd.String(), rd.String()
		e.name = cutHay(rd, e.hay, &ok)
		e.email = cutHay(rd, e.hay, &ok)
		e.created, e.updated = rd.Int(), rd.Int()
		tags := rd.Count(1)
		for range tags { // spellings: not needed to match
			_ = rd.String()
		}
		tagged := m.tag == ""
		for range tags {
			if cutHay(rd, e.hay, &ok) == m.tag {
				tagged = true
			}
		}
		if !ok {
			return b, fmt.Errorf("members: directory page %d: an entry points outside its text", p.no)
		}
		if tagged && e.matchesWords(m.words) {
			fn(&e)
		}
	}
	if err := rd.Done(); err != nil {
		return b, fmt.Errorf("members: directory page %d: %w", p.no, err)
	}
	return b, nil
}

func (e *entry) matchesWords(words []string) bool {
	for _, w := range words {
		if !strings.Contains(e.hay, w) {
			return false
		}
	}
	return true
}

// sortKey is what ordering needs of an entry: its id and the key of the list's sort.
type sortKey struct {
	id  string
	key string
	num int64
}

func keyOf(e *entry, s Sort) sortKey {
	switch s {
	case SortEmail:
		return sortKey{id: e.id, key: e.email}
	case SortCreated:
		return sortKey{id: e.id, num: e.created}
	case SortUpdated:
		return sortKey{id: e.id, num: e.updated}
	default:
		return sortKey{id: e.id, key: e.name}
	}
}

func compareKeys(a, b sortKey) int {
	if c := strings.Compare(a.key, b.key); c != 0 {
		return c
	}
	if a.num != b.num {
		if a.num < b.num {
			return -1
		}
		return 1
	}
	return strings.Compare(a.id, b.id)
}

// topK keeps the k first keys seen under an order: a max-heap whose root is the last kept.
type topK struct {
	keys []sortKey
	k    int
	less func(a, b sortKey) bool
}

func (h *topK) Len() int           { return len(h.keys) }
func (h *topK) Less(i, j int) bool { return h.less(h.keys[j], h.keys[i]) }
func (h *topK) Swap(i, j int)      { h.keys[i], h.keys[j] = h.keys[j], h.keys[i] }
func (h *topK) Push(x any)         { h.keys = append(h.keys, x.(sortKey)) }
func (h *topK) Pop() any {
	x := h.keys[len(h.keys)-1]
	h.keys = h.keys[:len(h.keys)-1]
	return x
}

// offer keeps k if it is among the first h.k, copying its strings (the caller's are a page
// buffer's).
func (h *topK) offer(k sortKey) {
	if len(h.keys) < h.k {
		heap.Push(h, k.clone())
		return
	}
	if h.k > 0 && h.less(k, h.keys[0]) {
		h.keys[0] = k.clone()
		heap.Fix(h, 0)
	}
}

func (k sortKey) clone() sortKey {
	k.id, k.key = strings.Clone(k.id), strings.Clone(k.key)
	return k
}

// listCache keeps the ordered ids of the last lists read in full, for one directory version.
type listCache struct {
	mu      sync.Mutex
	version uint64 // bumped by every member write of this process
	lists   []cachedList
}

type cachedList struct {
	version uint64
	key     string
	ids     []string // every match, ascending
}

const cachedLists = 2

func (c *listCache) get(version uint64, key string) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range c.lists {
		if l.version == version && l.key == key {
			return l.ids, true
		}
	}
	return nil, false
}

func (c *listCache) put(version uint64, key string, ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lists = slices.DeleteFunc(c.lists, func(l cachedList) bool { return l.version != version })
	if len(c.lists) == cachedLists {
		c.lists = c.lists[1:]
	}
	c.lists = append(c.lists, cachedList{version: version, key: key, ids: ids})
}

// changed invalidates every cached list; it returns the new version.
func (c *listCache) changed() {
	c.mu.Lock()
	c.version++
	c.lists = nil
	c.mu.Unlock()
}

func (c *listCache) current() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.version
}

// query returns the ids of one page of matches, in order, and how many members match in all.
func (s *Service) query(q ListQuery) (ids []string, total int, err error) {
	m := newMatcher(q)
	cacheKey := fmt.Sprintf("%q\x00%q\x00%s", m.words, m.tag, q.Sort)
	version := s.lists.current()
	page := func(all []string) []string {
		out := make([]string, 0, q.Limit)
		for i := q.Offset; i < len(all) && len(out) < q.Limit; i++ {
			if q.Desc {
				out = append(out, all[len(all)-1-i])
			} else {
				out = append(out, all[i])
			}
		}
		return out
	}
	if all, ok := s.lists.get(version, cacheKey); ok {
		return page(all), len(all), nil
	}
	unfiltered := len(m.words) == 0 && m.tag == ""
	code := orderCode(q.Sort, q.Desc)
	if unfiltered {
		var hit bool
		err := s.st.View(func(tx *store.Tx) error {
			h, ok, err := headFor(tx, code)
			if err != nil || !ok || (!h.complete && len(h.keys) < q.Offset+q.Limit) {
				return err
			}
			r, err := readRootOrEmpty(tx)
			if err != nil {
				return err
			}
			hit, total = true, r.count
			for _, k := range h.keys[min(q.Offset, len(h.keys)):min(q.Offset+q.Limit, len(h.keys))] {
				ids = append(ids, k.id)
			}
			return nil
		})
		if err != nil || hit {
			return ids, total, err
		}
	}
	less := orderLess(q.Desc)
	whole := q.Offset > 0 // a later page: keep the whole ordered list for the pages after it
	var first []sortKey   // an unfiltered list's first headSize keys, to keep as its head
	err = s.st.View(func(tx *store.Tx) error {
		r, err := readRootOrEmpty(tx)
		if err != nil {
			return err
		}
		if whole {
			var parts [scanWorkers][]sortKey
			err := scanPages(tx, r, m, func(w int, e *entry) {
				parts[w] = append(parts[w], keyOf(e, q.Sort).clone())
			})
			if err != nil {
				return err
			}
			keys := slices.Concat(parts[:]...)
			slices.SortFunc(keys, compareKeys)
			all := make([]string, len(keys))
			for i, k := range keys {
				all[i] = k.id
			}
			s.lists.put(version, cacheKey, all)
			ids, total = page(all), len(all)
			if q.Desc {
				first = slices.Clone(keys[max(len(keys)-headSize, 0):])
				slices.Reverse(first)
			} else {
				first = keys[:min(len(keys), headSize)]
			}
			return nil
		}
		var heaps [scanWorkers]*topK
		var counts [scanWorkers]int
		k := q.Offset + q.Limit
		if unfiltered {
			k = max(k, headSize)
		}
		for w := range heaps {
			heaps[w] = &topK{k: k, less: less}
		}
		err = scanPages(tx, r, m, func(w int, e *entry) {
			counts[w]++
			heaps[w].offer(keyOf(e, q.Sort))
		})
		if err != nil {
			return err
		}
		var keys []sortKey
		for w := range heaps {
			keys = append(keys, heaps[w].keys...)
			total += counts[w]
		}
		slices.SortFunc(keys, func(a, b sortKey) int {
			if less(a, b) {
				return -1
			}
			return 1
		})
		first = keys[:min(len(keys), headSize)]
		keys = keys[:min(len(keys), q.Offset+q.Limit)]
		ids = make([]string, 0, q.Limit)
		for _, k := range keys[min(q.Offset, len(keys)):] {
			ids = append(ids, k.id)
		}
		return nil
	})
	if err == nil && unfiltered {
		// Kept for the next lists of this order; a workspace that cannot be written to (a
		// full disk) only scans again.
		_ = s.keepHead(code, first, total <= len(first), version)
	}
	return ids, total, err
}
