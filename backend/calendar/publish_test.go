package calendar

import (
	"errors"
	"slices"
	"testing"
	"time"

	"hearth/backend/errs"
	"hearth/backend/outbox"
	"hearth/backend/store"
)

func TestPublishDueQueuesEachDueOccurrenceOnceHoweverOftenItRuns(t *testing.T) {
	f := newTestService(t)
	series := f.create(t, CreateInput{At: t0.Add(time.Hour), Repeat: rule(t, "FREQ=DAILY;COUNT=5"), Status: Scheduled,
		Channels: []string{"discord"}, Body: "**hello**"})
	oneOff := f.create(t, CreateInput{At: t0.Add(90 * time.Minute), Status: Scheduled, Channels: []string{"mastodon"}})
	draft := f.create(t, CreateInput{At: t0.Add(time.Hour), Channels: []string{"mastodon"}})

	f.clock.Set(t0.Add(2 * time.Hour)) // first series occurrence and the one-off are due
	rep := f.publish(t)
	if rep.Queued != 2 || rep.Missed != 0 || rep.Late != 0 {
		t.Fatalf("first run: %+v", rep)
	}
	if again := f.publish(t); again.Queued != 0 {
		t.Fatalf("second run queued again: %+v", again)
	}
	// Crash-like rerun: the watermark was never saved and the process restarted.
	rewindWatermarks(t, f)
	f.reopen(t)
	if again := f.publish(t); again.Queued != 0 {
		t.Fatalf("rerun after a crash queued again: %+v", again)
	}
	entries := f.pending(t)
	var keys []string
	for _, e := range entries {
		keys = append(keys, e.Key)
		if e.Ref == draft.ID {
			t.Errorf("a draft was queued: %+v", e)
		}
	}
	want := []string{OccurrenceKey(series.ID, t0.Add(time.Hour)), OccurrenceKey(oneOff.ID, t0.Add(90*time.Minute))}
	if !slices.Equal(keys, want) {
		t.Fatalf("outbox keys %v, want %v", keys, want)
	}
	if e := entries[0]; e.Source != Source || e.Body != "**hello**" || !slices.Equal(e.Channels, []string{"discord"}) ||
		e.Key != series.ID+"@2026-03-02T08:00:00Z" {
		t.Errorf("entry %+v", e)
	}
	got, _ := f.cal.Get(ctx, oneOff.ID)
	if got.Status != Queued {
		t.Errorf("one-off item is %s, want queued", got.Status)
	}
	// Two days later, the next two occurrences of the series are due, and only them.
	f.clock.Set(t0.Add(49 * time.Hour))
	if rep := f.publish(t); rep.Queued != 2 {
		t.Errorf("two days later: %+v", rep)
	}
	if n := len(f.pending(t)); n != 4 {
		t.Errorf("%d outbox entries, want 4", n)
	}
}

