package imports

import "context"

// SetBefore makes Run call fn before an import that writes (not a dry run) touches the
// workspace, and give up if it fails: the wiring takes a backup there.
func (s *Service) SetBefore(fn func(ctx context.Context) error) { s.before = fn }
