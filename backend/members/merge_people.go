package members

// Merging two members who are one person (identity resolution), and undoing it. Not to be
// confused with merge.go (records from a teammate's bundle) nor import.go's Merge (an import
// row into a member).

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"hearth/backend/audit"
	"hearth/backend/errs"
	"hearth/backend/store"
)

// Mover moves one domain's records about a person (consent events, tasks, deliveries...) from
// one member to another when two members are merged, and back when the merge is undone. Move
// and PointAt run inside the merge's transaction, Move returning the ids it moved, which the
// merge keeps to give them back. A domain that writes in transactions of its own (activity,
// whose writes the analytics counters follow) gives List instead, which names its records
// inside the merge's transaction, and PointAtAfter, which moves them just after it: the merge
// stays marked pending until they are moved, and FinishMerges completes a merge a crash cut
// short.
type Mover struct {
	// Kind names the records in the merge's history ("consent", "tasks"...).
	Kind         string
	Move         func(tx *store.Tx, from, to string) ([]string, error)
	PointAt      func(tx *store.Tx, ids []string, to string) error
	List         func(tx *store.Tx, of string) ([]string, error)
	PointAtAfter func(ctx context.Context, ids []string, to string) error
}

// SetMovers makes merges move the records of these domains (backend/wiring lists them). Call
// it before the service is used.
func (s *Service) SetMovers(ms ...Mover) { s.movers = ms }

// FieldConflict is a custom field both members had, with different values: the kept member's
// value stays, the other's is kept in the merge's history.
type FieldConflict struct {
	Field string `json:"field"`
	Kept  string `json:"kept"`
	Other string `json:"other"`
}

// PeopleMerge is the history of one merge: enough to undo it exactly. It holds both members
// as they were, so it is sealed with the key of the member holding it (the kept one): erasing
// that person destroys it with them.
type PeopleMerge struct {
	ID    string `json:"id"`
	Keep  string `json:"keep"`
	Other string `json:"other"`
	// Holder is the member whose key seals this history: Keep, or the member Keep was itself
	// merged into later.
	Holder string    `json:"holder"`
	At     time.Time `json:"at"`
	// Auto is the reason of an automatic merge (ReasonSameEmail...); empty when a person merged.
	Auto        string          `json:"auto,omitempty"`
	KeepBefore  Member          `json:"keepBefore"`
	OtherBefore Member          `json:"otherBefore"`
	KeepAfter   Member          `json:"keepAfter"`
	Conflicts   []FieldConflict `json:"conflicts"`
	// Moved lists, by Mover kind, the ids of the records that were the other member's.
	Moved map[string][]string `json:"moved"`
	// Pending says the records of the movers with PointAtAfter are not all moved yet: to Keep
	// while merging, back to Other while Undoing.
	Pending bool `json:"pending,omitempty"`
	// Undoing says the merge is being undone (UnmergePeople): the record goes once the records
	// are back.
	Undoing bool `json:"undoing,omitempty"`
}

// movedMerges is the Moved kind of the merge histories the other member held.
const movedMerges = "merges"

var peopleMerges = &store.Collection[PeopleMerge]{
	Name:    "member_merge",
	Subject: func(p PeopleMerge) string { return p.Holder },
	Indexes: []store.Index[PeopleMerge]{
		{Name: "keep", Values: func(p PeopleMerge) []string { return []string{p.Keep} }},
		{Name: "holder", Values: func(p PeopleMerge) []string { return []string{p.Holder} }},
		{Name: "pending", Values: func(p PeopleMerge) []string {
			if p.Pending || p.Undoing {
				return []string{"1"}
			}
			return nil
		}},
	},
}

// mergedInto records, under the id of a member merged away, whom they were merged into and by
// which merge, so that asking for them answers "merged into X" rather than "no such member".
// Written and deleted with the merge (deleted when it is undone); sealed with the key of the
// member merged away, which erasing the person they became shreds (ForgetMerges).
type mergedInto struct {
	Other string `json:"other"`
	Into  string `json:"into"`
	Merge string `json:"merge"`
}

var mergedIntos = &store.Collection[mergedInto]{Name: "member_merged_into", Subject: func(m mergedInto) string { return m.Other }}

func declarePeopleMerges(st *store.Store) {
	store.Declare(st, peopleMerges)
	store.Declare(st, dismissals)
	store.Declare(st, mergedIntos)
}

// PeopleMergeOptions tune MergePeople.
type PeopleMergeOptions struct {
	// Auto is the reason of an automatic merge; empty when a person asked for it.
	Auto string
}

