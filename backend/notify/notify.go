// Package notify carries change and progress notifications from the backend to whoever shows
// them (the Wails window, or nothing in the CLI) without the backend knowing about Wails.
package notify

import "sync"

// Notifier publishes an event with a JSON-encodable payload.
type Notifier interface {
	Emit(event string, payload any)
}

// Discard drops every event.
type Discard struct{}

// Emit does nothing.
func (Discard) Emit(string, any) {}

// Event is one recorded emission.
type Event struct {
	Name    string
	Payload any
}

// Recorder keeps every event, for tests.
type Recorder struct {
	mu     sync.Mutex
	events []Event
}

var (
	_ Notifier = Discard{}
	_ Notifier = (*Recorder)(nil)
)

// Emit records the event.
func (r *Recorder) Emit(event string, payload any) {
	r.mu.Lock()
	r.events = append(r.events, Event{event, payload})
	r.mu.Unlock()
}

// Events returns a copy of what was recorded.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Event(nil), r.events...)
}
