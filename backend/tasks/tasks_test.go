package tasks

import (
	"context"
	"errors"
	"hearth/backend/internal/storetest"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/store"
)

type fixture struct {
	svc   *Service
	st    *store.Store
	dir   string
	clock *clock.Manual
	rec   *notify.Recorder
}

func newTestService(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: clock.NewManual(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)), rec: &notify.Recorder{}}
	f.open(t)
	return f
}

func (f *fixture) open(t *testing.T) {
	t.Helper()
	st := storetest.Open(t, f.dir, f.clock)
	f.st = st
	f.svc = NewService(st, f.clock, f.rec)
}

func (f *fixture) reopen(t *testing.T) {
	t.Helper()
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	f.open(t)
}

func (f *fixture) add(t *testing.T, title string, due time.Duration) Task {
	t.Helper()
	in := Input{Title: title}
	if due != 0 {
		in.DueAt = f.clock.Now().Add(due)
	}
	task, err := f.svc.Create(context.Background(), in)
	if err != nil {
		t.Fatalf("create %s: %v", title, err)
	}
	return task
}

func titles(ts []Task) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Title
	}
	return out
}

func TestCreateRejectsAnEmptyTitleNamingTheField(t *testing.T) {
	f := newTestService(t)
	_, err := f.svc.Create(context.Background(), Input{Title: "  "})
	e := errs.From(err)
	if e.Kind != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "title" || e.Fields[0].Code != "required" {
		t.Fatalf("got %#v", e)
	}
}

func TestCreateRefusesAnUnknownMember(t *testing.T) {
	f := newTestService(t)
	f.svc = NewService(f.st, f.clock, f.rec, WithMemberCheck(func(*store.Tx, string) error {
		return errs.New(errs.NotFound, "member_not_found", "no")
	}))
	_, err := f.svc.Create(context.Background(), Input{Title: "Call", MemberID: "01NOBODY"})
	if e := errs.From(err); len(e.Fields) != 1 || e.Fields[0].Field != "memberId" {
		t.Fatalf("got %v", err)
	}
}

func TestListFiltersAndOrdersByDueDate(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	f.add(t, "someday", 0)
	f.add(t, "tomorrow", 30*time.Hour)
	f.add(t, "tonight", 8*time.Hour)
	f.add(t, "late", -time.Hour)
	done := f.add(t, "finished", -2*time.Hour)
	if _, err := f.svc.Complete(ctx, done.ID, true); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		filter Filter
		want   []string
	}{
		{FilterOpen, []string{"late", "tonight", "tomorrow", "someday"}},
		{FilterDue, []string{"late", "tonight"}},
		{FilterOverdue, []string{"late"}},
		{FilterDone, []string{"finished"}},
		{FilterAll, []string{"late", "tonight", "tomorrow", "someday", "finished"}},
	} {
		got, err := f.svc.List(ctx, tc.filter)
		if err != nil {
			t.Fatal(err)
		}
		if g := titles(got); !equal(g, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.filter, g, tc.want)
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDueTasksAreAnnouncedOnceEvenAcrossRestarts(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	f.add(t, "soon", time.Hour)
	f.add(t, "later", 48*time.Hour)
	if got, err := f.svc.Notify(ctx, f.clock.Now()); err != nil || len(got) != 0 {
		t.Fatalf("nothing due yet, got %v %v", titles(got), err)
	}
	f.clock.Advance(2 * time.Hour)
	got, err := f.svc.Notify(ctx, f.clock.Now())
	if err != nil || !equal(titles(got), []string{"soon"}) {
		t.Fatalf("got %v %v", titles(got), err)
	}
	var dueEvents int
	for _, ev := range f.rec.Events() {
		if ev.Name == EventDue {
			dueEvents++
		}
	}
	if dueEvents != 1 {
		t.Errorf("%d %s events, want 1", dueEvents, EventDue)
	}
	f.reopen(t)
	if got, _ := f.svc.Notify(ctx, f.clock.Now()); len(got) != 0 {
		t.Fatalf("announced again after a restart: %v", titles(got))
	}
	f.clock.Advance(48 * time.Hour)
	if got, _ := f.svc.Notify(ctx, f.clock.Now()); !equal(titles(got), []string{"later"}) {
		t.Fatalf("got %v", titles(got))
	}
}

func TestPostponingAnAnnouncedTaskAnnouncesItAgain(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	task := f.add(t, "call", time.Minute)
	f.clock.Advance(time.Hour)
	if got, _ := f.svc.Notify(ctx, f.clock.Now()); len(got) != 1 {
		t.Fatal("not announced")
	}
	if _, err := f.svc.Update(ctx, task.ID, Input{Title: "call", DueAt: f.clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(2 * time.Hour)
	if got, _ := f.svc.Notify(ctx, f.clock.Now()); len(got) != 1 {
		t.Fatal("postponed task not announced again")
	}
}

func TestCompletedTasksAreNotAnnounced(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	task := f.add(t, "call", time.Minute)
	if _, err := f.svc.Complete(ctx, task.ID, true); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	if got, _ := f.svc.Notify(ctx, f.clock.Now()); len(got) != 0 {
		t.Fatalf("got %v", titles(got))
	}
}

func TestCreateOnceMakesOneTaskPerKey(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	a, created, err := f.svc.CreateOnce(ctx, "k1", "automation:x", Input{Title: "Follow up"})
	if err != nil || !created {
		t.Fatal(created, err)
	}
	f.reopen(t)
	b, created, err := f.svc.CreateOnce(ctx, "k1", "automation:x", Input{Title: "Follow up"})
	if err != nil || created || b.ID != a.ID {
		t.Fatalf("second call: %v %v %v", b.ID, created, err)
	}
	all, _ := f.svc.List(ctx, FilterAll)
	if len(all) != 1 || all[0].Source != "automation:x" {
		t.Fatalf("got %+v", all)
	}
}

func TestDeleteThenRestoreBringsTheTaskBack(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	task := f.add(t, "call", 0)
	gone, err := f.svc.Delete(ctx, task.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(ctx, task.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if _, err := f.svc.Restore(ctx, gone); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Get(ctx, task.ID); err != nil {
		t.Fatal(err)
	}
}

func TestForgetMemberDeletesTheTasksAboutThem(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	for _, in := range []Input{{Title: "a", MemberID: "M1"}, {Title: "b", MemberID: "M2"}, {Title: "c", MemberID: "M1"}} {
		if _, err := f.svc.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.st.Update(ctx, func(tx *store.Tx) error { return ForgetMember(tx, "M1") }); err != nil {
		t.Fatal(err)
	}
	all, _ := f.svc.List(ctx, FilterAll)
	if !equal(titles(all), []string{"b"}) {
		t.Fatalf("got %v", titles(all))
	}
	if left, _ := f.svc.ForMember(ctx, "M1"); len(left) != 0 {
		t.Fatalf("got %v", titles(left))
	}
}
