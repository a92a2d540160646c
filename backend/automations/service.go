package automations

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/notify"
	"hearth/backend/store"
	"hearth/backend/tasks"
)

// Consent answers whether a member's consent stands (consent.Service).
type Consent interface {
	State(ctx context.Context, memberID, purposeID string, at time.Time) (consent.Status, error)
}

// Deps are the services automations act through.
type Deps struct {
	Members *members.Service
	Tasks   *tasks.Service
	// Consent is needed by consent_granted triggers and by send_email steps with a purpose.
	Consent Consent
	// Mailer sends e-mails; while nil, send_email steps wait and retry (LastError
	// "mailer_unavailable").
	Mailer Mailer
	// Lang is the workspace language of the ready-made automations' texts: "fr" or "en".
	Lang string
}

// Service runs automations. Safe for concurrent use.
type Service struct {
	st       *store.Store
	clock    clock.Clock
	notifier notify.Notifier
	members  *members.Service
	tasks    *tasks.Service
	consent  Consent
	lang     string

	mailerMu sync.RWMutex
	mailer   Mailer
	segments Segments

	// tickMu runs one Tick at a time: a slow tick and the next one must not both act.
	tickMu   sync.Mutex
	seedOnce sync.Once
	seedErr  error
}

// NewService returns an automation service over st.
func NewService(st *store.Store, c clock.Clock, n notify.Notifier, d Deps) *Service {
	// hearth workspace check verifies, and repair rebuilds, these collections' indexes.
	store.Declare(st, enrolments)
	if n == nil {
		n = notify.Discard{}
	}
	if d.Lang != "fr" {
		d.Lang = "en"
	}
	return &Service{st: st, clock: c, notifier: n, members: d.Members, tasks: d.Tasks, consent: d.Consent, mailer: d.Mailer, lang: d.Lang}
}

// SetMailer plugs in (or replaces) the e-mail sender, for wiring that builds it later.
func (s *Service) SetMailer(m Mailer) {
	s.mailerMu.Lock()
	s.mailer = m
	s.mailerMu.Unlock()
}

// Segments answers which members match a saved segment (backend/segments).
type Segments interface {
	SegmentIDs(ctx context.Context, idOrName string) ([]string, error)
}

// SetSegments plugs in the saved segments that segment_entered and segment_left watch; without
// them those triggers enrol nobody.
func (s *Service) SetSegments(seg Segments) {
	s.mailerMu.Lock()
	s.segments = seg
	s.mailerMu.Unlock()
}

// checkSegment refuses a segment trigger naming a segment this workspace does not have.
func (s *Service) checkSegment(ctx context.Context, t Trigger) error {
	seg := s.getSegments()
	if seg == nil || (t.Kind != TriggerSegmentEntered && t.Kind != TriggerSegmentLeft) {
		return nil
	}
	if _, err := seg.SegmentIDs(ctx, t.Segment); errors.Is(err, errs.NotFound) {
		return errs.Fields("automations: unknown segment", errs.Field("trigger.segment", "not_found"))
	} else if err != nil {
		return err
	}
	return nil
}

func (s *Service) getSegments() Segments {
	s.mailerMu.RLock()
	defer s.mailerMu.RUnlock()
	return s.segments
}

func (s *Service) getMailer() Mailer {
	s.mailerMu.RLock()
	defer s.mailerMu.RUnlock()
	return s.mailer
}

// seed creates the ready-made automations, disabled, the first time the workspace needs them.
// Their ids are fixed, so two processes (or two replicas) seeding at once write the same record.
func (s *Service) seed(ctx context.Context) error {
	s.seedOnce.Do(func() {
		now := s.clock.Now().UTC()
		s.seedErr = s.st.Update(ctx, func(tx *store.Tx) error {
			for _, a := range builtins(s.lang) {
				if _, _, err := store.Get(tx, automationsColl, a.ID); err == nil {
					continue
				} else if !errors.Is(err, errs.NotFound) {
					return err
				}
				if _, dead, err := store.Tombstone(tx, automationsColl, a.ID); err != nil || dead {
					continue // deleted by the manager: do not bring it back
				}
				a.CreatedAt, a.UpdatedAt = now, now
				if _, err := store.Put(tx, automationsColl, a.ID, a); err != nil {
					return err
				}
			}
			return nil
		})
	})
	return s.seedErr
}

// List returns every automation, the ready-made ones first, then by name.
func (s *Service) List(ctx context.Context) ([]Automation, error) {
	if err := s.seed(ctx); err != nil {
		return nil, err
	}
	out := []Automation{}
	err := s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, automationsColl, func(_ string, a Automation, _ store.Meta) error {
			out = append(out, a)
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Automation) int {
		if (a.Builtin == "") != (b.Builtin == "") {
			if a.Builtin != "" {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)), strings.Compare(a.ID, b.ID))
	})
	return out, err
}

// Get returns one automation.
func (s *Service) Get(ctx context.Context, id string) (Automation, error) {
	if err := s.seed(ctx); err != nil {
		return Automation{}, err
	}
	var a Automation
	err := s.st.View(func(tx *store.Tx) (err error) {
		a, _, err = store.Get(tx, automationsColl, id)
		return err
	})
	return a, err
}

