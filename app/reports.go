package app

import (
	"path/filepath"
	"time"

	"hearth/backend/analytics"
	"hearth/backend/exports"
	"hearth/backend/members"
	"hearth/backend/reports"
)

// ReportsService is the Reports screen's door to the Excel workbooks and their schedule.
type ReportsService struct {
	calls
	b       *Backend
	dialogs Dialogs
	lang    string
}

// NewReportsService binds the reports for the window; lang is the workbooks' default language.
func NewReportsService(b *Backend, dialogs Dialogs, lang string) *ReportsService {
	return &ReportsService{b: b, dialogs: dialogs, lang: lang}
}

// ExportKPI asks where to save, writes the KPI workbook of the days from..to (YYYY-MM-DD, both
// included) there and returns the path ("" when the person cancelled).
func (s *ReportsService) ExportKPI(from, to, lang string) (string, error) {
	r, err := analytics.DayRange(from, to, s.b.Clock.Now(), s.b.Reports.Zone())
	if err != nil {
		return "", err
	}
	name := "hearth-kpi-" + r.From.Format(time.DateOnly) + ".xlsx"
	path, err := s.save(name)
	if err != nil || path == "" {
		return "", err
	}
	ctx := s.ctx()
	k, err := s.b.Analytics.KPIs(ctx, r)
	if err != nil {
		return "", err
	}
	o := s.options(lang)
	if o.LevelOf, err = s.b.levelOf(ctx, r); err != nil {
		return "", err
	}
	_, err = s.b.Reports.SaveKPIWorkbook(ctx, path, k, exports.MembersOf(ctx, s.b.Members, members.ListQuery{}), o)
	return path, err
}

// ExportMembers asks where to save and writes every member to a workbook there.
func (s *ReportsService) ExportMembers(lang string) (string, error) {
	path, err := s.save("hearth-members.xlsx")
	if err != nil || path == "" {
		return "", err
	}
	ctx := s.ctx()
	o := s.options(lang)
	if o.LevelOf, err = s.b.levelOf(ctx, s.b.todayLevels()); err != nil {
		return "", err
	}
	_, err = s.b.Reports.SaveMembersWorkbook(ctx, path, exports.MembersOf(ctx, s.b.Members, members.ListQuery{}), o)
	return path, err
}

// Schedule returns the weekly KPI workbook's schedule.
func (s *ReportsService) Schedule() (reports.Schedule, error) {
	return s.b.Reports.Schedule(s.ctx())
}

// SetSchedule changes the weekly KPI workbook's schedule.
func (s *ReportsService) SetSchedule(in reports.ScheduleInput) (reports.Schedule, error) {
	return s.b.Reports.SetSchedule(s.ctx(), in)
}

// ChooseFolder asks for the folder scheduled workbooks go to ("" when cancelled).
func (s *ReportsService) ChooseFolder() (string, error) { return s.dialogs.ChooseDir("Reports") }

func (s *ReportsService) save(name string) (string, error) {
	path, err := s.dialogs.SaveFile("Export", name, FileFilter{Name: "Excel", Pattern: "*.xlsx"})
	if err != nil || path == "" {
		return "", err
	}
	if filepath.Ext(path) == "" {
		path += ".xlsx"
	}
	return path, nil
}

func (s *ReportsService) options(lang string) reports.Options {
	if lang != "fr" && lang != "en" {
		lang = s.lang
	}
	return reports.Options{Lang: lang}
}
