package reports

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/backend/analytics"
	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/exports"
	"hearth/backend/internal/storetest"
	"hearth/backend/members"
)

// newSchedule opens a schedule service on a real store; the clock starts on Wednesday
// 4 March 2026, 10:00 in Paris.
func newSchedule(t *testing.T) (*Service, *clock.Manual, string) {
	t.Helper()
	dir := t.TempDir()
	c := clock.NewManual(time.Date(2026, 3, 4, 10, 0, 0, 0, paris))
	st := storetest.Open(t, dir, c)
	return NewService(st, c, ScheduleOptions{Zone: paris}), c, dir
}

// kpiCalls records the ranges asked for and answers with the fixture.
type kpiCalls struct {
	ranges []analytics.Range
	fail   error
}

func (k *kpiCalls) source(_ context.Context, r analytics.Range) (analytics.KPIs, error) {
	k.ranges = append(k.ranges, r)
	if k.fail != nil {
		return analytics.KPIs{}, k.fail
	}
	out := fixture()
	out.From, out.To = r.From, r.To
	return out, nil
}

func TestTheScheduleIsOffUntilSet(t *testing.T) {
	s, c, _ := newSchedule(t)
	sc, err := s.Schedule(context.Background())
	if err != nil || sc.Enabled || sc.Weekday != "monday" || sc.At != "08:00" || !sc.NextSlot.IsZero() {
		t.Fatalf("%+v %v", sc, err)
	}
	var k kpiCalls
	run, err := s.RunScheduled(context.Background(), c.Now().AddDate(0, 0, 30), Sources{KPIs: k.source})
	if err != nil || run.Written || len(k.ranges) != 0 {
		t.Fatalf("%+v %v %v", run, err, k.ranges)
	}
}

func TestAScheduledReportIsWrittenOncePerSlotFromTheNextSlotOn(t *testing.T) {
	s, c, dir := newSchedule(t)
	ctx := context.Background()
	folder := filepath.Join(dir, "reports", "weekly") // created on the first run
	sc, err := s.SetSchedule(ctx, ScheduleInput{Enabled: true, Weekday: "Monday", At: "08:00", Folder: folder, Lang: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	nextMonday := time.Date(2026, 3, 9, 8, 0, 0, 0, paris)
	if !sc.NextSlot.Equal(nextMonday) || !sc.Since.Equal(c.Now()) {
		t.Fatalf("schedule %+v", sc)
	}
	var k kpiCalls
	src := Sources{KPIs: k.source, Members: fakeLister(people(3))}
	// This week's Monday slot passed before the schedule was set: it is not written late.
	for _, at := range []time.Time{c.Now(), nextMonday.Add(-time.Minute)} {
		if _, due, err := s.Due(ctx, at); due || err != nil {
			t.Fatalf("due at %v: %v", at, err)
		}
		if run, err := s.RunScheduled(ctx, at, src); run.Written || err != nil {
			t.Fatalf("ran at %v: %+v %v", at, run, err)
		}
	}
	at := nextMonday.Add(3 * time.Minute)
	slot, due, err := s.Due(ctx, at)
	if err != nil || !due || !slot.Equal(nextMonday) {
		t.Fatalf("due %v %v %v", slot, due, err)
	}
	run, err := s.RunScheduled(ctx, at, src)
	want := filepath.Join(folder, "hearth-kpi-2026-03-09.xlsx")
	if err != nil || !run.Written || run.File != want || run.Members != 3 || !run.Slot.Equal(nextMonday) {
		t.Fatalf("%+v %v", run, err)
	}
	// The week before the slot's day, in the workspace's zone.
	if len(k.ranges) != 1 || !k.ranges[0].From.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, paris)) ||
		!k.ranges[0].To.Equal(time.Date(2026, 3, 9, 0, 0, 0, 0, paris)) {
		t.Fatalf("ranges %v", k.ranges)
	}
	b, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	x := readXLSX(t, b)
	x.wellFormed()
	if x.sheets[0].name != "Synthèse" || x.sheet("Membres").rows != 4 {
		t.Fatalf("sheets %v", x.sheets)
	}
	// Later the same week: nothing more, whatever the number of runs.
	for _, later := range []time.Time{at.Add(time.Minute), at.Add(72 * time.Hour)} {
		if run, err := s.RunScheduled(ctx, later, src); run.Written || err != nil {
			t.Fatalf("ran again at %v: %+v %v", later, run, err)
		}
	}
	sc, _ = s.Schedule(ctx)
	if !sc.LastSlot.Equal(nextMonday) || sc.LastFile != want {
		t.Fatalf("recorded %+v", sc)
	}
	// After two weeks asleep, only the latest missed slot is written.
	late := time.Date(2026, 3, 24, 19, 0, 0, 0, paris)
	run, err = s.RunScheduled(ctx, late, src)
	if err != nil || !run.Written || filepath.Base(run.File) != "hearth-kpi-2026-03-23.xlsx" {
		t.Fatalf("%+v %v", run, err)
	}
	if len(k.ranges) != 2 {
		t.Fatalf("ranges %v", k.ranges)
	}
}

