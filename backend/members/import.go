package members

import (
	"context"
	"errors"
	"maps"
	"slices"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
	"hearth/backend/textfold"
)

// Outcome is what an import did, or would do, with one row.
type Outcome string

// The outcomes.
const (
	Created   Outcome = "created"
	Updated   Outcome = "updated"
	Unchanged Outcome = "unchanged"
	Rejected  Outcome = "rejected"
)

// Merged is the result of merging one imported row into the workspace.
type Merged struct {
	Outcome  Outcome
	MemberID string
	// Err says why a row was rejected: field errors named like CreateInput's fields.
	Err *errs.Error
}

// MergeOptions tune Merge.
type MergeOptions struct {
	// DryRun writes nothing.
	DryRun bool
	// Enrol lets automations enrol the members Merge creates as they enrol members created in
	// the app; without it, created members are marked NoAutoEnrol.
	Enrol bool
	// Bulk says more batches follow (an import): the directory entries of the members created
	// are written a few thousand at a time (the directory's tail, dirtail.go) rather than with
	// each batch. The caller calls Flush after the last batch; until then lists and counts do
	// not show them.
	Bulk bool
}

// Merge brings a batch of imported people into the workspace: a row whose e-mails or handles
// match one member updates that member (file values win for the fields the row fills; e-mails,
// handles and tags are added, never removed), a row matching nobody creates a member, and a row
// matching two members, or a suppressed person, is rejected. Running the same rows again changes
// nothing. Rows must already be free of duplicates among themselves. The batch is written in
// one transaction: a crash leaves it all or nothing.
func (s *Service) Merge(ctx context.Context, rows []CreateInput, opts MergeOptions) ([]Merged, error) {
	prepared := make([]Prepared, len(rows))
	for i, in := range rows {
		prepared[i] = s.Prepare(in)
	}
	return s.MergePrepared(ctx, prepared, opts)
}

// Prepared is one row for MergePrepared, normalized and validated by Prepare.
type Prepared struct {
	in  CreateInput
	err *errs.Error // why the row is rejected; nil when it is valid
}

// Prepare normalizes and validates one row for MergePrepared. Safe to call from any goroutine:
// an import prepares its rows on the goroutine that reads the file, so that this work overlaps
// the writing of the batch before.
func (s *Service) Prepare(in CreateInput) Prepared {
	in = in.normalize()
	if err := s.validate(in); err != nil {
		return Prepared{in: in, err: errs.From(err)}
	}
	return Prepared{in: in}
}

// MergePrepared is Merge of rows already prepared. When the workspace merges automatically
// (MergeSettings.Auto), the members created or updated are then merged with those they surely
// are (automerge.go), and each result names the member kept.
func (s *Service) MergePrepared(ctx context.Context, rows []Prepared, opts MergeOptions) ([]Merged, error) {
	out, err := s.mergePrepared(ctx, rows, opts)
	if err != nil || opts.DryRun {
		return out, err
	}
	return s.importThenMerge(ctx, out)
}