// rewindWatermarks forgets what PublishDue remembers outside the occurrence records.
func rewindWatermarks(t *testing.T, f *fixture) {
	t.Helper()
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		var items []Item
		if err := store.Scan(tx, itemCollection, func(_ string, it Item, _ store.Meta) error {
			items = append(items, it)
			return nil
		}); err != nil {
			return err
		}
		for _, it := range items {
			it.Through = time.Time{}
			if _, err := store.Put(tx, itemCollection, it.ID, it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTwoPublishDueRunsAtOnceQueueEachOccurrenceOnce(t *testing.T) {
	f := newTestService(t)
	for i := range 5 {
		f.create(t, CreateInput{At: t0.Add(time.Duration(i) * time.Minute), Status: Scheduled})
	}
	f.clock.Set(t0.Add(10 * time.Minute))
	other := NewService(f.st, f.clock, nil) // a second service over the same store, e.g. a CLI run
	errc := make(chan error, 2)
	for _, s := range []*Service{f.cal, other} {
		go func() { _, err := s.PublishDue(ctx, f.clock.Now()); errc <- err }()
	}
	for range 2 {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.pending(t)); n != 5 {
		t.Errorf("%d outbox entries, want 5", n)
	}
}

func TestLatePolicyAfterTheLaptopWasClosed(t *testing.T) {
	cases := []struct {
		name     string
		policy   LatePolicy
		grace    int
		closed   time.Duration
		status   Status
		late     bool
		missedEv bool
	}{
		{"publish: a few hours late is published, not flagged", LatePublish, 0, 3 * time.Hour, Queued, false, false},
		{"publish: beyond the grace window is published and flagged late", LatePublish, 0, 30 * time.Hour, Queued, true, false},
		{"publish: a custom grace window of one hour", LatePublish, 60, 3 * time.Hour, Queued, true, false},
		{"skip: late is missed and the person is told", LateSkip, 0, 3 * time.Hour, Missed, false, true},
		{"skip: on time is published", LateSkip, 0, 2 * time.Minute, Queued, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newTestService(t)
			it := f.create(t, CreateInput{At: t0.Add(time.Hour), Status: Scheduled, LatePolicy: c.policy, GraceMinutes: c.grace})
			f.clock.Set(t0.Add(time.Hour + c.closed)) // the laptop opens again
			rep := f.publish(t)
			if len(rep.Occurrences) != 1 {
				t.Fatalf("report %+v", rep)
			}
			ev := rep.Occurrences[0]
			if ev.Status != c.status || ev.Late != c.late {
				t.Errorf("occurrence %s late=%v, want %s late=%v", ev.Status, ev.Late, c.status, c.late)
			}
			got, _ := f.cal.Get(ctx, it.ID)
			if got.Status != c.status {
				t.Errorf("item %s, want %s", got.Status, c.status)
			}
			var missed []MissedEvent
			for _, e := range f.rec.Events() {
				if e.Name == EventMissed {
					missed = append(missed, e.Payload.(MissedEvent))
				}
			}
			if c.missedEv != (len(missed) == 1) || (c.missedEv && missed[0].ItemID != it.ID) {
				t.Errorf("missed events %+v", missed)
			}
			entries := f.pending(t)
			if queued := c.status == Queued; queued != (len(entries) == 1) || (queued && entries[0].Late != c.late) {
				t.Errorf("outbox %+v", entries)
			}
			occ := f.list(t, t0, t0.Add(48*time.Hour))
			if len(occ) != 1 || occ[0].Status != c.status || occ[0].Late != c.late {
				t.Errorf("listed %+v", occ)
			}
		})
	}
}

func TestSkippedSeriesMissesOnlyTheOccurrencesWhileClosed(t *testing.T) {
	f := newTestService(t)
	it := f.create(t, CreateInput{At: t0.Add(time.Hour), Repeat: rule(t, "FREQ=DAILY"), Status: Scheduled, LatePolicy: LateSkip})
	f.clock.Set(t0.Add(3*24*time.Hour + time.Hour + time.Minute)) // three days closed; opened just after the 4th
	rep := f.publish(t)
	if rep.Missed != 3 || rep.Queued != 1 {
		t.Fatalf("report %+v", rep)
	}
	var statuses []Status
	for _, o := range f.list(t, t0, t0.Add(5*24*time.Hour)) {
		statuses = append(statuses, o.Status)
	}
	if want := []Status{Missed, Missed, Missed, Queued, Scheduled}; !slices.Equal(statuses, want) {
		t.Errorf("statuses %v, want %v", statuses, want)
	}
	// Moving a missed occurrence to a later time reschedules it.
	orig, later := t0.Add(time.Hour), f.clock.Now().Add(time.Hour)
	if _, err := f.cal.Update(ctx, it.ID, Patch{Occurrence: &orig, At: &later}); err != nil {
		t.Fatal(err)
	}
	f.clock.Set(later)
	if rep := f.publish(t); rep.Queued != 1 || !rep.Occurrences[0].Original.Equal(orig) {
		t.Errorf("rescheduled occurrence: %+v", rep)
	}
}

func TestASeriesScheduledTodayDoesNotPublishItsPastOccurrences(t *testing.T) {
	f := newTestService(t)
	f.create(t, CreateInput{At: t0.AddDate(0, 0, -10).Add(-time.Hour), Repeat: rule(t, "FREQ=DAILY"), Status: Scheduled})
	if rep := f.publish(t); rep.Queued+rep.Missed != 0 {
		t.Errorf("past occurrences handled: %+v", rep)
	}
	if n := len(f.pending(t)); n != 0 {
		t.Errorf("%d outbox entries", n)
	}
	f.clock.Set(t0.Add(24 * time.Hour))
	if rep := f.publish(t); rep.Queued != 1 {
		t.Errorf("next day: %+v", rep)
	}
}

func TestOutboxOutcomesBecomeOccurrenceStatuses(t *testing.T) {
	f := newTestService(t)
	series := f.create(t, CreateInput{At: t0.Add(time.Hour), Repeat: rule(t, "FREQ=DAILY;COUNT=2"), Status: Scheduled})
	oneOff := f.create(t, CreateInput{At: t0.Add(time.Hour), Status: Scheduled})
	f.clock.Set(t0.Add(25 * time.Hour))
	f.publish(t)
	entries := f.pending(t)
	if len(entries) != 3 {
		t.Fatalf("%d entries", len(entries))
	}
	byRef := func(ref string, at time.Time) outbox.Entry {
		i := slices.IndexFunc(entries, func(e outbox.Entry) bool { return e.Ref == ref && e.OccurrenceAt.Equal(at) })
		return entries[i]
	}
	if _, err := f.out.MarkSent(ctx, byRef(series.ID, t0.Add(time.Hour)).ID, "post-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.out.MarkFailed(ctx, byRef(series.ID, t0.Add(25*time.Hour)).ID, "rate limited", time.Time{}); err != nil {
		t.Fatal(err)
	}
	failed := byRef(oneOff.ID, t0.Add(time.Hour))
	if _, err := f.out.MarkFailed(ctx, failed.ID, "401 unauthorized", time.Time{}); err != nil {
		t.Fatal(err)
	}
	occ := f.list(t, t0, t0.Add(48*time.Hour))
	got := map[string]Status{}
	for _, o := range occ {
		got[OccurrenceKey(o.ItemID, o.Original)] = o.Status
	}
	want := map[string]Status{
		OccurrenceKey(series.ID, t0.Add(time.Hour)):    Published,
		OccurrenceKey(series.ID, t0.Add(25*time.Hour)): Failed,
		OccurrenceKey(oneOff.ID, t0.Add(time.Hour)):    Failed,
	}
	for k, st := range want {
		if got[k] != st {
			t.Errorf("%s is %s, want %s", k, got[k], st)
		}
	}
	if it, _ := f.cal.Get(ctx, oneOff.ID); it.Status != Failed {
		t.Errorf("one-off item is %s", it.Status)
	}
	// Retrying re-arms the same outbox entry instead of creating another.
	if _, err := f.cal.Retry(ctx, oneOff.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if rep := f.publish(t); rep.Queued != 1 {
		t.Fatalf("retry: %+v", rep)
	}
	after := f.pending(t)
	if len(after) != 1 || after[0].ID != failed.ID || after[0].Status != outbox.Pending {
		t.Errorf("pending after retry %+v", after)
	}
	if it, _ := f.cal.Get(ctx, oneOff.ID); it.Status != Queued {
		t.Errorf("retried item is %s", it.Status)
	}
}

func TestOnlyQueuedOccurrencesCanBeMarkedPublished(t *testing.T) {
	f := newTestService(t)
	draft := f.create(t, CreateInput{At: t0.Add(time.Hour)})
	err := f.cal.RecordOutcome(ctx, draft.ID, t0.Add(time.Hour), Published, "")
	if e := wantCode(t, err, errs.Conflict, "calendar_bad_transition"); e.Params["from"] != string(Scheduled) {
		t.Errorf("params %v", e.Params)
	}
	it := f.create(t, CreateInput{At: t0.Add(time.Hour), Status: Scheduled})
	f.clock.Set(t0.Add(time.Hour))
	f.publish(t)
	if err := f.cal.RecordOutcome(ctx, it.ID, t0.Add(time.Hour), Published, ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.cal.Get(ctx, it.ID); got.Status != Published {
		t.Errorf("status %s", got.Status)
	}
	if _, err := f.cal.Delete(ctx, it.ID, nil); err != nil {
		t.Errorf("deleting a published item: %v", err)
	}
}

func TestAQueuedItemCannotBeEditedOrDeleted(t *testing.T) {
	f := newTestService(t)
	it := f.create(t, CreateInput{At: t0.Add(time.Hour), Status: Scheduled})
	f.clock.Set(t0.Add(time.Hour))
	f.publish(t)
	title := "changed"
	_, err := f.cal.Update(ctx, it.ID, Patch{Title: &title})
	wantCode(t, err, errs.Conflict, "calendar_item_locked")
	_, err = f.cal.Delete(ctx, it.ID, nil)
	wantCode(t, err, errs.Conflict, "calendar_item_queued")
	notes := "went well"
	if _, err := f.cal.Update(ctx, it.ID, Patch{Notes: &notes}); err != nil {
		t.Errorf("notes on a queued item: %v", err)
	}
	if _, err := f.cal.Get(ctx, "nope"); !errors.Is(err, errs.NotFound) {
		t.Errorf("get unknown: %v", err)
	}
}
