package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/members"
	"hearth/backend/team"
	"hearth/backend/wiring"
)

// The public keys the recordings show for the two teammates: each run makes new age identities,
// written as these (two public keys made once with age-keygen).
const (
	recordedKeyCamille = "age1rgq7dy5h9wq6thp9m5fh6hthh23wq4g8eanzy56r8lw2382pspws4yfqmm"
	recordedKeySam     = "age1x0f06sgewp3fc5z6my6lp9zrea25lr8zpwkh27xw6kmqqzuzpuzsv9azfk"
)

// recordedPassphrase is the passphrase of the recorded exports and of Sam's bundle.
const recordedPassphrase = "correct horse battery"

// teamDialogs answers the save dialog with the name Go suggests in dir and the open dialog with
// dir/open, as a person accepting what is offered and picking the teammate's file does; the
// folder dialog with folder (dir when it is "").
type teamDialogs struct{ dir, open, folder string }

func (d teamDialogs) OpenFile(string, ...FileFilter) (string, error) {
	return filepath.Join(d.dir, d.open), nil
}
func (d teamDialogs) SaveFile(_, name string, _ ...FileFilter) (string, error) {
	return filepath.Join(d.dir, name), nil
}
func (d teamDialogs) ChooseDir(string) (string, error) {
	if d.folder != "" {
		return d.folder, nil
	}
	return d.dir, nil
}

var _ Dialogs = teamDialogs{}

// teamWorld is a recorded scenario's two copies of the quiet recorded workspace: Camille's (the
// window's) and Sam's, which joined it, then both changed Hélène's name and notes apart (Sam
// later) and Sam added a member; Sam's bundle is dir/sam.hearth (recordedPassphrase), a truncated
// copy of it dir/damaged.hearth, and a bundle of another workspace dir/other.hearth.
type teamWorld struct {
	camille, sam *wiring.Backend
	svc          *TeamService
	dir          string
	ids          []idName
	keys         map[string]string // real public key -> recorded one
}

