package members

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"hearth/backend/store"
)

// updateDirectory runs fn on the directory inside tx, then writes what it changed; the caller's
// transaction commits the directory with the member records.
func updateDirectory(tx *store.Tx, erasing bool, fn func(w *dirWrite) error) error {
	r, err := readRootOrEmpty(tx)
	if err != nil {
		return err
	}
	w := newDirWrite(tx, r)
	if err := fn(w); err != nil {
		return err
	}
	return w.flush(erasing)
}

// readRootOrEmpty reads the root, or gives an empty directory's when there is none: after
// ensureDirectory, that is a workspace with no members yet (its first write creates the root).
func readRootOrEmpty(tx *store.Tx) (*root, error) {
	r, ok, err := readRoot(tx)
	if err == nil && !ok {
		r = emptyRoot()
	}
	return r, err
}

// errFound stops a scan at its first record.
var errFound = errors.New("found")

// ensureDirectory builds the directory from the records when the workspace has none of this
// format (a workspace from before it, or a directory format change), or puts in it the members
// a process that died left out of it (a bulk write's tail, dirtail.go), once per process. A
// workspace that never had a member needs none yet: nothing is written (a dry run on a full disk
// stays possible).
func (s *Service) ensureDirectory(ctx context.Context) error {
	if s.stranded.Load() { // a bulk write could not write its tail (a full disk): try again
		_ = s.Flush(ctx)
	}
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	if s.built {
		return nil
	}
	var ok, none bool
	var pending string
	err := s.st.View(func(tx *store.Tx) (err error) {
		if _, ok, err = readRoot(tx); err != nil {
			return err
		}
		if ok {
			pending, err = readPending(tx)
			return err
		}
		none = true
		err = store.Scan(tx, collection, func(string, Member, store.Meta) error { none = false; return errFound })
		if err == errFound {
			err = nil
		}
		return err
	})
	if err != nil {
		return err
	}
	if (!ok && !none) || pending != "" {
		s.writeMu.Lock()
		if ok {
			err = s.catchUp(ctx, pending)
		} else {
			err = s.buildDirectory(ctx)
		}
		s.writeMu.Unlock()
		if err != nil && ok && s.st.ReadOnly() {
			// A disk too full to write: the directory still lists every member but those a
			// process that died left out of it, until there is room to put them in.
			return nil
		}
		if err != nil {
			return err
		}
	}
	s.built = true
	return nil
}

// buildDirectory writes the directory from the member records: the old values are deleted
// first, then full pages are written as the records are read in id order, and the root last, so
// that a build cut short (a crash, a kill) leaves no root and starts again at the next open.
// The caller holds writeMu.
func (s *Service) buildDirectory(ctx context.Context) error {
	var names []string
	err := s.st.View(func(tx *store.Tx) (err error) {
		names, err = tx.ViewNames(dirView)
		return err
	})
	if err != nil {
		return err
	}
	// The root first: no half-deleted directory is ever used. The keys stay: the old pages'
	// versions are still in Badger's files, and the next erasure destroys their keys.
	names = slices.DeleteFunc(names, func(n string) bool { return n == dirKeys })
	slices.SortFunc(names, func(a, b string) int {
		return strings.Compare(strings.TrimPrefix(a, dirRoot), strings.TrimPrefix(b, dirRoot))
	})
	if err := s.st.Bulk(ctx, len(names), func(tx *store.Tx, i int) error { return tx.DeleteView(dirView, names[i]) }, nil); err != nil {
		return err
	}
	r := emptyRoot()
	r.pages = nil
	var page []entry
	writePage := func() error {
		if len(page) == 0 {
			return nil
		}
		ref := pageRef{no: r.next, n: len(page)}
		if len(r.pages) > 0 {
			ref.low = page[0].id
		}
		r.next++
		err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
			w := newDirWrite(tx, r)
			if ref.subject, err = w.newSubject(); err != nil {
				return err
			}
			return tx.PutView(dirView, pageName(ref.no), ref.subject, encodePage(page))
		})
		r.pages = append(r.pages, ref)
		page = page[:0]
		return err
	}
	err = s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, collection, func(_ string, m Member, _ store.Meta) error {
			e := newEntry(m)
			r.addTags(&e, 1)
			r.count++
			page = append(page, e)
			if len(page) == pageMax {
				return writePage()
			}
			return nil
		})
	})
	if err == nil {
		err = writePage()
	}
	if err != nil {
		return err
	}
	if len(r.pages) == 0 {
		r.pages = emptyRoot().pages
	}
	s.lists.changed()
	err = s.st.UpdateDurable(ctx, func(tx *store.Tx) error { return tx.PutView(dirView, dirRoot, "", r.encode()) })
	if err == nil {
		s.tail = dirTail{} // its members were read with the others, and its pending value deleted
	}
	return err
}

