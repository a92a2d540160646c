package app

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"hearth/backend/bundle"
	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/privatefile"
	"hearth/backend/team"
)

// TeamService is Settings > Team: the name of the person who keeps this copy of the workspace,
// their public key, the teammates this copy knows of, exporting the workspace as an encrypted
// bundle for them and merging the bundles they send, with the last merge's report and its
// conflicts, whose losing value can be taken back.
type TeamService struct {
	calls
	team    *team.Service
	dialogs Dialogs
	clock   clock.Clock

	mu   sync.Mutex
	last TeamMerge // the last merge of this window's session; Done false before one
}

// NewTeamService binds t for the window; clk dates the files it suggests and the merges it
// keeps.
func NewTeamService(t *team.Service, dialogs Dialogs, clk clock.Clock) *TeamService {
	if clk == nil {
		clk = clock.System{}
	}
	return &TeamService{team: t, dialogs: dialogs, clock: clk, last: emptyMerge()}
}

// BundleExt is the extension of team bundles.
const BundleExt = ".hearth"

// TeamExportRequest is what Export writes: where (a path from ChooseExportFile), and encrypted
// either to a passphrase or to teammates' public keys ("age1…"), not both.
type TeamExportRequest struct {
	Path       string   `json:"path"`
	Passphrase string   `json:"passphrase"`
	Recipients []string `json:"recipients"`
}

// TeamExport is what an export wrote, and where.
type TeamExport struct {
	Path    string             `json:"path"`
	Summary team.ExportSummary `json:"summary"`
}

// TeamMergeRequest is the bundle Merge reads (a path from ChooseBundle) and its passphrase ("":
// the bundle is encrypted to this person's public key).
type TeamMergeRequest struct {
	Path       string `json:"path"`
	Passphrase string `json:"passphrase"`
}

// TeamMerge is a merge as the window shows it again: which file, when, what it did, and which
// of its conflicts were taken back since (Taken[i] for Report.Conflicts[i]).
type TeamMerge struct {
	// Done is false until a merge ran since the window opened.
	Done   bool        `json:"done"`
	File   string      `json:"file"`
	At     time.Time   `json:"at"`
	Report team.Report `json:"report"`
	Taken  []bool      `json:"taken"`
}

func emptyMerge() TeamMerge {
	return TeamMerge{Report: team.Report{Conflicts: []team.Conflict{}}, Taken: []bool{}}
}

// Whoami returns this copy's teammate: its replica id, the person's name ("" until set) and
// public key.
func (s *TeamService) Whoami() (team.Teammate, error) { return s.team.Whoami(s.ctx()) }

// SetName names the person who keeps this copy (a field error on "name" when empty or too long).
func (s *TeamService) SetName(name string) (team.Teammate, error) {
	return s.team.SetName(s.ctx(), name)
}

// PublicKey is the person's age public key, which teammates encrypt bundles to.
func (s *TeamService) PublicKey() (string, error) { return s.team.PublicKey() }

// Teammates lists every copy this one knows of (this one included), with its teammate's name
// and public key.
func (s *TeamService) Teammates() ([]team.Teammate, error) { return listed(s.team.Teammates(s.ctx())) }

// ChooseExportFile asks where to write a bundle ("" when the person cancels); the name offered
// is dated, and a name without an extension gets .hearth.
func (s *TeamService) ChooseExportFile() (string, error) {
	name := "hearth-team-" + s.clock.Now().Format(time.DateOnly) + BundleExt
	path, err := s.dialogs.SaveFile("Export", name, FileFilter{Name: "Hearth", Pattern: "*" + BundleExt})
	if err != nil || path == "" {
		return "", err
	}
	if filepath.Ext(path) == "" {
		path += BundleExt
	}
	return path, nil
}

// ChooseBundle asks for a teammate's bundle to merge ("" when the person cancels).
func (s *TeamService) ChooseBundle() (string, error) {
	return s.dialogs.OpenFile("Merge", FileFilter{Name: "Hearth", Pattern: "*" + BundleExt})
}

// ChooseShareFolder asks for the shared folder, one a file-sync tool keeps in step between
// teammates' computers ("" when the person cancels).
func (s *TeamService) ChooseShareFolder() (string, error) {
	return s.dialogs.ChooseDir("Shared folder")
}

// Share returns the shared folder's setting (on or off, the folder, this copy's file in it)
// and what its last run did.
func (s *TeamService) Share() (team.ShareSetting, error) { return s.team.Share(s.ctx()) }