// MergePeople merges member other into member keep, who are one person: keep gains every
// e-mail, handle, tag and custom field of other (on a custom field both have, keep's value
// wins and other's is kept in the merge's history, returned in Conflicts), a name and notes if
// it had none; the records of every domain about other (SetMovers) become keep's, sealed under
// keep's key; then other is deleted (a tombstone, which teammates' copies merge like any
// delete). UnmergePeople undoes it.
func (s *Service) MergePeople(ctx context.Context, keepID, otherID string, o PeopleMergeOptions) (PeopleMerge, error) {
	keepID, otherID = strings.TrimSpace(keepID), strings.TrimSpace(otherID)
	if keepID == otherID {
		return PeopleMerge{}, errs.Fields("members: a member cannot be merged into itself", errs.Field("other", "duplicate"))
	}
	if err := s.ensureDirectory(ctx); err != nil {
		return PeopleMerge{}, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.flushTail(ctx); err != nil {
		return PeopleMerge{}, err
	}
	now := s.clock.Now().UTC()
	var rec PeopleMerge
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		keep, other, err := getPair(tx, keepID, otherID)
		if err != nil {
			return err
		}
		merged, conflicts := combine(keep, other)
		merged.UpdatedAt = now
		if err := s.validate(merged.input()); err != nil {
			return err
		}
		rec = PeopleMerge{ID: tx.NewID(), Keep: keepID, Other: otherID, Holder: keepID, At: now, Auto: o.Auto,
			KeepBefore: keep, OtherBefore: other, KeepAfter: merged, Conflicts: conflicts, Moved: map[string][]string{}}
		// Other goes first: its e-mails and handles are free for keep to take.
		if _, err := store.Delete(tx, collection, otherID); err != nil {
			return err
		}
		if _, err := store.Put(tx, collection, keepID, merged); err != nil {
			return err
		}
		for _, m := range s.movers {
			var ids []string
			switch {
			case m.Move != nil:
				ids, err = m.Move(tx, otherID, keepID)
			case m.List != nil:
				ids, err = m.List(tx, otherID)
				rec.Pending = rec.Pending || len(ids) > 0
			}
			if err != nil {
				return err
			}
			if len(ids) > 0 {
				rec.Moved[m.Kind] = ids
			}
		}
		held, err := store.ReassignIndexed(tx, peopleMerges, "holder", otherID, func(p *PeopleMerge) { p.Holder = keepID })
		if err != nil {
			return err
		}
		if len(held) > 0 {
			rec.Moved[movedMerges] = held
		}
		if _, err := store.Put(tx, peopleMerges, rec.ID, rec); err != nil {
			return err
		}
		if _, err := store.Put(tx, mergedIntos, otherID, mergedInto{Other: otherID, Into: keepID, Merge: rec.ID}); err != nil {
			return err
		}
		if err := audit.WriteParams(ctx, tx, now, audit.MemberUpdated, keepID, map[string]string{"merged": otherID, "merge": rec.ID}); err != nil {
			return err
		}
		return updateDirectory(tx, false, func(w *dirWrite) error {
			if err := w.remove(otherID, false); err != nil {
				return err
			}
			return w.put(merged)
		})
	})
	s.lists.changed()
	if err != nil {
		return PeopleMerge{}, s.explain(err, []Member{rec.KeepAfter})
	}
	err = s.moveAfter(ctx, &rec)
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{keepID, otherID}})
	return rec, err
}

// moveAfter moves the records of the movers with PointAtAfter to the member they belong to
// now (Keep, or Other while undoing), then marks the merge done: not pending any more, or gone
// once undone.
func (s *Service) moveAfter(ctx context.Context, rec *PeopleMerge) error {
	if !rec.Pending && !rec.Undoing {
		return nil
	}
	to := rec.Keep
	if rec.Undoing {
		to = rec.Other
	}
	for _, m := range s.movers {
		if m.PointAtAfter != nil && len(rec.Moved[m.Kind]) > 0 {
			if err := m.PointAtAfter(ctx, rec.Moved[m.Kind], to); err != nil {
				return err // still pending: FinishMerges or the next open goes on
			}
		}
	}
	return s.st.Update(ctx, func(tx *store.Tx) error {
		if rec.Undoing {
			_, err := store.Delete(tx, peopleMerges, rec.ID)
			return err
		}
		r, _, err := store.Get(tx, peopleMerges, rec.ID)
		if err != nil {
			return err
		}
		r.Pending = false
		*rec = r
		_, err = store.Put(tx, peopleMerges, r.ID, r)
		return err
	})
}

