package reports

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"hearth/backend/analytics"
	"hearth/backend/audit"
	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/exports"
	"hearth/backend/members"
	"hearth/backend/store"
)

// Weekdays are the values Schedule.Weekday accepts, Sunday first as time.Weekday counts.
var Weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// ScheduledDays is the length of the period a scheduled report covers: the 7 days before the
// slot's day (a Monday report covers Monday to Sunday of the week before).
const ScheduledDays = 7

// Schedule is the weekly KPI report's settings and what was last written.
type Schedule struct {
	Enabled bool `json:"enabled"`
	// Weekday is the day it is written: "monday" … "sunday".
	Weekday string `json:"weekday"`
	// At is the local time of day it is written, "HH:MM" (24-hour).
	At string `json:"at"`
	// Folder is the absolute path of the folder the workbooks are written to.
	Folder string `json:"folder"`
	// Lang is the workbooks' language, "fr" or "en".
	Lang string `json:"lang"`
	// Since is when the schedule was last enabled: slots before it are not written.
	Since time.Time `json:"since,omitzero"`
	// LastSlot is the last slot a workbook was written for, LastFile its path.
	LastSlot time.Time `json:"lastSlot,omitzero"`
	LastFile string    `json:"lastFile,omitempty"`
	// NextSlot is when the next workbook is due (computed, not stored).
	NextSlot  time.Time `json:"nextSlot,omitzero"`
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
}

// ScheduleInput is what a caller sends to change the schedule; turning it off keeps the other
// settings for the next time.
type ScheduleInput struct {
	Enabled bool   `json:"enabled"`
	Weekday string `json:"weekday"`
	At      string `json:"at"`
	Folder  string `json:"folder"`
	Lang    string `json:"lang"`
}

// ScheduleOptions configure a Service.
type ScheduleOptions struct {
	// Zone is the workspace's time zone, in which slots are reckoned and workbooks show dates
	// (time.Local when nil).
	Zone *time.Location
	// Exports saves and audits the workbooks; nil builds one over the store's audit log.
	Exports *exports.Service
}

// Service keeps the report schedule and writes the workbooks.
type Service struct {
	st      *store.Store
	clock   clock.Clock
	zone    *time.Location
	exports *exports.Service
}

const scheduleID = "kpi"

// scheduleCollection holds one record, the weekly KPI report's schedule.
var scheduleCollection = &store.Collection[Schedule]{Name: "report_schedule"}

// NewService builds the schedule service over the workspace's store.
func NewService(st *store.Store, c clock.Clock, o ScheduleOptions) *Service {
	if c == nil {
		c = clock.System{}
	}
	if o.Zone == nil {
		o.Zone = time.Local
	}
	if o.Exports == nil {
		o.Exports = exports.NewService(audit.NewLog(st), c, o.Zone)
	}
	return &Service{st: st, clock: c, zone: o.Zone, exports: o.Exports}
}

// Zone is the workspace's time zone, in which workbooks show dates and report periods are
// reckoned.
func (s *Service) Zone() *time.Location { return s.zone }

// Exports is the service that saves and audits files of members' personal data, dates in the
// workspace's zone: the members export goes through it as the workbooks do.
func (s *Service) Exports() *exports.Service { return s.exports }

// Schedule returns the schedule (off, Monday 08:00 in English, when never set).
func (s *Service) Schedule(context.Context) (Schedule, error) {
	var out Schedule
	err := s.st.View(func(tx *store.Tx) error {
		var err error
		out, err = read(tx)
		return err
	})
	if err != nil {
		return Schedule{}, err
	}
	out.NextSlot = s.next(out, s.clock.Now())
	return out, nil
}

func read(tx *store.Tx) (Schedule, error) {
	r, _, err := store.Get(tx, scheduleCollection, scheduleID)
	if errors.Is(err, errs.NotFound) {
		return Schedule{Weekday: "monday", At: "08:00", Lang: "en"}, nil
	}
	return r, err
}

// SetSchedule validates and saves the schedule. Enabling it (again) starts from now: a slot
// already past this week is not written late.
func (s *Service) SetSchedule(ctx context.Context, in ScheduleInput) (Schedule, error) {
	in.Weekday = strings.ToLower(strings.TrimSpace(in.Weekday))
	in.At = strings.TrimSpace(in.At)
	in.Folder = strings.TrimSpace(in.Folder)
	if in.Lang == "" {
		in.Lang = "en"
	}
	var fields []errs.FieldError
	if !slices.Contains(Weekdays, in.Weekday) {
		fields = append(fields, errs.Field("weekday", "oneof", "value", strings.Join(Weekdays, " ")))
	}
	if _, _, ok := parseAt(in.At); !ok {
		fields = append(fields, errs.Field("at", "time_of_day"))
	}
	switch {
	case in.Enabled && in.Folder == "":
		fields = append(fields, errs.Field("folder", "required"))
	case in.Folder != "" && !filepath.IsAbs(in.Folder):
		fields = append(fields, errs.Field("folder", "absolute_path"))
	}
	if in.Lang != "fr" && in.Lang != "en" {
		fields = append(fields, errs.Field("lang", "oneof", "value", "fr en"))
	}
	if len(fields) > 0 {
		return Schedule{}, errs.Fields("reports: invalid schedule", fields...)
	}
	now := s.clock.Now()
	var out Schedule
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		old, err := read(tx)
		if err != nil {
			return err
		}
		out = old
		out.Weekday, out.At, out.Folder, out.Lang = in.Weekday, in.At, in.Folder, in.Lang
		if in.Enabled && (!old.Enabled || old.Weekday != in.Weekday || old.At != in.At) {
			out.Since = now
		}
		out.Enabled, out.UpdatedAt, out.NextSlot = in.Enabled, now, time.Time{}
		_, err = store.Put(tx, scheduleCollection, scheduleID, out)
		return err
	})
	if err != nil {
		return Schedule{}, err
	}
	out.NextSlot = s.next(out, now)
	return out, nil
}

