package calendar

import (
	"context"
	"errors"
	"hearth/backend/internal/storetest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/outbox"
	"hearth/backend/privatefile"
	"hearth/backend/store"
)

var (
	paris = mustZone("Europe/Paris")
	ctx   = context.Background()
	// t0 is a Monday morning in Paris, before both 2026 daylight-saving changes.
	t0 = time.Date(2026, 3, 2, 8, 0, 0, 0, paris)
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

type fixture struct {
	dir   string
	st    *store.Store
	clock *clock.Manual
	rec   *notify.Recorder
	cal   *Service
	out   *outbox.Service
}

// newTestService runs the calendar and its outbox on a real Badger in a temporary directory.
func newTestService(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: clock.NewManual(t0), rec: &notify.Recorder{}}
	f.open(t)
	return f
}

func (f *fixture) open(t *testing.T) {
	t.Helper()
	st := storetest.Open(t, f.dir, f.clock)
	f.st = st
	f.cal = NewService(st, f.clock, f.rec, WithWorkspaceDir(f.dir), WithDefaultZone(paris))
	f.out = outbox.NewService(st, f.clock, outbox.WithOutcome(OutcomeHook))
}

// reopen closes and reopens the store, as a restarted app would.
func (f *fixture) reopen(t *testing.T) {
	t.Helper()
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	f.open(t)
}

func (f *fixture) create(t *testing.T, in CreateInput) Item {
	t.Helper()
	if in.Title == "" {
		in.Title = "Weekly digest"
	}
	if in.TimeZone == "" {
		in.TimeZone = "Europe/Paris"
	}
	it, err := f.cal.Create(ctx, in)
	if err != nil {
		t.Fatalf("create %+v: %v", in, err)
	}
	return it
}

