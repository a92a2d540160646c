package members

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"
	"unsafe"

	"hearth/backend/internal/snapcodec"
	"hearth/backend/store"
	"hearth/backend/textfold"
)

// The directory is what lists, search and sorting need of every live member (folded text and
// sort keys, not whole records), kept on disk as a store view (store.PutView) written in the same
// transaction as the member records it describes. Nothing of it is read when a workspace opens:
// a list reads the root, then streams the pages (see query.go), so the cost of opening does not
// grow with the workspace and a process holds at most a few pages at a time.
//
// Layout, under the view "members-directory":
//
//	root      plain: format, next page number, member count, tag counts, and the pages in id
//	          order, each with its lowest id, entry count and the subject sealing it
//	p/<no>    sealed: the entries of ids from the page's lowest id up to the next page's, in id
//	          order (member ids are time-ordered ULIDs, so new members fill the last page)
//	keys      plain: every subject that sealed a page and whose key is not destroyed yet, the
//	          pages' current ones and those retired (format-stable: it outlives rebuilds)
//
// Pages hold personal data (names, e-mails, handles) and are sealed with a key of their own.
// When an entry leaves a page for another (a split), or a person is erased, the page is written
// under a new key and the old one is retired; a rebuild (repair, a format change) writes every
// page under new keys and retires all the old ones. An erasure destroys every key in "keys"
// that no current page uses, with the person's (store.Tx.ShredSubject), so no version of any
// page that ever held the erased person, old versions left in Badger's files included, can be
// read again. The root holds ids, counts and
// tag spellings (as the tag index already does), nothing that names a person.
const (
	dirView = "members-directory"
	dirRoot = "root"
	dirKeys = store.ViewKeys
	// dirFormat changes whenever what an entry holds, or how its text is folded (newEntry,
	// textfold), does: a directory of another format is rebuilt from the records.
	dirFormat = 5
	// pageMax bounds a page's entries: a page is about 50 KB, one read and one unseal, and the
	// root, written with every change, lists about 2,000 pages at 1,000,000 members.
	pageMax = 512
)

// entry is one member as the directory knows it.
type entry struct {
	id      string
	name    string // folded name, or folded primary e-mail when the member has no name
	email   string // folded primary e-mail
	hay     string // folded name, e-mails, handles, tags and custom field values, separated by \x1f
	tags    []string
	tagKeys []string
	created int64
	updated int64
}

func newEntry(m Member) entry {
	e := entry{id: m.ID, tags: m.Tags, created: m.CreatedAt.UnixMilli(), updated: m.UpdatedAt.UnixMilli()}
	type span struct{ from, to int }
	var hay strings.Builder
	hay.WriteString(textfold.Fold(m.Name))
	name := span{0, hay.Len()}
	add := func(s string) span {
		hay.WriteByte('\x1f')
		from := hay.Len()
		hay.WriteString(s)
		return span{from, hay.Len()}
	}
	var email, handle span
	for i, em := range m.Emails {
		if sp := add(textfold.Fold(em)); i == 0 {
			email = sp
		}
	}
	for i, h := range m.Handles {
		if sp := add(textfold.Fold(h.Handle)); i == 0 {
			handle = sp
		}
	}
	keys := tagKeys(m)
	tagSpans := make([]span, len(keys))
	for i, k := range keys {
		tagSpans[i] = add(k)
	}
	// Custom field values last, in the fields' name order, each cut to customHayMax bytes: a
	// search for "Lyon" finds the members whose city is Lyon, and a long free-text field does
	// not grow the pages.
	for _, name := range slices.Sorted(maps.Keys(m.CustomFields)) {
		if v := textfold.Fold(m.CustomFields[name]); v != "" {
			add(cutRunes(v, customHayMax))
		}
	}
	e.hay = hay.String()
	cut := func(sp span) string { return e.hay[sp.from:sp.to] }
	e.name, e.email = cut(name), cut(email)
	if e.name == "" {
		e.name = e.email
	}
	if e.name == "" && len(m.Handles) > 0 {
		e.name = cut(handle)
	}
	e.tagKeys = make([]string, len(tagSpans))
	for i, sp := range tagSpans {
		e.tagKeys[i] = cut(sp)
	}
	return e
}