// FinishMerges completes the merges and unmerges a crash cut short between their transaction
// and the moves that follow it (Mover.PointAtAfter). It reads only the merges still pending:
// nothing when there is none. Wiring calls it when a workspace opens.
func (s *Service) FinishMerges(ctx context.Context) error {
	var pending []PeopleMerge
	err := s.st.View(func(tx *store.Tx) (err error) {
		pending, err = mergesBy(tx, "pending", "1", false)
		return err
	})
	if err != nil {
		return err
	}
	for i := range pending {
		if err := s.moveAfter(ctx, &pending[i]); err != nil {
			return err
		}
	}
	return nil
}

// getPair reads the two members of a merge.
func getPair(tx *store.Tx, keepID, otherID string) (keep, other Member, err error) {
	for _, p := range []struct {
		id  string
		dst *Member
	}{{keepID, &keep}, {otherID, &other}} {
		*p.dst, _, err = store.Get(tx, collection, p.id)
		if errors.Is(err, errs.NotFound) {
			return keep, other, errs.New(errs.NotFound, "member_not_found", "members: no member "+p.id)
		}
		if err != nil {
			return keep, other, err
		}
	}
	return keep, other, nil
}

// combine returns keep with everything of other it lacks, and the custom fields on which the
// two disagree (keep's value stays).
func combine(keep, other Member) (Member, []FieldConflict) {
	m := keep
	m.Emails = slices.Clone(keep.Emails)
	for _, e := range other.Emails {
		if !slices.ContainsFunc(m.Emails, func(x string) bool { return emailKey(x) == emailKey(e) }) {
			m.Emails = append(m.Emails, e)
		}
	}
	m.Handles = slices.Clone(keep.Handles)
	for _, h := range other.Handles {
		if !slices.ContainsFunc(m.Handles, func(x Handle) bool { return handleKey(x) == handleKey(h) }) {
			m.Handles = append(m.Handles, h)
		}
	}
	m.Tags = slices.Clone(keep.Tags)
	for _, t := range other.Tags {
		if !slices.ContainsFunc(m.Tags, func(x string) bool { return tagKey(x) == tagKey(t) }) {
			m.Tags = append(m.Tags, t)
		}
	}
	m.CustomFields = maps.Clone(keep.CustomFields)
	if m.CustomFields == nil {
		m.CustomFields = map[string]string{}
	}
	conflicts := []FieldConflict{}
	for _, k := range slices.Sorted(maps.Keys(other.CustomFields)) {
		v := other.CustomFields[k]
		kept, has := m.CustomFields[k]
		switch {
		case !has:
			m.CustomFields[k] = v
		case kept != v:
			conflicts = append(conflicts, FieldConflict{Field: k, Kept: kept, Other: v})
		}
	}
	if m.Name == "" {
		m.Name = other.Name
	}
	if other.Notes != "" && other.Notes != keep.Notes {
		m.Notes = strings.TrimSpace(keep.Notes + "\n\n" + other.Notes)
	}
	if !other.CreatedAt.IsZero() && other.CreatedAt.Before(m.CreatedAt) {
		m.CreatedAt = other.CreatedAt // a member since the earlier of the two
	}
	return m, conflicts
}

