package outbox

import (
	"context"
	"errors"
	"hearth/backend/internal/storetest"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/store"
)

var (
	ctx = context.Background()
	t0  = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
)

func newTestOutbox(t *testing.T, opts ...Option) (*Service, *store.Store, *clock.Manual) {
	t.Helper()
	dir := t.TempDir()
	c := clock.NewManual(t0)
	st := storetest.Open(t, dir, c)
	return NewService(st, c, opts...), st, c
}

func enqueue(t *testing.T, st *store.Store, key string) (Entry, bool) {
	t.Helper()
	var created bool
	err := st.UpdateDurable(ctx, func(tx *store.Tx) (err error) {
		created, err = Enqueue(tx, Entry{Key: key, Source: "test", Title: key, CreatedAt: t0})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var e Entry
	if err := st.View(func(tx *store.Tx) (err error) { e, err = ByKey(tx, key); return err }); err != nil {
		t.Fatal(err)
	}
	return e, created
}

func TestEnqueueingTheSameKeyTwiceCreatesOneEntry(t *testing.T) {
	svc, st, _ := newTestOutbox(t)
	first, created := enqueue(t, st, "item@2026-05-04T10:00:00Z")
	if !created || first.Status != Pending {
		t.Fatalf("first enqueue: %+v %v", first, created)
	}
	again, created := enqueue(t, st, "item@2026-05-04T10:00:00Z")
	if created || again.ID != first.ID {
		t.Fatalf("second enqueue created %v: %+v", created, again)
	}
	es, err := svc.Pending(ctx, 0)
	if err != nil || len(es) != 1 {
		t.Fatalf("pending %+v %v", es, err)
	}
	err = st.Update(ctx, func(tx *store.Tx) error { _, err := Enqueue(tx, Entry{}); return err })
	if !errors.Is(err, errs.Invalid) {
		t.Errorf("empty key: %v", err)
	}
}

func TestFailedEntriesComeBackAtTheirRetryTimeAndSentOnesNever(t *testing.T) {
	var seen []Entry
	svc, st, c := newTestOutbox(t, WithOutcome(func(_ *store.Tx, e Entry) error { seen = append(seen, e); return nil }))
	a, _ := enqueue(t, st, "a")
	b, _ := enqueue(t, st, "b")
	g, _ := enqueue(t, st, "gives-up")
	if _, err := svc.MarkFailed(ctx, a.ID, "503", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MarkSent(ctx, b.ID, "remote-1"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MarkFailed(ctx, g.ID, "401", time.Time{}); err != nil {
		t.Fatal(err)
	}
	if es, _ := svc.Pending(ctx, 10); len(es) != 0 {
		t.Errorf("pending before the retry time: %+v", es)
	}
	c.Advance(time.Hour)
	es, _ := svc.Pending(ctx, 10)
	if len(es) != 1 || es[0].ID != a.ID || es[0].Attempts != 1 || es[0].Reason != "503" {
		t.Errorf("pending at the retry time: %+v", es)
	}
	// Reporting a sent entry again is harmless; failing it afterwards is a conflict.
	if e, err := svc.MarkSent(ctx, b.ID, "remote-1"); err != nil || e.RemoteID != "remote-1" {
		t.Errorf("second MarkSent: %+v %v", e, err)
	}
	if _, err := svc.MarkFailed(ctx, b.ID, "late", time.Time{}); !errors.Is(err, errs.Conflict) {
		t.Errorf("failing a sent entry: %v", err)
	}
	if len(seen) != 3 || seen[1].Status != Sent || seen[1].RemoteID != "remote-1" {
		t.Errorf("outcomes seen %+v", seen)
	}
	err := st.Update(ctx, func(tx *store.Tx) error { _, err := Rearm(tx, "gives-up", c.Now()); return err })
	if err != nil {
		t.Fatal(err)
	}
	if es, _ := svc.Pending(ctx, 10); len(es) != 2 || es[0].Key != "gives-up" {
		t.Errorf("after rearm: %+v", es)
	}
	if _, err := svc.MarkSent(ctx, "nope", ""); !errors.Is(err, errs.NotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestAnOutcomeHookErrorLeavesTheEntryAsItWas(t *testing.T) {
	svc, st, _ := newTestOutbox(t, WithOutcome(func(*store.Tx, Entry) error { return errors.New("boom") }))
	e, _ := enqueue(t, st, "k")
	if _, err := svc.MarkSent(ctx, e.ID, "r"); err == nil {
		t.Fatal("no error")
	}
	if got, _ := svc.Get(ctx, e.ID); got.Status != Pending {
		t.Errorf("status %s", got.Status)
	}
}
