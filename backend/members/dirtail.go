package members

import (
	"context"
	"fmt"
	"slices"

	"hearth/backend/internal/snapcodec"
	"hearth/backend/store"
)

// The directory's tail. A bulk write (an import, a bulk add) creates members by the thousand in
// batches of a few hundred, one transaction each. Writing their directory entries with each
// batch rewrote the directory's last page and its root every batch: at 1,000,000 members, 4,000
// roots of up to 120 KB and as many pages, most of the value log's garbage, and a cost per batch
// that grew with the workspace. Instead, the members a bulk write creates are kept in memory (the
// tail) and their entries written tailFlush at a time, in the transaction of the batch that fills
// the tail, and at the end of the bulk write: each page is written about once.
//
// Nothing of the tail is lost. The batch that starts a tail writes, in its own transaction, a
// plain "pending" value holding the lowest id of the members not in the directory yet (lowered
// if a later one is lower), and the transaction that writes the tail deletes it. A process that
// dies with a tail (a kill, a power cut) leaves the pending value behind, and the next process,
// before anything reads or writes the directory (ensureDirectory), reads the member records from
// that id on and puts them in. Every other member write (an edit, a deletion, an erasure, a link)
// writes the tail first, under writeMu, so that it changes a directory holding every member.
// Lists and counts made while a bulk write runs do not show the members of its tail yet.
const (
	dirPending = "pending"
	// tailFlush is how many created members the tail holds before they are written: 32 pages,
	// so that a million members rewrite the root (up to 120 KB) and the keys about 60 times,
	// and a process that dies leaves at most that many for the next to read (a fraction of a
	// second).
	tailFlush = 32 * pageMax
	// tailRoom is the free disk space under which a bulk write writes its tail with every
	// batch: a disk filling up stops it with the directory in step with the records.
	tailRoom = 64 << 20
	// pendingFormat is the pending value's own format.
	pendingFormat = 1
)

// dirTail is the members created by bulk writes whose entries are not in the directory yet.
// Guarded by Service.writeMu.
type dirTail struct {
	ms  []Member
	at  map[string]int // index in ms by id
	low string         // the lowest id in ms: what the pending value on disk says
}

// writeDirectory brings the directory in step with a bulk write's transaction: created members
// join the tail, others (updated) are put in the directory, or replace their tail version. When
// flush is set, or the tail is full, the tail and created go to the directory in tx and the
// pending value is deleted. after, called once tx has committed, brings s.tail in step; the
// caller holds writeMu.
func (s *Service) writeDirectory(tx *store.Tx, created, others []Member, flush bool) (after func(), err error) {
	t := &s.tail
	if !flush && t.low == "" && len(created) > 0 {
		// A tail needs a root for the pending value to complete: the first write of a
		// directory (a workspace's first members) writes them at once.
		_, ok, err := readRoot(tx)
		if err != nil {
			return nil, err
		}
		flush = !ok
	}
	if flush || len(t.ms)+len(created) >= tailFlush {
		// The tail first: an update of a tail member replaces its entry.
		if all := slices.Concat(t.ms, created, others); len(all) > 0 {
			if err := updateDirectory(tx, false, func(w *dirWrite) error { return w.put(all...) }); err != nil {
				return nil, err
			}
		}
		if t.low != "" {
			if err := tx.DeleteView(dirView, dirPending); err != nil {
				return nil, err
			}
		}
		return func() { s.tail = dirTail{} }, nil
	}
	var direct []Member
	inTail := map[int]Member{}
	for _, m := range others {
		if i, ok := t.at[m.ID]; ok {
			inTail[i] = m
		} else {
			direct = append(direct, m)
		}
	}
	if len(direct) > 0 {
		if err := updateDirectory(tx, false, func(w *dirWrite) error { return w.put(direct...) }); err != nil {
			return nil, err
		}
	}
	low := t.low
	for _, m := range created {
		if low == "" || m.ID < low {
			low = m.ID
		}
	}
	if low != t.low {
		if err := tx.PutView(dirView, dirPending, "", encodePending(low)); err != nil {
			return nil, err
		}
	}
	return func() {
		for i, m := range inTail {
			t.ms[i] = m
		}
		if t.at == nil {
			t.at = make(map[string]int, tailFlush)
		}
		for _, m := range created {
			t.at[m.ID] = len(t.ms)
			t.ms = append(t.ms, m)
		}
		t.low = low
	}, nil
}