func (f *fixture) list(t *testing.T, from, to time.Time) []Occurrence {
	t.Helper()
	occ, err := f.cal.List(ctx, ListQuery{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	return occ
}

func (f *fixture) publish(t *testing.T) PublishReport {
	t.Helper()
	rep, err := f.cal.PublishDue(ctx, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func (f *fixture) pending(t *testing.T) []outbox.Entry {
	t.Helper()
	es, err := f.out.Pending(ctx, 10000)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func rule(t *testing.T, s string) *Recurrence {
	t.Helper()
	r, err := ParseRRule(s, paris)
	if err != nil {
		t.Fatalf("parse %q: %v", s, err)
	}
	return &r
}

func local(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, paris)
}

func wantCode(t *testing.T, err error, kind errs.Kind, code string) *errs.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("want %s %s, got no error", kind, code)
	}
	e := errs.From(err)
	if !errors.Is(err, kind) || e.Code != code {
		t.Fatalf("want %s %s, got %s %s: %v", kind, code, e.Kind, e.Code, err)
	}
	return e
}

func hasField(e *errs.Error, field, code string) bool {
	return slices.ContainsFunc(e.Fields, func(f errs.FieldError) bool { return f.Field == field && f.Code == code })
}

func TestWeeklyItemStaysAtNineLocalAcrossBothDaylightSavingChangesInParis(t *testing.T) {
	f := newTestService(t)
	// Every Sunday at 09:00 Paris time, including the two Sundays the clocks change.
	f.create(t, CreateInput{At: local(2026, 3, 15, 9, 0), Repeat: rule(t, "FREQ=WEEKLY;BYDAY=SU"), Status: Scheduled})
	cases := []struct {
		name   string
		from   time.Time
		want   []string
		offset []string
	}{
		{"spring forward on 29 March", local(2026, 3, 14, 0, 0), []string{"2026-03-15", "2026-03-22", "2026-03-29", "2026-04-05"},
			[]string{"+01:00", "+01:00", "+02:00", "+02:00"}},
		{"fall back on 25 October", local(2026, 10, 10, 0, 0), []string{"2026-10-11", "2026-10-18", "2026-10-25", "2026-11-01"},
			[]string{"+02:00", "+02:00", "+01:00", "+01:00"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			occ := f.list(t, c.from, c.from.AddDate(0, 0, 23))
			if len(occ) != len(c.want) {
				t.Fatalf("got %d occurrences, want %d: %+v", len(occ), len(c.want), occ)
			}
			for i, o := range occ {
				got := o.At.Format(time.RFC3339)
				if want := c.want[i] + "T09:00:00" + c.offset[i]; got != want {
					t.Errorf("occurrence %d at %s, want %s", i, got, want)
				}
			}
			if d := occ[3].At.Sub(occ[0].At); d == 21*24*time.Hour {
				t.Errorf("three weeks apart in absolute time (%s): the wall clock did not follow the zone", d)
			}
		})
	}
}

func TestCreateRefusesInvalidItemsNamingEachField(t *testing.T) {
	f := newTestService(t)
	_, err := f.cal.Create(ctx, CreateInput{Title: " ", TimeZone: "Mars/Olympus", Status: Scheduled,
		Channels: []string{"ok", "bad\x07"}, Repeat: &Recurrence{Freq: "hourly"}})
	e := wantCode(t, err, errs.Invalid, "invalid_input")
	for _, want := range [][2]string{{"title", "required"}, {"timeZone", "time_zone"}, {"channels[1]", "label"},
		{"repeat.freq", "oneof"}, {"at", "required"}} {
		if !hasField(e, want[0], want[1]) {
			t.Errorf("no %s %s in %+v", want[0], want[1], e.Fields)
		}
	}
}

func TestStatusTransitionsPeopleMayAndMayNotMake(t *testing.T) {
	f := newTestService(t)
	cases := []struct {
		name string
		from Status
		to   Status
		kind errs.Kind // "" when allowed
	}{
		{"a draft goes to review", Draft, InReview, ""},
		{"a reviewed item is approved", InReview, Approved, ""},
		{"an approved item is scheduled", Approved, Scheduled, ""},
		{"a scheduled item goes back to draft", Scheduled, Draft, ""},
		{"a draft cannot be published by hand", Draft, Published, errs.Invalid},
		{"nobody queues by hand", Approved, Queued, errs.Invalid},
		{"nobody marks missed by hand", Scheduled, Missed, errs.Invalid},
		{"a published item stays published", Published, Draft, errs.Conflict},
		{"a queued item waits for the outbox", Queued, Scheduled, errs.Conflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it := f.create(t, CreateInput{At: t0.Add(48 * time.Hour)})
			if c.from != Draft {
				forceStatus(t, f, it.ID, c.from)
			}
			got, err := f.cal.SetStatus(ctx, it.ID, c.to)
			if c.kind == "" {
				if err != nil || got.Status != c.to {
					t.Fatalf("got %s, %v; want %s", got.Status, err, c.to)
				}
				return
			}
			e := wantCode(t, err, c.kind, "calendar_bad_transition")
			if e.Params["from"] != string(c.from) || e.Params["to"] != string(c.to) {
				t.Errorf("params %v", e.Params)
			}
		})
	}
	undated := f.create(t, CreateInput{})
	_, err := f.cal.SetStatus(ctx, undated.ID, Scheduled)
	if e := wantCode(t, err, errs.Invalid, "invalid_input"); !hasField(e, "at", "required") {
		t.Errorf("fields %+v", e.Fields)
	}
}

// forceStatus writes a status directly, as PublishDue or the outbox would have.
func forceStatus(t *testing.T, f *fixture, id string, st Status) {
	t.Helper()
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		it, err := getItem(tx, id)
		if err != nil {
			return err
		}
		it.Status = st
		_, err = store.Put(tx, itemCollection, id, it)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMovingOneOccurrenceOfASeriesLeavesTheOthersInPlace(t *testing.T) {
	f := newTestService(t)
	it := f.create(t, CreateInput{At: local(2026, 3, 2, 9, 0), Repeat: rule(t, "FREQ=WEEKLY;COUNT=4"), Status: Scheduled})
	moved := local(2026, 3, 11, 14, 0) // Monday 9th dragged to Wednesday 11th, 14:00
	orig := local(2026, 3, 9, 9, 0)
	if _, err := f.cal.Update(ctx, it.ID, Patch{Occurrence: &orig, At: &moved}); err != nil {
		t.Fatal(err)
	}
	cancelled := local(2026, 3, 16, 9, 0)
	if _, err := f.cal.Delete(ctx, it.ID, &cancelled); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range f.list(t, local(2026, 3, 1, 0, 0), local(2026, 4, 1, 0, 0)) {
		got = append(got, o.At.Format("01-02 15:04"))
		if o.At.Equal(moved) && (!o.Moved || !o.Original.Equal(orig)) {
			t.Errorf("moved occurrence %+v", o)
		}
	}
	if want := []string{"03-02 09:00", "03-11 14:00", "03-23 09:00"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	// Seen from a week that holds only the moved-to day, it is still there.
	if occ := f.list(t, local(2026, 3, 10, 0, 0), local(2026, 3, 12, 0, 0)); len(occ) != 1 || !occ[0].At.Equal(moved) {
		t.Errorf("week of the move: %+v", occ)
	}
	wrong := local(2026, 3, 10, 9, 0)
	_, err := f.cal.Update(ctx, it.ID, Patch{Occurrence: &wrong, At: &moved})
	if e := wantCode(t, err, errs.Invalid, "invalid_input"); !hasField(e, "occurrence", "no_occurrence") {
		t.Errorf("fields %+v", e.Fields)
	}
	// Moving the whole series drops the single moves.
	start := local(2026, 3, 3, 10, 0)
	if _, err := f.cal.Update(ctx, it.ID, Patch{At: &start}); err != nil {
		t.Fatal(err)
	}
	if occ := f.list(t, local(2026, 3, 1, 0, 0), local(2026, 4, 1, 0, 0)); len(occ) != 4 || occ[1].At.Day() != 10 {
		t.Errorf("after moving the series: %+v", occ)
	}
}

func TestAttachmentsAreCopiedIntoTheWorkspaceAndRemovedWithTheItem(t *testing.T) {
	f := newTestService(t)
	src := filepath.Join(t.TempDir(), "poster.png")
	if err := os.WriteFile(src, []byte("png bytes"), 0o600); err != nil {
		t.Fatal(err)
	}
	it := f.create(t, CreateInput{Attach: []string{src, src}})
	if len(it.Attachments) != 2 || it.Attachments[1].Name != "poster (2).png" {
		t.Fatalf("attachments %+v", it.Attachments)
	}
	copied := filepath.Join(f.dir, "attachments", it.ID, "poster.png")
	if b, err := os.ReadFile(copied); err != nil || string(b) != "png bytes" {
		t.Fatalf("copy: %q %v", b, err)
	}
	if it.Attachments[0].Path != "attachments/"+it.ID+"/poster.png" || it.Attachments[0].Size != 9 {
		t.Errorf("attachment %+v", it.Attachments[0])
	}
	if fi, err := os.Stat(copied); err != nil {
		t.Fatal(err)
	} else if fi.Mode().Perm() != privatefile.Mode {
		t.Errorf("copy mode %v, want owner-only", fi.Mode().Perm())
	}
	if files, _ := os.ReadDir(filepath.Dir(copied)); len(files) != 2 {
		t.Errorf("attachments folder holds %d files, want the 2 copies and no temporary file", len(files))
	}
	it, err := f.cal.Update(ctx, it.ID, Patch{Detach: []string{"poster.png"}})
	if err != nil || len(it.Attachments) != 1 {
		t.Fatalf("detach: %+v %v", it.Attachments, err)
	}
	if _, err := os.Stat(copied); !os.IsNotExist(err) {
		t.Errorf("detached file still there: %v", err)
	}
	_, err = f.cal.Create(ctx, CreateInput{Title: "x", Attach: []string{filepath.Join(f.dir, "missing.pdf")}})
	if e := wantCode(t, err, errs.Invalid, "invalid_input"); !hasField(e, "attach[0]", "file_unreadable") {
		t.Errorf("fields %+v", e.Fields)
	}
	if _, err := f.cal.Delete(ctx, it.ID, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(f.dir, "attachments", it.ID)); !os.IsNotExist(err) {
		t.Errorf("attachments folder left behind: %v", err)
	}
}
