package calendar

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// Slot is one weekly posting time of a channel: a weekday and a local time ("TU", "09:30").
type Slot struct {
	Weekday string `json:"weekday" validate:"required,oneof=MO TU WE TH FR SA SU"`
	Time    string `json:"time" validate:"required,datetime=15:04"`
}

// ChannelSlots are a channel's posting slots, like a Buffer queue, in a time zone.
type ChannelSlots struct {
	Channel  string `json:"channel" validate:"required,max=64,label"`
	TimeZone string `json:"timeZone" validate:"max=64"`
	Slots    []Slot `json:"slots" validate:"max=200,dive"`
}

var slotsCollection = &store.Collection[ChannelSlots]{Name: "cal_slots"}

// QueueHorizon is how far ahead AddToQueue looks for a free slot.
const QueueHorizon = 366 * 24 * time.Hour

func slotsID(channel string) string { return strings.ToLower(strings.TrimSpace(channel)) }

// Slots returns every channel's slots, by channel name.
func (s *Service) Slots(context.Context) ([]ChannelSlots, error) {
	out := []ChannelSlots{}
	err := s.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, slotsCollection, func(_ string, cs ChannelSlots, _ store.Meta) error {
			out = append(out, cs)
			return nil
		})
	})
	return out, err
}

// SaveSlots replaces a channel's slots (sorted by weekday and time, repeats dropped).
func (s *Service) SaveSlots(ctx context.Context, cs ChannelSlots) (ChannelSlots, error) {
	cs.Channel = strings.TrimSpace(cs.Channel)
	cs.TimeZone = strings.TrimSpace(cs.TimeZone)
	if cs.TimeZone == "" {
		cs.TimeZone = s.defaultZoneName()
	}
	var fields []errs.FieldError
	if err := s.v.Struct("calendar: invalid slots", cs); err != nil {
		fields = append(fields, errs.From(err).Fields...)
	}
	if _, err := s.zone(cs.TimeZone); err != nil {
		fields = append(fields, errs.From(err).Fields...)
	}
	if len(fields) > 0 {
		return ChannelSlots{}, errs.Fields("calendar: invalid slots", fields...)
	}
	slices.SortFunc(cs.Slots, func(a, b Slot) int {
		if c := slices.Index(dayNames, a.Weekday) - slices.Index(dayNames, b.Weekday); c != 0 {
			return c
		}
		return strings.Compare(a.Time, b.Time)
	})
	cs.Slots = slices.Compact(cs.Slots)
	if cs.Slots == nil {
		cs.Slots = []Slot{}
	}
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, slotsCollection, slotsID(cs.Channel), cs)
		return err
	})
	if err != nil {
		return ChannelSlots{}, err
	}
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{}})
	return cs, nil
}

// NextSlot returns the channel's earliest slot time after now that no occurrence on that
// channel already takes.
func (s *Service) NextSlot(ctx context.Context, channel string) (time.Time, error) {
	var at time.Time
	err := s.st.View(func(tx *store.Tx) (err error) {
		at, err = s.nextSlot(tx, channel, s.clock.Now(), "")
		return err
	})
	return at, err
}

func (s *Service) nextSlot(tx *store.Tx, channel string, now time.Time, except string) (time.Time, error) {
	cs, _, err := store.Get(tx, slotsCollection, slotsID(channel))
	if errors.Is(err, errs.NotFound) || (err == nil && len(cs.Slots) == 0) {
		return time.Time{}, (&errs.Error{Kind: errs.Conflict, Code: "calendar_no_slots",
			Msg: "calendar: channel " + channel + " has no posting slots"}).With("channel", channel)
	}
	if err != nil {
		return time.Time{}, err
	}
	loc, err := s.zone(cs.TimeZone)
	if err != nil {
		return time.Time{}, err
	}
	taken, err := s.takenOn(tx, channel, now, now.Add(QueueHorizon), except)
	if err != nil {
		return time.Time{}, err
	}
	local := now.In(loc)
	for day := 0; day <= int(QueueHorizon/(24*time.Hour)); day++ {
		d := time.Date(local.Year(), local.Month(), local.Day()+day, 0, 0, 0, 0, loc)
		wd := dayNames[(int(d.Weekday())+6)%7]
		for _, sl := range cs.Slots {
			if sl.Weekday != wd {
				continue
			}
			var h, m int
			if _, err := fmt.Sscanf(sl.Time, "%d:%d", &h, &m); err != nil {
				continue
			}
			t := time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, loc)
			if t.After(now) && !taken[t.Unix()] {
				return t, nil
			}
		}
	}
	return time.Time{}, (&errs.Error{Kind: errs.Conflict, Code: "calendar_queue_full",
		Msg: "calendar: no free slot on " + channel}).With("channel", channel)
}

// takenOn returns the times (Unix seconds) of the occurrences on channel in [from, to), except
// those of one item.
func (s *Service) takenOn(tx *store.Tx, channel string, from, to time.Time, except string) (map[int64]bool, error) {
	records, err := allRecords(tx)
	if err != nil {
		return nil, err
	}
	taken := map[int64]bool{}
	err = store.Scan(tx, itemCollection, func(id string, it Item, _ store.Meta) error {
		if id == except || !onChannel(it.Channels, channel) {
			return nil
		}
		for _, o := range s.appendOccurrences(nil, it, records[id], from, to) {
			taken[o.At.Unix()] = true
		}
		return nil
	})
	return taken, err
}

// AddToQueue schedules a one-off item at the next free slot of channel (its first channel
// when empty), adding the channel to the item if needed, like Buffer's "add to queue".
func (s *Service) AddToQueue(ctx context.Context, id, channel string) (Item, error) {
	var it Item
	err := s.st.Update(ctx, func(tx *store.Tx) (err error) {
		if it, err = getItem(tx, id); err != nil {
			return err
		}
		if it.Repeat != nil {
			return errs.Fields("calendar: a series cannot be queued", errs.Field("repeat", "queue_one_off"))
		}
		if err := checkTransition(it.Status, Scheduled); err != nil {
			return err
		}
		channel = strings.TrimSpace(channel)
		if channel == "" {
			if len(it.Channels) == 0 {
				return errs.Fields("calendar: no channel to queue on", errs.Field("channels", "required"))
			}
			channel = it.Channels[0]
		}
		now := s.clock.Now()
		at, err := s.nextSlot(tx, channel, now, id)
		if err != nil {
			return err
		}
		loc := s.localize(&it)
		if !onChannel(it.Channels, channel) {
			it.Channels = append(it.Channels, channel)
		}
		it.At, it.Status, it.ScheduledAt, it.Through, it.UpdatedAt, it.Publisher = at.In(loc), Scheduled, now.UTC(), time.Time{}, now.UTC(), s.st.Replica()
		_, err = store.Put(tx, itemCollection, id, it)
		return err
	})
	if err != nil {
		return Item{}, err
	}
	s.localize(&it)
	s.notifier.Emit(EventChanged, ChangedEvent{IDs: []string{id}})
	return it, nil
}
