package newsletter

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/notify"
	"hearth/backend/store"
	"hearth/backend/validation"
)

var collection = &store.Collection[Newsletter]{Name: "newsletter"}

// deliveries are personal data (who got which newsletter at which address): sealed with the
// member's key, keyed <newsletter id>/<member id>.
var deliveries = &store.Collection[Delivery]{
	Name:    "newsletter_delivery",
	Subject: func(d Delivery) string { return d.MemberID },
	Indexes: []store.Index[Delivery]{
		{Name: "newsletter", Values: func(d Delivery) []string { return []string{d.NewsletterID} }},
		{Name: "member", Values: func(d Delivery) []string { return []string{d.MemberID} }},
	},
}

func deliveryID(newsletterID, memberID string) string { return newsletterID + "/" + memberID }

// Options tune sending; the zero value of each field picks the default.
type Options struct {
	// MaxAttempts bounds how often a temporarily refused message is tried (default 4).
	MaxAttempts int
	// Backoff is the wait before the first retry round, doubled for each later one (default 1 min).
	Backoff time.Duration
	// Secrets keeps the SMTP password outside the workspace (the OS keychain or the encrypted
	// credentials file, see backend/credentials) under SecretRef. Without it the password is
	// sealed inside the workspace.
	Secrets   SecretStore
	SecretRef string
	// IMAPSecretRef is where the reply mailbox's password is kept in Secrets (SecretRef +
	// "/imap" when empty).
	IMAPSecretRef string
	// Mailboxes opens the reply mailbox (sync/imap in the app); nil makes reading replies fail
	// with imap_unavailable.
	Mailboxes MailboxDialer
}

// SecretStore keeps secrets outside the workspace (connections.SecretStore has the same
// methods); Get of a reference never set returns an errs.NotFound error.
type SecretStore interface {
	Get(ref string) (string, error)
	Set(ref, secret string) error
	Delete(ref string) error
}

// Service composes and sends newsletters. Safe for concurrent use.
type Service struct {
	st       *store.Store
	members  *members.Service
	consent  *consent.Service
	dialer   Dialer
	clock    clock.Clock
	notifier notify.Notifier
	v        *validation.Validator
	opts     Options

	mu      sync.Mutex
	sending map[string]bool
	// segments answers a newsletter's Segment (segment.go).
	segments Segments
}

// NewService returns a newsletter service. dialer opens connections to the SMTP server; nil
// makes every send fail with smtp_unavailable (a build without mail).
func NewService(st *store.Store, m *members.Service, c *consent.Service, dialer Dialer, clk clock.Clock, n notify.Notifier, o Options) *Service {
	// hearth workspace check verifies, and repair rebuilds, these collections' indexes.
	store.Declare(st, deliveries)
	store.Declare(st, onceMails)
	if clk == nil {
		clk = clock.System{}
	}
	if n == nil {
		n = notify.Discard{}
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 4
	}
	if o.Backoff <= 0 {
		o.Backoff = time.Minute
	}
	return &Service{st: st, members: m, consent: c, dialer: dialer, clock: clk, notifier: n,
		v: validation.New(), opts: o, sending: map[string]bool{}}
}

func (s *Service) now() time.Time { return s.clock.Now().UTC() }

// List returns every newsletter, newest first.
func (s *Service) List(context.Context) ([]Newsletter, error) {
	out := []Newsletter{}
	err := s.st.View(func(tx *store.Tx) error {
		return store.ScanNewest(tx, collection, func(_ string, n Newsletter, _ store.Meta) error {
			out = append(out, n)
			return nil
		})
	})
	return out, err
}

// Get returns one newsletter.
func (s *Service) Get(_ context.Context, id string) (Newsletter, error) {
	var n Newsletter
	err := s.st.View(func(tx *store.Tx) (err error) {
		n, err = get(tx, id)
		return err
	})
	return n, err
}

func get(tx *store.Tx, id string) (Newsletter, error) {
	n, _, err := store.Get(tx, collection, id)
	if errors.Is(err, errs.NotFound) {
		return n, errs.New(errs.NotFound, "newsletter_not_found", "newsletter: no newsletter "+id).With("id", id)
	}
	return n, err
}

// Save creates a draft (empty ID) or edits one. Sent or sending newsletters cannot change.
func (s *Service) Save(ctx context.Context, in Input) (Newsletter, error) {
	in = in.normalize()
	if err := s.validate(in); err != nil {
		return Newsletter{}, err
	}
	var out Newsletter
	now := s.now()
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		n := Newsletter{ID: in.ID, Status: StatusDraft, CreatedAt: now}
		if in.ID == "" {
			n.ID = tx.NewID()
		} else {
			old, err := get(tx, in.ID)
			if err != nil {
				return err
			}
			if old.Status != StatusDraft {
				return errs.New(errs.Conflict, "newsletter_not_draft", "newsletter: "+in.ID+" was sent; it can no longer change").
					With("status", string(old.Status))
			}
			n = old
		}
		n.Subject, n.BodyMarkdown, n.Lang, n.Tags, n.Search = in.Subject, in.BodyMarkdown, in.Lang, in.Tags, in.Search
		n.Segment = in.Segment
		n.UpdatedAt = now
		if _, err := store.Put(tx, collection, n.ID, n); err != nil {
			return err
		}
		out = n
		return nil
	})
	if err != nil {
		return Newsletter{}, err
	}
	s.notifier.Emit(EventChanged, ChangedEvent{ID: out.ID})
	return out, nil
}

