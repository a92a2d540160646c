package app

import (
	"path/filepath"
	"time"

	"hearth/backend/analytics"
	"hearth/backend/clock"
	"hearth/backend/exports"
	"hearth/backend/members"
	"hearth/backend/reports"
	"hearth/backend/segments"
)

// ReportsService is the Reports screen's door to the Excel workbooks and their schedule.
type ReportsService struct {
	calls
	d       ReportsDeps
	dialogs Dialogs
	lang    string
}

// ReportsDeps are what the workbooks are made from.
type ReportsDeps struct {
	Reports   *reports.Service
	Analytics *analytics.Service
	Members   *members.Service
	// Segments give a segment's members (ExportKPI of a segment).
	Segments *segments.Service
	// Clock says what "today" is (the members workbook's levels).
	Clock clock.Clock
}

// NewReportsService binds the reports for the window; lang is the workbooks' default language.
func NewReportsService(d ReportsDeps, dialogs Dialogs, lang string) *ReportsService {
	return &ReportsService{d: d, dialogs: dialogs, lang: lang}
}

// ExportKPI asks where to save, writes the KPI workbook of the days from..to (YYYY-MM-DD, both
// included) there and returns the path ("" when the person cancelled); of the members of the
// saved segment (id) when segment is not "": its numbers, its members, its name in the title.
func (s *ReportsService) ExportKPI(from, to, segment, lang string) (string, error) {
	r, err := analytics.DayRange(from, to, s.d.Clock.Now(), s.d.Reports.Zone())
	if err != nil {
		return "", err
	}
	name := "hearth-kpi-" + r.From.Format(time.DateOnly) + ".xlsx"
	path, err := s.save(name)
	if err != nil || path == "" {
		return "", err
	}
	ctx := s.ctx()
	o := s.options(lang)
	var only analytics.Only
	ms := exports.MembersOf(ctx, s.d.Members, members.ListQuery{})
	if segment != "" {
		seg, err := s.d.Segments.Get(ctx, segment)
		if err != nil {
			return "", err
		}
		ids, err := s.d.Segments.SegmentIDs(ctx, seg.ID)
		if err != nil {
			return "", err
		}
		only, o.Segment = analytics.OnlyOf(ids), seg.Name
		ms = ms.Where(func(m members.Member) bool { _, in := only[m.ID]; return in })
	}
	k, err := s.d.Analytics.KPIsOf(ctx, r, only)
	if err != nil {
		return "", err
	}
	if o.LevelOf, err = s.d.Analytics.LevelOf(ctx, r); err != nil {
		return "", err
	}
	_, err = s.d.Reports.SaveKPIWorkbook(ctx, path, k, ms, o)
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
	if o.LevelOf, err = s.d.Analytics.LevelOf(ctx, s.d.Analytics.Today(s.d.Clock.Now())); err != nil {
		return "", err
	}
	_, err = s.d.Reports.SaveMembersWorkbook(ctx, path, exports.MembersOf(ctx, s.d.Members, members.ListQuery{}), o)
	return path, err
}

// Schedule returns the weekly KPI workbook's schedule.
func (s *ReportsService) Schedule() (reports.Schedule, error) {
	return s.d.Reports.Schedule(s.ctx())
}

// SetSchedule changes the weekly KPI workbook's schedule.
func (s *ReportsService) SetSchedule(in reports.ScheduleInput) (reports.Schedule, error) {
	return s.d.Reports.SetSchedule(s.ctx(), in)
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