// customHayMax is how much of each custom field's folded value search sees.
const customHayMax = 200

// cutRunes returns s cut to at most n bytes, on a character boundary.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// within returns the offset of sub in hay: sub is a substring of hay's own bytes (newEntry and
// decodeEntry cut every folded string out of the haystack), so that an entry is written with
// offsets instead of copies.
func within(hay, sub string) int {
	if sub == "" {
		return 0
	}
	at := int(uintptr(unsafe.Pointer(unsafe.StringData(sub))) - uintptr(unsafe.Pointer(unsafe.StringData(hay))))
	if at >= 0 && at+len(sub) <= len(hay) {
		return at
	}
	if at = strings.Index(hay, sub); at < 0 {
		return len(hay) + 1 // read back as damage, never as another member's text
	}
	return at
}

// encode writes an entry: its sort name, e-mail and tag keys are offsets into the haystack,
// which holds them all (about a third fewer bytes to read and unseal per list).
func (e *entry) encode(w *snapcodec.Writer) {
	w.String(e.id)
	w.String(e.hay)
	w.Uint(uint64(within(e.hay, e.name)))
	w.Uint(uint64(len(e.name)))
	w.Uint(uint64(within(e.hay, e.email)))
	w.Uint(uint64(len(e.email)))
	w.Int(e.created)
	w.Int(e.updated)
	w.Strings(e.tags)
	for _, k := range e.tagKeys {
		w.Uint(uint64(within(e.hay, k)))
		w.Uint(uint64(len(k)))
	}
}

// cutHay reads an offset and a length into hay; a pair pointing outside it gives "" and clears
// ok.
func cutHay(r *snapcodec.Reader, hay string, ok *bool) string {
	from, n := r.Uint(), r.Uint()
	if from > uint64(len(hay)) || n > uint64(len(hay))-from {
		*ok = false
		return ""
	}
	return hay[from : from+n]
}

// decodeEntry reads one entry; its strings share r's bytes. ok is false when it points outside
// its own text.
func decodeEntry(r *snapcodec.Reader) (entry, bool) {
	ok := true
	e := entry{id: r.String(), hay: r.String()}
	e.name = cutHay(r, e.hay, &ok)
	e.email = cutHay(r, e.hay, &ok)
	e.created, e.updated = r.Int(), r.Int()
	e.tags = r.Strings()
	e.tagKeys = make([]string, len(e.tags))
	for i := range e.tagKeys {
		e.tagKeys[i] = cutHay(r, e.hay, &ok)
	}
	return e, ok
}

// root is the directory's table of contents.
type root struct {
	next  uint64                    // number of the next new page
	count int                       // live members
	tags  map[string]map[string]int // folded tag -> spelling -> members
	pages []pageRef                 // in id order
}

type pageRef struct {
	no      uint64
	low     string // no entry of the page sorts before it; the first page's is ""
	n       int
	subject string
}

func pageName(no uint64) string { return fmt.Sprintf("p/%08x", no) }

func (r *root) encode() []byte {
	var w snapcodec.Writer
	w.Uint(dirFormat)
	w.Uint(r.next)
	w.Uint(uint64(r.count))
	w.Uint(uint64(len(r.tags)))
	for _, k := range slices.Sorted(maps.Keys(r.tags)) {
		w.String(k)
		w.Uint(uint64(len(r.tags[k])))
		for _, sp := range slices.Sorted(maps.Keys(r.tags[k])) {
			w.String(sp)
			w.Uint(uint64(r.tags[k][sp]))
		}
	}
	w.Uint(uint64(len(r.pages)))
	for _, p := range r.pages {
		w.Uint(p.no)
		w.String(p.low)
		w.Uint(uint64(p.n))
		w.String(p.subject)
	}
	return w.Bytes()
}