// SetShare turns sharing through a folder on or off, or moves it (a field error on "folder"
// when it is missing, not absolute or cannot be read). Turning it off keeps the folder.
func (s *TeamService) SetShare(in team.ShareInput) (team.ShareSetting, error) {
	return s.team.SetShare(s.ctx(), in)
}

// ShareNow shares through the folder once, as the window does every team.ShareEvery: merges
// the teammates' files that changed, then writes this copy's if it changed. The run, with its
// conflicts, is returned; a run that failed as a whole is kept in the setting (Share's
// LastError) and rejected.
func (s *TeamService) ShareNow() (team.ShareRun, error) {
	run, err := s.team.ShareNow(s.ctx())
	if err != nil {
		return team.ShareRun{}, err
	}
	return run, nil
}

// Export writes the whole workspace as a bundle to req.Path, encrypted to req's passphrase or
// recipients (blank recipients are dropped). Secrets (connection tokens, the SMTP password)
// are never in a bundle. The file is written whole or not at all, readable by its owner only.
func (s *TeamService) Export(req TeamExportRequest) (TeamExport, error) {
	if strings.TrimSpace(req.Path) == "" {
		return TeamExport{}, errs.Fields("app: no file to export to", errs.Field("path", "required"))
	}
	recipients := []string{}
	for _, r := range req.Recipients {
		if r = strings.TrimSpace(r); r != "" {
			recipients = append(recipients, r)
		}
	}
	var sum team.ExportSummary
	err := privatefile.Write(req.Path, func(w io.Writer) (err error) {
		sum, err = s.team.Export(s.ctx(), w, bundle.Encrypt{Passphrase: req.Passphrase, Recipients: recipients})
		return err
	})
	if err != nil {
		return TeamExport{}, exportError(err)
	}
	return TeamExport{Path: req.Path, Summary: sum}, nil
}

// exportError classifies a file system failure of an export (privatefile's) as export_write;
// the backend's own errors pass as they are.
func exportError(err error) error {
	var pe *privatefile.Error
	if errs.KindOf(err) == errs.Internal && errors.As(err, &pe) {
		return errs.Wrap(errs.Unavailable, "export_write", err, "app: the bundle could not be written")
	}
	return err
}

// Merge merges the teammate's bundle at req.Path into the workspace and keeps its report for
// LastMerge. A refused bundle (wrong passphrase or key, damaged, truncated, of another
// workspace or a newer Hearth) changes nothing, and the report kept is the previous one.
func (s *TeamService) Merge(req TeamMergeRequest) (TeamMerge, error) {
	if strings.TrimSpace(req.Path) == "" {
		return TeamMerge{}, errs.Fields("app: no bundle to merge", errs.Field("path", "required"))
	}
	f, err := os.Open(req.Path)
	if err != nil {
		return TeamMerge{}, errs.Wrap(errs.Unavailable, "bundle_unreadable", err, "app: the bundle file could not be read")
	}
	defer f.Close()
	rep, err := s.team.Merge(s.ctx(), f, req.Passphrase)
	if err != nil {
		return TeamMerge{}, err
	}
	if rep.Conflicts == nil {
		rep.Conflicts = []team.Conflict{}
	}
	m := TeamMerge{Done: true, File: filepath.Base(req.Path), At: s.clock.Now().UTC(), Report: rep, Taken: make([]bool, len(rep.Conflicts))}
	s.mu.Lock()
	s.last = m
	s.mu.Unlock()
	return cloneMerge(m), nil
}

// LastMerge is the last merge since the window opened (Done false when none ran).
func (s *TeamService) LastMerge() (TeamMerge, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return cloneMerge(s.last), nil
}

// TakeOther makes the value that lost conflict c the record's value again (members' names,
// notes and custom fields; conflict_not_editable for others), and marks it taken in the last
// merge, which it returns.
func (s *TeamService) TakeOther(c team.Conflict) (TeamMerge, error) {
	if err := s.team.TakeOther(s.ctx(), c); err != nil {
		return TeamMerge{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, k := range s.last.Report.Conflicts {
		if k.Collection == c.Collection && k.ID == c.ID && k.Field == c.Field && string(k.Other) == string(c.Other) {
			s.last.Taken[i] = true
		}
	}
	return cloneMerge(s.last), nil
}

func cloneMerge(m TeamMerge) TeamMerge {
	m.Report.Conflicts = append([]team.Conflict{}, m.Report.Conflicts...)
	m.Taken = append([]bool{}, m.Taken...)
	return m
}
