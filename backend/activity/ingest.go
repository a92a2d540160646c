package activity

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"hearth/backend/connections"
	"hearth/backend/errs"
	"hearth/backend/internal/leanheap"
	"hearth/backend/members"
	"hearth/backend/store"
	"hearth/backend/textfold"
)

// Ingest brings one pull of one connection into the workspace, page by page: the sync engine
// calls People and Activities for each page it reads, then Counts for its report. Each call
// is written and synced to disk when it returns, so a pull killed midway keeps every page it
// finished, and pulling those pages again stores nothing twice. Safe for concurrent use, though
// calls are serialised.
type Ingest struct {
	s        *Service
	conn     connections.Connection
	platform string // the members platform of conn's handles; "" when it has no people (RSS)

	mu      sync.Mutex
	counts  IngestCounts
	authors map[string]author // personKey -> who they are, so a person is resolved once
	dirty   bool              // members were written since the last sync
}

// author is what a person resolved to.
type author struct {
	memberID string
	drop     bool // erased or not a valid member: their activity is not kept
}

// maxAuthors bounds the author cache (about 100 bytes an entry); it is cleared when full.
const maxAuthors = 500_000

// writeChunk is how many records are written per transaction.
const writeChunk = 256

// Ingest starts bringing in one pull of conn.
func (s *Service) Ingest(conn connections.Connection) *Ingest {
	in := &Ingest{s: s, conn: conn, authors: map[string]author{}}
	if p := string(conn.Platform); conn.Platform != connections.RSS && slices.Contains(members.Platforms, p) {
		in.platform = p
	}
	return in
}

// Counts returns what the ingest did so far.
func (in *Ingest) Counts() IngestCounts {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.counts
}

// People links a page of people to members: matched by e-mail or handle (given what they
// lacked, their name kept), created when unknown, skipped when erased.
func (in *Ingest) People(ctx context.Context, people []Person) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if _, err := in.link(ctx, people); err != nil {
		return err
	}
	return in.sync(ctx)
}

// link resolves people to members through members.Link and remembers the answers.
func (in *Ingest) link(ctx context.Context, people []Person) ([]author, error) {
	out := make([]author, len(people))
	if in.platform == "" {
		in.counts.People += len(people)
		in.counts.Invalid += len(people)
		for i := range out {
			out[i].drop = true
		}
		return out, nil
	}
	ids := make([]members.Identity, len(people))
	for i, p := range people {
		ids[i] = members.Identity{Handle: p.Handle, Email: p.Email, Name: p.Name}
	}
	res, err := in.s.members.Link(ctx, in.platform, ids)
	if err != nil {
		in.dirty = true // some of its transactions may have committed
		return nil, err
	}
	if len(in.authors)+len(people) > maxAuthors {
		clear(in.authors)
	}
	for i, r := range res {
		in.counts.People++
		a := author{memberID: r.MemberID}
		in.dirty = in.dirty || r.Outcome == members.LinkCreated || r.Changed
		switch r.Outcome {
		case members.LinkCreated:
			in.counts.Created++
		case members.LinkSuppressed:
			in.counts.Suppressed++
			a.drop = true
		case members.LinkConflict:
			in.counts.Conflicts++
		case members.LinkInvalid:
			in.counts.Invalid++
			a.drop = true
		}
		a.drop = a.drop || a.memberID == ""
		out[i] = a
		if k := personKey(people[i]); k != "" {
			in.authors[k] = a
		}
	}
	return out, nil
}

// personKey names a person within one connection: their folded handle, else their e-mail.
func personKey(p Person) string {
	if h := strings.TrimSpace(p.Handle); h != "" {
		return "h\x00" + textfold.Fold(h)
	}
	if e := strings.TrimSpace(p.Email); e != "" {
		return "e\x00" + strings.ToLower(e)
	}
	return ""
}

// hasAuthor says whether an item's author is resolved to a member: feed articles and items on
// connections without people are about nobody.
func (in *Ingest) hasAuthor(it Incoming) bool {
	return it.Author != nil && it.Kind != Article && in.platform != "" && personKey(*it.Author) != ""
}

// Activities stores a page of activity. Authors are linked to members as People does (each
// person once per ingest); activity of erased or invalid people is dropped; items already
// stored by an earlier pull are skipped without being counted.
func (in *Ingest) Activities(ctx context.Context, items []Incoming) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	defer leanheap.Begin()() // a page's records and the counters they rewrite are garbage once written
	created := in.counts.Created
	stored := 0
	for start := 0; start < len(items); start += writeChunk {
		chunk := items[start:min(start+writeChunk, len(items))]
		n, err := in.writeChunk(ctx, chunk)
		stored += n
		if err != nil {
			_ = in.finish(ctx, stored, created)
			return err
		}
	}
	return in.finish(ctx, stored, created)
}