// decodeRoot reads a root; ok is false for another format (the directory is then rebuilt).
func decodeRoot(b []byte) (r *root, ok bool, err error) {
	rd := snapcodec.NewReader(b)
	if rd.Uint() != dirFormat {
		return nil, false, nil
	}
	r = &root{next: rd.Uint(), count: int(rd.Uint()), tags: map[string]map[string]int{}}
	for range rd.Count(2) {
		k := strings.Clone(rd.String())
		sp := map[string]int{}
		for range rd.Count(2) {
			s := strings.Clone(rd.String())
			sp[s] = int(rd.Uint())
		}
		r.tags[k] = sp
	}
	r.pages = make([]pageRef, rd.Count(4))
	for i := range r.pages {
		r.pages[i] = pageRef{no: rd.Uint(), low: strings.Clone(rd.String()), n: int(rd.Uint()), subject: strings.Clone(rd.String())}
	}
	if err := rd.Done(); err != nil {
		return nil, false, err
	}
	return r, true, nil
}

func (r *root) clone() *root {
	c := *r
	c.tags = make(map[string]map[string]int, len(r.tags))
	for k, sp := range r.tags {
		c.tags[k] = maps.Clone(sp)
	}
	c.pages = slices.Clone(r.pages)
	return &c
}

// pageOf returns the index in r.pages of the page that holds (or would hold) id.
func (r *root) pageOf(id string) int {
	i, _ := slices.BinarySearchFunc(r.pages, id, func(p pageRef, id string) int {
		if p.low <= id {
			return -1
		}
		return 1
	})
	return max(i-1, 0)
}

func (r *root) addTags(e *entry, delta int) {
	for i, k := range e.tagKeys {
		sp := r.tags[k]
		if sp == nil {
			sp = map[string]int{}
			r.tags[k] = sp
		}
		sp[e.tags[i]] += delta
		if sp[e.tags[i]] <= 0 {
			delete(sp, e.tags[i])
		}
		if len(sp) == 0 {
			delete(r.tags, k)
		}
	}
}

// tagCounts lists every tag with its member count, merging tags that fold alike under their
// first spelling, in folded alphabetical order.
func (r *root) tagCounts() []TagCount {
	out := make([]TagCount, 0, len(r.tags))
	for _, sp := range r.tags {
		tc := TagCount{}
		for s, n := range sp {
			if tc.Count == 0 || s < tc.Tag {
				tc.Tag = s
			}
			tc.Count += n
		}
		out = append(out, tc)
	}
	slices.SortFunc(out, func(a, b TagCount) int {
		return cmp.Or(strings.Compare(textfold.Fold(a.Tag), textfold.Fold(b.Tag)), strings.Compare(a.Tag, b.Tag))
	})
	return out
}

func encodePage(es []entry) []byte {
	var w snapcodec.Writer
	w.Uint(dirFormat)
	w.Uint(uint64(len(es)))
	for i := range es {
		es[i].encode(&w)
	}
	return w.Bytes()
}

// decodePage reads a page's entries; their strings share b.
func decodePage(b []byte) ([]entry, error) {
	r := snapcodec.NewReader(b)
	if r.Uint() != dirFormat {
		return nil, fmt.Errorf("members: directory page of another format")
	}
	es := make([]entry, r.Count(8))
	for i := range es {
		var ok bool
		if es[i], ok = decodeEntry(r); !ok {
			return nil, fmt.Errorf("members: directory entry %d points outside its text", i)
		}
	}
	return es, r.Done()
}

