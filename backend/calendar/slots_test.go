package calendar

import (
	"testing"
	"time"

	"hearth/backend/errs"
)

func TestAddToQueueTakesTheNextFreeSlotOfTheChannel(t *testing.T) {
	f := newTestService(t) // Monday 2 March 2026, 08:00 Paris
	_, err := f.cal.SaveSlots(ctx, ChannelSlots{Channel: "Mastodon", TimeZone: "Europe/Paris",
		Slots: []Slot{{"TU", "09:00"}, {"MO", "17:30"}, {"MO", "07:00"}, {"MO", "17:30"}}})
	if err != nil {
		t.Fatal(err)
	}
	slots, _ := f.cal.Slots(ctx)
	if len(slots) != 1 || len(slots[0].Slots) != 3 || slots[0].Slots[0] != (Slot{"MO", "07:00"}) {
		t.Fatalf("slots %+v", slots)
	}
	// A series already posts on Tuesdays at 09:00 on this channel.
	f.create(t, CreateInput{At: local(2026, 3, 3, 9, 0), Repeat: rule(t, "FREQ=WEEKLY;COUNT=1"), Status: Scheduled,
		Channels: []string{"mastodon"}})
	var got []string
	for range 3 {
		it := f.create(t, CreateInput{Channels: []string{"Mastodon"}})
		q, err := f.cal.AddToQueue(ctx, it.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if q.Status != Scheduled {
			t.Errorf("queued item is %s", q.Status)
		}
		got = append(got, q.At.Format("Mon 01-02 15:04 -07:00"))
	}
	want := []string{"Mon 03-02 17:30 +01:00", "Mon 03-09 07:00 +01:00", "Mon 03-09 17:30 +01:00"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("slot %d: %s, want %s", i, got[i], want[i])
		}
	}
	// A channel without slots says so.
	it := f.create(t, CreateInput{Channels: []string{"discord"}})
	_, err = f.cal.AddToQueue(ctx, it.ID, "")
	wantCode(t, err, errs.Conflict, "calendar_no_slots")
	next, err := f.cal.NextSlot(ctx, "mastodon")
	if err != nil || !next.Equal(local(2026, 3, 10, 9, 0)) {
		t.Errorf("next slot %s %v", next, err)
	}
}

func TestSlotsFollowTheChannelZoneAcrossDaylightSaving(t *testing.T) {
	f := newTestService(t)
	f.clock.Set(local(2026, 3, 28, 12, 0)) // Saturday before the clocks change
	if _, err := f.cal.SaveSlots(ctx, ChannelSlots{Channel: "news", TimeZone: "Europe/Paris", Slots: []Slot{{"SU", "10:00"}}}); err != nil {
		t.Fatal(err)
	}
	it := f.create(t, CreateInput{Channels: []string{"news"}})
	q, err := f.cal.AddToQueue(ctx, it.ID, "news")
	if err != nil {
		t.Fatal(err)
	}
	if got := q.At.Format(time.RFC3339); got != "2026-03-29T10:00:00+02:00" {
		t.Errorf("slot %s", got)
	}
}

func TestSaveSlotsRefusesBadTimes(t *testing.T) {
	f := newTestService(t)
	_, err := f.cal.SaveSlots(ctx, ChannelSlots{Channel: "x", TimeZone: "Nowhere/City", Slots: []Slot{{"XX", "25:00"}}})
	e := wantCode(t, err, errs.Invalid, "invalid_input")
	for _, want := range [][2]string{{"slots[0].weekday", "oneof"}, {"slots[0].time", "datetime"}, {"timeZone", "time_zone"}} {
		if !hasField(e, want[0], want[1]) {
			t.Errorf("no %v in %+v", want, e.Fields)
		}
	}
}
