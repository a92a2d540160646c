package app

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/reports"
	"hearth/backend/wiring"
)

// recordedDialogs answers the save dialog with the name Go suggests in dir, and the folder
// dialog with dir/Reports, as a person accepting what is offered does; dir is written as
// recordedDocuments in the recordings.
type recordedDialogs struct{ dir string }

func (d recordedDialogs) OpenFile(string, ...FileFilter) (string, error) { return "", nil }
func (d recordedDialogs) SaveFile(_, name string, _ ...FileFilter) (string, error) {
	return filepath.Join(d.dir, name), nil
}
func (d recordedDialogs) ChooseDir(string) (string, error) {
	return filepath.Join(d.dir, "Reports"), nil
}

var _ Dialogs = recordedDialogs{}

// TestRecordAnswersForTheWindowFakeReports records the Reports screen (the KPI workbook of each
// period the screen and the dashboard offer at recordedNow, in both languages, and the periods
// Go refuses; the members workbook; the weekly report's schedule, its rejections, its next run
// and the last file it wrote) as scenarios over the quiet recorded workspace, whose weekly report
// wrote its workbook on Monday 9 March 2026 at 08:00 and was switched off since: see
// recorded_scenario_test.go.
func TestRecordAnswersForTheWindowFakeReports(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	set := func(form string) reportsStep {
		return func(t *testing.T, s *scenario, r *ReportsService, dir string) {
			in, args := argsAs[reports.ScheduleInput](t, strings.ReplaceAll(form, recordedDocuments, dir))
			v, err := r.SetSchedule(in)
			s.step("", "setSchedule", []any{args}, v, err)
		}
	}
	scenarios := [][]reportsStep{
		{exportsRead},
		{
			set(`{"enabled":true,"weekday":"monday","at":"","folder":"","lang":"en"}`),
			set(`{"enabled":true,"weekday":"monday","at":"","folder":"rapports","lang":"en"}`),
			set(`{"enabled":true,"weekday":"someday","at":"8h","folder":"","lang":"de"}`),
		},
		{
			set(`{"enabled":true,"weekday":"monday","at":"08:00","folder":"/home/demo/Documents/Reports","lang":"en"}`),
			set(`{"enabled":false,"weekday":"monday","at":"08:00","folder":"/home/demo/Documents/Reports","lang":"en"}`),
		},
		{
			set(`{"enabled":true,"weekday":"friday","at":"17:30","folder":"/home/demo/Documents/Reports","lang":"fr"}`),
		},
	}
	all := map[string]json.RawMessage{}
	for _, sc := range scenarios {
		b, ids := seedRecordedWorkspace(t, false)
		dir := t.TempDir()
		seedRecordedReport(t, b, dir)
		r := NewReportsService(ReportsDeps{Reports: b.Reports, Analytics: b.Analytics, Members: b.Members, Segments: b.Segments, Clock: b.Clock}, recordedDialogs{dir}, "en")
		s := newScenario(t)
		readReports(s, r)
		for _, st := range sc {
			st(t, s, r, dir)
			readReports(s, r)
		}
		// The folder the dialogs answered with, as the fake's dialogs answer.
		answers := map[string]json.RawMessage{}
		for k, v := range s.r.answers {
			answers[strings.ReplaceAll(k, dir, recordedDocuments)] = bytes.ReplaceAll(v, []byte(dir), []byte(recordedDocuments))
		}
		s.r.answers = answers
		scenarioAnswers(t, all, ids, s)
	}
	holdRecording(t, "reports", all)
}

// reportsStep is one thing a person does on the Reports screen; dir is where the dialogs answer.
type reportsStep func(t *testing.T, s *scenario, r *ReportsService, dir string)

// exportsRead records the workbooks the screen and the dashboard ask for at recordedNow: each
// preset period (last 7, 30 and 90 days, this month, last month, this year), a custom one, and
// two Go refuses, in both languages; the members workbook; the folder dialog. Writing a workbook
// changes nothing the screen reads.
func exportsRead(t *testing.T, s *scenario, r *ReportsService, _ string) {
	periods := [][2]string{
		{"2026-03-10", "2026-03-16"}, {"2026-02-15", "2026-03-16"}, {"2025-12-17", "2026-03-16"},
		{"2026-03-01", "2026-03-16"}, {"2026-02-01", "2026-02-28"}, {"2026-01-01", "2026-03-16"},
		{"2025-01-01", "2025-03-31"}, {"2026-03-16", "2026-03-01"}, {"2026-02-30", "2026-03-16"},
	}
	for _, lang := range []string{"en", "fr"} {
		for _, p := range periods {
			v, err := r.ExportKPI(p[0], p[1], "", lang)
			s.read("", "exportKpi", []any{p[0], p[1], "", lang}, v, err)
		}
		v, err := r.ExportMembers(lang)
		s.read("", "exportMembers", []any{lang}, v, err)
	}
	v, err := r.ChooseFolder()
	s.read("", "chooseFolder", []any{}, v, err)
}

// seedRecordedReport has the weekly report enabled on Friday 6 March 2026 (Mondays at 08:00,
// into dir/Reports), written by the scheduler on Monday 9 March, then switched off with no
// folder; the clock is left at recordedNow.
func seedRecordedReport(t *testing.T, b *wiring.Backend, dir string) {
	t.Helper()
	clk := b.Clock.(*clock.Manual)
	ctx := windowCtx()
	clk.Set(time.Date(2026, 3, 6, 10, 0, 0, 0, time.UTC))
	in := reports.ScheduleInput{Enabled: true, Weekday: "monday", At: "08:00", Folder: filepath.Join(dir, "Reports"), Lang: "en"}
	if _, err := b.Reports.SetSchedule(ctx, in); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 9, 8, 0, 30, 0, time.UTC)
	clk.Set(now)
	run, err := b.Reports.RunScheduled(ctx, now, reports.Sources{KPIs: b.Analytics.KPIs, Members: b.Members, LevelOf: b.Analytics.LevelOfToday(ctx, now)})
	if err != nil || !run.Written {
		t.Fatalf("scheduled report: %+v, %v", run, err)
	}
	clk.Set(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC))
	in.Enabled, in.Folder = false, ""
	if _, err := b.Reports.SetSchedule(ctx, in); err != nil {
		t.Fatal(err)
	}
	clk.Set(recordedNow)
}

// readReports records what the schedule card reads in the scenario's state.
func readReports(s *scenario, r *ReportsService) {
	v, err := r.Schedule()
	s.read("", "schedule", []any{}, v, err)
}
