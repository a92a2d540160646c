package app

import (
	"hearth/backend/members"
	"hearth/backend/timeline"
)

// MembersService is the Members screen's door to the backend.
type MembersService struct {
	calls
	members  *members.Service
	timeline *timeline.Service
}

// NewMembersService binds m, and tl for members' stories, for the window.
func NewMembersService(m *members.Service, tl *timeline.Service) *MembersService {
	return &MembersService{members: m, timeline: tl}
}

// List returns a page of members.
func (s *MembersService) List(q members.ListQuery) (members.Page, error) {
	return s.members.List(s.ctx(), q)
}

// Get returns one member.
func (s *MembersService) Get(id string) (members.Member, error) {
	return s.members.Get(s.ctx(), id)
}

// Create adds a member.
func (s *MembersService) Create(in members.CreateInput) (members.Member, error) {
	return s.members.Create(s.ctx(), in)
}

// Update edits a member.
func (s *MembersService) Update(id string, p members.Patch) (members.Member, error) {
	return s.members.Update(s.ctx(), id, p)
}

// Delete deletes a member and returns it, for undo.
func (s *MembersService) Delete(id string) (members.Member, error) {
	return s.members.Delete(s.ctx(), id)
}

// Restore undoes a Delete.
func (s *MembersService) Restore(m members.Member) (members.Member, error) {
	return s.members.Restore(s.ctx(), m)
}

// Tags lists tags with their member counts.
func (s *MembersService) Tags() ([]members.TagCount, error) {
	return s.members.Tags(s.ctx())
}

// Timeline returns a page of the story of the member id, newest first, beside where they stand.
func (s *MembersService) Timeline(id string, q timeline.Query) (timeline.Page, error) {
	m, err := s.members.Get(s.ctx(), id)
	if err != nil {
		return timeline.Page{}, err
	}
	p, err := s.timeline.Of(s.ctx(), m, q)
	if err == nil && p.Entries == nil {
		p.Entries = []timeline.Entry{} // a list, never null (see listed)
	}
	return p, err
}
