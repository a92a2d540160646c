package backup_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hearth/backend/audit"
	"hearth/backend/backup"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/credentials"
	"hearth/backend/errs"
	"hearth/backend/imports"
	"hearth/backend/members"
	"hearth/backend/outbox"
	"hearth/backend/store"
	"hearth/backend/tasks"
	"hearth/backend/wiring"
	"hearth/backend/workspace"
)

type fixture struct {
	t     *testing.T
	dir   string
	clock *clock.Manual
	b     *wiring.Backend
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{t: t, dir: t.TempDir(), clock: clock.NewManual(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))}
	f.open()
	t.Cleanup(func() { _ = f.b.Close() })
	return f
}

func (f *fixture) open() {
	f.t.Helper()
	secrets, err := credentials.Open(credentials.Options{Dir: f.t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		f.t.Fatal(err)
	}
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: f.dir, Clock: f.clock, Zone: time.UTC, Secrets: secrets})
	if err != nil {
		f.t.Fatal(err)
	}
	f.b = b
}

// reopen closes the workspace and opens it again, which finishes a prepared restore.
func (f *fixture) reopen() {
	f.t.Helper()
	if err := f.b.Close(); err != nil {
		f.t.Fatal(err)
	}
	f.open()
}

func (f *fixture) add(name, email string) members.Member {
	f.t.Helper()
	m, err := f.b.Members.Create(context.Background(), members.CreateInput{Name: name, Emails: []string{email}})
	if err != nil {
		f.t.Fatal(err)
	}
	return m
}

