package app

import (
	"hearth/backend/automations"
)

// AutomationsService is the Automations screen's door to the backend.
type AutomationsService struct {
	calls
	automations *automations.Service
}

// NewAutomationsService binds a for the window.
func NewAutomationsService(a *automations.Service) *AutomationsService {
	return &AutomationsService{automations: a}
}

// List returns every automation, the ready-made ones first.
func (s *AutomationsService) List() ([]automations.Automation, error) {
	return s.automations.List(s.ctx())
}

// Get returns one automation.
func (s *AutomationsService) Get(id string) (automations.Automation, error) {
	return s.automations.Get(s.ctx(), id)
}

// Save creates (empty id, disabled) or edits an automation.
func (s *AutomationsService) Save(in automations.Input) (automations.Automation, error) {
	return s.automations.Save(s.ctx(), in)
}

// SetEnabled switches an automation on or off.
func (s *AutomationsService) SetEnabled(id string, enabled bool) (automations.Automation, error) {
	return s.automations.SetEnabled(s.ctx(), id, enabled)
}

// Delete removes an automation and its members' progress.
func (s *AutomationsService) Delete(id string) error {
	return s.automations.Delete(s.ctx(), id)
}

// Progress returns each member's progress through an automation, newest enrolment first.
func (s *AutomationsService) Progress(automationID string) ([]automations.Enrolment, error) {
	return s.automations.Progress(s.ctx(), automationID)
}

// ForMember returns a member's progress through every automation (the member page).
func (s *AutomationsService) ForMember(memberID string) ([]automations.Enrolment, error) {
	return s.automations.ForMember(s.ctx(), memberID)
}
