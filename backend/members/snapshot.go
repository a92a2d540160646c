package members

import (
	"io"
	"slices"

	"hearth/backend/internal/snapcodec"
)

// The directory is saved as a store snapshot when the workspace closes, so that the next
// process reads one sealed file instead of unsealing and decoding every member (see
// store.RegisterSnapshot for when a snapshot is used, carried forward or dropped).

const (
	directorySnapshot = "members-directory"
	// directoryFormat changes whenever what a directory entry holds, or how its text is folded
	// (newEntry, textfold), does: a snapshot of another format is rebuilt from the records.
	directoryFormat = 1
)

// registerSnapshot declares the directory's snapshot to the store.
func (s *Service) registerSnapshot() {
	s.st.RegisterSnapshot(directorySnapshot, []string{collection.Name}, func(w io.Writer) (bool, error) {
		s.loadMu.Lock()
		d := s.dir
		s.loadMu.Unlock()
		if d == nil {
			return false, nil
		}
		_, err := d.encode().WriteTo(w)
		return true, err
	})
}

// encode writes the entries in name order, so that loading them also gives the list's
// default order without sorting.
func (d *directory) encode() *snapcodec.Writer {
	order := d.ordered(SortName)
	d.mu.RLock()
	defer d.mu.RUnlock()
	var w snapcodec.Writer
	w.Uint(directoryFormat)
	w.Uint(uint64(len(order)))
	for _, e := range order {
		w.String(e.id)
		w.String(e.name)
		w.String(e.email)
		w.String(e.hay)
		w.Strings(e.tags)
		w.Strings(e.tagKeys)
		w.Int(e.created)
		w.Int(e.updated)
	}
	return &w
}

// loadSnapshot returns the directory saved by the last process, or nil when there is none
// usable.
func (s *Service) loadSnapshot() *directory {
	b, ok := s.st.LoadSnapshot(directorySnapshot)
	if !ok {
		return nil
	}
	r := snapcodec.NewReader(b)
	if r.Uint() != directoryFormat {
		return nil
	}
	n := r.Count(8)
	d := newDirectory()
	order := make([]*entry, 0, n)
	entries := make([]entry, n) // one allocation for every entry
	for i := range entries {
		e := &entries[i]
		e.id, e.name, e.email, e.hay = r.String(), r.String(), r.String(), r.String()
		e.tags, e.tagKeys = r.Strings(), r.Strings()
		e.created, e.updated = r.Int(), r.Int()
		d.byID[e.id] = e
		order = append(order, e)
	}
	if r.Done() != nil || len(d.byID) != n || !slices.IsSortedFunc(order, compareBy(SortName)) {
		return nil
	}
	d.byOrder[SortName] = order
	return d
}
