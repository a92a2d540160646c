package app

import (
	"context"
	"time"

	"hearth/backend/consent"
)

// consentBy is what the ledger records as the author of events written from the window.
const consentBy = "window"

// ConsentService is the consent screens' door to the ledger.
type ConsentService struct {
	calls
	consent *consent.Service
}

// NewConsentService binds c for the window.
func NewConsentService(c *consent.Service) *ConsentService { return &ConsentService{consent: c} }

// Purposes lists every purpose, archived ones included.
func (s *ConsentService) Purposes() ([]consent.Purpose, error) {
	return s.consent.Purposes(context.Background())
}

// SavePurpose creates (empty id) or edits a purpose.
func (s *ConsentService) SavePurpose(p consent.PurposeInput) (consent.Purpose, error) {
	return s.consent.SavePurpose(context.Background(), p)
}

// Notices lists a purpose's notice versions, oldest first.
func (s *ConsentService) Notices(purpose string) ([]consent.Notice, error) {
	return s.consent.Notices(context.Background(), purpose)
}

// PublishNotice publishes a new notice version.
func (s *ConsentService) PublishNotice(in consent.NoticeInput) (consent.Notice, error) {
	return s.consent.PublishNotice(context.Background(), in)
}

// Summary returns the member's current standing for every active purpose.
func (s *ConsentService) Summary(memberID string) ([]consent.Status, error) {
	return s.consent.Summary(context.Background(), memberID, time.Time{})
}

// History returns the member's consent events in the order they happened.
func (s *ConsentService) History(memberID string) ([]consent.Event, error) {
	return s.consent.History(context.Background(), memberID)
}

// Grant records a consent given to the person using the window.
func (s *ConsentService) Grant(in consent.Input) (consent.Status, error) {
	in.By = consentBy
	return s.consent.Grant(context.Background(), in)
}

// Withdraw records a withdrawal given to the person using the window.
func (s *ConsentService) Withdraw(in consent.Input) (consent.Status, error) {
	in.By = consentBy
	return s.consent.Withdraw(context.Background(), in)
}
