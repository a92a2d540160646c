package members

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hearth/backend/audit"
	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/store"
	"hearth/backend/validation"
)

// EventChanged is emitted with a ChangedEvent after members are created, edited or deleted.
const EventChanged = "members:changed"

// ChangedEvent names the members that changed.
type ChangedEvent struct {
	IDs []string `json:"ids"`
}

// collection describes member records and their indexes to the store.
// Member records are personal data: sealed with the member's own data key (so erasure can
// shred them), e-mails and handles indexed by keyed hash only.
var collection = &store.Collection[Member]{
	Name:    "member",
	Subject: func(m Member) string { return m.ID },
	Indexes: []store.Index[Member]{
		{Name: "email", Unique: true, Hashed: true, Values: emailKeys},
		{Name: "handle", Unique: true, Hashed: true, Values: handleKeys},
		{Name: "tag", Values: tagKeys},
	},
	// Teammates' copies merge a member field by field: a name changed on one copy and a tag added
	// on another both stay (backend/store/fields.go).
	Fields: &store.FieldMerge{Sets: []string{"emails", "handles", "tags"}, Maps: []string{"customFields"}},
}

// Suppression kinds: what an erased person leaves behind so that nothing brings them back.
const (
	suppressEmail  = "email"
	suppressHandle = "handle"
)

// Service manages members. Safe for concurrent use.
type Service struct {
	st       *store.Store
	clock    clock.Clock
	notifier notify.Notifier
	v        *validation.Validator

	// writeMu serialises writes: each reads and rewrites directory pages (directory.go).
	writeMu sync.Mutex
	buildMu sync.Mutex
	built   bool      // the directory is known to exist in this format (ensureDirectory)
	lists   listCache // ordered ids of the last lists read in full (query.go)
	tail    dirTail   // members created by bulk writes, not in the directory yet (dirtail.go)
	// stranded says the tail outlived its bulk write (Flush failed): the next list writes it.
	stranded atomic.Bool
	// movers move other domains' records when two members are merged (merge_people.go).
	movers []Mover
}

// NewService returns a member service over st.
func NewService(st *store.Store, c clock.Clock, n notify.Notifier) *Service {
	if n == nil {
		n = notify.Discard{}
	}
	s := &Service{st: st, clock: c, notifier: n, v: newValidator()}
	store.Declare(st, collection)               // hearth workspace check/repair verify and rebuild its indexes
	st.RegisterCheck(dirView, s.checkDirectory) // and the directory
	declarePeopleMerges(st)                     // merges of two members into one (merge_people.go)
	st.ForgetSnapshot("members-directory")      // where the directory lived before it was on disk
	return s
}

// Rewrite rewrites every member record in the collection's current form; schema migrations
// call it when the member encoding or indexes change.
func Rewrite(ctx context.Context, st *store.Store) error { return store.Rewrite(ctx, st, collection) }

// Warm makes sure the directory exists now (a workspace from before it gets it built from its
// records) rather than at the first list or search. It reads nothing else.
func (s *Service) Warm() error { return s.ensureDirectory(context.Background()) }

// Create adds a member.
func (s *Service) Create(ctx context.Context, in CreateInput) (Member, error) {
	ms, err := s.CreateMany(ctx, []CreateInput{in}, nil)
	if err != nil {
		return Member{}, err
	}
	return ms[0], nil
}

// CreateMany adds members in bulk, all or nothing with respect to validation and e-mail
// conflicts: everything is checked before the first write. progress, when not nil, is called
// with the number of members written so far.
func (s *Service) CreateMany(ctx context.Context, ins []CreateInput, progress func(done int)) ([]Member, error) {
	if err := s.ensureDirectory(ctx); err != nil {
		return nil, err
	}
	now := s.clock.Now().UTC()
	ms := make([]Member, len(ins))
	var fields []errs.FieldError
	owners := map[string]string{} // e-mail key -> "[i]" within this batch
	for i, in := range ins {
		in = in.normalize()
		if err := s.validate(in); err != nil {
			fields = append(fields, errs.Prefixed(i, len(ins), errs.From(err).Fields)...)
			continue
		}
		for j, e := range in.Emails {
			if first, dup := owners[emailKey(e)]; dup {
				fields = append(fields, errs.Prefixed(i, len(ins), []errs.FieldError{
					errs.Field(fmt.Sprintf("emails[%d]", j), "duplicate", "of", first)})...)
			}
			owners[emailKey(e)] = fmt.Sprintf("[%d]", i)
		}
		ms[i] = newMember(s.st.NewID(), in, now)
	}
	if len(fields) > 0 {
		return nil, errs.Fields("members: invalid member", fields...)
	}

	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.checkEmailsFree(ms); err != nil {
		return nil, err
	}
	// The directory entries go through the tail (dirtail.go), written a few thousand at a
	// time and all of them with the last transaction.
	var after func()
	err := s.st.BulkThen(ctx, len(ms), func(tx *store.Tx, i int) error {
		if _, err := store.Create(tx, collection, ms[i].ID, ms[i]); err != nil {
			return err
		}
		return audit.Write(ctx, tx, now, audit.MemberCreated, ms[i].ID, "")
	}, func(tx *store.Tx, start, end int) (err error) {
		after, err = s.writeDirectory(tx, ms[start:end], nil, end == len(ms))
		return err
	}, func(done int) {
		after()
		if progress != nil {
			progress(done)
		}
	})
	if err != nil && len(s.tail.ms) > 0 { // the members written before the error are listed
		err = errors.Join(err, s.flushTail(context.WithoutCancel(ctx)))
	}
	s.lists.changed() // before anyone hears of the change and lists again
	if err != nil {
		return nil, s.explain(err, ms)
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: ids(ms)})
	return ms, nil
}

