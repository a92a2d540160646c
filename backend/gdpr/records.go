package gdpr

import (
	"context"
	"time"

	"hearth/backend/automations"
	"hearth/backend/newsletter"
	"hearth/backend/tasks"
)

// Records lists the kinds of records about a member that other domains keep, for dossiers. A
// nil field lists nothing. Every kind of record an erasure forgets (see the forgetters wired
// with NewService) must be listed here too, so that an access request shows all of it.
type Records struct {
	// Tasks lists the manager's tasks about the member (tasks.Service.ForMember).
	Tasks func(ctx context.Context, memberID string) ([]tasks.Task, error)
	// Automations lists the member's progress through automations (automations.Service.ForMember).
	Automations func(ctx context.Context, memberID string) ([]automations.Enrolment, error)
	// Deliveries lists the newsletters and one-off e-mails sent to the member
	// (newsletter.Service.MemberDeliveries and MemberMails).
	Deliveries func(ctx context.Context, memberID string) ([]newsletter.Delivery, error)
}

// SetRecords makes dossiers include the records r lists.
func (s *Service) SetRecords(r Records) { s.records = r }

// gatherRecords fills d's tasks, automations and deliveries; a kind with no lister is empty.
func (s *Service) gatherRecords(ctx context.Context, d *Dossier) error {
	d.Tasks, d.Automations, d.Deliveries = []tasks.Task{}, []automations.Enrolment{}, []newsletter.Delivery{}
	var err error
	if f := s.records.Tasks; f != nil {
		if d.Tasks, err = nonNil(f(ctx, d.Member.ID)); err != nil {
			return err
		}
	}
	if f := s.records.Automations; f != nil {
		if d.Automations, err = nonNil(f(ctx, d.Member.ID)); err != nil {
			return err
		}
	}
	if f := s.records.Deliveries; f != nil {
		if d.Deliveries, err = nonNil(f(ctx, d.Member.ID)); err != nil {
			return err
		}
	}
	d.Merges, err = s.members.MergeHistories(ctx, d.Member.ID)
	return err
}

// nonNil turns a nil list into an empty one: a dossier never says null for a list.
func nonNil[T any](v []T, err error) ([]T, error) {
	if v == nil {
		v = []T{}
	}
	return v, err
}

// recordsIn gives the times of d's tasks, automations and deliveries in zone.
func (d *Dossier) recordsIn(at func(*time.Time)) {
	for i := range d.Tasks {
		t := &d.Tasks[i]
		at(&t.DueAt)
		at(&t.DoneAt)
		at(&t.CreatedAt)
		at(&t.UpdatedAt)
		at(&t.NotifiedAt)
	}
	for i := range d.Automations {
		e := &d.Automations[i]
		at(&e.NextAt)
		at(&e.EnrolledAt)
		at(&e.UpdatedAt)
		for j := range e.History {
			at(&e.History[j].StartedAt)
			at(&e.History[j].DoneAt)
		}
	}
	for i := range d.Merges {
		mg := &d.Merges[i]
		for _, t := range []*time.Time{&mg.At, &mg.KeepBefore.CreatedAt, &mg.KeepBefore.UpdatedAt, &mg.OtherBefore.CreatedAt,
			&mg.OtherBefore.UpdatedAt, &mg.KeepAfter.CreatedAt, &mg.KeepAfter.UpdatedAt} {
			at(t)
		}
	}
	for i := range d.Deliveries {
		dl := &d.Deliveries[i]
		if dl.SentAt != nil {
			t := *dl.SentAt
			at(&t)
			dl.SentAt = &t
		}
		at(&dl.UpdatedAt)
	}
}