// readRoot reads the directory's root inside tx; ok is false when there is none of this format.
func readRoot(tx *store.Tx) (*root, bool, error) {
	b, _, found, err := tx.GetView(dirView, dirRoot)
	if err != nil || !found {
		return nil, false, err
	}
	r, ok, err := decodeRoot(b)
	if err != nil {
		return nil, false, fmt.Errorf("members: directory root: %w", err)
	}
	return r, ok, nil
}

// readPage reads page p's entries inside tx.
func readPage(tx *store.Tx, p pageRef) ([]entry, error) {
	b, _, found, err := tx.GetView(dirView, pageName(p.no))
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("members: directory page %d is missing", p.no)
	}
	es, err := decodePage(b)
	if err != nil {
		return nil, fmt.Errorf("members: directory page %d: %w", p.no, err)
	}
	return es, nil
}

// dirWrite brings the directory in step with member writes inside one transaction: pages are
// read once, changed in memory and written once when flushed.
type dirWrite struct {
	tx    *store.Tx
	r     *root
	pages map[int][]entry // by index in r.pages: entries read and changed
	last  map[int]string  // by index: the highest id the page held on disk
	fresh map[int]bool    // pages whose subject must change (an erased person was in them)
	keys  []string        // the "keys" value once read (newSubject, erasing)
	read  bool            // keys was read

	changes  []headChange // the member writes, in order, for the heads (heads.go)
	heads    []headRef    // the heads as flushHeads left them
	wasEmpty bool         // the directory held nobody before this write
}

func newDirWrite(tx *store.Tx, r *root) *dirWrite {
	return &dirWrite{tx: tx, r: r.clone(), pages: map[int][]entry{}, last: map[int]string{}, fresh: map[int]bool{}, wasEmpty: r.count == 0}
}

func (w *dirWrite) page(i int) ([]entry, error) {
	if es, ok := w.pages[i]; ok {
		return es, nil
	}
	if w.r.pages[i].n == 0 && w.r.pages[i].subject == "" { // a page never written (an empty directory's first)
		w.pages[i] = nil
		return nil, nil
	}
	es, err := readPage(w.tx, w.r.pages[i])
	if err != nil {
		return nil, err
	}
	w.pages[i] = es
	if len(es) > 0 {
		w.last[i] = es[len(es)-1].id
	}
	return es, nil
}

// put adds or replaces members' entries.
func (w *dirWrite) put(ms ...Member) error {
	for _, m := range ms {
		e := newEntry(m)
		i := w.r.pageOf(m.ID)
		es, err := w.page(i)
		if err != nil {
			return err
		}
		at, found := slices.BinarySearchFunc(es, m.ID, func(e entry, id string) int { return strings.Compare(e.id, id) })
		if found {
			w.r.addTags(&es[at], -1)
			es[at] = e
		} else {
			es = slices.Insert(es, at, e)
			w.r.count++
		}
		w.r.addTags(&e, 1)
		w.pages[i] = es
		w.changes = append(w.changes, headChange{id: m.ID, e: &e})
	}
	return nil
}

// remove drops a member's entry. erased also rewrites, under a new key, the page that holds
// or held the person (entries leave a page for another only in splits, which change its key),
// even when a deletion already took the entry out.
func (w *dirWrite) remove(id string, erased bool) error {
	i := w.r.pageOf(id)
	es, err := w.page(i)
	if err != nil {
		return err
	}
	if erased {
		w.fresh[i] = true
	}
	w.changes = append(w.changes, headChange{id: id})
	at, found := slices.BinarySearchFunc(es, id, func(e entry, id string) int { return strings.Compare(e.id, id) })
	if !found {
		return nil
	}
	w.r.addTags(&es[at], -1)
	w.pages[i] = slices.Delete(es, at, at+1)
	w.r.count--
	return nil
}

