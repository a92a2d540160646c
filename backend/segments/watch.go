package segments

import "hearth/backend/members"

// Follow makes counts re-read the members c names as changed (members.Watch), rather than
// those whose edit time is after the last count's (a member merged from a teammate's bundle
// may carry an older one).
func (s *Service) Follow(c *members.Changes) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watch = c
}