// Due reports the slot a workbook should be written for at now: the latest scheduled
// weekday and time at or before now, when the schedule is on, that slot is not before the
// schedule was enabled, and no workbook was written for it yet. After a long sleep only the
// latest missed slot is written, not one per missed week.
func (s *Service) Due(ctx context.Context, now time.Time) (slot time.Time, due bool, err error) {
	sc, err := s.Schedule(ctx)
	if err != nil {
		return time.Time{}, false, err
	}
	slot, due = s.due(sc, now)
	return slot, due, nil
}

func (s *Service) due(sc Schedule, now time.Time) (time.Time, bool) {
	if !sc.Enabled {
		return time.Time{}, false
	}
	slot, ok := s.latest(sc, now)
	if !ok || slot.Before(sc.Since) || !slot.After(sc.LastSlot) {
		return slot, false
	}
	return slot, true
}

// latest is the latest slot of sc at or before now, in the service's zone.
func (s *Service) latest(sc Schedule, now time.Time) (time.Time, bool) {
	h, m, ok := parseAt(sc.At)
	wd := slices.Index(Weekdays, sc.Weekday)
	if !ok || wd < 0 {
		return time.Time{}, false
	}
	local := now.In(s.zone)
	back := (int(local.Weekday()) - wd + 7) % 7
	for _, extra := range []int{0, 7} {
		d := local.AddDate(0, 0, -back-extra)
		slot := time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, s.zone)
		if !slot.After(now) {
			return slot, true
		}
	}
	return time.Time{}, false
}

// next is when the next workbook is written: the due slot when one is due, else the slot
// after the latest; zero when the schedule is off.
func (s *Service) next(sc Schedule, now time.Time) time.Time {
	if !sc.Enabled {
		return time.Time{}
	}
	if slot, due := s.due(sc, now); due {
		return slot
	}
	slot, ok := s.latest(sc, now)
	if !ok {
		return time.Time{}
	}
	d := slot.In(s.zone).AddDate(0, 0, 7)
	h, m, _ := parseAt(sc.At)
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, s.zone)
}

// parseAt reads "HH:MM" (24-hour).
func parseAt(at string) (h, m int, ok bool) {
	t, err := time.Parse("15:04", at)
	if err != nil || len(at) != 5 {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

// KPISource computes the KPIs of a range (analytics.Service.KPIs).
type KPISource func(ctx context.Context, r analytics.Range) (analytics.KPIs, error)

// Sources are what a scheduled workbook is made from.
type Sources struct {
	KPIs KPISource
	// Members are read for the Members sheets; nil leaves them empty.
	Members exports.Source
	// LevelOf gives a member's level for the Members sheets (Options.LevelOf); may be nil.
	LevelOf func(memberID string) int
}

// ScheduledRun is what RunScheduled did.
type ScheduledRun struct {
	// Written is false when nothing was due.
	Written bool      `json:"written"`
	Slot    time.Time `json:"slot,omitzero"`
	File    string    `json:"file,omitempty"`
	Members int       `json:"members"`
}

// FileName is the scheduled workbook's name for a slot: "hearth-kpi-YYYY-MM-DD.xlsx", the
// slot's day in the workspace's zone.
func (s *Service) FileName(slot time.Time) string {
	return "hearth-kpi-" + slot.In(s.zone).Format("2006-01-02") + ".xlsx"
}

// RunScheduled writes the KPI workbook of the 7 days before the due slot's day into the
// schedule's folder, then records the slot as written, so that it is written once per slot.
// It is idempotent: after a crash between the two, the next run writes the same file again
// (replaced whole, under the same name) and records it. Nothing due is not an error.
func (s *Service) RunScheduled(ctx context.Context, now time.Time, src Sources) (ScheduledRun, error) {
	sc, err := s.Schedule(ctx)
	if err != nil {
		return ScheduledRun{}, err
	}
	slot, due := s.due(sc, now)
	if !due {
		return ScheduledRun{}, nil
	}
	local := slot.In(s.zone)
	to := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, s.zone)
	r := analytics.Range{From: to.AddDate(0, 0, -ScheduledDays), To: to}
	k, err := src.KPIs(ctx, r)
	if err != nil {
		return ScheduledRun{}, err
	}
	if err := os.MkdirAll(sc.Folder, 0o700); err != nil {
		return ScheduledRun{}, writeError(err, sc.Folder)
	}
	path := filepath.Join(sc.Folder, s.FileName(slot))
	ms := exports.MemberSlice(nil)
	if src.Members != nil {
		ms = exports.MembersOf(ctx, src.Members, members.ListQuery{})
	}
	n, err := s.SaveKPIWorkbook(ctx, path, k, ms, Options{Lang: sc.Lang, LevelOf: src.LevelOf, Now: now})
	if err != nil {
		return ScheduledRun{}, err
	}
	err = s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		cur, err := read(tx)
		if err != nil {
			return err
		}
		cur.LastSlot, cur.LastFile = slot, path
		_, err = store.Put(tx, scheduleCollection, scheduleID, cur)
		return err
	})
	if err != nil {
		return ScheduledRun{}, err
	}
	return ScheduledRun{Written: true, Slot: slot, File: path, Members: n}, nil
}
