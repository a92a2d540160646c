package members

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"hearth/backend/internal/snapcodec"
	"hearth/backend/store"
)

// Heads: the first members of an order, kept on disk. Without a filter, the first page of a list
// (what the window shows when it opens, what `members list` prints) is the same top of the same
// order every time, yet finding it means reading every page of the directory. So the directory
// keeps, for each order a list asked for, its first headSize entries (a head), updated in the
// same transaction as the pages: the first pages of an unfiltered list read the root, the heads'
// list and one head, whatever the size of the workspace.
//
// Layout, under the directory's view:
//
//	heads     plain: the heads kept, each an order's code and the subject sealing it
//	h/<code>  sealed: whether the head holds every member, then its sort keys in order
//
// A head is created by the first unfiltered list of its order (from the page scan that list
// makes anyway) and kept right by every member write: a member leaving the head, or changing
// its sort key, is taken out; a member whose key sorts before the head's last is put in, and
// the head cut back to headSize. The invariant: every member not in a head sorts after its last
// entry. A head shortened by departures still answers the pages it covers; a list asking beyond
// it reads the pages and fills it again. Heads hold names and e-mails: they are sealed with keys
// of their own, recorded in the directory's "keys", and an erasure writes every head under a new
// key, so that the keys of all its old versions (which may hold the person) are destroyed with
// the person's. A rebuild deletes them with the pages.
const (
	dirHeads = "heads"
	// headSize is how many entries a head keeps: a few of the window's blocks of 200.
	headSize = 512
	// headsFormat is the heads' own format (like the keys', independent of dirFormat: the
	// heads are deleted with every rebuild).
	headsFormat = 1
)

// headRef is one kept head in the plain list.
type headRef struct {
	code    string // the order: see orderCode
	subject string
}

// head is an order's first entries.
type head struct {
	complete bool // holds every member
	keys     []sortKey
}

// orderCode names a list order: the sort and its direction.
func orderCode(s Sort, desc bool) string {
	if desc {
		return string(s) + "-"
	}
	return string(s) + "+"
}

// orderOf is the order a code names.
func orderOf(code string) (Sort, bool) {
	return Sort(code[:len(code)-1]), strings.HasSuffix(code, "-")
}

// orderLess is the order's comparison of sort keys.
func orderLess(desc bool) func(a, b sortKey) bool {
	if desc {
		return func(a, b sortKey) bool { return compareKeys(a, b) > 0 }
	}
	return func(a, b sortKey) bool { return compareKeys(a, b) < 0 }
}

func headName(code string) string { return "h/" + code }

func encodeHeads(refs []headRef) []byte {
	var w snapcodec.Writer
	w.Uint(headsFormat)
	w.Uint(uint64(len(refs)))
	for _, r := range refs {
		w.String(r.code)
		w.String(r.subject)
	}
	return w.Bytes()
}

// readHeads reads the list of kept heads inside tx (none when there is no list, or one of
// another format).
func readHeads(tx *store.Tx) ([]headRef, error) {
	b, _, found, err := tx.GetView(dirView, dirHeads)
	if err != nil || !found {
		return nil, err
	}
	r := snapcodec.NewReader(b)
	if r.Uint() != headsFormat {
		return nil, nil
	}
	refs := make([]headRef, r.Count(2))
	for i := range refs {
		refs[i] = headRef{code: strings.Clone(r.String()), subject: strings.Clone(r.String())}
	}
	if err := r.Done(); err != nil {
		return nil, fmt.Errorf("members: directory heads: %w", err)
	}
	return refs, nil
}

func encodeHead(h head) []byte {
	var w snapcodec.Writer
	w.Uint(headsFormat)
	if h.complete {
		w.Uint(1)
	} else {
		w.Uint(0)
	}
	w.Uint(uint64(len(h.keys)))
	for _, k := range h.keys {
		w.String(k.id)
		w.String(k.key)
		w.Int(k.num)
	}
	return w.Bytes()
}

// readHead reads the head ref names inside tx.
func readHead(tx *store.Tx, ref headRef) (head, error) {
	b, _, found, err := tx.GetView(dirView, headName(ref.code))
	if err != nil {
		return head{}, err
	}
	if !found {
		return head{}, fmt.Errorf("members: directory head %s is missing", ref.code)
	}
	r := snapcodec.NewReader(b)
	if r.Uint() != headsFormat {
		return head{}, fmt.Errorf("members: directory head %s of another format", ref.code)
	}
	h := head{complete: r.Uint() == 1}
	h.keys = make([]sortKey, r.Count(3))
	for i := range h.keys {
		h.keys[i] = sortKey{id: strings.Clone(r.String()), key: strings.Clone(r.String()), num: r.Int()}
	}
	if err := r.Done(); err != nil {
		return head{}, fmt.Errorf("members: directory head %s: %w", ref.code, err)
	}
	return h, nil
}

// headChange is one member write as the heads see it: the member's new entry, or nil when it
// left the directory.
type headChange struct {
	id string
	e  *entry
}

