package syncstate_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/internal/storetest"
	"hearth/backend/notify"
	"hearth/backend/outbox"
	"hearth/backend/store"
	"hearth/backend/syncstate"
)

func newService(t *testing.T) (*syncstate.Service, *store.Store, *notify.Recorder) {
	t.Helper()
	c := clock.NewManual(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	st := storetest.Open(t, t.TempDir(), c)
	rec := &notify.Recorder{}
	return syncstate.NewService(st, c, rec), st, rec
}

func plan(t *testing.T, s *syncstate.Service, entryID, key string, targets ...syncstate.Target) []syncstate.Delivery {
	t.Helper()
	out, err := s.Plan(context.Background(), []syncstate.EntryPlan{{EntryID: entryID, EntryKey: key, Title: "T", Targets: targets}})
	if err != nil {
		t.Fatal(err)
	}
	return out[0]
}

func TestPlanningTwiceCreatesEachDeliveryOnce(t *testing.T) {
	s, _, _ := newService(t)
	targets := []syncstate.Target{{Connection: "c1", Channel: "forum"}, {Connection: "c2", Channel: "discord"}, {Channel: "Nowhere"}}
	first := plan(t, s, "e1", "k1", targets...)
	second := plan(t, s, "e1", "k1", targets...)
	if len(first) != 3 || len(second) != 3 || first[0].ID != second[0].ID {
		t.Fatalf("first %+v second %+v", first, second)
	}
	q, p, err := s.Totals(context.Background())
	if err != nil || q != 2 || p != 1 {
		t.Fatalf("totals %d %d %v, want 2 queued, 1 parked (the channel naming no connection)", q, p, err)
	}
	// The channel now names a connection: the placeholder goes, a real delivery comes.
	third := plan(t, s, "e1", "k1", syncstate.Target{Connection: "c1", Channel: "forum"},
		syncstate.Target{Connection: "c2", Channel: "discord"}, syncstate.Target{Connection: "c3", Channel: "Nowhere"})
	if len(third) != 3 {
		t.Fatalf("%+v", third)
	}
	for _, d := range third {
		if d.Connection == "" {
			t.Fatalf("the placeholder stayed: %+v", d)
		}
	}
}

func TestDeliveriesListNewestFirstByStateAndConnection(t *testing.T) {
	s, _, _ := newService(t)
	for i, key := range []string{"k1", "k2", "k3"} {
		plan(t, s, "e"+key, key, syncstate.Target{Connection: []string{"c1", "c2", "c1"}[i], Channel: "x"})
	}
	ctx := context.Background()
	all, err := s.Deliveries(ctx, syncstate.DeliveryQuery{})
	if err != nil || len(all) != 3 || all[0].EntryKey != "k3" {
		t.Fatalf("all %+v %v", all, err)
	}
	c1, err := s.Deliveries(ctx, syncstate.DeliveryQuery{State: syncstate.Queued, Connection: "c1", Limit: 1})
	if err != nil || len(c1) != 1 || c1[0].EntryKey != "k3" {
		t.Fatalf("c1 %+v %v", c1, err)
	}
	if _, err := s.Deliveries(ctx, syncstate.DeliveryQuery{State: "lost"}); !errors.Is(err, errs.Invalid) {
		t.Fatalf("an unknown state: %v", err)
	}
}

func TestRetryPutsAParkedDeliveryBackAndRearmsItsEntry(t *testing.T) {
	s, st, rec := newService(t)
	ctx := context.Background()
	ob := outbox.NewService(st, nil)
	var en outbox.Entry
	err := st.UpdateDurable(ctx, func(tx *store.Tx) (err error) {
		if _, err = outbox.Enqueue(tx, outbox.Entry{Key: "k1", Channels: []string{"forum"}}); err != nil {
			return err
		}
		en, err = outbox.ByKey(tx, "k1")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	d := plan(t, s, en.ID, "k1", syncstate.Target{Connection: "c1", Channel: "forum"})[0]
	if _, err := s.Retry(ctx, d.ID); !errors.Is(err, errs.Conflict) {
		t.Fatalf("retrying a queued delivery: %v", err)
	}
	if _, err := s.Update(ctx, d.ID, true, func(d *syncstate.Delivery) error {
		d.State, d.Attempts, d.ReasonCode, d.Reason = syncstate.Parked, 8, syncstate.ReasonTooManyFailures, "gave up"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := ob.MarkFailed(ctx, en.ID, "gave up", time.Time{}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Retry(ctx, d.ID)
	if err != nil || got.State != syncstate.Queued || got.Attempts != 0 || got.Reason != "" || got.ReasonCode != "" {
		t.Fatalf("Retry = %+v, %v", got, err)
	}
	if e, _ := ob.Get(ctx, en.ID); e.Status != outbox.Pending {
		t.Fatalf("entry %s, want pending again", e.Status)
	}
	if evs := rec.Events(); len(evs) == 0 || evs[len(evs)-1].Name != syncstate.EventChanged {
		t.Fatalf("events %+v", evs)
	}
	if _, err := s.Retry(ctx, "nope"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("an unknown delivery: %v", err)
	}
}

func TestStatusesCountQueuedAndParkedAndForgetParksWhatWaits(t *testing.T) {
	s, _, _ := newService(t)
	ctx := context.Background()
	plan(t, s, "e1", "k1", syncstate.Target{Connection: "c1", Channel: "forum"})
	plan(t, s, "e2", "k2", syncstate.Target{Connection: "c1", Channel: "forum"})
	if st, err := s.Status(ctx, "c1"); err != nil || st.Queued != 2 || st.Online || !st.CheckedAt.IsZero() {
		t.Fatalf("a never-checked connection: %+v, %v", st, err)
	}
	if _, err := s.SaveStatus(ctx, syncstate.Status{Connection: "c1", Online: true, Cursor: "p2", Queued: 99}); err != nil {
		t.Fatal(err)
	}
	sts, err := s.Statuses(ctx)
	if err != nil || len(sts) != 1 || sts[0].Queued != 2 || sts[0].Cursor != "p2" {
		t.Fatalf("Statuses = %+v, %v", sts, err)
	}
	if err := s.ForgetConnection(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	if q, p, _ := s.Totals(ctx); q != 0 || p != 2 {
		t.Fatalf("after forgetting: queued %d parked %d", q, p)
	}
	if sts, _ := s.Statuses(ctx); len(sts) != 0 {
		t.Fatalf("the status stayed: %+v", sts)
	}
	if _, err := s.SaveStatus(ctx, syncstate.Status{}); !errors.Is(err, errs.Invalid) {
		t.Fatalf("a status without connection: %v", err)
	}
}

func TestPullTotalsAddUpAcrossRunsAndKeepWhenSomethingNewCameIn(t *testing.T) {
	s, _, _ := newService(t)
	ctx := context.Background()
	if err := s.RecordPull(ctx, "c1", 120, 4); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdateStatus(ctx, "c1", func(st *syncstate.Status) { st.PulledActivity = 120 }); err != nil {
		t.Fatal(err)
	}
	first, _ := s.Status(ctx, "c1")
	// A run that brings nothing new keeps the totals and the time something new came in.
	if err := s.RecordPull(ctx, "c1", 0, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordPull(ctx, "c1", 3, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveStatus(ctx, syncstate.Status{Connection: "c1", TotalActivity: 999, PulledActivity: 0}); err != nil {
		t.Fatal(err)
	}
	st, err := s.Status(ctx, "c1")
	if err != nil || st.TotalActivity != 123 || st.TotalNewMembers != 4 || st.PulledActivity != 0 || first.LastNewAt.IsZero() || !st.LastNewAt.Equal(first.LastNewAt) {
		t.Fatalf("Status = %+v, %v; first %+v", st, err, first)
	}
	sts, err := s.Statuses(ctx)
	if err != nil || len(sts) != 1 || sts[0].TotalActivity != 123 {
		t.Fatalf("Statuses = %+v, %v", sts, err)
	}
	if err := s.ForgetConnection(ctx, "c1"); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Status(ctx, "c1"); st.TotalActivity != 0 || !st.LastNewAt.IsZero() {
		t.Fatalf("the totals outlived their connection: %+v", st)
	}
	if err := s.RecordPull(ctx, "", 1, 0); !errors.Is(err, errs.Invalid) {
		t.Fatalf("a pull without connection: %v", err)
	}
}