// finish syncs what one call wrote and tells listeners.
func (in *Ingest) finish(ctx context.Context, stored, created int) error {
	err := in.sync(ctx)
	if stored > 0 {
		in.s.notifier.Emit(EventChanged, ChangedEvent{Connection: in.conn.ID, Activity: stored, Created: in.counts.Created - created})
	}
	return err
}

// writeChunk resolves a chunk's authors and writes its records in one transaction. Authors
// whose member vanished since they were resolved (deleted or erased meanwhile) are resolved
// again, once, and their items written in a second transaction.
func (in *Ingest) writeChunk(ctx context.Context, items []Incoming) (int, error) {
	now := in.s.clock.Now().UTC()
	recs := make([]Record, len(items))
	keep := make([]bool, len(items))
	for i, it := range items {
		recs[i], keep[i] = newRecord(in.conn, it, now)
		if !keep[i] {
			in.counts.Dropped++
		}
	}
	if err := in.resolve(ctx, items, keep); err != nil {
		return 0, err
	}
	stored, vanished, _, err := in.write(ctx, items, recs, keep)
	if err != nil || len(vanished) == 0 {
		return stored, err
	}
	for k, a := range in.authors {
		if vanished[a.memberID] {
			delete(in.authors, k)
		}
	}
	retry := make([]bool, len(items))
	for i, it := range items {
		if keep[i] && in.hasAuthor(it) {
			_, known := in.authors[personKey(*it.Author)]
			retry[i] = !known
		}
	}
	if err := in.resolve(ctx, items, retry); err != nil {
		return stored, err
	}
	n, _, lost, err := in.write(ctx, items, recs, retry)
	in.counts.Dropped += lost
	return stored + n, err
}

// resolve links the authors of kept items that the ingest has not seen yet.
func (in *Ingest) resolve(ctx context.Context, items []Incoming, keep []bool) error {
	var pending []Person
	seen := map[string]bool{}
	for i, it := range items {
		if !keep[i] || !in.hasAuthor(it) {
			continue
		}
		k := personKey(*it.Author)
		if _, known := in.authors[k]; known || seen[k] {
			continue
		}
		seen[k] = true
		pending = append(pending, *it.Author)
	}
	if len(pending) == 0 {
		return nil
	}
	_, err := in.link(ctx, pending)
	return err
}

// write stores the kept items of a chunk in one transaction. It returns how many were stored,
// and the ids of authors' members that no longer exist with the number of items (not stored)
// they authored.
func (in *Ingest) write(ctx context.Context, items []Incoming, recs []Record, keep []bool) (stored int, vanished map[string]bool, lost int, err error) {
	var dropped int
	err = in.s.update(ctx, func(tx *store.Tx, changed func(Record, int)) error {
		stored, dropped, lost, vanished = 0, 0, 0, nil
		alive := map[string]bool{}
		for i, it := range items {
			if !keep[i] {
				continue
			}
			r := recs[i]
			if in.hasAuthor(it) {
				a, known := in.authors[personKey(*it.Author)]
				if !known || a.drop {
					dropped++
					continue
				}
				ok, checked := alive[a.memberID]
				if !checked {
					err := members.Exists(tx, a.memberID)
					if err != nil && !errors.Is(err, errs.NotFound) {
						return err
					}
					ok = err == nil
					alive[a.memberID] = ok
				}
				if !ok {
					if vanished == nil {
						vanished = map[string]bool{}
					}
					vanished[a.memberID] = true
					lost++
					continue
				}
				r.MemberID = a.memberID
			}
			if _, err := store.Lookup(tx, records, "remote", remoteKey(r.Connection, r.RemoteID)); err == nil {
				continue // pulled before
			} else if !errors.Is(err, errs.NotFound) {
				return err
			}
			r.ID = tx.NewID()
			if _, err := store.Put(tx, records, r.ID, r); err != nil {
				return err
			}
			changed(r, 1)
			stored++
		}
		if stored == 0 {
			return nil
		}
		return addTally(tx, in.conn.ID, stored)
	})
	if err != nil {
		return 0, nil, 0, err
	}
	in.counts.Activity += stored
	in.counts.Dropped += dropped
	in.dirty = in.dirty || stored > 0
	return stored, vanished, lost, nil
}

// sync makes every write so far durable, if there was any, even when ctx was cancelled
// meanwhile: what was committed should survive a power cut.
func (in *Ingest) sync(ctx context.Context) error {
	if !in.dirty {
		return nil
	}
	in.dirty = false
	return in.s.st.UpdateDurable(context.WithoutCancel(ctx), func(*store.Tx) error { return nil })
}