// Save creates (empty ID, disabled) or edits an automation. Steps without an id get one.
func (s *Service) Save(ctx context.Context, in Input) (Automation, error) {
	if err := s.seed(ctx); err != nil {
		return Automation{}, err
	}
	in = in.normalize()
	if err := validate(in); err != nil {
		return Automation{}, err
	}
	if err := s.checkSegment(ctx, in.Trigger); err != nil {
		return Automation{}, err
	}
	now := s.clock.Now().UTC()
	var a Automation
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		if in.ID == "" {
			a = Automation{ID: tx.NewID(), CreatedAt: now}
		} else {
			var err error
			if a, _, err = store.Get(tx, automationsColl, in.ID); err != nil {
				return err
			}
		}
		a.Name, a.Trigger, a.UpdatedAt = in.Name, in.Trigger, now
		a.Steps = make([]Step, len(in.Steps))
		for i, st := range in.Steps {
			if st.ID == "" {
				st.ID = tx.NewID()
			}
			a.Steps[i] = st
		}
		_, err := store.Put(tx, automationsColl, a.ID, a)
		return err
	})
	if err != nil {
		return Automation{}, err
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{a.ID}})
	return a, nil
}

// SetEnabled switches an automation on or off. Switching on starts its triggers from now.
func (s *Service) SetEnabled(ctx context.Context, id string, enabled bool) (Automation, error) {
	if err := s.seed(ctx); err != nil {
		return Automation{}, err
	}
	now := s.clock.Now().UTC()
	var a Automation
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		if a, _, err = store.Get(tx, automationsColl, id); err != nil {
			return err
		}
		if a.Enabled == enabled {
			return nil
		}
		a.Enabled, a.UpdatedAt = enabled, now
		if enabled {
			a.EnabledAt, a.Runner = now, s.st.Replica()
		}
		_, err = store.Put(tx, automationsColl, id, a)
		return err
	})
	if err != nil {
		return Automation{}, err
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{id}})
	return a, nil
}

// Delete removes an automation, its checkpoint and its members' enrolments.
func (s *Service) Delete(ctx context.Context, id string) error {
	if err := s.seed(ctx); err != nil {
		return err
	}
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		a, err := store.Delete(tx, automationsColl, id)
		if err != nil {
			return err
		}
		if a.Builtin != "" { // the ready-made sequence can be switched off, not deleted (it would come back)
			return errs.New(errs.Conflict, "automation_builtin", "automations: the ready-made "+id+" automation cannot be deleted")
		}
		if _, err := store.Delete(tx, cursors, id); err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
		ids, err := store.IDsByIndex(tx, enrolments, "automation", id)
		if err != nil {
			return err
		}
		for _, eid := range ids {
			if _, err := store.Delete(tx, enrolments, eid); err != nil && !errors.Is(err, errs.NotFound) {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{id}})
	return nil
}

// Progress returns every enrolment of an automation, most recently enrolled first: the
// per-member progress view.
func (s *Service) Progress(_ context.Context, automationID string) ([]Enrolment, error) {
	out := []Enrolment{}
	err := s.st.View(func(tx *store.Tx) error {
		if _, _, err := store.Get(tx, automationsColl, automationID); err != nil {
			return err
		}
		ids, err := store.IDsByIndex(tx, enrolments, "automation", automationID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			e, _, err := store.Get(tx, enrolments, id)
			if errors.Is(err, errs.NotFound) {
				continue // erased member
			}
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	slices.SortStableFunc(out, func(a, b Enrolment) int {
		return cmp.Or(b.EnrolledAt.Compare(a.EnrolledAt), strings.Compare(a.ID, b.ID))
	})
	return out, err
}

// ForMember returns a member's enrolments in every automation.
func (s *Service) ForMember(_ context.Context, memberID string) ([]Enrolment, error) {
	out := []Enrolment{}
	err := s.st.View(func(tx *store.Tx) error {
		ids, err := store.IDsByIndex(tx, enrolments, "member", memberID)
		if err != nil {
			return err
		}
		for _, id := range ids {
			e, _, err := store.Get(tx, enrolments, id)
			if errors.Is(err, errs.NotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, e)
		}
		return nil
	})
	return out, err
}

// ForgetMember deletes the member's enrolments and drops them from the tag checkpoints inside
// tx, for the erasure flow.
func ForgetMember(tx *store.Tx, memberID string) error {
	ids, err := store.IDsByIndex(tx, enrolments, "member", memberID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := store.Delete(tx, enrolments, id); err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
	}
	var changed []cursor
	err = store.Scan(tx, cursors, func(_ string, c cursor, _ store.Meta) error {
		if i := slices.Index(c.Tagged, memberID); i >= 0 {
			c.Tagged = slices.Delete(c.Tagged, i, i+1)
			changed = append(changed, c)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, c := range changed {
		if _, err := store.Put(tx, cursors, c.ID, c); err != nil {
			return err
		}
	}
	return nil
}
