package app

import (
	"path/filepath"

	"hearth/backend/audit"
	"hearth/backend/exports"
	"hearth/backend/gdpr"
	"hearth/backend/members"
	"hearth/backend/segments"
)

// ExportService exports member lists from the window.
type ExportService struct {
	calls
	exports  *exports.Service
	members  *members.Service
	segments *segments.Service
	dialogs  Dialogs
	lang     string
}

// NewExportService binds exports of ms (of a segment of sg's) for the window, written (and
// audited) by ex; lang is the spreadsheet headers' language.
func NewExportService(ex *exports.Service, ms *members.Service, sg *segments.Service, dialogs Dialogs, lang string) *ExportService {
	return &ExportService{exports: ex, members: ms, segments: sg, dialogs: dialogs, lang: lang}
}

// Export asks where to save, writes the members matching req there (audited by the backend),
// and returns the path ("" when the person cancelled).
func (s *ExportService) Export(req exports.Request) (string, error) {
	ctx := s.ctx()
	var in map[string]bool // a segment's members, read before asking where to save
	if req.Segment != "" {
		ids, err := s.segments.SegmentIDs(ctx, req.Segment)
		if err != nil {
			return "", err
		}
		in = make(map[string]bool, len(ids))
		for _, id := range ids {
			in[id] = true
		}
	}
	name := "hearth-members." + req.Format
	path, err := s.dialogs.SaveFile("Export", name, FileFilter{Name: req.Format, Pattern: "*." + req.Format})
	if err != nil || path == "" {
		return "", err
	}
	if filepath.Ext(path) == "" {
		path += "." + req.Format
	}
	if req.Lang == "" {
		req.Lang = s.lang
	}
	seq := exports.MembersOf(ctx, s.members, req.Query())
	if in != nil {
		seq = seq.Where(func(m members.Member) bool { return in[m.ID] })
	}
	_, err = s.exports.ToFile(ctx, path, seq, exports.Options{Format: req.Format, Lang: req.Lang})
	if err != nil {
		return "", err
	}
	return path, nil
}

// GdprService carries out a person's GDPR requests from the window.
type GdprService struct {
	calls
	gdpr    *gdpr.Service
	audit   *audit.Log
	dialogs Dialogs
	lang    string
}

// NewGdprService binds GDPR actions and the audit log for the window; lang is the dossier
// workbook's language.
func NewGdprService(g *gdpr.Service, log *audit.Log, dialogs Dialogs, lang string) *GdprService {
	return &GdprService{gdpr: g, audit: log, dialogs: dialogs, lang: lang}
}

// Export asks for a folder and writes the member's data there as JSON and XLSX; it returns the
// folder ("" when the person cancelled).
func (s *GdprService) Export(memberID string) (string, error) {
	dir, err := s.dialogs.ChooseDir("Export")
	if err != nil || dir == "" {
		return "", err
	}
	_, err = s.gdpr.Export(s.ctx(), memberID, dir, s.lang)
	return dir, err
}

// Erase erases a member for good; confirmation is the member's e-mail, typed by the person.
func (s *GdprService) Erase(memberID, confirmation string) error {
	return s.gdpr.Erase(s.ctx(), memberID, confirmation)
}

// Inactive lists members inactive for at least months months.
func (s *GdprService) Inactive(months int) ([]members.Member, error) {
	return s.gdpr.Inactive(s.ctx(), months)
}

// Anonymise anonymises the given members.
func (s *GdprService) Anonymise(ids []string) (int, error) {
	return s.gdpr.Anonymise(s.ctx(), ids)
}

// Audit returns the newest audit entries, for one member or ("") all.
func (s *GdprService) Audit(memberID string, limit int) ([]audit.Entry, error) {
	return s.audit.List(s.ctx(), memberID, limit)
}

// SettingsService reads and saves the workspace's retention settings.
type SettingsService struct {
	calls
	gdpr *gdpr.Service
}

// NewSettingsService binds g's retention settings for the window.
func NewSettingsService(g *gdpr.Service) *SettingsService { return &SettingsService{gdpr: g} }

// Get returns the settings.
func (s *SettingsService) Get() (gdpr.Settings, error) { return s.gdpr.Settings(s.ctx()) }

// Save replaces the settings.
func (s *SettingsService) Save(in gdpr.Settings) (gdpr.Settings, error) {
	return s.gdpr.SaveSettings(s.ctx(), in)
}