func TestAFailedScheduledRunIsRetriedAndACrashAfterWritingRewritesTheSameFile(t *testing.T) {
	s, _, workspace := newSchedule(t)
	ctx := context.Background()
	dir := filepath.Join(workspace, "out")
	if _, err := s.SetSchedule(ctx, ScheduleInput{Enabled: true, Weekday: "thursday", At: "07:30", Folder: dir}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 5, 7, 45, 0, 0, paris)
	k := kpiCalls{fail: errs.New(errs.Unavailable, "analytics_busy", "analytics: busy")}
	if _, err := s.RunScheduled(ctx, at, Sources{KPIs: k.source}); !errors.Is(err, errs.Unavailable) {
		t.Fatalf("%v", err)
	}
	// A crash between the rename and the record looks like this: the file is there, the slot
	// is not recorded. The next run replaces the file whole and records the slot.
	path := filepath.Join(dir, "hearth-kpi-2026-03-05.xlsx")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("half a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	k.fail = nil
	run, err := s.RunScheduled(ctx, at.Add(time.Minute), Sources{KPIs: k.source})
	if err != nil || !run.Written || run.File != path {
		t.Fatalf("%+v %v", run, err)
	}
	b, _ := os.ReadFile(path)
	readXLSX(t, b).wellFormed()
	if run, err := s.RunScheduled(ctx, at.Add(2*time.Minute), Sources{KPIs: k.source}); run.Written || err != nil {
		t.Fatalf("%+v %v", run, err)
	}
	entries, _ := os.ReadDir(dir)
	names := []string{}
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 1 {
		t.Fatalf("folder holds %v", names)
	}
}

func TestTurningTheScheduleOffKeepsItsSettingsAndStopsIt(t *testing.T) {
	s, _, dir := newSchedule(t)
	ctx := context.Background()
	if _, err := s.SetSchedule(ctx, ScheduleInput{Enabled: true, Weekday: "monday", At: "08:00", Folder: dir, Lang: "fr"}); err != nil {
		t.Fatal(err)
	}
	sc, err := s.SetSchedule(ctx, ScheduleInput{Enabled: false, Weekday: "monday", At: "08:00", Folder: dir, Lang: "fr"})
	if err != nil || sc.Enabled || sc.Folder != dir || sc.Lang != "fr" || !sc.NextSlot.IsZero() {
		t.Fatalf("%+v %v", sc, err)
	}
	if _, due, _ := s.Due(ctx, time.Date(2026, 3, 16, 9, 0, 0, 0, paris)); due {
		t.Fatal("due while off")
	}
}

func TestSetScheduleNamesEachInvalidField(t *testing.T) {
	s, _, _ := newSchedule(t)
	_, err := s.SetSchedule(context.Background(), ScheduleInput{Enabled: true, Weekday: "lundi", At: "8h", Folder: "reports", Lang: "de"})
	e := errs.From(err)
	got := map[string]string{}
	for _, f := range e.Fields {
		got[f.Field] = f.Code
	}
	want := map[string]string{"weekday": "oneof", "at": "time_of_day", "folder": "absolute_path", "lang": "oneof"}
	if e.Kind != errs.Invalid || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("%v: %v", err, got)
	}
	_, err = s.SetSchedule(context.Background(), ScheduleInput{Enabled: true, Weekday: "monday", At: "25:00"})
	if e := errs.From(err); len(e.Fields) != 2 || e.Fields[0].Field != "at" || e.Fields[1].Field != "folder" || e.Fields[1].Code != "required" {
		t.Fatalf("%v", err)
	}
}

func TestSlotsFollowTheWallClockAcrossDaylightSaving(t *testing.T) {
	s, _, dir := newSchedule(t)
	ctx := context.Background()
	if _, err := s.SetSchedule(ctx, ScheduleInput{Enabled: true, Weekday: "sunday", At: "08:00", Folder: dir}); err != nil {
		t.Fatal(err)
	}
	// Paris moves to summer time at 02:00 on Sunday 29 March 2026.
	slot, due, err := s.Due(ctx, time.Date(2026, 3, 29, 8, 0, 0, 0, paris))
	if err != nil || !due || slot.In(paris).Hour() != 8 || slot.UTC().Hour() != 6 {
		t.Fatalf("%v %v %v", slot, due, err)
	}
}

// fakeLister serves a fixed member list, as members.Service.EachFromBothEnds does: the first
// half in order, the other last first.
type fakeLister []members.Member

var _ exports.Source = fakeLister(nil)

func (f fakeLister) EachFromBothEnds(_ context.Context, _ members.ListQuery, oldest, newest func(members.Member) error) error {
	half := len(f) / 2
	for _, m := range f[:half] {
		if err := oldest(m); err != nil {
			return err
		}
	}
	for i := len(f) - 1; i >= half; i-- {
		if err := newest(f[i]); err != nil {
			return err
		}
	}
	return nil
}
