package app

import (
	"time"

	"hearth/backend/calendar"
)

// CalendarService is the content calendar screens' door to the backend.
type CalendarService struct {
	calls
	calendar *calendar.Service
}

// NewCalendarService binds c for the window.
func NewCalendarService(c *calendar.Service) *CalendarService { return &CalendarService{calendar: c} }

// List returns the occurrences happening in [from, to), recurring items expanded.
func (s *CalendarService) List(q calendar.ListQuery) ([]calendar.Occurrence, error) {
	return listed(s.calendar.List(s.ctx(), q))
}

// Get returns one item.
func (s *CalendarService) Get(id string) (calendar.Item, error) {
	return s.calendar.Get(s.ctx(), id)
}

// Create adds an item.
func (s *CalendarService) Create(in calendar.CreateInput) (calendar.Item, error) {
	return s.calendar.Create(s.ctx(), in)
}

// Update edits an item, or moves one occurrence of a series when p.occurrence is set (dragging
// it to another day); dragging the whole series is an update of its "at".
func (s *CalendarService) Update(id string, p calendar.Patch) (calendar.Item, error) {
	return s.calendar.Update(s.ctx(), id, p)
}

// SetStatus moves an item along its editorial flow.
func (s *CalendarService) SetStatus(id string, status calendar.Status) (calendar.Item, error) {
	return s.calendar.SetStatus(s.ctx(), id, status)
}

// Retry queues a failed occurrence again.
func (s *CalendarService) Retry(id string, occurrence time.Time) (calendar.Item, error) {
	return s.calendar.Retry(s.ctx(), id, occurrence)
}

// AddToQueue schedules an item at its channel's next free posting slot.
func (s *CalendarService) AddToQueue(id, channel string) (calendar.Item, error) {
	return s.calendar.AddToQueue(s.ctx(), id, channel)
}

// NextSlot returns a channel's next free posting slot.
func (s *CalendarService) NextSlot(channel string) (time.Time, error) {
	return s.calendar.NextSlot(s.ctx(), channel)
}

// Slots returns every channel's posting slots.
func (s *CalendarService) Slots() ([]calendar.ChannelSlots, error) {
	return s.calendar.Slots(s.ctx())
}

// SaveSlots replaces one channel's posting slots.
func (s *CalendarService) SaveSlots(cs calendar.ChannelSlots) (calendar.ChannelSlots, error) {
	return s.calendar.SaveSlots(s.ctx(), cs)
}

// Delete removes an item, or cancels one occurrence of a series when occurrence is set.
func (s *CalendarService) Delete(id string, occurrence *time.Time) (calendar.Item, error) {
	return s.calendar.Delete(s.ctx(), id, occurrence)
}

// LocalZone is the computer's IANA time zone, the default for new items.
func (s *CalendarService) LocalZone() string { return calendar.LocalZoneName() }
