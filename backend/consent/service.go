package consent

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/store"
	"hearth/backend/textfold"
	"hearth/backend/validation"
)

// MemberCheck returns an errs.NotFound error unless memberID names a live member. It runs
// inside the write transaction, so a member deleted concurrently makes the write conflict and
// retry instead of recording evidence about nobody.
type MemberCheck func(tx *store.Tx, memberID string) error

// Option configures a Service.
type Option func(*Service)

// WithMemberCheck makes Grant and Withdraw refuse member ids that check rejects.
func WithMemberCheck(check MemberCheck) Option { return func(s *Service) { s.memberCheck = check } }

// Service keeps the consent ledger. Safe for concurrent use.
type Service struct {
	st          *store.Store
	clock       clock.Clock
	notifier    notify.Notifier
	v           *validation.Validator
	memberCheck MemberCheck

	seedMu sync.Mutex
	seeded bool
}

// NewService returns a consent service over st.
func NewService(st *store.Store, c clock.Clock, n notify.Notifier, opts ...Option) *Service {
	// hearth workspace check verifies, and repair rebuilds, these collections' indexes.
	store.Declare(st, notices)
	store.Declare(st, events)
	if c == nil {
		c = clock.System{}
	}
	if n == nil {
		n = notify.Discard{}
	}
	s := &Service{st: st, clock: c, notifier: n, v: newValidator()}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// seed writes the built-in purposes the first time a workspace is used, with no expiry. A seed
// mark records it, so archived or renamed built-ins are never recreated. Built-in ids are fixed, so two replicas seeding independently merge cleanly.
func (s *Service) seed(ctx context.Context) error {
	s.seedMu.Lock()
	defer s.seedMu.Unlock()
	if s.seeded {
		return nil
	}
	now := s.now()
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		if _, _, err := store.Get(tx, seedMarks, seedID); !errors.Is(err, errs.NotFound) {
			return err
		}
		if _, err := store.Put(tx, seedMarks, seedID, seedMark{}); err != nil {
			return err
		}
		for _, id := range BuiltinPurposes {
			if _, _, err := store.Get(tx, purposes, id); !errors.Is(err, errs.NotFound) {
				if err != nil {
					return err
				}
				continue
			}
			p := Purpose{ID: id, Builtin: true, CreatedAt: now, UpdatedAt: now}
			if _, err := store.Put(tx, purposes, id, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.seeded = true
	return nil
}

// Purposes lists every purpose, archived ones included: built-ins first in their usual order,
// then the others by creation.
func (s *Service) Purposes(ctx context.Context) ([]Purpose, error) {
	if err := s.seed(ctx); err != nil {
		return nil, err
	}
	var out []Purpose
	err := s.st.View(func(tx *store.Tx) (err error) {
		out, err = readPurposes(tx)
		return err
	})
	return out, err
}

func readPurposes(tx *store.Tx) ([]Purpose, error) {
	out := []Purpose{}
	err := store.Scan(tx, purposes, func(_ string, p Purpose, _ store.Meta) error {
		out = append(out, p)
		return nil
	})
	rank := func(p Purpose) int {
		if i := slices.Index(BuiltinPurposes, p.ID); i >= 0 {
			return i
		}
		return len(BuiltinPurposes)
	}
	slices.SortFunc(out, func(a, b Purpose) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, err
}

// Purpose returns one purpose, archived or not; an unknown id is a field error on "purpose".
func (s *Service) Purpose(ctx context.Context, id string) (Purpose, error) {
	var out Purpose
	err := s.view(ctx, func(tx *store.Tx) (err error) {
		out, err = purpose(tx, id)
		return err
	})
	return out, err
}

// purpose reads one purpose; an unknown id is a field error on "purpose" listing the active ones.
func purpose(tx *store.Tx, id string) (Purpose, error) {
	p, _, err := store.Get(tx, purposes, id)
	if !errors.Is(err, errs.NotFound) {
		return p, err
	}
	all, err := readPurposes(tx)
	if err != nil {
		return p, err
	}
	var known []string
	for _, p := range all {
		if !p.Archived {
			known = append(known, p.ID)
		}
	}
	return p, errs.Fields(fmt.Sprintf("consent: unknown purpose %q", id),
		errs.Field("purpose", "unknown_purpose", "value", id, "known", strings.Join(known, ", ")))
}

// SavePurpose creates a purpose (empty ID: the id is derived from the name) or edits one.
func (s *Service) SavePurpose(ctx context.Context, in PurposeInput) (Purpose, error) {
	in.ID = strings.TrimSpace(in.ID)
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	in.Description = strings.TrimSpace(in.Description)
	var fields []errs.FieldError
	if err := s.v.Struct("consent: invalid purpose", in); err != nil {
		fields = errs.From(err).Fields
	}
	if n := in.ExpiryMonths; n != nil && (*n < 0 || *n > MaxExpiryMonths) {
		fields = append(fields, errs.Field("expiryMonths", "expiry_range", "value", strconv.Itoa(*n), "max", strconv.Itoa(MaxExpiryMonths)))
	}
	if len(fields) > 0 {
		return Purpose{}, errs.Fields("consent: invalid purpose", fields...)
	}
	if in.ExpiryMonths != nil && *in.ExpiryMonths == 0 {
		in.ExpiryMonths = nil // one way to say never
	}
	if err := s.seed(ctx); err != nil {
		return Purpose{}, err
	}
	now := s.now()
	var out Purpose
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		exists := false
		if in.ID != "" {
			old, _, err := store.Get(tx, purposes, in.ID)
			if err != nil && !errors.Is(err, errs.NotFound) {
				return err
			}
			exists, out = err == nil, old
		}
		// A built-in purpose may go back to its translated label; any other needs a name.
		if in.Name == "" && !(exists && out.Builtin) {
			return errs.Fields("consent: invalid purpose", errs.Field("name", "required"))
		}
		if !exists {
			id := in.ID
			if id == "" {
				var err error
				if id, err = freeID(tx, in.Name); err != nil {
					return err
				}
			}
			out = Purpose{ID: id, CreatedAt: now}
		}
		out.Name, out.Description, out.ExpiryMonths, out.Archived = in.Name, in.Description, in.ExpiryMonths, in.Archived
		out.UpdatedAt = now
		_, err := store.Put(tx, purposes, out.ID, out)
		return err
	})
	if err != nil {
		return Purpose{}, err
	}
	s.notifier.Emit(EventPurposesChanged, PurposesChangedEvent{Purpose: out.ID})
	return out, nil
}

// freeID derives a purpose id from a name ("Ateliers d'été" -> "ateliers_d_ete"), adding a
// number when it is taken.
func freeID(tx *store.Tx, name string) (string, error) {
	var b strings.Builder
	for _, r := range textfold.Fold(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	base := strings.TrimSuffix(b.String(), "_")
	if len(base) > 56 {
		base = strings.TrimSuffix(base[:56], "_")
	}
	if base == "" {
		base = "purpose"
	}
	for n := 1; ; n++ {
		id := base
		if n > 1 {
			id = fmt.Sprintf("%s_%d", base, n)
		}
		_, _, err := store.Get(tx, purposes, id)
		if errors.Is(err, errs.NotFound) {
			return id, nil
		}
		if err != nil {
			return "", err
		}
	}
}

// Expiry is the purpose's rule: how many months a grant lasts, 0 for never.
func (p Purpose) Expiry() int {
	if p.ExpiryMonths == nil {
		return 0
	}
	return *p.ExpiryMonths
}

// ExpiresAt is when a grant given at granted expires under the purpose's rule (calendar months,
// UTC; the boundary instant is already expired); zero when it never does.
func (p Purpose) ExpiresAt(granted time.Time) time.Time {
	if p.Expiry() <= 0 {
		return time.Time{}
	}
	return granted.UTC().AddDate(0, p.Expiry(), 0)
}

// Notices lists a purpose's notice versions, oldest publication first.
func (s *Service) Notices(ctx context.Context, purposeID string) ([]Notice, error) {
	if err := s.seed(ctx); err != nil {
		return nil, err
	}
	out := []Notice{}
	err := s.st.View(func(tx *store.Tx) error {
		if _, err := purpose(tx, purposeID); err != nil {
			return err
		}
		ids, err := store.IDsByIndex(tx, notices, "purpose", purposeID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			n, _, err := store.Get(tx, notices, id)
			if err != nil {
				return err
			}
			out = append(out, n)
		}
		return nil
	})
	slices.SortFunc(out, func(a, b Notice) int {
		return cmp.Or(a.PublishedAt.Compare(b.PublishedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, err
}

// PublishNotice records a new notice version of a purpose. Versions are append-only: a label
// already used for that purpose is a conflict.
func (s *Service) PublishNotice(ctx context.Context, in NoticeInput) (Notice, error) {
	in.Purpose = strings.TrimSpace(in.Purpose)
	in.Version = strings.TrimSpace(in.Version)
	if strings.TrimSpace(in.Text) == "" {
		in.Text = ""
	}
	if err := s.v.Struct("consent: invalid notice", in); err != nil {
		return Notice{}, err
	}
	if err := s.seed(ctx); err != nil {
		return Notice{}, err
	}
	now := s.now()
	sum := sha256.Sum256([]byte(in.Text))
	n := Notice{
		ID: s.st.NewID(), Purpose: in.Purpose, Version: in.Version, Text: in.Text,
		SHA256: hex.EncodeToString(sum[:]), PublishedAt: in.PublishedAt.UTC(), RecordedAt: now,
	}
	if n.PublishedAt.IsZero() {
		n.PublishedAt = now
	}
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		if _, err := purpose(tx, in.Purpose); err != nil {
			return err
		}
		if _, err := store.Lookup(tx, notices, "version", noticeKey(n.Purpose, n.Version)); err == nil {
			return &errs.Error{Kind: errs.Conflict, Code: "notice_version_taken",
				Msg:    fmt.Sprintf("consent: %s already has a notice version %q", n.Purpose, n.Version),
				Fields: []errs.FieldError{errs.Field("version", "version_taken", "value", n.Version)}}
		} else if !errors.Is(err, errs.NotFound) {
			return err
		}
		_, err := store.Put(tx, notices, n.ID, n)
		return err
	})
	if err != nil {
		return Notice{}, err
	}
	s.notifier.Emit(EventPurposesChanged, PurposesChangedEvent{Purpose: n.Purpose})
	return n, nil
}

// notice finds a purpose's notice by version label.
func notice(tx *store.Tx, purposeID, version string) (Notice, error) {
	id, err := store.Lookup(tx, notices, "version", noticeKey(purposeID, version))
	if errors.Is(err, errs.NotFound) {
		return Notice{}, errs.Fields(fmt.Sprintf("consent: %s has no notice version %q", purposeID, version),
			errs.Field("noticeVersion", "unknown_notice_version", "value", version, "purpose", purposeID))
	}
	if err != nil {
		return Notice{}, err
	}
	n, _, err := store.Get(tx, notices, id)
	return n, err
}
