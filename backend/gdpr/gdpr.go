// Package gdpr honours a person's rights over their data in one place: access and portability
// (everything about one member as a JSON file and a readable XLSX, consent history included),
// erasure (the member's data key is destroyed so that nothing about them can be read back from
// the workspace files, and a keyed hash of their e-mails and handles keeps imports and syncs from
// bringing them back), and retention (listing members inactive for longer than the workspace's
// retention period, and anonymising them).
package gdpr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"hearth/backend/audit"
	"hearth/backend/automations"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/privatefile"
	"hearth/backend/store"
	"hearth/backend/tasks"
)

// Service carries out GDPR requests.
type Service struct {
	st      *store.Store
	members *members.Service
	consent *consent.Service
	audit   *audit.Log
	clock   clock.Clock
	zone    *time.Location
	forget  []Forgetter
	// activity lists what the member did on the platforms, for the dossier (nil: none).
	activity func(ctx context.Context, memberID string) ([]Activity, error)
	records  Records                         // SetRecords
	before   func(ctx context.Context) error // SetBefore
}

// Activity is one thing a member did on a connected platform, as a dossier lists it (the
// activity package's records, without importing it: it depends on this one's erasure).
type Activity struct {
	At       time.Time `json:"at"`
	Platform string    `json:"platform"`
	Kind     string    `json:"kind"`
	Channel  string    `json:"channel,omitempty"`
	Title    string    `json:"title,omitempty"`
	Text     string    `json:"text,omitempty"`
	Link     string    `json:"link,omitempty"`
}

// SetActivity makes dossiers include the member's platform activity, listed by fn.
func (s *Service) SetActivity(fn func(ctx context.Context, memberID string) ([]Activity, error)) {
	s.activity = fn
}

// SetZone sets the workspace's time zone, in which dossiers give their times (the JSON's
// with the zone's offset, the workbook's on its wall clock); UTC until set.
func (s *Service) SetZone(z *time.Location) {
	if z == nil {
		z = time.UTC
	}
	s.zone = z
}

// Forgetter deletes, inside the erasure transaction, one domain's records about a member
// (consent events, automation progress, deliveries, tasks...).
type Forgetter func(tx *store.Tx, memberID string) error

// NewService wires the GDPR service over the member, consent and audit services. Erasure also
// runs every forgetter; the consent ledger's is always included.
func NewService(st *store.Store, m *members.Service, c *consent.Service, a *audit.Log, clk clock.Clock, forget ...Forgetter) *Service {
	return &Service{st: st, members: m, consent: c, audit: a, clock: clk, zone: time.UTC, forget: append([]Forgetter{consent.ForgetMember}, forget...)}
}

// forgetAll runs every forgetter for memberID.
func (s *Service) forgetAll(tx *store.Tx, memberID string) error {
	for _, f := range s.forget {
		if err := f(tx, memberID); err != nil {
			return err
		}
	}
	return nil
}

// Dossier is everything Hearth holds about one member.
type Dossier struct {
	ExportedAt     time.Time        `json:"exportedAt"`
	Member         members.Member   `json:"member"`
	Consent        []consent.Status `json:"consent"`
	ConsentHistory []consent.Event  `json:"consentHistory"`
	Audit          []audit.Entry    `json:"audit"`
	// Activity is what the member did on the connected platforms (posts, messages...).
	Activity []Activity `json:"activity"`
	// Tasks are the manager's tasks about the member.
	Tasks []tasks.Task `json:"tasks"`
	// Automations is the member's progress through automations.
	Automations []automations.Enrolment `json:"automations"`
	// Deliveries are the newsletters and one-off e-mails sent to the member.
	Deliveries []newsletter.Delivery `json:"deliveries"`
	// Merges are the histories of the merges of other members into this one (each with both
	// members as they were before), oldest first.
	Merges []members.PeopleMerge `json:"merges"`
}

// Dossier gathers everything about a member.
func (s *Service) Dossier(ctx context.Context, memberID string) (Dossier, error) {
	now := s.clock.Now().UTC()
	m, err := s.members.Get(ctx, memberID)
	if err != nil {
		return Dossier{}, err
	}
	d := Dossier{ExportedAt: now, Member: m}
	if d.Consent, err = s.consent.Summary(ctx, memberID, now); err != nil {
		return Dossier{}, err
	}
	if d.ConsentHistory, err = s.consent.History(ctx, memberID); err != nil {
		return Dossier{}, err
	}
	if d.Audit, err = s.audit.List(ctx, memberID, 10_000); err != nil {
		return Dossier{}, err
	}
	d.Activity = []Activity{}
	if s.activity != nil {
		if d.Activity, err = s.activity(ctx, memberID); err != nil {
			return Dossier{}, err
		}
	}
	if err := s.gatherRecords(ctx, &d); err != nil {
		return Dossier{}, err
	}
	d.in(s.zone)
	return d, nil
}

// in gives the dossier's times in zone: the same instants, read on the person's clock.
func (d *Dossier) in(zone *time.Location) {
	at := func(t *time.Time) {
		if !t.IsZero() {
			*t = t.In(zone)
		}
	}
	at(&d.ExportedAt)
	at(&d.Member.CreatedAt)
	at(&d.Member.UpdatedAt)
	for i := range d.Consent {
		at(&d.Consent[i].Since)
		at(&d.Consent[i].ExpiresAt)
	}
	for i := range d.ConsentHistory {
		at(&d.ConsentHistory[i].At)
		at(&d.ConsentHistory[i].RecordedAt)
	}
	for i := range d.Audit {
		at(&d.Audit[i].At)
	}
	for i := range d.Activity {
		at(&d.Activity[i].At)
	}
	d.recordsIn(at)
}