// flush writes the changed pages and the root. A page grown past pageMax is cut in pages of
// pageMax (the last page, which new members fill in order) or in halves (a page in the middle);
// a page left empty is deleted, unless it is the only one. erasing asks the erasure under way to
// destroy the keys of every page version retired so far.
func (w *dirWrite) flush(erasing bool) error {
	var pages []pageRef
	for i, ref := range w.r.pages {
		es, changed := w.pages[i]
		if !changed {
			pages = append(pages, ref)
			continue
		}
		if len(es) == 0 && len(w.r.pages) > 1 {
			if err := w.tx.DeleteView(dirView, pageName(ref.no)); err != nil {
				return err
			}
			continue // its subject stays in keys until the next erasure
		}
		size := pageMax
		if i < len(w.r.pages)-1 && len(es) > pageMax {
			size = (len(es) + 1) / 2
		}
		parts := [][]entry{es}
		if len(es) > pageMax {
			parts = slices.Collect(slices.Chunk(es, size))
		}
		for j, part := range parts {
			out := ref
			if j > 0 {
				out = pageRef{no: w.r.next, low: part[0].id}
				w.r.next++
			}
			// A page keeps its key unless someone it held on disk now lives elsewhere, or an
			// erased person was in it: then its old versions must become unreadable.
			moved := j == 0 && len(parts) > 1 && w.last[i] > part[len(part)-1].id
			if out.subject == "" || (j == 0 && (w.fresh[i] || moved)) {
				subject, err := w.newSubject()
				if err != nil {
					return err
				}
				out.subject = subject
			}
			out.n = len(part)
			if err := w.tx.PutView(dirView, pageName(out.no), out.subject, encodePage(part)); err != nil {
				return err
			}
			pages = append(pages, out)
		}
	}
	w.r.pages = pages
	if err := w.flushHeads(erasing); err != nil {
		return err
	}
	if erasing {
		if err := w.shredRetired(); err != nil {
			return err
		}
	}
	return w.tx.PutView(dirView, dirRoot, "", w.r.encode())
}

// newSubject makes a subject for a page version, recorded in keys in the same transaction.
func (w *dirWrite) newSubject() (string, error) {
	if err := w.readKeys(); err != nil {
		return "", err
	}
	subject := "md:" + w.tx.NewID()
	w.keys = append(w.keys, subject)
	return subject, putKeys(w.tx, w.keys)
}

// shredRetired asks the erasure under way to destroy every page key no current page uses.
func (w *dirWrite) shredRetired() error {
	if err := w.readKeys(); err != nil {
		return err
	}
	current := map[string]bool{}
	for _, p := range w.r.pages {
		current[p.subject] = true
	}
	for _, h := range w.heads {
		current[h.subject] = true
	}
	kept := w.keys[:0:0]
	for _, s := range w.keys {
		if current[s] {
			kept = append(kept, s)
		} else {
			w.tx.ShredSubject(s)
		}
	}
	w.keys = kept
	return putKeys(w.tx, kept)
}

func (w *dirWrite) readKeys() (err error) {
	if !w.read {
		w.keys, err = readKeys(w.tx)
		w.read = err == nil
	}
	return err
}

// keysFormat is the "keys" value's own format, which directory formats do not change.
const keysFormat = 1

func readKeys(tx *store.Tx) ([]string, error) {
	b, _, found, err := tx.GetView(dirView, dirKeys)
	if err != nil || !found {
		return nil, err
	}
	r := snapcodec.NewReader(b)
	if r.Uint() != keysFormat {
		return nil, fmt.Errorf("members: the directory's keys are of another format")
	}
	keys := r.Strings()
	for i := range keys {
		keys[i] = strings.Clone(keys[i])
	}
	return keys, r.Done()
}

func putKeys(tx *store.Tx, keys []string) error {
	var w snapcodec.Writer
	w.Uint(keysFormat)
	w.Strings(keys)
	return tx.PutView(dirView, dirKeys, "", w.Bytes())
}

func emptyRoot() *root {
	return &root{next: 1, tags: map[string]map[string]int{}, pages: []pageRef{{no: 0}}}
}