// Delete removes a draft.
func (s *Service) Delete(ctx context.Context, id string) error {
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		n, err := get(tx, id)
		if err != nil {
			return err
		}
		if n.Status != StatusDraft {
			return errs.New(errs.Conflict, "newsletter_not_draft", "newsletter: "+id+" was sent; it is kept as a record").
				With("status", string(n.Status))
		}
		_, err = store.Delete(tx, collection, id)
		return err
	})
	if err == nil {
		s.notifier.Emit(EventChanged, ChangedEvent{ID: id})
	}
	return err
}

func (in Input) normalize() Input {
	out := Input{ID: strings.TrimSpace(in.ID), Subject: strings.TrimSpace(in.Subject), BodyMarkdown: in.BodyMarkdown,
		Lang: in.Lang, Search: strings.TrimSpace(in.Search), Segment: strings.TrimSpace(in.Segment), Tags: []string{}}
	if out.Lang == "" {
		out.Lang = "en"
	}
	for _, t := range in.Tags {
		if t = strings.TrimSpace(t); !contains(out.Tags, t) {
			out.Tags = append(out.Tags, t)
		}
	}
	return out
}

func (s *Service) validate(in Input) error {
	var fields []errs.FieldError
	if err := s.v.Struct("newsletter: invalid newsletter", in); err != nil {
		fields = append(fields, errs.From(err).Fields...)
	}
	if strings.ContainsAny(in.Subject, "\r\n") {
		fields = append(fields, errs.Field("subject", "label"))
	}
	for _, f := range unknownFields(in.Subject) {
		fields = append(fields, errs.Field("subject", "unknown_merge_field", "value", f))
	}
	for _, f := range unknownFields(in.BodyMarkdown) {
		fields = append(fields, errs.Field("bodyMarkdown", "unknown_merge_field", "value", f))
	}
	if len(fields) > 0 {
		return errs.Fields("newsletter: invalid newsletter", fields...)
	}
	return nil
}

// Preview renders the newsletter for one member; an empty memberID renders it for nobody in
// particular (every merge field shows its fallback).
func (s *Service) Preview(ctx context.Context, id, memberID string) (Rendered, error) {
	n, err := s.Get(ctx, id)
	if err != nil {
		return Rendered{}, err
	}
	from := "newsletter@example.invalid"
	if st, err := s.Settings(ctx); err == nil && st.FromAddress != "" {
		from = st.FromAddress
	}
	var m members.Member
	email := ""
	if memberID != "" {
		if m, err = s.members.Get(ctx, memberID); err != nil {
			return Rendered{}, err
		}
		if len(m.Emails) > 0 {
			email = m.Emails[0]
		}
	}
	t, err := prepare(n, from)
	if err != nil {
		return Rendered{}, err
	}
	// No token: a preview is not a message to the member, and its link, followed by whoever
	// previews, must not unsubscribe them.
	return t.render(m, email), nil
}

// Deliveries returns a newsletter's delivery records, for the report after a send.
func (s *Service) Deliveries(_ context.Context, newsletterID string) ([]Delivery, error) {
	var out []Delivery
	err := s.st.View(func(tx *store.Tx) (err error) {
		out, err = readDeliveries(tx, "newsletter", newsletterID)
		return err
	})
	return out, err
}

// MemberDeliveries returns every newsletter delivery to a member, for their access dossier.
func (s *Service) MemberDeliveries(_ context.Context, memberID string) ([]Delivery, error) {
	var out []Delivery
	err := s.st.View(func(tx *store.Tx) (err error) {
		out, err = readDeliveries(tx, "member", memberID)
		return err
	})
	return out, err
}

// ForgetMember deletes the member's delivery records (newsletters and one-off e-mails) inside
// tx, for the erasure flow (which also destroys the member's key, making every older version
// unreadable).
func ForgetMember(tx *store.Tx, memberID string) error {
	for _, c := range []*store.Collection[Delivery]{deliveries, onceMails} {
		ids, err := store.IDsByIndex(tx, c, "member", memberID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := store.Delete(tx, c, id); err != nil && !errors.Is(err, errs.NotFound) {
				return err
			}
		}
	}
	return nil
}

func readDeliveries(tx *store.Tx, index, value string) ([]Delivery, error) {
	out := []Delivery{}
	ids, err := store.IDsByIndex(tx, deliveries, index, value)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		d, _, err := store.Get(tx, deliveries, id)
		if errors.Is(err, errs.NotFound) {
			continue // its member was erased
		}
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// Suppress adds an address to the newsletter suppression list (someone who unsubscribed by
// replying to the List-Unsubscribe address): no newsletter goes to it again.
func (s *Service) Suppress(ctx context.Context, email string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || !strings.Contains(email, "@") {
		return errs.Fields("newsletter: invalid address", errs.Field("email", "email"))
	}
	return s.st.UpdateDurable(ctx, func(tx *store.Tx) error { return store.Suppress(tx, SuppressionKind, email) })
}

// Suppressed reports whether an address is on the newsletter suppression list.
func (s *Service) Suppressed(_ context.Context, email string) (bool, error) {
	var out bool
	err := s.st.View(func(tx *store.Tx) (err error) {
		out, err = store.Suppressed(tx, SuppressionKind, strings.ToLower(strings.TrimSpace(email)))
		return err
	})
	return out, err
}

// lock marks a newsletter as being sent by this process; a second Send of it is a conflict.
func (s *Service) lock(id string) (func(), error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sending[id] {
		return nil, errs.New(errs.Conflict, "newsletter_sending", fmt.Sprintf("newsletter: %s is being sent already", id))
	}
	s.sending[id] = true
	return func() {
		s.mu.Lock()
		delete(s.sending, id)
		s.mu.Unlock()
	}, nil
}
