package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/credentials"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/team"
	"hearth/backend/wiring"
)

// openTeamCopy opens a workspace copy with its own credentials store (so its own age identity),
// on clk.
func openTeamCopy(t *testing.T, clk clock.Clock) *wiring.Backend {
	t.Helper()
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: t.TempDir(), Secrets: secrets, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// joinCopy makes a teammate's copy of b, on clk: the teammate's new copy is opened, and joins
// the bundle b exports (through the window's service) to the teammate's public key.
func joinCopy(t *testing.T, b *wiring.Backend, clk clock.Clock, dir string) *wiring.Backend {
	t.Helper()
	mate := openTeamCopy(t, clk)
	key, err := mate.Team.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	svc := NewTeamService(b.Team, savePicker{filepath.Join(dir, "for-mate.hearth")}, b.Clock)
	path, err := svc.ChooseExportFile()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Export(TeamExportRequest{Path: path, Recipients: []string{" " + key + " ", ""}}); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := mate.Team.Join(windowCtx(), f, ""); err != nil {
		t.Fatal(err)
	}
	return mate
}

func TestTeamExportThenMergeOfTheSameFileChangesNothingAndIsKept(t *testing.T) {
	b := openTeamCopy(t, nil)
	ctx := windowCtx()
	if _, err := b.Members.Create(ctx, members.CreateInput{Name: "Ada", Emails: []string{"ada@example.org"}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	s := NewTeamService(b.Team, savePicker{filepath.Join(dir, "bundle")}, b.Clock)

	me, err := s.SetName("  Camille ")
	if err != nil || me.Name != "Camille" || me.PublicKey == "" {
		t.Fatalf("SetName = %+v, %v", me, err)
	}
	if _, err := s.SetName(""); errs.KindOf(err) != errs.Invalid || len(errs.From(err).Fields) != 1 || errs.From(err).Fields[0].Field != "name" {
		t.Fatalf("an empty name: %v, want a field error on name", err)
	}
	who, err := s.Whoami()
	if err != nil || who.Name != "Camille" {
		t.Fatalf("Whoami = %+v, %v", who, err)
	}
	key, err := s.PublicKey()
	if err != nil || key != me.PublicKey {
		t.Fatalf("PublicKey = %q, %v; want %q", key, err, me.PublicKey)
	}
	mates, err := s.Teammates()
	if err != nil || len(mates) != 1 || mates[0].Name != "Camille" {
		t.Fatalf("Teammates = %+v, %v", mates, err)
	}

	last, err := s.LastMerge()
	if err != nil || last.Done || last.Report.Conflicts == nil || last.Taken == nil {
		t.Fatalf("LastMerge before any merge = %+v, %v; want not done, empty lists", last, err)
	}

	path, err := s.ChooseExportFile()
	if err != nil || path != filepath.Join(dir, "bundle.hearth") {
		t.Fatalf("ChooseExportFile = %q, %v; want the extension added", path, err)
	}
	if _, err := s.Export(TeamExportRequest{Path: path}); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("an export with neither passphrase nor recipient: %v, want invalid", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("a refused export left a file: %v", err)
	}
	if _, err := s.Export(TeamExportRequest{Path: path, Recipients: []string{"age1nope"}}); errs.KindOf(err) != errs.Invalid ||
		len(errs.From(err).Fields) != 1 || errs.From(err).Fields[0].Code != "age_recipient" {
		t.Fatalf("a bad recipient: %v, want a field error", err)
	}
	if _, err := s.Export(TeamExportRequest{Path: filepath.Join(dir, "no", "such", "folder.hearth"), Passphrase: "p"}); errs.From(err).Code != "export_write" {
		t.Fatalf("an export to a missing folder: %v, want export_write", err)
	}
	out, err := s.Export(TeamExportRequest{Path: path, Passphrase: "correct horse"})
	if err != nil || out.Path != path || out.Summary.Records == 0 {
		t.Fatalf("Export = %+v, %v", out, err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the bundle: %v, %v; want a file only its owner reads", fi, err)
	}

	if _, err := s.Merge(TeamMergeRequest{Path: path, Passphrase: "wrong"}); errs.From(err).Code != "bundle_wrong_passphrase" {
		t.Fatalf("a wrong passphrase: %v", err)
	}
	if _, err := s.Merge(TeamMergeRequest{Path: filepath.Join(dir, "missing.hearth"), Passphrase: "p"}); errs.From(err).Code != "bundle_unreadable" {
		t.Fatalf("a missing file: %v", err)
	}
	if last, _ := s.LastMerge(); last.Done {
		t.Fatal("a refused merge was kept as the last one")
	}
	// A copy's own bundle holds nothing it does not: every record is unchanged.
	m, err := s.Merge(TeamMergeRequest{Path: path, Passphrase: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Done || m.File != "bundle.hearth" || m.Report.Added != 0 || m.Report.Updated != 0 || m.Report.Deleted != 0 ||
		m.Report.Unchanged != out.Summary.Records || len(m.Report.Conflicts) != 0 || len(m.Taken) != 0 || m.Report.From != "Camille" {
		t.Fatalf("merging the copy's own bundle: %+v, want its %d records unchanged", m, out.Summary.Records)
	}
	again, err := s.LastMerge()
	if err != nil || !again.Done || again.Report.Unchanged != m.Report.Unchanged || again.File != m.File {
		t.Fatalf("LastMerge = %+v, %v; want the merge above", again, err)
	}
}

func TestTeamMergeReportsAConflictAndTakesTheOtherValueBack(t *testing.T) {
	start := time.Date(2026, 3, 16, 9, 0, 0, 0, time.UTC)
	clkA, clkB := clock.NewManual(start), clock.NewManual(start)
	a := openTeamCopy(t, clkA)
	ctx := windowCtx()
	ada, err := a.Members.Create(ctx, members.CreateInput{Name: "Ada", Emails: []string{"ada@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	mate := joinCopy(t, a, clkB, dir)
	if _, err := mate.Team.SetName(ctx, "Sam"); err != nil {
		t.Fatal(err)
	}
	s := NewTeamService(a.Team, savePicker{filepath.Join(dir, "from-sam.hearth")}, clkA)
	if _, err := s.SetName("Camille"); err != nil {
		t.Fatal(err)
	}
	// Both copies change Ada's notes apart; Sam's is the later write.
	clkA.Set(start.Add(time.Hour))
	mine, theirs := "Met at the meetup", "Speaker in May"
	if _, err := a.Members.Update(ctx, ada.ID, members.Patch{Notes: &mine}); err != nil {
		t.Fatal(err)
	}
	clkB.Set(start.Add(2 * time.Hour))
	if _, err := mate.Members.Update(ctx, ada.ID, members.Patch{Notes: &theirs}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "from-sam.hearth")
	samSvc := NewTeamService(mate.Team, savePicker{path}, clkB)
	if _, err := samSvc.Export(TeamExportRequest{Path: path, Passphrase: "s3cret"}); err != nil {
		t.Fatal(err)
	}

	got, err := s.ChooseBundle()
	if err != nil || got != path {
		t.Fatalf("ChooseBundle = %q, %v", got, err)
	}
	m, err := s.Merge(TeamMergeRequest{Path: path, Passphrase: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	if m.Report.From != "Sam" || len(m.Report.Conflicts) != 1 || len(m.Taken) != 1 || m.Taken[0] {
		t.Fatalf("merge = %+v; want one conflict from Sam, not taken", m)
	}
	c := m.Report.Conflicts[0]
	if c.ID != ada.ID || c.Field != "notes" || string(c.Kept) != `"Speaker in May"` || string(c.Other) != `"Met at the meetup"` ||
		c.KeptBy != "Sam" || c.OtherBy != "Camille" || c.Here {
		t.Fatalf("conflict = %+v", c)
	}
	if _, err := s.Teammates(); err != nil {
		t.Fatal(err)
	}

	after, err := s.TakeOther(c)
	if err != nil {
		t.Fatal(err)
	}
	if !after.Taken[0] {
		t.Fatalf("TakeOther: %+v; want the conflict marked taken", after)
	}
	if last, _ := s.LastMerge(); !last.Taken[0] {
		t.Fatal("LastMerge forgot the conflict was taken")
	}
	back, err := a.Members.Get(ctx, ada.ID)
	if err != nil || back.Notes != mine {
		t.Fatalf("Ada's notes = %q, %v; want %q back", back.Notes, err, mine)
	}

	c.Collection = "calendar_item"
	if _, err := s.TakeOther(c); errs.From(err).Code != "conflict_not_editable" {
		t.Fatalf("a conflict of another collection: %v", err)
	}
}

func TestTeamSharesThroughAFolderBothWaysAndKeepsTheLastRun(t *testing.T) {
	a := openTeamCopy(t, nil)
	ctx := windowCtx()
	if _, err := a.Team.SetName(ctx, "Camille"); err != nil {
		t.Fatal(err)
	}
	ada, err := a.Members.Create(ctx, members.CreateInput{Name: "Ada", Emails: []string{"ada@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	b := joinCopy(t, a, nil, t.TempDir())
	if _, err := b.Team.SetName(ctx, "Sam"); err != nil {
		t.Fatal(err)
	}
	shared := filepath.Join(t.TempDir(), "Nextcloud")
	if err := os.Mkdir(shared, 0o700); err != nil {
		t.Fatal(err)
	}
	sa := NewTeamService(a.Team, savePicker{filepath.Join(shared, "ignored.hearth")}, a.Clock)
	sb := NewTeamService(b.Team, savePicker{filepath.Join(shared, "ignored.hearth")}, b.Clock)

	if got, err := sa.ChooseShareFolder(); err != nil || got != shared {
		t.Fatalf("ChooseShareFolder = %q, %v, want the dialog's %q", got, err, shared)
	}
	set, err := sa.Share()
	if err != nil || set.On || set.Folder != "" || set.LastRun != nil || set.File != a.Workspace.Store.Replica()+team.ShareExt {
		t.Fatalf("Share before any = %+v, %v", set, err)
	}
	for _, in := range []team.ShareInput{{On: true}, {On: true, Folder: "relative/dir"}, {On: true, Folder: filepath.Join(shared, "missing")}} {
		_, err := sa.SetShare(in)
		if e := errs.From(err); errs.KindOf(err) != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "folder" {
			t.Errorf("SetShare(%+v) = %v, want a field error on folder", in, err)
		}
	}
	if _, err := sa.ShareNow(); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("ShareNow while off = %v, want refused", err)
	}

	// Camille first: nothing to merge yet, her file written.
	if set, err = sa.SetShare(team.ShareInput{On: true, Folder: shared}); err != nil || !set.On || set.Folder != shared {
		t.Fatalf("SetShare on = %+v, %v", set, err)
	}
	run, err := sa.ShareNow()
	if err != nil || !run.Wrote || len(run.Files) != 0 || run.Files == nil || run.NoKey == nil || run.Conflicts == nil {
		t.Fatalf("Camille's first run = %+v, %v", run, err)
	}
	// Sam: Camille's file is not encrypted to his key yet (reported, not fatal); his is written.
	if _, err := sb.SetShare(team.ShareInput{On: true, Folder: shared}); err != nil {
		t.Fatal(err)
	}
	run, err = sb.ShareNow()
	if err != nil || !run.Wrote || len(run.Files) != 1 || run.Files[0].Status != team.ShareFailed ||
		run.Files[0].Error == nil || run.Files[0].Error.Code != "bundle_wrong_key" {
		t.Fatalf("Sam's first run = %+v, %v", run, err)
	}
	// Camille merges Sam's file and learns his key; then Sam can open hers.
	if run, err = sa.ShareNow(); err != nil || len(run.Files) != 1 || run.Files[0].Status != team.ShareMerged || run.Files[0].Teammate != "Sam" || !run.Wrote {
		t.Fatalf("Camille's second run = %+v, %v", run, err)
	}
	name := "Ada Lovelace"
	if _, err := a.Members.Update(ctx, ada.ID, members.Patch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if run, err = sa.ShareNow(); err != nil || !run.Wrote || run.Files[0].Status != team.ShareUpToDate {
		t.Fatalf("Camille's third run = %+v, %v", run, err)
	}
	if run, err = sb.ShareNow(); err != nil || len(run.Files) != 1 || run.Files[0].Status != team.ShareMerged || run.Files[0].Teammate != "Camille" {
		t.Fatalf("Sam's second run = %+v, %v", run, err)
	}
	if m, err := b.Members.Get(ctx, ada.ID); err != nil || m.Name != name {
		t.Fatalf("Sam's Ada = %+v, %v, want Camille's edit", m, err)
	}

	// The last run is kept, lists never null; turning off keeps the folder.
	set, err = sb.Share()
	if err != nil || set.LastRun == nil || set.LastRun.Files[0].Status != team.ShareMerged || set.LastError != nil {
		t.Fatalf("Sam's setting = %+v, %v", set, err)
	}
	js, err := json.Marshal(set)
	if err != nil || strings.Contains(string(js), "null") {
		t.Fatalf("Share as JSON = %s, %v: no null lists", js, err)
	}
	if set, err = sb.SetShare(team.ShareInput{On: false, Folder: shared}); err != nil || set.On || set.Folder != shared || set.LastRun == nil {
		t.Fatalf("SetShare off = %+v, %v", set, err)
	}

	// A folder gone: the run is refused and the setting says why.
	if err := os.RemoveAll(shared); err != nil {
		t.Fatal(err)
	}
	if _, err := sa.ShareNow(); err == nil {
		t.Fatal("ShareNow with the folder gone succeeded")
	}
	if set, err = sa.Share(); err != nil || set.LastError == nil {
		t.Fatalf("Camille's setting after a failed run = %+v, %v, want its error", set, err)
	}
}