// checkEmailsFree reports, before anything is written, every e-mail or handle already used by
// another member, and every one that belongs to a person who asked to be erased.
func (s *Service) checkEmailsFree(ms []Member) error {
	var fields []errs.FieldError
	err := s.st.View(func(tx *store.Tx) error {
		for i, m := range ms {
			fe, err := conflicts(tx, m)
			if err != nil {
				return err
			}
			fields = append(fields, errs.Prefixed(i, len(ms), fe)...)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(fields) == 0 {
		return nil
	}
	code, msg := "email_taken", "members: e-mail already used by another member"
	for _, f := range fields {
		if strings.HasSuffix(f.Code, "suppressed") {
			code, msg = "suppressed", "members: this person asked to be erased"
		}
	}
	return &errs.Error{Kind: errs.Conflict, Code: code, Msg: msg, Fields: fields}
}

// conflicts lists m's e-mails and handles that are owned by another member or suppressed.
func conflicts(tx *store.Tx, m Member) ([]errs.FieldError, error) {
	var fields []errs.FieldError
	check := func(field, index, kind, key, shown string) error {
		if gone, err := store.Suppressed(tx, kind, key); err != nil || gone {
			if gone {
				fields = append(fields, errs.Field(field, "suppressed"))
			}
			return err
		}
		owner, err := store.Lookup(tx, collection, index, key)
		if errors.Is(err, errs.NotFound) || owner == m.ID {
			return nil
		}
		if err != nil {
			return err
		}
		fields = append(fields, errs.Field(field, "unique", "member", owner, "email", shown))
		return nil
	}
	for j, e := range m.Emails {
		if err := check(fmt.Sprintf("emails[%d]", j), "email", suppressEmail, emailKey(e), e); err != nil {
			return nil, err
		}
	}
	for j, h := range m.Handles {
		if err := check(fmt.Sprintf("handles[%d].handle", j), "handle", suppressHandle, handleKey(h), h.Handle); err != nil {
			return nil, err
		}
	}
	return fields, nil
}

// explain turns a store unique-index conflict into a field error on the e-mail or handle at fault.
func (s *Service) explain(err error, ms []Member) error {
	var ue *store.UniqueError
	if !errors.As(err, &ue) {
		return err
	}
	for i, m := range ms {
		for j, e := range m.Emails {
			if ue.Index == "email" && emailKey(e) == ue.Value {
				return &errs.Error{Kind: errs.Conflict, Code: "email_taken", Msg: "members: e-mail already used by another member",
					Fields: errs.Prefixed(i, len(ms), []errs.FieldError{errs.Field(fmt.Sprintf("emails[%d]", j), "unique", "member", ue.Owner, "email", e)}), Err: err}
			}
		}
		for j, h := range m.Handles {
			if ue.Index == "handle" && handleKey(h) == ue.Value {
				return &errs.Error{Kind: errs.Conflict, Code: "email_taken", Msg: "members: handle already used by another member",
					Fields: errs.Prefixed(i, len(ms), []errs.FieldError{errs.Field(fmt.Sprintf("handles[%d].handle", j), "unique", "member", ue.Owner, "email", h.Handle)}), Err: err}
			}
		}
	}
	return err
}

// Exists returns an errs.NotFound error unless id names a live member, read inside tx (for
// other domains that must not record data about nobody).
func Exists(tx *store.Tx, id string) error {
	live, err := store.Live(tx, collection, id)
	if err == nil && !live {
		err = errs.New(errs.NotFound, "member_not_found", "members: member "+id+" not found")
	}
	return err
}

// Get returns the member with this id.
func (s *Service) Get(_ context.Context, id string) (Member, error) {
	var m Member
	err := s.st.View(func(tx *store.Tx) (err error) {
		m, _, err = store.Get(tx, collection, id)
		if errors.Is(err, errs.NotFound) {
			return mergedAway(tx, id)
		}
		return err
	})
	if err != nil {
		return Member{}, err
	}
	return m, nil
}

// FindID is Find for a caller that needs only the member's id: it reads no member record.
func (s *Service) FindID(_ context.Context, idOrEmail string) (string, error) {
	var id string
	err := s.st.View(func(tx *store.Tx) (err error) {
		if id, err = idByRef(tx, idOrEmail); err != nil {
			return err
		}
		if err := Exists(tx, id); errors.Is(err, errs.NotFound) {
			return mergedAway(tx, id)
		} else if err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// Find returns the member named by an id or by any of its e-mails (ignoring case).
func (s *Service) Find(_ context.Context, idOrEmail string) (Member, error) {
	var m Member
	err := s.st.View(func(tx *store.Tx) error {
		id, err := idByRef(tx, idOrEmail)
		if err != nil {
			return err
		}
		m, _, err = store.Get(tx, collection, id)
		if errors.Is(err, errs.NotFound) {
			return mergedAway(tx, id)
		}
		return err
	})
	return m, err
}

// idByRef returns the id a reference names: the reference itself, or the member holding it as an
// e-mail (ignoring case).
func idByRef(tx *store.Tx, idOrEmail string) (string, error) {
	ref := strings.TrimSpace(idOrEmail)
	if !strings.Contains(ref, "@") {
		return ref, nil
	}
	id, err := store.Lookup(tx, collection, "email", emailKey(ref))
	if errors.Is(err, errs.NotFound) {
		return "", errs.New(errs.NotFound, "member_not_found", fmt.Sprintf("members: no member with e-mail %s", ref))
	}
	return id, err
}

// Update applies a patch to a member.
func (s *Service) Update(ctx context.Context, id string, p Patch) (Member, error) {
	return s.Edit(ctx, id, Edit{Patch: p})
}

// Edit applies an edit to a member, read and written in one transaction: the result is
// validated as a whole, and nothing is written if it is not valid.
func (s *Service) Edit(ctx context.Context, id string, e Edit) (Member, error) {
	return s.write(ctx, id, false, func(tx *store.Tx) (Member, error) {
		old, _, err := store.Get(tx, collection, id)
		if err != nil {
			return Member{}, err
		}
		in := e.apply(old).normalize()
		if err := s.validate(in); err != nil {
			return Member{}, err
		}
		m := newMember(id, in, old.CreatedAt)
		m.UpdatedAt, m.NoAutoEnrol = s.clock.Now().UTC(), old.NoAutoEnrol
		if _, err = store.Put(tx, collection, id, m); err != nil {
			return m, err // the caller explains unique conflicts from m
		}
		return m, audit.Write(ctx, tx, m.UpdatedAt, audit.MemberUpdated, id, "")
	})
}

// Delete removes a member, leaving a tombstone, and returns what was deleted so that the
// caller can offer to undo with Restore.
func (s *Service) Delete(ctx context.Context, id string) (Member, error) {
	return s.write(ctx, id, true, func(tx *store.Tx) (Member, error) {
		m, err := store.Delete(tx, collection, id)
		if err != nil {
			return m, err
		}
		return m, audit.Write(ctx, tx, s.clock.Now(), audit.MemberDeleted, id, "")
	})
}

// EraseOptions tune Erase.
type EraseOptions struct {
	// Suppress keeps keyed hashes of the member's e-mails and handles so that no import or
	// sync brings the person back: true for an erasure request, false for anonymising
	// inactive members (who may come back of their own accord).
	Suppress bool
	// Also runs in the same durable transaction, for other domains' records about the member
	// (consent events...).
	Also func(tx *store.Tx) error
	// Action is the audit action recorded (audit.MemberErased when empty).
	Action string
}

// Erase removes a member for good: the record is deleted and the member's data key destroyed,
// so neither the current record nor any older version left in the database files can be read.
// Unlike Delete, it cannot be undone.
func (s *Service) Erase(ctx context.Context, id string, o EraseOptions) (Member, error) {
	if err := s.ensureDirectory(ctx); err != nil {
		return Member{}, err
	}
	if o.Action == "" {
		o.Action = audit.MemberErased
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.flushTail(ctx); err != nil {
		return Member{}, err
	}
	var m Member
	err := s.st.EraseSubjects(ctx, []string{id}, func(tx *store.Tx) (err error) {
		if m, err = store.Delete(tx, collection, id); err != nil {
			return err
		}
		if err := updateDirectory(tx, true, func(w *dirWrite) error { return w.remove(id, true) }); err != nil {
			return err
		}
		if o.Suppress {
			for _, e := range m.Emails {
				if err := store.Suppress(tx, suppressEmail, emailKey(e)); err != nil {
					return err
				}
			}
			for _, h := range m.Handles {
				if err := store.Suppress(tx, suppressHandle, handleKey(h)); err != nil {
					return err
				}
			}
		}
		if o.Also != nil {
			if err := o.Also(tx); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, s.clock.Now(), o.Action, id, "")
	})
	s.lists.changed()
	if err != nil {
		return Member{}, err
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{id}})
	return m, nil
}

// Restore brings back a deleted member with its id and creation date (the undo of Delete).
// It fails with NotFound if no member with that id was deleted, and with Conflict if one of its
// e-mails has been given to another member since.
func (s *Service) Restore(ctx context.Context, m Member) (Member, error) {
	return s.write(ctx, m.ID, false, func(tx *store.Tx) (Member, error) {
		if _, dead, err := store.Tombstone(tx, collection, m.ID); err != nil || !dead {
			if err == nil {
				err = errs.New(errs.NotFound, "member_not_found", fmt.Sprintf("members: no deleted member %s to restore", m.ID))
			}
			return Member{}, err
		}
		in := m.input().normalize()
		if err := s.validate(in); err != nil {
			return Member{}, err
		}
		restored := newMember(m.ID, in, m.CreatedAt)
		restored.UpdatedAt, restored.NoAutoEnrol = s.clock.Now().UTC(), m.NoAutoEnrol
		if _, err := store.Put(tx, collection, m.ID, restored); err != nil {
			return restored, err // the caller explains unique conflicts from it
		}
		return restored, audit.Write(ctx, tx, restored.UpdatedAt, audit.MemberRestored, m.ID, "")
	})
}

// write runs one member write and keeps the directory and listeners in step with it.
func (s *Service) write(ctx context.Context, id string, deleting bool, fn func(tx *store.Tx) (Member, error)) (Member, error) {
	if err := s.ensureDirectory(ctx); err != nil {
		return Member{}, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if err := s.flushTail(ctx); err != nil {
		return Member{}, err
	}
	var m Member
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		if m, err = fn(tx); err != nil {
			return err
		}
		return updateDirectory(tx, false, func(w *dirWrite) error {
			if deleting {
				return w.remove(id, false)
			}
			return w.put(m)
		})
	})
	s.lists.changed()
	if err != nil {
		return Member{}, s.explain(err, []Member{m})
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{id}})
	return m, nil
}

// List returns one page of members matching q.
func (s *Service) List(ctx context.Context, q ListQuery) (Page, error) {
	if q.Sort == "" {
		q.Sort = SortName
	}
	if err := s.v.Struct("members: invalid list query", q); err != nil {
		return Page{}, err
	}
	if q.Limit == 0 {
		q.Limit = 50
	}
	if err := s.ensureDirectory(ctx); err != nil {
		return Page{}, err
	}
	ids, total, err := s.query(q)
	if err != nil {
		return Page{}, err
	}
	page := Page{Items: make([]Member, 0, len(ids)), Total: total, Offset: q.Offset}
	err = s.st.View(func(tx *store.Tx) error {
		for _, id := range ids {
			m, _, err := store.Get(tx, collection, id)
			if errors.Is(err, errs.NotFound) {
				continue // deleted since the directory was read
			}
			if err != nil {
				return err
			}
			page.Items = append(page.Items, m)
		}
		return nil
	})
	return page, err
}

// Count returns how many members there are.
func (s *Service) Count(ctx context.Context) (int, error) {
	r, err := s.root(ctx)
	if err != nil {
		return 0, err
	}
	return r.count, nil
}

// Tags lists every tag in use with its member count, in folded alphabetical order.
func (s *Service) Tags(ctx context.Context) ([]TagCount, error) {
	r, err := s.root(ctx)
	if err != nil {
		return nil, err
	}
	return r.tagCounts(), nil
}

// root reads the directory's root: counts without reading a page.
func (s *Service) root(ctx context.Context) (*root, error) {
	if err := s.ensureDirectory(ctx); err != nil {
		return nil, err
	}
	var r *root
	err := s.st.View(func(tx *store.Tx) (err error) {
		r, err = readRootOrEmpty(tx)
		return err
	})
	return r, err
}

func newMember(id string, in CreateInput, created time.Time) Member {
	return Member{
		ID: id, Name: in.Name, Emails: in.Emails, Handles: in.Handles, Tags: in.Tags,
		CustomFields: in.CustomFields, Notes: in.Notes, CreatedAt: created, UpdatedAt: created,
	}
}

func ids(ms []Member) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.ID
	}
	return out
}