// flushTail writes the tail's entries, if any, in a transaction of its own. The caller holds
// writeMu.
func (s *Service) flushTail(ctx context.Context) error {
	if len(s.tail.ms) == 0 {
		return nil
	}
	var after func()
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		after, err = s.writeDirectory(tx, nil, nil, true)
		return err
	})
	s.lists.changed()
	if err != nil {
		return err
	}
	written := ids(s.tail.ms)
	after()
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: written})
	return nil
}

// Flush writes the directory entries of the members that bulk merges (MergeOptions.Bulk)
// created and left in the directory's tail: lists and counts show them from then on. When it
// cannot (a full disk), the next list or write tries again.
func (s *Service) Flush(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	err := s.flushTail(ctx)
	s.stranded.Store(err != nil)
	return err
}

// catchUp puts in the directory the members from id low on, which a process that died left out
// of it (the pending value), then deletes the pending value; a few thousand members per
// transaction, so that a kill during the catch-up leaves the pending value for the next open.
// The caller holds writeMu.
func (s *Service) catchUp(ctx context.Context, low string) error {
	if len(s.tail.ms) > 0 { // the pending value is this process's own tail's
		return s.flushTail(ctx)
	}
	from := low
	for {
		var ms []Member
		err := s.st.View(func(tx *store.Tx) error {
			return store.ScanFrom(tx, collection, from, func(_ string, m Member, _ store.Meta) error {
				ms = append(ms, m)
				if len(ms) == tailFlush {
					return store.ErrStop
				}
				return nil
			})
		})
		if err != nil {
			return err
		}
		last := len(ms) < tailFlush
		err = s.st.Update(ctx, func(tx *store.Tx) error {
			if len(ms) > 0 {
				if err := updateDirectory(tx, false, func(w *dirWrite) error { return w.put(ms...) }); err != nil {
					return err
				}
			}
			if last {
				return tx.DeleteView(dirView, dirPending)
			}
			return nil
		})
		s.lists.changed()
		if err != nil || last {
			return err
		}
		from = ms[len(ms)-1].ID + "\x00"
	}
}

// writePending writes the tail, or the members a process that died left out of the directory.
func (s *Service) writePending(ctx context.Context) error {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if len(s.tail.ms) > 0 {
		return s.flushTail(ctx)
	}
	var low string
	err := s.st.View(func(tx *store.Tx) error {
		// Without a readable root of this format, the directory is rebuilt from every record
		// instead (and a check says so).
		if _, ok, err := readRoot(tx); err != nil || !ok {
			return nil
		}
		var err error
		low, err = readPending(tx)
		return err
	})
	if err != nil || low == "" {
		return err
	}
	return s.catchUp(ctx, low)
}

func encodePending(low string) []byte {
	var w snapcodec.Writer
	w.Uint(pendingFormat)
	w.String(low)
	return w.Bytes()
}

// readPending reads the lowest id of the members a bulk write left out of the directory, ""
// when none are.
func readPending(tx *store.Tx) (string, error) {
	b, _, found, err := tx.GetView(dirView, dirPending)
	if err != nil || !found {
		return "", err
	}
	r := snapcodec.NewReader(b)
	if r.Uint() != pendingFormat {
		return "", fmt.Errorf("members: the directory's pending value is of another format")
	}
	low := r.String()
	if err := r.Done(); err != nil {
		return "", fmt.Errorf("members: the directory's pending value: %w", err)
	}
	return string([]byte(low)), nil
}