// Export writes a member's dossier into dir as <id>.json (machine-readable, for portability)
// and <id>.xlsx (readable), both readable by their owner only (privatefile), records the
// export in the audit log once, and returns the two paths.
func (s *Service) Export(ctx context.Context, memberID, dir, lang string) ([]string, error) {
	d, err := s.Dossier(ctx, memberID)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		if e := errs.NoRoomFor(dir, err); e != nil {
			return nil, e
		}
		return nil, errs.Wrap(errs.Unavailable, "export_write", err, "gdpr: create "+dir)
	}
	base := filepath.Join(dir, "hearth-member-"+memberID)
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "internal", err, "gdpr: encode dossier")
	}
	err = privatefile.Write(base+".json", func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
	if e := errs.NoRoomFor(base+".json", err); e != nil {
		return nil, e
	}
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, "export_write", err, "gdpr: write json")
	}
	if err := privatefile.Write(base+".xlsx", func(w io.Writer) error { return writeDossierXLSX(w, d, lang, s.zone) }); err != nil {
		if e := errs.NoRoomFor(base+".xlsx", err); e != nil {
			return nil, e
		}
		var fe *privatefile.Error
		if errors.As(err, &fe) {
			return nil, errs.Wrap(errs.Unavailable, "export_write", err, "gdpr: write xlsx")
		}
		return nil, err
	}
	err = s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		return audit.Write(ctx, tx, s.clock.Now(), audit.MemberExported, memberID, "")
	})
	return []string{base + ".json", base + ".xlsx"}, err
}

// Erase erases a member at their request. confirmation must repeat the member's primary e-mail
// (ignoring case), or their name when they have no e-mail, or their first handle when they have
// neither (people met on a platform): erasure cannot be undone, so the person doing it types who
// they mean.
func (s *Service) Erase(ctx context.Context, memberID, confirmation string) error {
	m, err := s.members.Get(ctx, memberID)
	if err != nil {
		return err
	}
	want := m.Name
	switch {
	case len(m.Emails) > 0:
		want = m.Emails[0]
	case strings.TrimSpace(want) == "" && len(m.Handles) > 0:
		want = m.Handles[0].Handle
	}
	if !strings.EqualFold(strings.TrimSpace(confirmation), strings.TrimSpace(want)) {
		return errs.Fields("gdpr: confirmation does not match", errs.Field("confirmation", "confirmation_mismatch"))
	}
	if err := s.runBefore(ctx); err != nil {
		return err
	}
	_, err = s.members.Erase(ctx, memberID, members.EraseOptions{
		Suppress: true,
		Also:     func(tx *store.Tx) error { return s.forgetAll(tx, memberID) },
	})
	return err
}

// EraseMerged erases the people a teammate's copy of the workspace erased (backend/team): as
// Erase, without the confirmation (it was given where the erasure was made), and without
// suppressing this copy's addresses itself, since the teammate's suppression entries come with
// the bundle (an anonymisation suppresses nothing). A person this copy holds no live member for
// (deleted here, or never seen) is erased all the same: every domain forgets its records about
// them, their key is destroyed, and the erasure is recorded so that no later merge brings them
// back. It returns how many live members it erased.
func (s *Service) EraseMerged(ctx context.Context, ids []string) (int, error) {
	n := 0
	for _, id := range ids {
		_, err := s.members.Erase(ctx, id, members.EraseOptions{
			Also: func(tx *store.Tx) error { return s.forgetAll(tx, id) },
		})
		if errs.KindOf(err) == errs.NotFound {
			err = s.st.EraseSubjects(ctx, []string{id}, func(tx *store.Tx) error { return s.forgetAll(tx, id) })
			if err != nil {
				return n, fmt.Errorf("gdpr: erase %s: %w", id, err)
			}
			continue
		}
		if err != nil {
			return n, fmt.Errorf("gdpr: erase %s: %w", id, err)
		}
		n++
	}
	return n, nil
}

// Inactive lists members not updated for at least months months, oldest first.
func (s *Service) Inactive(ctx context.Context, months int) ([]members.Member, error) {
	if months <= 0 {
		return nil, errs.Fields("gdpr: invalid retention", errs.Field("months", "min", "min", "1"))
	}
	cutoff := s.clock.Now().AddDate(0, -months, 0)
	out := []members.Member{}
	for offset := 0; ; offset += members.MaxLimit {
		p, err := s.members.List(ctx, members.ListQuery{Sort: members.SortUpdated, Offset: offset, Limit: members.MaxLimit})
		if err != nil {
			return nil, err
		}
		for _, m := range p.Items {
			if !m.UpdatedAt.Before(cutoff) {
				return out, nil
			}
			out = append(out, m)
		}
		if offset+members.MaxLimit >= p.Total {
			return out, nil
		}
	}
}

// Anonymise erases the given members without suppressing them (they may come back of their own
// accord) and returns how many it erased.
func (s *Service) Anonymise(ctx context.Context, ids []string) (int, error) {
	if len(ids) > 0 {
		if err := s.runBefore(ctx); err != nil {
			return 0, err
		}
	}
	n := 0
	for _, id := range ids {
		_, err := s.members.Erase(ctx, id, members.EraseOptions{
			Action: audit.MembersAnonymised,
			Also:   func(tx *store.Tx) error { return s.forgetAll(tx, id) },
		})
		if err != nil {
			return n, fmt.Errorf("gdpr: anonymise %s: %w", id, err)
		}
		n++
	}
	return n, nil
}
