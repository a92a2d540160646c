package members

import (
	"sync"

	"hearth/backend/notify"
)

// Watch is the notifier the member service is given: it passes every event on and, for each of
// its followers, notes the members each change names (EventChanged: edits, deletions, erasures,
// merges of teammates' bundles and of two people), so that what keeps its own copy of members'
// facts (segments, analytics) re-reads exactly those, whatever their edit times say (a member
// merged from a teammate's bundle may carry an edit time older than the newest read).
type Watch struct {
	next notify.Notifier
	mu   sync.Mutex
	sets []*Changes
}

var _ notify.Notifier = (*Watch)(nil)

// NewWatch returns a Watch passing events on to next (none when nil).
func NewWatch(next notify.Notifier) *Watch { return &Watch{next: next} }

// Follow returns a new set of the members changed from now on, for one follower.
func (w *Watch) Follow() *Changes {
	c := &Changes{dirty: map[string]bool{}}
	w.mu.Lock()
	w.sets = append(w.sets, c)
	w.mu.Unlock()
	return c
}

// Emit notes the members a change names in every follower's set, then passes the event on.
func (w *Watch) Emit(event string, payload any) {
	if ev, ok := payload.(ChangedEvent); ok && event == EventChanged {
		w.mu.Lock()
		for _, c := range w.sets {
			c.add(ev.IDs)
		}
		w.mu.Unlock()
	}
	if w.next != nil {
		w.next.Emit(event, payload)
	}
}

// Changes are the members changed since their follower last took them.
type Changes struct {
	mu    sync.Mutex
	dirty map[string]bool
}

func (c *Changes) add(ids []string) {
	c.mu.Lock()
	for _, id := range ids {
		c.dirty[id] = true
	}
	c.mu.Unlock()
}

// Pending says whether members changed since the last Take.
func (c *Changes) Pending() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.dirty) > 0
}

// Take returns the members changed since the last Take, and forgets them.
func (c *Changes) Take() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, 0, len(c.dirty))
	for id := range c.dirty {
		ids = append(ids, id)
	}
	clear(c.dirty)
	return ids
}