// UnmergePeople undoes a merge, named by its id or by the kept member (its latest merge): both
// members are as they were before it, and every record that was moved is the other's again.
// The kept member is restored exactly if it has not changed since the merge; otherwise only
// what came from the other member is taken off it, and the edits made since stay. It fails
// with Conflict if an e-mail or handle of the other member has since been given to someone
// else.
func (s *Service) UnmergePeople(ctx context.Context, ref string) (PeopleMerge, error) {
	ref = strings.TrimSpace(ref)
	if err := s.ensureDirectory(ctx); err != nil {
		return PeopleMerge{}, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.flushTail(ctx); err != nil {
		return PeopleMerge{}, err
	}
	now := s.clock.Now().UTC()
	var rec PeopleMerge
	var restored []Member
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		if rec, err = findMerge(tx, ref); err != nil {
			return err
		}
		keep, _, err := store.Get(tx, collection, rec.Keep)
		if errors.Is(err, errs.NotFound) {
			return errs.New(errs.NotFound, "member_not_found", "members: the kept member "+rec.Keep+" is gone")
		}
		if err != nil {
			return err
		}
		if live, err := store.Live(tx, collection, rec.Other); err != nil || live {
			if err == nil {
				err = errs.New(errs.Conflict, "conflict", "members: member "+rec.Other+" exists again")
			}
			return err
		}
		back := rec.KeepBefore
		if !sameMember(keep, rec.KeepAfter) {
			back = subtract(keep, rec)
			back.UpdatedAt = now
		}
		restored = []Member{back, rec.OtherBefore}
		for _, m := range restored {
			if _, err := store.Put(tx, collection, m.ID, m); err != nil {
				return err
			}
		}
		for _, m := range s.movers {
			if m.PointAt == nil || len(rec.Moved[m.Kind]) == 0 {
				continue
			}
			if err := m.PointAt(tx, rec.Moved[m.Kind], rec.Other); err != nil {
				return err
			}
		}
		if err := store.Reassign(tx, peopleMerges, rec.Moved[movedMerges], func(p *PeopleMerge) { p.Holder = rec.Other }); err != nil {
			return err
		}
		if _, err := store.Delete(tx, mergedIntos, rec.Other); err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		if s.movesAfter(rec) { // gone once the records are back (moveAfter)
			rec.Undoing, rec.Holder = true, rec.Other
			if _, err := store.Put(tx, peopleMerges, rec.ID, rec); err != nil {
				return err
			}
		} else if _, err := store.Delete(tx, peopleMerges, rec.ID); err != nil {
			return err
		}
		if err := audit.WriteParams(ctx, tx, now, audit.MemberUpdated, rec.Keep, map[string]string{"unmerged": rec.Other, "merge": rec.ID}); err != nil {
			return err
		}
		if err := audit.WriteParams(ctx, tx, now, audit.MemberRestored, rec.Other, map[string]string{"unmerged": rec.Keep, "merge": rec.ID}); err != nil {
			return err
		}
		return updateDirectory(tx, false, func(w *dirWrite) error { return w.put(restored...) })
	})
	s.lists.changed()
	if err != nil {
		return PeopleMerge{}, s.explain(err, restored)
	}
	err = s.moveAfter(ctx, &rec)
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{rec.Keep, rec.Other}})
	return rec, err
}

// movesAfter says whether a merge moved records of movers with PointAtAfter.
func (s *Service) movesAfter(rec PeopleMerge) bool {
	for _, m := range s.movers {
		if m.PointAtAfter != nil && len(rec.Moved[m.Kind]) > 0 {
			return true
		}
	}
	return false
}

// findMerge returns the merge ref names: its id, else the latest merge that kept member ref.
func findMerge(tx *store.Tx, ref string) (PeopleMerge, error) {
	rec, _, err := store.Get(tx, peopleMerges, ref)
	if err == nil && rec.Undoing {
		err = errs.New(errs.NotFound, "not_found", "members: merge "+ref+" is being undone")
	}
	if err == nil || !errors.Is(err, errs.NotFound) {
		return rec, err
	}
	id, err := idByRef(tx, ref)
	if err != nil {
		return PeopleMerge{}, err
	}
	ids, err := store.IDsByIndex(tx, peopleMerges, "keep", id)
	if err != nil {
		return PeopleMerge{}, err
	}
	for _, mid := range slices.Backward(ids) {
		rec, _, err := store.Get(tx, peopleMerges, mid)
		if errors.Is(err, errs.NotFound) || (err == nil && rec.Undoing) {
			continue
		}
		return rec, err
	}
	return PeopleMerge{}, errs.New(errs.NotFound, "not_found", fmt.Sprintf("members: no merge %s to undo", ref))
}

// Merges lists the merges that kept member id, oldest first, for its history.
func (s *Service) Merges(_ context.Context, id string) (out []PeopleMerge, err error) {
	err = s.st.View(func(tx *store.Tx) error {
		out, err = mergesBy(tx, "keep", id, true)
		return err
	})
	return out, err
}

// MergeHistories lists the merge histories sealed under member id's key (those it holds:
// merges into it, and into members later merged into it), oldest first, for their access
// dossier: each holds what both people were before the merge.
func (s *Service) MergeHistories(_ context.Context, id string) (out []PeopleMerge, err error) {
	err = s.st.View(func(tx *store.Tx) error {
		out, err = mergesBy(tx, "holder", id, false)
		return err
	})
	return out, err
}