func (s *Service) mergePrepared(ctx context.Context, rows []Prepared, opts MergeOptions) ([]Merged, error) {
	dryRun := opts.DryRun
	if err := s.ensureDirectory(ctx); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	// A bulk write keeps its created members' entries in the directory's tail, unless the disk
	// is getting full: then every batch writes them, so that a full disk stopping the import
	// leaves a directory in step with the records.
	flush := !opts.Bulk || s.st.EnsureFree(tailRoom) != nil
	now := s.clock.Now().UTC()
	out := make([]Merged, len(rows))
	var changed, created, updated []Member
	var after func() // brings the directory's tail in step once the batch is committed
	write := func(tx *store.Tx) error {
		changed, created, updated, after = changed[:0], created[:0], updated[:0], nil
		// Erasures, the only writers of the members' suppressions, take writeMu too: what
		// this transaction reads stays true until it commits.
		suppressions, err := anySuppressed(tx)
		if err != nil {
			return err
		}
		for i, p := range rows {
			if p.err != nil {
				out[i] = Merged{Outcome: Rejected, Err: p.err}
				continue
			}
			in := p.in
			if !dryRun {
				m, ok, err := createIfFree(tx, in, now, s.st.NewID, opts.Enrol, suppressions)
				if err != nil {
					return err
				}
				if ok {
					out[i] = Merged{Outcome: Created, MemberID: m.ID}
					changed, created = append(changed, m), append(created, m)
					continue
				}
			}
			m, outcome, fe, err := mergeOne(tx, in, now, s.st.NewID)
			if err != nil {
				return err
			}
			if fe != nil {
				out[i] = Merged{Outcome: Rejected, Err: fe}
				continue
			}
			out[i] = Merged{Outcome: outcome, MemberID: m.ID}
			if outcome == Unchanged || dryRun {
				continue
			}
			if outcome == Created {
				m.NoAutoEnrol = !opts.Enrol
			}
			put := store.Put[Member]
			if outcome == Created {
				put = store.Create[Member] // a new id: no old version to read
			}
			if _, err := put(tx, collection, m.ID, m); err != nil {
				var ue *store.UniqueError
				if errors.As(err, &ue) { // two rows of this batch claim the same address
					out[i] = Merged{Outcome: Rejected, Err: errs.From(s.explain(err, []Member{m}))}
					continue
				}
				return err
			}
			changed = append(changed, m)
			if outcome == Created {
				created = append(created, m)
			} else {
				updated = append(updated, m)
			}
		}
		if dryRun || (len(changed) == 0 && (!flush || len(s.tail.ms) == 0)) {
			return nil
		}
		after, err = s.writeDirectory(tx, created, updated, flush)
		return err
	}
	var err error
	if dryRun {
		err = s.st.View(write)
	} else {
		err = s.st.Update(ctx, write)
		s.lists.changed() // before anyone hears of the change and lists again
	}
	if err != nil {
		return nil, err
	}
	if after != nil {
		after()
	}
	if len(changed) > 0 {
		s.notifier.Emit(EventChanged, ChangedEvent{IDs: ids(changed)})
	}
	return out, nil
}

// createIfFree creates a member from a normalized, valid row when none of its e-mails and
// handles is suppressed or taken; ok is false, and nothing written, otherwise. Most rows of a
// large import name nobody yet: Create's unique check is then their only lookup of each e-mail
// and handle, and only a row naming somebody looks its owners up (mergeOne).
// suppressions says whether anyone was ever erased with suppression (anySuppressed): each
// e-mail and handle is looked up in the suppressions only then.
func createIfFree(tx *store.Tx, in CreateInput, now time.Time, newID func() string, enrol, suppressions bool) (m Member, ok bool, err error) {
	for _, e := range in.Emails {
		if !suppressions {
			break
		}
		if gone, err := store.Suppressed(tx, suppressEmail, emailKey(e)); err != nil || gone {
			return Member{}, false, err
		}
	}
	for _, h := range in.Handles {
		if !suppressions {
			break
		}
		if gone, err := store.Suppressed(tx, suppressHandle, handleKey(h)); err != nil || gone {
			return Member{}, false, err
		}
	}
	m = newMember(newID(), in, now.UTC())
	m.NoAutoEnrol = !enrol
	if _, err := store.Create(tx, collection, m.ID, m); err != nil {
		var ue *store.UniqueError
		if errors.As(err, &ue) {
			return Member{}, false, nil
		}
		return Member{}, false, err
	}
	return m, true, nil
}

// anySuppressed reports whether any e-mail or handle was suppressed (an erasure asked for it).
func anySuppressed(tx *store.Tx) (bool, error) {
	for _, kind := range []string{suppressEmail, suppressHandle} {
		if any, err := store.AnySuppressed(tx, kind); err != nil || any {
			return any, err
		}
	}
	return false, nil
}

