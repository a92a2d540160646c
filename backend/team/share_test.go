package team_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"hearth/backend/bundle"
	"hearth/backend/credentials"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
	"hearth/backend/team"
	"hearth/backend/wiring"
)

// mate is one teammate's copy of a workspace: a real backend in its own folder, with its own
// credentials store (so its own age identity).
type mate struct {
	name string
	b    *wiring.Backend
}

func openMate(t *testing.T, name string) *mate {
	t.Helper()
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: t.TempDir(), Secrets: secrets, Zone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	if _, err := b.Team.SetName(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	return &mate{name: name, b: b}
}

func (c *mate) key(t *testing.T) string {
	t.Helper()
	k, err := c.b.Team.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// joinMate makes a new copy of first's workspace from a bundle first exported to it.
func joinMate(t *testing.T, first *mate, name string) *mate {
	t.Helper()
	ctx := context.Background()
	c := openMate(t, name)
	var buf bytes.Buffer
	if _, err := first.b.Team.Export(ctx, &buf, bundle.Encrypt{Recipients: []string{first.key(t), c.key(t)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.b.Team.Join(ctx, bytes.NewReader(buf.Bytes()), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := c.b.Team.SetName(ctx, name); err != nil { // the join brought no record of this copy
		t.Fatal(err)
	}
	return c
}

func (c *mate) share(t *testing.T, folder string) {
	t.Helper()
	if _, err := c.b.Team.SetShare(context.Background(), team.ShareInput{On: true, Folder: folder}); err != nil {
		t.Fatal(err)
	}
}

func (c *mate) run(t *testing.T) team.ShareRun {
	t.Helper()
	run, err := c.b.Team.ShareNow(context.Background())
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	return run
}

// dump is every member of the copy as JSON, oldest first.
func (c *mate) dump(t *testing.T) string {
	t.Helper()
	var out []string
	err := c.b.Members.Each(context.Background(), members.ListQuery{}, func(m members.Member) error {
		b, err := json.Marshal(m)
		out = append(out, string(b))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return strings.Join(out, "\n")
}

func (c *mate) member(t *testing.T, email string) members.Member {
	t.Helper()
	m, err := c.b.Members.Find(context.Background(), email)
	if err != nil {
		t.Fatalf("%s: %s: %v", c.name, email, err)
	}
	return m
}

func addMember(t *testing.T, c *mate, email, name string) members.Member {
	t.Helper()
	m, err := c.b.Members.Create(context.Background(), members.CreateInput{Name: name, Emails: []string{email}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func editMember(t *testing.T, c *mate, id string, p members.Patch) {
	t.Helper()
	if _, err := c.b.Members.Update(context.Background(), id, p); err != nil {
		t.Fatal(err)
	}
}

// settle runs every copy in turn, in the given order, until a whole round neither merges nor
// writes anything, and returns how many rounds that took.
func settleFolder(t *testing.T, order ...*mate) int {
	t.Helper()
	for round := 1; round <= 8; round++ {
		busy := false
		for _, c := range order {
			run := c.run(t)
			busy = busy || run.Wrote
			for _, f := range run.Files {
				busy = busy || f.Status == team.ShareMerged
			}
		}
		if !busy {
			return round
		}
	}
	t.Fatal("the copies did not settle in 8 rounds")
	return 0
}

func TestCopiesSharingAFolderConvergeWhateverTheOrderTheyRunIn(t *testing.T) {
	for _, order := range [][]int{{0, 1}, {1, 0}} {
		t.Run(fmt.Sprintf("two copies, run in the order %v", order), func(t *testing.T) {
			folder := t.TempDir()
			a := openMate(t, "Alice")
			m := addMember(t, a, "camille@example.org", "Camille")
			b := joinMate(t, a, "Bob")
			copies := []*mate{a, b}
			for _, c := range copies {
				c.share(t, folder)
			}
			name := "Camille Martin"
			editMember(t, a, m.ID, members.Patch{Name: &name})
			tags := []string{"bénévole"}
			editMember(t, b, m.ID, members.Patch{Tags: &tags})
			addMember(t, b, "yann@example.org", "Yann")
			settleFolder(t, copies[order[0]], copies[order[1]])
			if a.dump(t) != b.dump(t) {
				t.Fatalf("the copies differ:\n%s\n---\n%s", a.dump(t), b.dump(t))
			}
			got := a.member(t, "camille@example.org")
			if got.Name != name || !slices.Equal(got.Tags, tags) {
				t.Fatalf("both edits should be kept: %+v", got)
			}
			a.member(t, "yann@example.org")
		})
	}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}} {
		t.Run(fmt.Sprintf("three copies, run in the order %v", order), func(t *testing.T) {
			folder := t.TempDir()
			a := openMate(t, "Alice")
			m := addMember(t, a, "camille@example.org", "Camille")
			gone := addMember(t, a, "gone@example.org", "Gone")
			erased := addMember(t, a, "maelenn@example.org", "Maëlenn")
			b := joinMate(t, a, "Bob")
			c := joinMate(t, a, "Chloé")
			copies := []*mate{a, b, c}
			for _, x := range copies {
				x.share(t, folder)
			}
			name := "Camille Martin"
			editMember(t, b, m.ID, members.Patch{Name: &name})
			tags := []string{"paris"}
			editMember(t, c, m.ID, members.Patch{Tags: &tags})
			addMember(t, c, "yann@example.org", "Yann")
			addMember(t, a, "zoe@example.org", "Zoé")
			if _, err := b.b.Members.Delete(context.Background(), gone.ID); err != nil {
				t.Fatal(err)
			}
			// Erased on Chloé's copy while Bob edits them: the erasure wins everywhere.
			if err := c.b.GDPR.Erase(context.Background(), erased.ID, "maelenn@example.org"); err != nil {
				t.Fatal(err)
			}
			renamed := "Maëlenn Q."
			editMember(t, b, erased.ID, members.Patch{Name: &renamed})
			rounds := settleFolder(t, copies[order[0]], copies[order[1]], copies[order[2]])
			for _, x := range copies[1:] {
				if x.dump(t) != a.dump(t) {
					t.Fatalf("after %d rounds %s differs from Alice:\n%s\n---\n%s", rounds, x.name, x.dump(t), a.dump(t))
				}
			}
			got := c.member(t, "camille@example.org")
			if got.Name != name || !slices.Equal(got.Tags, tags) {
				t.Fatalf("both edits should be kept: %+v", got)
			}
			b.member(t, "yann@example.org")
			b.member(t, "zoe@example.org")
			if _, err := a.b.Members.Find(context.Background(), "gone@example.org"); errs.KindOf(err) != errs.NotFound {
				t.Fatalf("the member deleted on Bob's copy is still on Alice's: %v", err)
			}
			for _, x := range copies {
				if _, err := x.b.Members.Get(context.Background(), erased.ID); errs.KindOf(err) != errs.NotFound || strings.Contains(x.dump(t), "Maëlenn") {
					t.Fatalf("the person erased on Chloé's copy survives on %s: %v", x.name, err)
				}
			}
			// Every copy now knows every teammate's key: each file opens for all of them.
			for _, x := range copies {
				if run := x.run(t); len(run.NoKey) != 0 || run.Wrote {
					t.Fatalf("%s: %+v", x.name, run)
				}
			}
		})
	}
}

func TestAFileThatCannotBeMergedIsReportedAndTheOthersStillAre(t *testing.T) {
	ctx := context.Background()
	folder := t.TempDir()
	a := openMate(t, "Alice")
	b := joinMate(t, a, "Bob")
	addMember(t, b, "yann@example.org", "Yann")
	b.share(t, folder)
	b.run(t)
	own, err := os.ReadFile(filepath.Join(folder, b.b.Workspace.Store.Replica()+team.ShareExt))
	if err != nil {
		t.Fatal(err)
	}
	// Half a file (a sync still under way), a file that is not a bundle, one for someone else,
	// and one of another workspace, encrypted to Alice's key.
	write := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(folder, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("half.hearth", own[:len(own)/2])
	write("notes.hearth", []byte("shopping list: crêpes"))
	stranger, _ := age.GenerateX25519Identity()
	var buf bytes.Buffer
	if _, err := b.b.Team.Export(ctx, &buf, bundle.Encrypt{Recipients: []string{stranger.Recipient().String()}}); err != nil {
		t.Fatal(err)
	}
	write("stranger.hearth", buf.Bytes())
	other := openMate(t, "Other")
	addMember(t, other, "intrus@example.org", "Intrus")
	buf.Reset()
	if _, err := other.b.Team.Export(ctx, &buf, bundle.Encrypt{Recipients: []string{a.key(t)}}); err != nil {
		t.Fatal(err)
	}
	write("other-team.hearth", buf.Bytes())
	write("readme.txt", []byte("not a bundle: left alone"))

	a.share(t, folder)
	run := a.run(t)
	want := map[string]string{
		b.b.Workspace.Store.Replica() + team.ShareExt: "",
		"half.hearth":       "bundle_truncated",
		"notes.hearth":      "bundle_not_hearth",
		"stranger.hearth":   "bundle_wrong_key",
		"other-team.hearth": "bundle_other_workspace",
	}
	if len(run.Files) != len(want) {
		t.Fatalf("files: %+v", run.Files)
	}
	for _, f := range run.Files {
		code, ok := want[f.Name]
		switch {
		case !ok:
			t.Errorf("unexpected file %s", f.Name)
		case code == "" && (f.Status != team.ShareMerged || f.Added == 0 || f.Teammate != "Bob"):
			t.Errorf("Bob's file: %+v", f)
		case code != "" && (f.Status != team.ShareFailed || f.Error == nil || f.Error.Code != code &&
			!(code == "bundle_truncated" && f.Error.Code == "bundle_damaged")): // where the cut falls
			t.Errorf("%s: want %s, got %+v", f.Name, code, f)
		}
	}
	a.member(t, "yann@example.org")
	if _, err := a.b.Members.Find(ctx, "intrus@example.org"); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("another workspace's member came in: %v", err)
	}
	if !run.Wrote {
		t.Fatalf("Alice's own file must still be written: %+v", run)
	}
	set, err := a.b.Team.Share(ctx)
	if err != nil || set.LastError != nil || set.LastRun == nil || len(set.LastRun.Files) != len(want) {
		t.Fatalf("the setting keeps the run: %+v %v", set, err)
	}
	// Failed files are tried again at the next run; the merged one is not merged again.
	run = a.run(t)
	for _, f := range run.Files {
		if (want[f.Name] == "") != (f.Status == team.ShareUpToDate) {
			t.Errorf("second run: %+v", f)
		}
	}
}

func TestSyncToolsConflictedCopiesAreMergedAndTheSameBundleOnlyOnce(t *testing.T) {
	folder := t.TempDir()
	a := openMate(t, "Alice")
	b := joinMate(t, a, "Bob")
	a.share(t, folder)
	b.share(t, folder)
	a.run(t)
	b.run(t) // Bob learns Alice's key and content
	bobFile := filepath.Join(folder, b.b.Workspace.Store.Replica()+team.ShareExt)
	older, err := os.ReadFile(bobFile)
	if err != nil {
		t.Fatal(err)
	}
	// Bob's copy changes; the sync tool keeps the older file as a conflicted copy, and a
	// Syncthing conflict copy of the newer one, and its own temporary file.
	addMember(t, b, "yann@example.org", "Yann")
	b.run(t)
	newer, err := os.ReadFile(bobFile)
	if err != nil {
		t.Fatal(err)
	}
	aliceFile := filepath.Join(folder, a.b.Workspace.Store.Replica()+team.ShareExt)
	aliceOld, _ := os.ReadFile(aliceFile)
	for name, data := range map[string][]byte{
		"bob (Alice's conflicted copy 2026-12-07).hearth":          older,
		"bob.sync-conflict-20261207-101010-ABCDEFG.hearth":         newer,
		".syncthing.bob.hearth.tmp":                                newer[:10],
		"alice (conflicted copy).hearth":                           aliceOld,
		"~lock.bob.hearth#":                                        nil,
		filepath.Base(aliceFile) + ".sync-conflict-1-2-XYZ.hearth": aliceOld,
	} {
		if err := os.WriteFile(filepath.Join(folder, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := a.run(t)
	byName := map[string]team.ShareFile{}
	for _, f := range run.Files {
		byName[f.Name] = f
	}
	if len(byName) != 5 {
		t.Fatalf("the five bundles, and nothing else, are looked at: %+v", run.Files)
	}
	merged := 0
	for _, f := range run.Files {
		if f.Status == team.ShareFailed {
			t.Fatalf("%+v", f)
		}
		if f.Status == team.ShareMerged {
			merged++
		}
	}
	// Bob's newer bundle is merged once, under one name; the other name is the same bundle.
	if n, s := byName[filepath.Base(bobFile)].Status, byName["bob.sync-conflict-20261207-101010-ABCDEFG.hearth"].Status; (n == team.ShareMerged) == (s == team.ShareMerged) {
		t.Fatalf("Bob's bundle and its Syncthing copy: %s and %s", n, s)
	}
	if merged != 3 { // Bob's newer (once), Bob's older, Alice's own older one
		t.Fatalf("merged %d: %+v", merged, run.Files)
	}
	a.member(t, "yann@example.org")
	if _, err := os.Stat(aliceFile); err != nil {
		t.Fatal(err)
	}
}

func TestTheOwnFileIsWrittenWholeAndOnlyWhenTheCopyChanged(t *testing.T) {
	ctx := context.Background()
	folder := t.TempDir()
	a := openMate(t, "Alice")
	m := addMember(t, a, "camille@example.org", "Camille")
	a.share(t, folder)
	run := a.run(t)
	path := filepath.Join(folder, a.b.Workspace.Store.Replica()+team.ShareExt)
	fi, err := os.Stat(path)
	if err != nil || !run.Wrote || run.Records == 0 {
		t.Fatalf("first run: %+v %v", run, err)
	}
	onlyOwn := func() {
		t.Helper()
		es, _ := os.ReadDir(folder)
		if len(es) != 1 || es[0].Name() != filepath.Base(path) {
			t.Fatalf("the folder holds %v: no temporary file may stay", es)
		}
	}
	onlyOwn()
	time.Sleep(10 * time.Millisecond) // a rewrite would show in the file's time
	for range 2 {
		if run := a.run(t); run.Wrote {
			t.Fatalf("nothing changed, yet the file was written again: %+v", run)
		}
	}
	if fi2, _ := os.Stat(path); !fi2.ModTime().Equal(fi.ModTime()) {
		t.Fatal("the unchanged file was rewritten")
	}
	// Writes of what never travels (this setting, the scheduler's bookkeeping) change nothing.
	if _, err := a.b.Team.SetShare(ctx, team.ShareInput{On: true, Folder: folder}); err != nil {
		t.Fatal(err)
	}
	if run := a.run(t); run.Wrote {
		t.Fatalf("the setting is not the team's: %+v", run)
	}
	name := "Camille Martin"
	editMember(t, a, m.ID, members.Patch{Name: &name})
	if run := a.run(t); !run.Wrote {
		t.Fatalf("a member changed: %+v", run)
	}
	onlyOwn()
	// Deleted by someone: written again.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if run := a.run(t); !run.Wrote {
		t.Fatalf("the file was gone: %+v", run)
	}
	// Where it cannot be written (a folder took its name), the run fails, says why, leaves no
	// temporary file, and keeps the error in the setting.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(path, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	_, err = a.b.Team.ShareNow(ctx)
	if errs.From(err).Code != "export_write" {
		t.Fatalf("%v", err)
	}
	onlyOwn()
	set, _ := a.b.Team.Share(ctx)
	if set.LastError == nil || set.LastError.Code != "export_write" || set.LastRun == nil {
		t.Fatalf("%+v", set)
	}
	if err := os.RemoveAll(path); err != nil {
		t.Fatal(err)
	}
	if run := a.run(t); !run.Wrote {
		t.Fatalf("%+v", run)
	}
	if set, _ := a.b.Team.Share(ctx); set.LastError != nil {
		t.Fatalf("a run that worked clears the error: %+v", set.LastError)
	}
	// It opens with this copy's own key, and names its teammate.
	f, _ := os.Open(path)
	rep, err := a.b.Team.Merge(ctx, f, "")
	f.Close()
	if err != nil || rep.From != "Alice" || rep.Added != 0 {
		t.Fatalf("%+v %v", rep, err)
	}
}

func TestTheSharedFolderIsCheckedAndTheSettingStaysOnItsCopy(t *testing.T) {
	ctx := context.Background()
	a := openMate(t, "Alice")
	for _, tc := range []struct {
		in   team.ShareInput
		code string
	}{
		{team.ShareInput{On: true}, "required"},
		{team.ShareInput{On: true, Folder: "relative/dir"}, "absolute_path"},
		{team.ShareInput{On: true, Folder: filepath.Join(t.TempDir(), "missing")}, "file_unreadable"},
	} {
		_, err := a.b.Team.SetShare(ctx, tc.in)
		if e := errs.From(err); e.Kind != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "folder" || e.Fields[0].Code != tc.code {
			t.Errorf("%+v: %v", tc.in, err)
		}
	}
	if _, err := a.b.Team.ShareNow(ctx); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("sharing is off: %v", err)
	}
	if ran, err := a.b.Team.ShareDue(ctx); ran || err != nil {
		t.Fatalf("the job does nothing while sharing is off: %v %v", ran, err)
	}
	folder := filepath.Join(t.TempDir(), "Nextcloud", "hearth")
	if err := os.MkdirAll(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	set, err := a.b.Team.SetShare(ctx, team.ShareInput{On: true, Folder: folder + "/"})
	if err != nil || !set.On || set.Folder != folder || set.File != a.b.Workspace.Store.Replica()+".hearth" {
		t.Fatalf("%+v %v", set, err)
	}
	if ran, err := a.b.Team.ShareDue(ctx); !ran || err != nil {
		t.Fatalf("%v %v", ran, err)
	}
	// A run cancelled (the window closing) is no failure.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := a.b.Team.ShareNow(cancelled); !errors.Is(err, context.Canceled) {
		t.Fatalf("%v", err)
	}
	if set, _ := a.b.Team.Share(ctx); set.LastError != nil || set.LastRun == nil {
		t.Fatalf("%+v", set)
	}
	// The folder goes away (an unmounted drive): the run fails and says so.
	if err := os.RemoveAll(folder); err != nil {
		t.Fatal(err)
	}
	if _, err := a.b.Team.ShareDue(ctx); errs.From(err).Fields[0].Code != "file_unreadable" {
		t.Fatalf("%v", err)
	}
	set, _ = a.b.Team.Share(ctx)
	if set.LastError == nil || set.LastError.Fields[0].Code != "file_unreadable" || !set.On {
		t.Fatalf("%+v", set)
	}
	// Off keeps the folder for next time.
	set, err = a.b.Team.SetShare(ctx, team.ShareInput{})
	if err != nil || set.On || set.Folder != folder {
		t.Fatalf("%+v %v", set, err)
	}
	// The setting never travels: a teammate who joins has none.
	if _, err := a.b.Team.SetShare(ctx, team.ShareInput{On: true, Folder: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	b := joinMate(t, a, "Bob")
	if set, err := b.b.Team.Share(ctx); err != nil || set.On || set.Folder != "" {
		t.Fatalf("Bob's copy got Alice's folder: %+v %v", set, err)
	}
	if team.Travels("team_share") {
		t.Fatal("team_share must be local only")
	}
}

func TestTheSettingKeepsNothingAboutMembers(t *testing.T) {
	// A run's conflicts hold members' values; the kept run holds only counts, so erasing a
	// member leaves nothing of them in the setting (which no erasure would reach).
	folder := t.TempDir()
	a := openMate(t, "Alice")
	m := addMember(t, a, "camille@example.org", "Camille")
	b := joinMate(t, a, "Bob")
	a.share(t, folder)
	b.share(t, folder)
	settleFolder(t, a, b)
	one, two := "Maëlenn Quillivic", "Maëlenn Q. de Plouzévédé"
	editMember(t, a, m.ID, members.Patch{Name: &one})
	editMember(t, b, m.ID, members.Patch{Name: &two})
	a.run(t)
	run := b.run(t)
	if len(run.Conflicts) == 0 {
		t.Fatalf("the concurrent edit is a conflict: %+v", run)
	}
	var found bool
	err := b.b.Workspace.Store.ExportRecords(func(c string) bool { return c == "team_share" }, func(r store.Record) error {
		found = true
		if strings.Contains(string(r.Data), "Maëlenn") {
			t.Errorf("the setting holds a member's name: %s", r.Data)
		}
		return nil
	})
	if err != nil || !found {
		t.Fatalf("%v %v", found, err)
	}
	if set, _ := b.b.Team.Share(context.Background()); set.LastRun.Files[0].Conflicts == 0 {
		t.Fatalf("the count is kept: %+v", set.LastRun)
	}
}

func TestATeammateWhoseKeyIsNotKnownIsNamedInTheRun(t *testing.T) {
	ctx := context.Background()
	a := openMate(t, "Alice")
	teammates := &store.Collection[team.Teammate]{Name: "teammate"}
	err := a.b.Workspace.Store.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, teammates, "01JREPLICAOFDOMINIQUE", team.Teammate{Name: "Dominique"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	a.share(t, t.TempDir())
	if run := a.run(t); !run.Wrote || !slices.Equal(run.NoKey, []string{"Dominique"}) {
		t.Fatalf("%+v", run)
	}
}

func TestTheBackgroundJobShares(t *testing.T) {
	ctx := context.Background()
	folder := t.TempDir()
	a := openMate(t, "Alice")
	a.share(t, folder)
	res, err := a.b.Scheduler.RunDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ran := false
	for _, r := range res {
		if r.Name == "team.share" {
			ran = r.Ran && r.OK
		}
	}
	if !ran {
		t.Fatalf("%+v", res)
	}
	if _, err := os.Stat(filepath.Join(folder, a.b.Workspace.Store.Replica()+team.ShareExt)); err != nil {
		t.Fatal(err)
	}
}