func (f *fixture) count() int {
	f.t.Helper()
	n, err := f.b.Members.Count(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

func TestABackupSaysWhatItHoldsAndRestoringItBringsItBack(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.add("Ann", "ann@example.org")
	bob := f.add("Bob", "bob@example.org")
	bk, err := f.b.Backups.Create(ctx, backup.ReasonManual)
	if err != nil {
		t.Fatal(err)
	}
	if bk.Members != 2 || bk.Reason != backup.ReasonManual || bk.SchemaVersion == 0 || bk.ID != "20261207T090000Z-manual" {
		t.Fatalf("%+v", bk)
	}
	st, err := os.Stat(filepath.Join(f.dir, backup.Dir, bk.ID+".hbk"))
	if err != nil || st.Mode().Perm() != 0o600 || st.Size() != bk.Size {
		t.Fatalf("%v %v", st, err)
	}

	f.clock.Advance(time.Hour)
	f.add("Cleo", "cleo@example.org")
	if _, err := f.b.Members.Delete(ctx, bob.ID); err != nil {
		t.Fatal(err)
	}
	res, err := f.b.Backups.Prepare(ctx, bk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Backup.ID != bk.ID || res.Replaced.Reason != backup.ReasonRestore || res.Replaced.Members != 2 || res.Erased != 0 {
		t.Fatalf("%+v", res)
	}
	if !backup.Pending(f.dir) {
		t.Fatal("no restore pending")
	}
	f.reopen()
	if backup.Pending(f.dir) {
		t.Fatal("restore still pending after the open")
	}
	if n := f.count(); n != 2 {
		t.Fatalf("%d members after the restore", n)
	}
	if m, err := f.b.Members.Get(ctx, bob.ID); err != nil || m.Name != "Bob" {
		t.Fatalf("%+v %v", m, err)
	}
	// The database the restore replaced is a backup too: restoring it undoes the restore.
	list, err := f.b.Backups.List()
	if err != nil || len(list) != 2 || list[0].ID != res.Replaced.ID {
		t.Fatalf("%+v %v", list, err)
	}
	if _, err := f.b.Backups.Prepare(ctx, res.Replaced.ID); err != nil {
		t.Fatal(err)
	}
	f.reopen()
	if n := f.count(); n != 2 { // Ann and Cleo
		t.Fatalf("%d members after undoing the restore", n)
	}
	if _, err := f.b.Members.Get(ctx, bob.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("bob is back: %v", err)
	}
}

func TestARestoredBackupNeverBringsBackSomeoneErasedAfterIt(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.add("Bob", "bob@example.org")
	ann := f.add("Ann", "ann@example.org")
	if _, err := f.b.Tasks.Create(ctx, tasks.Input{Title: "Call Ann", MemberID: ann.ID}); err != nil {
		t.Fatal(err)
	}
	purposes, err := f.b.Consent.Purposes(ctx)
	if err != nil || len(purposes) == 0 {
		t.Fatalf("%v %v", purposes, err)
	}
	if _, err := f.b.Consent.Grant(ctx, consent.Input{MemberID: ann.ID, Purpose: purposes[0].ID, By: "test", Method: consent.MethodManual}); err != nil {
		t.Fatal(err)
	}
	bk, err := f.b.Backups.Create(ctx, backup.ReasonDaily)
	if err != nil {
		t.Fatal(err)
	}

	f.clock.Advance(time.Hour)
	if err := f.b.GDPR.Erase(ctx, ann.ID, "ann@example.org"); err != nil {
		t.Fatal(err)
	}
	res, err := f.b.Backups.Prepare(ctx, bk.ID)
	if err != nil {
		t.Fatal(err)
	}
	if res.Erased != 1 || res.Suppressions == 0 {
		t.Fatalf("%+v", res)
	}
	f.reopen()

	if n := f.count(); n != 1 {
		t.Fatalf("%d members after the restore", n)
	}
	if _, err := f.b.Members.Get(ctx, ann.ID); !errors.Is(err, errs.NotFound) {
		t.Fatalf("ann is back: %v", err)
	}
	if p, err := f.b.Members.List(ctx, members.ListQuery{Search: "ann", Limit: 10}); err != nil || p.Total != 0 {
		t.Fatalf("ann is listed: %+v %v", p, err)
	}
	if hist, err := f.b.Consent.History(ctx, ann.ID); err == nil && len(hist) != 0 {
		t.Fatalf("ann's consent: %+v", hist)
	}
	open, err := f.b.Tasks.ForMember(ctx, ann.ID)
	if err != nil || len(open) != 0 {
		t.Fatalf("ann's tasks: %+v %v", open, err)
	}
	// The suppression list outlives the backup: she cannot be added or imported back.
	if _, err := f.b.Members.Create(ctx, members.CreateInput{Name: "Ann", Emails: []string{"ANN@example.org"}}); err == nil {
		t.Fatal("ann was added back")
	}
	merged, err := f.b.Members.Merge(ctx, []members.CreateInput{{Name: "Ann", Emails: []string{"ann@example.org"}}}, members.MergeOptions{})
	if err != nil || len(merged) != 1 || merged[0].MemberID != "" {
		t.Fatalf("an import brought ann back: %+v %v", merged, err)
	}
	// Her erasure is in the restored audit log.
	entries, err := f.b.Audit.List(ctx, ann.ID, 100)
	if err != nil || !slices.ContainsFunc(entries, func(e audit.Entry) bool { return e.Action == audit.MemberErased }) {
		t.Fatalf("%+v %v", entries, err)
	}
}

func TestRetentionKeepsTheLastDayAndSevenDailyAndFourWeeklyBackups(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC) // a Monday
	var list []backup.Backup
	add := func(at time.Time, reason backup.Reason) string {
		id := at.Format("20060102T150405Z") + "-" + string(reason)
		list = append(list, backup.Backup{ID: id, At: at, Reason: reason})
		return id
	}
	var want []string
	// Today: every backup of the last 24 hours.
	want = append(want, add(now.Add(-time.Hour), backup.ReasonImport), add(now.Add(-2*time.Hour), backup.ReasonDaily))
	// 60 days of dailies, the last 7 days' (today included) newest, then one per week.
	for d := 1; d <= 60; d++ {
		id := add(now.AddDate(0, 0, -d).Add(-3*time.Hour), backup.ReasonDaily)
		if d <= 6 {
			want = append(want, id)
		}
	}
	keep := backup.Keep(list, now)
	for _, id := range want {
		if !keep[id] {
			t.Errorf("%s not kept", id)
		}
	}
	// 7 days from today back (Dec 1 to Dec 7), and the newest of the 4 most recent weeks:
	// weeks 50 (today) and 49 (Nov 30 - Dec 6) have theirs already, weeks 48 and 47 add
	// their Sundays.
	for _, day := range []string{"20261129", "20261122"} {
		if !keep[day+"T060000Z-daily"] {
			t.Errorf("weekly %s not kept", day)
		}
	}
	if len(keep) != len(want)+2 {
		t.Errorf("%d kept, want %d: %v", len(keep), len(want)+2, keep)
	}

	// A day of many imports keeps the newest KeepRecent of them (and the day's newest).
	var burst []backup.Backup
	for i := range 30 {
		at := now.Add(-time.Duration(i) * 10 * time.Minute)
		burst = append(burst, backup.Backup{ID: at.Format("20060102T150405Z") + "-import", At: at, Reason: backup.ReasonImport})
	}
	if keep := backup.Keep(burst, now); len(keep) != backup.KeepRecent || !keep[burst[0].ID] || keep[burst[backup.KeepRecent].ID] {
		t.Errorf("%d of 30 backups of the last hours kept: %v", len(keep), keep)
	}
}

func TestPruningDeletesWhatRetentionDoesNotKeep(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var first string
	for d := 0; d < 40; d++ {
		b, err := f.b.Backups.Create(ctx, backup.ReasonDaily)
		if err != nil {
			t.Fatal(err)
		}
		if d == 0 {
			first = b.ID
		}
		f.clock.Advance(24 * time.Hour)
	}
	list, err := f.b.Backups.List()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) > backup.KeepDaily+backup.KeepWeekly || len(list) < backup.KeepDaily {
		t.Fatalf("%d backups kept", len(list))
	}
	if _, err := f.b.Backups.Get(first); !errors.Is(err, errs.NotFound) {
		t.Fatalf("the oldest backup is still there: %v", err)
	}
	if took, err := f.b.Backups.Daily(ctx, f.clock.Now()); err != nil || !took {
		t.Fatalf("daily: %v %v", took, err)
	}
	if took, err := f.b.Backups.Daily(ctx, f.clock.Now().Add(time.Hour)); err != nil || took {
		t.Fatalf("a second daily backup an hour later: %v %v", took, err)
	}
}

func TestAMigrationIsPrecededByABackup(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	ws, err := workspace.Open(ctx, dir, workspace.Options{Clock: clk, Migrations: migrations(1)})
	if err != nil {
		t.Fatal(err)
	}
	_ = ws.Close()
	ws, err = workspace.Open(ctx, dir, workspace.Options{Clock: clk, Migrations: migrations(2)})
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	list, err := backup.NewService(dir, ws.Store, clk, nil).List()
	if err != nil || len(list) != 1 || list[0].Reason != backup.ReasonMigration || list[0].SchemaVersion != 1 {
		t.Fatalf("%+v %v", list, err)
	}
}

func migrations(n int) []store.Migration {
	ms := make([]store.Migration, n)
	for i := range ms {
		ms[i] = store.Migration{Version: i + 1, Name: "test", Up: func(context.Context, *store.Store) error { return nil }}
	}
	return ms
}

func TestAnImportAndAnErasureAreEachPrecededByABackup(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	csv := filepath.Join(t.TempDir(), "people.csv")
	if err := os.WriteFile(csv, []byte("email,name\nann@example.org,Ann\nbob@example.org,Bob\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := f.b.Imports.Run(ctx, imports.Request{Path: csv, DryRun: true}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if list, _ := f.b.Backups.List(); len(list) != 0 {
		t.Fatalf("a dry run took a backup: %+v", list)
	}
	if _, err := f.b.Imports.Run(ctx, imports.Request{Path: csv}, nil, nil); err != nil {
		t.Fatal(err)
	}
	list, err := f.b.Backups.List()
	if err != nil || len(list) != 1 || list[0].Reason != backup.ReasonImport || list[0].Members != 0 {
		t.Fatalf("%+v %v", list, err)
	}
	f.clock.Advance(time.Minute)
	p, err := f.b.Members.List(ctx, members.ListQuery{Search: "ann", Limit: 1})
	if err != nil || len(p.Items) != 1 {
		t.Fatalf("%+v %v", p, err)
	}
	if err := f.b.GDPR.Erase(ctx, p.Items[0].ID, "ann@example.org"); err != nil {
		t.Fatal(err)
	}
	list, err = f.b.Backups.List()
	if err != nil || len(list) != 2 || list[0].Reason != backup.ReasonErasure || list[0].Members != 2 {
		t.Fatalf("%+v %v", list, err)
	}
}

func TestRestoringTheOldestBackupKeptWorksOnTheFirstDayItWouldBePrunedOn(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.add("Ann", "ann@example.org")
	var oldest backup.Backup
	for d := 0; d < backup.KeepDaily; d++ {
		b, err := f.b.Backups.Create(ctx, backup.ReasonDaily)
		if err != nil {
			t.Fatal(err)
		}
		if d == 0 {
			oldest = b
		}
		f.clock.Advance(24 * time.Hour)
		f.add("Member "+string(rune('a'+d)), string(rune('a'+d))+"@example.org")
	}
	// A new day's backup (the one a restore takes first) would push the oldest out.
	if keep := backup.Keep(append(mustList(t, f), backup.Backup{ID: "new", At: f.clock.Now()}), f.clock.Now()); keep[oldest.ID] {
		t.Fatalf("the oldest backup is still kept a week later: %v", keep)
	}
	if _, err := f.b.Backups.Prepare(ctx, oldest.ID); err != nil {
		t.Fatal(err)
	}
	f.reopen()
	if n := f.count(); n != 1 {
		t.Fatalf("%d members, want the oldest backup's 1", n)
	}
}

func mustList(t *testing.T, f *fixture) []backup.Backup {
	t.Helper()
	list, err := f.b.Backups.List()
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestASwapCutShortByACrashIsCompletedOrUndoneAtTheNextOpen plays the states a crash can leave
// between Finish's renames.
func TestASwapCutShortByACrashIsCompletedOrUndoneAtTheNextOpen(t *testing.T) {
	mk := func(t *testing.T, dir string, names ...string) {
		for _, n := range names {
			if err := os.MkdirAll(filepath.Join(dir, n), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, n, "which"), []byte(n), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	which := func(t *testing.T, dir string) string {
		b, err := os.ReadFile(filepath.Join(dir, "db", "which"))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for _, c := range []struct {
		name     string
		dirs     []string
		restored bool
		want     string
	}{
		{"prepared, not swapped", []string{"db", "db.restored", "cache"}, true, "db.restored"},
		{"crash after db was moved aside", []string{"db.replaced", "db.restored"}, true, "db.restored"},
		{"crash before the replaced one was deleted", []string{"db", "db.replaced"}, false, "db"},
		{"a prepare cut short", []string{"db", "db.restoring"}, false, "db"},
		{"nothing to do", []string{"db"}, false, "db"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			mk(t, dir, c.dirs...)
			restored, err := backup.Finish(dir)
			if err != nil || restored != c.restored {
				t.Fatalf("%v %v", restored, err)
			}
			if got := which(t, dir); got != c.want {
				t.Fatalf("db/ is %s, want %s", got, c.want)
			}
			for _, gone := range []string{"db.restored", "db.replaced", "db.restoring"} {
				if _, err := os.Stat(filepath.Join(dir, gone)); err == nil {
					t.Errorf("%s left behind", gone)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "cache")); c.restored && err == nil {
				t.Error("the snapshots of the replaced database are still there")
			}
		})
	}
}

func TestARestoreKeepsAConsentWithdrawnAfterTheBackup(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	bob := f.add("Bob", "bob@example.org")
	purposes, err := f.b.Consent.Purposes(ctx)
	if err != nil || len(purposes) == 0 {
		t.Fatalf("%v %v", purposes, err)
	}
	in := consent.Input{MemberID: bob.ID, Purpose: purposes[0].ID, By: "test", Method: consent.MethodForm}
	if _, err := f.b.Consent.Grant(ctx, in); err != nil {
		t.Fatal(err)
	}
	bk, err := f.b.Backups.Create(ctx, backup.ReasonDaily)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	if _, err := f.b.Consent.Withdraw(ctx, in); err != nil {
		t.Fatal(err)
	}
	cleo := f.add("Cleo", "cleo@example.org") // not in the backup: her consent is not brought in
	if _, err := f.b.Consent.Grant(ctx, consent.Input{MemberID: cleo.ID, Purpose: purposes[0].ID, By: "test", Method: consent.MethodForm}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.b.Backups.Prepare(ctx, bk.ID); err != nil {
		t.Fatal(err)
	}
	f.reopen()
	sum, err := f.b.Consent.Summary(ctx, bob.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range sum {
		if st.Purpose == purposes[0].ID && st.State != consent.StateWithdrawn {
			t.Fatalf("bob's consent after the restore: %+v", st)
		}
	}
	if hist, err := f.b.Consent.History(ctx, bob.ID); err != nil || len(hist) != 2 {
		t.Fatalf("bob's history: %+v %v", hist, err)
	}
	if hist, err := f.b.Consent.History(ctx, cleo.ID); err != nil || len(hist) != 0 {
		t.Fatalf("cleo's history: %+v %v", hist, err)
	}
}

func TestWhatWasPublishedAfterTheBackupStaysPublishedAfterARestore(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	entry := func(key string) outbox.Entry {
		return outbox.Entry{Key: key, Source: "calendar", Ref: "item", Kind: "post", Channels: []string{"masto"}, Title: key}
	}
	enqueue := func(key string) {
		t.Helper()
		err := f.b.Workspace.Store.Update(ctx, func(tx *store.Tx) error { _, err := outbox.Enqueue(tx, entry(key)); return err })
		if err != nil {
			t.Fatal(err)
		}
	}
	enqueue("before@1")
	bk, err := f.b.Backups.Create(ctx, backup.ReasonDaily)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	pending, err := f.b.Outbox.Pending(ctx, 0)
	if err != nil || len(pending) != 1 {
		t.Fatalf("%+v %v", pending, err)
	}
	if _, err := f.b.Outbox.MarkSent(ctx, pending[0].ID, "remote-1"); err != nil {
		t.Fatal(err)
	}
	enqueue("after@2")
	if _, err := f.b.Backups.Prepare(ctx, bk.ID); err != nil {
		t.Fatal(err)
	}
	f.reopen()
	// The entry sent since the backup is not pending again (it would be published twice); the
	// one queued since is still queued, once.
	pending, err = f.b.Outbox.Pending(ctx, 0)
	if err != nil || len(pending) != 1 || pending[0].Key != "after@2" {
		t.Fatalf("pending after the restore: %+v %v", pending, err)
	}
	err = f.b.Workspace.Store.Update(ctx, func(tx *store.Tx) error {
		created, err := outbox.Enqueue(tx, entry("before@1"))
		if created {
			t.Error("the entry sent since the backup was enqueued again: its key is free in the restored database")
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestWhatTheWindowWroteAfterPreparingARestoreIsKept: the window restarts a moment after
// Prepare; a post marked sent, or an address suppressed, in that moment is not undone.
func TestWhatTheWindowWroteAfterPreparingARestoreIsKept(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	err := f.b.Workspace.Store.Update(ctx, func(tx *store.Tx) error {
		_, err := outbox.Enqueue(tx, outbox.Entry{Key: "post@1", Source: "calendar", Ref: "item", Kind: "post", Channels: []string{"masto"}, Title: "post"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	bk, err := f.b.Backups.Create(ctx, backup.ReasonDaily)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.b.Backups.Prepare(ctx, bk.ID); err != nil {
		t.Fatal(err)
	}
	pending, err := f.b.Outbox.Pending(ctx, 0)
	if err != nil || len(pending) != 1 {
		t.Fatalf("%+v %v", pending, err)
	}
	if _, err := f.b.Outbox.MarkSent(ctx, pending[0].ID, "remote-1"); err != nil {
		t.Fatal(err)
	}
	f.reopen()
	if pending, err := f.b.Outbox.Pending(ctx, 0); err != nil || len(pending) != 0 {
		t.Fatalf("the post sent after Prepare is pending again: %+v %v", pending, err)
	}
}

func TestABackupThatWouldFillTheDiskIsRefusedAndTheWorkspaceStaysUsable(t *testing.T) {
	dir := t.TempDir()
	var free atomic.Uint64
	free.Store(1 << 40)
	st, err := store.Open(store.Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"),
		GCInterval: -1, FreeSpace: func(string) (uint64, error) { return free.Load(), nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ms := members.NewService(st, clock.System{}, nil)
	ctx := context.Background()
	// Over 2 MB of members: more than the megabyte a rounded "MB needed" may leave spare.
	for i := range 300 {
		if _, err := ms.Create(ctx, members.CreateInput{Name: fmt.Sprint("Membre ", i), Emails: []string{fmt.Sprintf("m%d@exemple.fr", i)},
			Notes: strings.Repeat("Notes de réunion. ", 450)}); err != nil {
			t.Fatal(err)
		}
	}
	if st.Size() == 0 {
		t.Fatal("the database takes no room on disk")
	}
	// Room for Badger's reserve and a little more, not for a copy of the database.
	free.Store(0)
	reserve := st.EnsureFree(0)
	var e *errs.Error
	if !errors.As(reserve, &e) || e.Code != "disk_full" {
		t.Fatalf("EnsureFree on an empty disk: %v", reserve)
	}
	need, _ := strconv.ParseUint(e.Params["mb"], 10, 64)
	free.Store(need<<20 + 1024)
	_, err = backup.Write(ctx, dir, st, backup.ReasonManual, time.Now())
	if !errors.As(err, &e) || e.Code != "disk_full" {
		t.Fatalf("a backup bigger than the room left: %v, want disk_full", err)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, backup.Dir, "*")); len(files) != 0 {
		t.Fatalf("a refused backup left files: %v", files)
	}
	if _, err := ms.Create(ctx, members.CreateInput{Name: "Après", Emails: []string{"apres@exemple.fr"}}); err != nil {
		t.Fatalf("the workspace is not usable after a refused backup: %v", err)
	}
}