// mergeOne decides what one normalized, valid row does.
func mergeOne(tx *store.Tx, in CreateInput, now time.Time, newID func() string) (Member, Outcome, *errs.Error, error) {
	candidate := Member{Emails: in.Emails, Handles: in.Handles}
	owners := map[string]bool{}
	var fields []errs.FieldError
	fe, err := conflicts(tx, candidate)
	if err != nil {
		return Member{}, "", nil, err
	}
	for _, f := range fe {
		if f.Code == "suppressed" {
			fields = append(fields, f)
			continue
		}
		owners[f.Params["member"]] = true
	}
	if len(fields) > 0 {
		return Member{}, "", &errs.Error{Kind: errs.Conflict, Code: "suppressed", Msg: "members: this person asked to be erased", Fields: fields}, nil
	}
	switch len(owners) {
	case 0:
		m := newMember(newID(), in, now.UTC())
		return m, Created, nil, nil
	case 1:
	default:
		return Member{}, "", &errs.Error{Kind: errs.Conflict, Code: "conflict",
			Msg: "members: the row's e-mails and handles belong to different members", Fields: fe}, nil
	}
	var id string
	for o := range owners {
		id = o
	}
	old, _, err := store.Get(tx, collection, id)
	if err != nil {
		return Member{}, "", nil, err
	}
	merged := mergeInto(old, in)
	if equalMembers(old, merged) {
		return old, Unchanged, nil, nil
	}
	merged.UpdatedAt = now.UTC()
	return merged, Updated, nil, nil
}

// mergeInto applies an imported row to an existing member. The join date keeps the earliest.
func mergeInto(old Member, in CreateInput) Member {
	m := old
	if in.Name != "" {
		m.Name = in.Name
	}
	if in.Notes != "" && m.Notes == "" {
		m.Notes = in.Notes
	}
	m.Emails = slices.Clone(old.Emails)
	for _, e := range in.Emails {
		if !slices.ContainsFunc(m.Emails, func(x string) bool { return emailKey(x) == emailKey(e) }) {
			m.Emails = append(m.Emails, e)
		}
	}
	m.Handles = slices.Clone(old.Handles)
	for _, h := range in.Handles {
		if !slices.ContainsFunc(m.Handles, func(x Handle) bool { return handleKey(x) == handleKey(h) }) {
			m.Handles = append(m.Handles, h)
		}
	}
	m.Tags = slices.Clone(old.Tags)
	for _, t := range in.Tags {
		if !slices.ContainsFunc(m.Tags, func(x string) bool { return textfold.Fold(x) == textfold.Fold(t) }) {
			m.Tags = append(m.Tags, t)
		}
	}
	m.CustomFields = maps.Clone(old.CustomFields)
	if m.CustomFields == nil {
		m.CustomFields = map[string]string{}
	}
	for k, v := range in.CustomFields {
		if v == "" {
			continue
		}
		if k == joinDateKey && !joinedEarlier(v, m.CustomFields[k]) {
			continue // one file's later date (a list joined after the forum) does not make them newer
		}
		m.CustomFields[k] = v
	}
	return m
}

// joinDateKey is the custom field imports keep a member's join date in ("2006-01-02" or RFC
// 3339), which the analytics read to tell new members from migrated ones.
const joinDateKey = "member_since"

// joinedEarlier reports whether join date a comes before b, or b is not a date.
func joinedEarlier(a, b string) bool {
	parse := func(s string) (time.Time, bool) {
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return t, true
		}
		t, err := time.Parse(time.RFC3339, s)
		return t, err == nil
	}
	tb, ok := parse(b)
	if !ok {
		return true
	}
	ta, ok := parse(a)
	return ok && ta.Before(tb)
}

func equalMembers(a, b Member) bool {
	return a.Name == b.Name && a.Notes == b.Notes && slices.Equal(a.Emails, b.Emails) &&
		slices.Equal(a.Handles, b.Handles) && slices.Equal(a.Tags, b.Tags) && maps.Equal(a.CustomFields, b.CustomFields)
}