// checkDirectory compares the directory with the member records, entry by entry in id order,
// and with repair rebuilds it when they differ (store.RegisterCheck).
func (s *Service) checkDirectory(ctx context.Context, repair bool) ([]store.Finding, int, error) {
	// The members a bulk write has not written to the directory yet are in it before it is
	// compared: a process that died leaves them for the first one to open the directory, and a
	// bulk write under way writes them now.
	if err := s.writePending(ctx); err != nil {
		return nil, 0, err
	}
	var findings []store.Finding
	add := func(code, key, detail string) {
		findings = append(findings, store.Finding{Code: code, Key: key, Detail: detail, Repairable: true})
	}
	err := s.st.View(func(tx *store.Tx) error {
		r, ok, err := readRoot(tx)
		if err != nil {
			add("view_unreadable", dirView+"/"+dirRoot, err.Error())
			return nil
		}
		if !ok { // none of this format: right only for a workspace that never had a member
			r = emptyRoot()
		}
		want := emptyRoot()
		var records []entry
		err = store.Scan(tx, collection, func(_ string, m Member, _ store.Meta) error {
			e := newEntry(m)
			want.addTags(&e, 1)
			want.count++
			records = append(records, e)
			return nil
		})
		if err != nil {
			return err
		}
		var listed []entry
		for i, p := range r.pages {
			if i > 0 && p.low <= r.pages[i-1].low {
				add("view_stale", dirView+"/"+pageName(p.no), "pages out of order")
			}
			if p.n == 0 && p.subject == "" {
				continue
			}
			es, err := readPage(tx, p)
			if err != nil {
				add("view_unreadable", dirView+"/"+pageName(p.no), err.Error())
				continue
			}
			if len(es) != p.n {
				add("view_stale", dirView+"/"+pageName(p.no), fmt.Sprintf("the root says %d entries, the page holds %d", p.n, len(es)))
			}
			for _, e := range es {
				if e.id < p.low || (i+1 < len(r.pages) && e.id >= r.pages[i+1].low) {
					add("view_stale", dirView+"/"+pageName(p.no), "member "+e.id+" is on the wrong page")
				}
			}
			listed = append(listed, es...)
		}
		slices.SortFunc(listed, func(a, b entry) int { return strings.Compare(a.id, b.id) })
		i, j := 0, 0
		for i < len(records) || j < len(listed) {
			switch {
			case j == len(listed) || (i < len(records) && records[i].id < listed[j].id):
				add("view_stale", dirView, "member "+records[i].id+" is missing from the directory")
				i++
			case i == len(records) || listed[j].id < records[i].id:
				add("view_stale", dirView, "member "+listed[j].id+" is in the directory but has no live record")
				j++
			default:
				if !sameEntry(records[i], listed[j]) {
					add("view_stale", dirView, "member "+records[i].id+" differs from its record")
				}
				i, j = i+1, j+1
			}
		}
		if err := checkHeads(tx, records, add); err != nil {
			return err
		}
		if r.count != want.count || fmt.Sprint(r.tagCounts()) != fmt.Sprint(want.tagCounts()) {
			add("view_stale", dirView+"/"+dirRoot, fmt.Sprintf("the root counts %d members, the records %d, or the tag counts differ", r.count, want.count))
		}
		return nil
	})
	if err != nil || !repair || len(findings) == 0 {
		return findings, 0, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.buildDirectory(ctx); err != nil {
		return findings, 0, err
	}
	return findings, 1, nil
}

func sameEntry(a, b entry) bool {
	return a.id == b.id && a.name == b.name && a.email == b.email && a.hay == b.hay && a.created == b.created &&
		a.updated == b.updated && slices.Equal(a.tags, b.tags) && slices.Equal(a.tagKeys, b.tagKeys)
}