func newTeamWorld(t *testing.T) *teamWorld {
	t.Helper()
	ctx := windowCtx()
	a, ids := seedRecordedWorkspace(t, false)
	clkA := a.Clock.(*clock.Manual)
	dir := t.TempDir()
	w := &teamWorld{camille: a, dir: dir, ids: ids}
	if _, err := a.Team.SetName(ctx, "Camille"); err != nil {
		t.Fatal(err)
	}
	clkB := clock.NewManual(recordedNow)
	w.sam = openTeamCopy(t, clkB)
	joinWith(t, a, w.sam, dir)
	if _, err := w.sam.Team.SetName(ctx, "Sam"); err != nil {
		t.Fatal(err)
	}
	helene := ids[0].id
	clkA.Set(recordedNow.Add(time.Hour))
	name, notes := "Hélène Dupont-Roy", "Met at the Lyon meetup"
	if _, err := a.Members.Update(ctx, helene, members.Patch{Name: &name, Notes: &notes}); err != nil {
		t.Fatal(err)
	}
	clkB.Set(recordedNow.Add(2 * time.Hour))
	name, notes = "Hélène D.", "Speaker in May"
	if _, err := w.sam.Members.Update(ctx, helene, members.Patch{Name: &name, Notes: &notes}); err != nil {
		t.Fatal(err)
	}
	nora, err := w.sam.Members.Create(ctx, members.CreateInput{Name: "Nora Petit", Emails: []string{"nora@example.org"}, Tags: []string{"fr"}})
	if err != nil {
		t.Fatal(err)
	}
	w.ids = append(w.ids, idName{nora.ID, "member-13"}, idName{a.Workspace.Store.Replica(), "replica-camille"},
		idName{w.sam.Workspace.Store.Replica(), "replica-sam"})
	samSvc := NewTeamService(w.sam.Team, teamDialogs{dir: dir}, clkB)
	if _, err := samSvc.Export(TeamExportRequest{Path: filepath.Join(dir, "sam.hearth"), Passphrase: recordedPassphrase}); err != nil {
		t.Fatal(err)
	}
	whole, err := os.ReadFile(filepath.Join(dir, "sam.hearth"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "damaged.hearth"), whole[:len(whole)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	other := NewTeamService(openTeamCopy(t, clock.NewManual(recordedNow)).Team, teamDialogs{dir: dir}, nil)
	if _, err := other.Export(TeamExportRequest{Path: filepath.Join(dir, "other.hearth"), Passphrase: recordedPassphrase}); err != nil {
		t.Fatal(err)
	}
	clkA.Set(recordedNow.Add(3 * time.Hour))
	w.svc = NewTeamService(a.Team, teamDialogs{dir: dir, open: "sam.hearth", folder: filepath.Join(dir, "Shared")}, clkA)
	w.keys = map[string]string{}
	for b, k := range map[*wiring.Backend]string{a: recordedKeyCamille, w.sam: recordedKeySam} {
		key, err := b.Team.PublicKey()
		if err != nil {
			t.Fatal(err)
		}
		w.keys[key] = k
	}
	return w
}

// joinWith makes mate, a new empty copy, a copy of b: b exports to mate's public key, mate
// joins that bundle.
func joinWith(t *testing.T, b, mate *wiring.Backend, dir string) {
	t.Helper()
	key, err := mate.Team.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "join.hearth")
	if _, err := NewTeamService(b.Team, teamDialogs{dir: dir}, nil).Export(TeamExportRequest{Path: path, Recipients: []string{key}}); err != nil {
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
}

// teamStep is one thing a person does in Settings > Team.
type teamStep func(t *testing.T, s *scenario, w *teamWorld)

// TestRecordAnswersForTheWindowFakeTeam records Settings > Team as scenarios over the quiet
// recorded workspace kept by Camille, of which Sam has a copy (newTeamWorld): naming oneself,
// exporting with a passphrase or to teammates' keys, merging Sam's bundle (refused with a wrong
// passphrase, damaged, or of another workspace first), and taking a conflict's other value back.
func TestRecordAnswersForTheWindowFakeTeam(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	setName := func(name string) teamStep {
		return func(t *testing.T, s *scenario, w *teamWorld) {
			v, err := w.svc.SetName(name)
			s.step("", "setName", []any{name}, v, err)
		}
	}
	export := func(passphrase string, recipients ...string) teamStep {
		return func(t *testing.T, s *scenario, w *teamWorld) {
			path, err := w.svc.ChooseExportFile()
			s.read("", "chooseExportFile", []any{}, path, err)
			if recipients == nil {
				recipients = []string{}
			}
			real := make([]string, len(recipients))
			for i, r := range recipients {
				real[i] = r
				for key, k := range w.keys {
					if r == k {
						real[i] = key
					}
				}
			}
			req := TeamExportRequest{Path: path, Passphrase: passphrase, Recipients: real}
			v, err := w.svc.Export(req)
			s.step("", "export", []any{req}, v, err)
		}
	}
	merge := func(file, passphrase string) teamStep {
		return func(t *testing.T, s *scenario, w *teamWorld) {
			req := TeamMergeRequest{Path: filepath.Join(w.dir, file), Passphrase: passphrase}
			v, err := w.svc.Merge(req)
			s.step("", "merge", []any{req}, v, err)
		}
	}
	takeOther := func(i int) teamStep {
		return func(t *testing.T, s *scenario, w *teamWorld) {
			last, err := w.svc.LastMerge()
			if err != nil || len(last.Report.Conflicts) <= i {
				t.Fatalf("no conflict %d to take back: %+v, %v", i, last, err)
			}
			c := last.Report.Conflicts[i]
			js := asJSONObject(t, c)
			v, err := w.svc.TakeOther(c)
			s.step("", "takeOther", []any{js}, v, err)
		}
	}
	choose := func(t *testing.T, s *scenario, w *teamWorld) {
		v, err := w.svc.ChooseBundle()
		s.read("", "chooseBundle", []any{}, v, err)
	}
	setShare := func(on bool, folder string) teamStep {
		return func(t *testing.T, s *scenario, w *teamWorld) {
			in := team.ShareInput{On: on, Folder: folder}
			if folder != "" {
				in.Folder = filepath.Join(w.dir, folder)
			}
			v, err := w.svc.SetShare(in)
			s.step("", "setShare", []any{in}, v, err)
		}
	}
	chooseFolder := func(t *testing.T, s *scenario, w *teamWorld) {
		v, err := w.svc.ChooseShareFolder()
		s.read("", "chooseShareFolder", []any{}, v, err)
	}
	shareNow := func(t *testing.T, s *scenario, w *teamWorld) {
		v, err := w.svc.ShareNow()
		s.step("", "shareNow", []any{}, v, err)
	}
	// Sam shares through the folder first (his file is encrypted to Camille's key, which his
	// copy learnt when it joined); the sync tool also left a half-synced copy of it there.
	samShares := func(t *testing.T, s *scenario, w *teamWorld) {
		shared := filepath.Join(w.dir, "Shared")
		if err := os.MkdirAll(shared, 0o700); err != nil {
			t.Fatal(err)
		}
		ctx := windowCtx()
		if _, err := w.sam.Team.SetShare(ctx, team.ShareInput{On: true, Folder: shared}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.sam.Team.ShareNow(ctx); err != nil {
			t.Fatal(err)
		}
		whole, err := os.ReadFile(filepath.Join(shared, w.sam.Workspace.Store.Replica()+team.ShareExt))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shared, "sam (conflicted copy)"+team.ShareExt), whole[:len(whole)/2], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	scenarios := [][]teamStep{
		{setName(""), setName("Camille Martin"), export(recordedPassphrase), export("", "age1nope")},
		{
			choose, merge("sam.hearth", "wrong passphrase"), merge("damaged.hearth", recordedPassphrase),
			merge("other.hearth", recordedPassphrase), merge("sam.hearth", recordedPassphrase),
			takeOther(0), export("", recordedKeySam),
		},
		{
			samShares, setShare(true, ""), chooseFolder, setShare(true, "Shared"), shareNow, shareNow,
			setShare(false, "Shared"),
		},
	}
	all := map[string]json.RawMessage{}
	for _, sc := range scenarios {
		w := newTeamWorld(t)
		s := newScenario(t)
		readTeam(s, w.svc)
		for _, st := range sc {
			st(t, s, w)
			readTeam(s, w.svc)
		}
		// The folder the dialogs answered with, as the fake's dialogs answer, and the keys.
		answers := map[string]json.RawMessage{}
		for k, v := range s.r.answers {
			k = strings.ReplaceAll(k, w.dir, recordedDocuments)
			v = bytes.ReplaceAll(v, []byte(w.dir), []byte(recordedDocuments))
			for key, rec := range w.keys {
				k = strings.ReplaceAll(k, key, rec)
				v = bytes.ReplaceAll(v, []byte(key), []byte(rec))
			}
			answers[k] = v
		}
		s.r.answers = answers
		scenarioAnswers(t, all, w.ids, s)
	}
	holdRecording(t, "team", all)
}

// readTeam records what Settings > Team reads in the scenario's state.
func readTeam(s *scenario, svc *TeamService) {
	me, err := svc.Whoami()
	s.read("", "whoami", []any{}, me, err)
	key, err := svc.PublicKey()
	s.read("", "publicKey", []any{}, key, err)
	mates, err := svc.Teammates()
	s.read("", "teammates", []any{}, mates, err)
	last, err := svc.LastMerge()
	s.read("", "lastMerge", []any{}, last, err)
	share, err := svc.Share()
	s.read("", "share", []any{}, share, err)
}