// mergesBy reads the merge histories an index of them lists under value, oldest first, leaving
// out those shredded with their holder and, with live, those being undone.
func mergesBy(tx *store.Tx, index, value string, live bool) ([]PeopleMerge, error) {
	ids, err := store.IDsByIndex(tx, peopleMerges, index, value)
	if err != nil {
		return nil, err
	}
	out := []PeopleMerge{}
	for _, id := range ids {
		rec, _, err := store.Get(tx, peopleMerges, id)
		if errors.Is(err, errs.NotFound) || (err == nil && live && rec.Undoing) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}

// subtract takes off m what the merge rec brought to it from the other member, keeping every
// other change made since.
func subtract(m Member, rec PeopleMerge) Member {
	before := rec.KeepBefore
	out := m
	had := func(keys []string, k string) bool { return slices.Contains(keys, k) }
	tags := func(m Member) []string {
		out := make([]string, len(m.Tags))
		for i, t := range m.Tags {
			out[i] = tagKey(t)
		}
		return out
	}
	keepEmails, keepHandles, keepTags := emailKeys(before), handleKeys(before), tags(before)
	otherEmails, otherHandles, otherTags := emailKeys(rec.OtherBefore), handleKeys(rec.OtherBefore), tags(rec.OtherBefore)
	out.Emails = slices.DeleteFunc(slices.Clone(m.Emails), func(e string) bool {
		return had(otherEmails, emailKey(e)) && !had(keepEmails, emailKey(e))
	})
	out.Handles = slices.DeleteFunc(slices.Clone(m.Handles), func(h Handle) bool {
		return had(otherHandles, handleKey(h)) && !had(keepHandles, handleKey(h))
	})
	out.Tags = slices.DeleteFunc(slices.Clone(m.Tags), func(t string) bool {
		k := tagKey(t)
		return had(otherTags, k) && !had(keepTags, k)
	})
	out.CustomFields = maps.Clone(m.CustomFields)
	for k, v := range rec.OtherBefore.CustomFields {
		if _, kept := before.CustomFields[k]; !kept && out.CustomFields[k] == v {
			delete(out.CustomFields, k)
		}
	}
	if before.Name == "" && m.Name == rec.KeepAfter.Name {
		out.Name = ""
	}
	if m.Notes == rec.KeepAfter.Notes {
		out.Notes = before.Notes
	}
	out.CreatedAt = before.CreatedAt
	return out
}

// sameMember reports whether two versions of a member hold the same values.
func sameMember(a, b Member) bool {
	return a.Name == b.Name && a.Notes == b.Notes && slices.Equal(a.Emails, b.Emails) &&
		slices.Equal(a.Handles, b.Handles) && slices.Equal(a.Tags, b.Tags) &&
		maps.Equal(a.CustomFields, b.CustomFields) && a.CreatedAt.Equal(b.CreatedAt) && a.NoAutoEnrol == b.NoAutoEnrol
}

// ForgetMerges is the erasure's forgetter (gdpr.Forgetter) for merges: inside the erasure of a
// member it deletes the merge histories that member holds and shreds the keys of the people
// merged into them, so that nothing of what came from them survives either (older versions of
// their records were sealed under their own keys), and deletes the member's dismissed merge
// suggestions.
func ForgetMerges(tx *store.Tx, memberID string) error {
	if memberID == "" {
		return nil
	}
	ids, err := store.IDsByIndex(tx, peopleMerges, "holder", memberID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		rec, err := store.Delete(tx, peopleMerges, id)
		if errors.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if _, err := store.Delete(tx, mergedIntos, rec.Other); err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		tx.ShredSubject(rec.Other)
		if rec.Keep != memberID {
			tx.ShredSubject(rec.Keep)
		}
	}
	return forgetDismissals(tx, memberID)
}

// maxMergeChain bounds how many merges MergedInto follows (A into B, B into C...).
const maxMergeChain = 32

// mergedAway returns the error for a member id that names no live member: "merged into X"
// (code member_merged, params "into", the live member the person is now, and "name", theirs)
// when they were merged into another, else "no such member".
func mergedAway(tx *store.Tx, id string) error {
	notFound := errs.New(errs.NotFound, "member_not_found", fmt.Sprintf("members: no member %s", id))
	into := id
	for range maxMergeChain {
		m, _, err := store.Get(tx, mergedIntos, into)
		if errors.Is(err, errs.NotFound) {
			return notFound
		}
		if err != nil {
			return err
		}
		into = m.Into
		keep, _, err := store.Get(tx, collection, into)
		if errors.Is(err, errs.NotFound) {
			continue // merged again since
		}
		if err != nil {
			return err
		}
		return errs.New(errs.NotFound, "member_merged", fmt.Sprintf("members: member %s was merged into %s", id, into)).
			With("into", into, "name", displayName(keep))
	}
	return notFound
}

// DisplayName is how a member is named in words: their name, else a handle, else an e-mail.
func DisplayName(m Member) string { return displayName(m) }