// apply brings h in step with the changes, in the order they were made.
func (h *head) apply(code string, changes []headChange) {
	s, desc := orderOf(code)
	less := orderLess(desc)
	in := make(map[string]bool, len(h.keys)) // the ids in the head (most changes are about others)
	for _, k := range h.keys {
		in[k.id] = true
	}
	for _, c := range changes {
		if in[c.id] {
			h.keys = slices.DeleteFunc(h.keys, func(k sortKey) bool { return k.id == c.id })
			delete(in, c.id)
		}
		if c.e == nil {
			continue
		}
		k := keyOf(c.e, s)
		if !h.complete && (len(h.keys) == 0 || !less(k, h.keys[len(h.keys)-1])) {
			continue // sorts after the head's last: it joins the members the head leaves out
		}
		k = k.clone()
		in[k.id] = true
		at, _ := slices.BinarySearchFunc(h.keys, k, func(a, b sortKey) int {
			if less(a, b) {
				return -1
			}
			return 1
		})
		h.keys = slices.Insert(h.keys, at, k)
		if len(h.keys) > headSize {
			delete(in, h.keys[headSize].id)
			h.keys, h.complete = h.keys[:headSize], false
		}
	}
}

// flushHeads writes the heads in step with the transaction's member changes; erasing writes
// every head under a new key (see shredRetired). A directory that held nobody gets the head of
// the order lists open with (by name), complete and empty before the changes: kept from then on,
// it is never built by a scan.
func (w *dirWrite) flushHeads(erasing bool) error {
	if len(w.changes) == 0 && !erasing {
		return nil
	}
	refs, err := readHeads(w.tx)
	if err != nil {
		return err
	}
	fresh := ""
	if len(refs) == 0 && w.wasEmpty && len(w.changes) > 0 {
		subject, err := w.newSubject()
		if err != nil {
			return err
		}
		fresh = orderCode(SortName, false)
		refs = []headRef{{code: fresh, subject: subject}}
	}
	for i, ref := range refs {
		h := head{complete: true}
		if ref.code != fresh {
			if h, err = readHead(w.tx, ref); err != nil {
				return err
			}
		}
		h.apply(ref.code, w.changes)
		if erasing {
			if refs[i].subject, err = w.newSubject(); err != nil {
				return err
			}
		}
		if err := w.tx.PutView(dirView, headName(ref.code), refs[i].subject, encodeHead(h)); err != nil {
			return err
		}
	}
	w.heads = refs
	if erasing || fresh != "" {
		return w.tx.PutView(dirView, dirHeads, "", encodeHeads(refs))
	}
	return nil
}

// headFor returns the kept head of an order, ok false when there is none.
func headFor(tx *store.Tx, code string) (h head, ok bool, err error) {
	refs, err := readHeads(tx)
	if err != nil {
		return head{}, false, err
	}
	for _, ref := range refs {
		if ref.code == code {
			h, err := readHead(tx, ref)
			return h, err == nil, err
		}
	}
	return head{}, false, nil
}

// keepHead writes keys, the first entries of an order found by a page scan of directory
// version, as the order's head, unless a member write came in between (then the next list
// scans again). complete says keys are every member.
func (s *Service) keepHead(code string, keys []sortKey, complete bool, version uint64) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.lists.current() != version {
		return nil
	}
	h := head{complete: complete, keys: make([]sortKey, min(len(keys), headSize))}
	for i := range h.keys {
		h.keys[i] = keys[i].clone()
	}
	return s.st.Update(context.Background(), func(tx *store.Tx) error {
		refs, err := readHeads(tx)
		if err != nil {
			return err
		}
		w := newDirWrite(tx, emptyRoot())
		subject, err := w.newSubject()
		if err != nil {
			return err
		}
		refs = slices.DeleteFunc(refs, func(r headRef) bool { return r.code == code })
		refs = append(refs, headRef{code: code, subject: subject})
		if err := tx.PutView(dirView, headName(code), subject, encodeHead(h)); err != nil {
			return err
		}
		return tx.PutView(dirView, dirHeads, "", encodeHeads(refs))
	})
}

// checkHeads compares every kept head with the order of the member records' entries (in id
// order), through add (see checkDirectory).
func checkHeads(tx *store.Tx, records []entry, add func(code, key, detail string)) error {
	refs, err := readHeads(tx)
	if err != nil {
		add("view_unreadable", dirView+"/"+dirHeads, err.Error())
		return nil
	}
	for _, ref := range refs {
		h, err := readHead(tx, ref)
		if err != nil {
			add("view_unreadable", dirView+"/"+headName(ref.code), err.Error())
			continue
		}
		s, desc := orderOf(ref.code)
		less := orderLess(desc)
		want := make([]sortKey, len(records))
		for i := range records {
			want[i] = keyOf(&records[i], s)
		}
		slices.SortFunc(want, func(a, b sortKey) int {
			if less(a, b) {
				return -1
			}
			return 1
		})
		switch {
		case h.complete && len(h.keys) != len(want):
			add("view_stale", dirView+"/"+headName(ref.code), fmt.Sprintf("the head says it holds all %d members, there are %d", len(h.keys), len(want)))
		case len(h.keys) > len(want) || !slices.Equal(h.keys, want[:len(h.keys)]):
			add("view_stale", dirView+"/"+headName(ref.code), "the first members of the order differ from the records'")
		}
	}
	return nil
}
