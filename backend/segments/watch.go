package segments

import (
	"sync"

	"hearth/backend/members"
	"hearth/backend/notify"
)

// Watch is the notifier the member service is given: it passes every event on and notes the
// members each change names (members.EventChanged: edits, deletions, erasures, merges of
// teammates' bundles and of two people), so that a count re-reads exactly those, whatever
// their edit times say.
type Watch struct {
	next  notify.Notifier
	mu    sync.Mutex
	dirty map[string]bool
}

var _ notify.Notifier = (*Watch)(nil)

// NewWatch returns a Watch passing events on to next (none when nil).
func NewWatch(next notify.Notifier) *Watch { return &Watch{next: next, dirty: map[string]bool{}} }

// Emit notes the members a change names, then passes the event on.
func (w *Watch) Emit(event string, payload any) {
	if ev, ok := payload.(members.ChangedEvent); ok && event == members.EventChanged {
		w.mu.Lock()
		for _, id := range ev.IDs {
			w.dirty[id] = true
		}
		w.mu.Unlock()
	}
	if w.next != nil {
		w.next.Emit(event, payload)
	}
}

// pending says whether members changed since the last take.
func (w *Watch) pending() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.dirty) > 0
}

// take returns the members changed since the last take.
func (w *Watch) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	ids := make([]string, 0, len(w.dirty))
	for id := range w.dirty {
		ids = append(ids, id)
	}
	clear(w.dirty)
	return ids
}

// Follow makes counts re-read the members w saw change, rather than those whose edit time is
// after the last count's (a member merged from a teammate's bundle may carry an older one).
func (s *Service) Follow(w *Watch) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.watch = w
}
