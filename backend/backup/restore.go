package backup

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// Restore is what preparing a restore did.
type Restore struct {
	// Backup is the backup restored.
	Backup Backup `json:"backup"`
	// Replaced is the backup of the database the restore replaces (reason "restore"): the
	// restore itself can be undone by restoring it.
	Replaced Backup `json:"replaced"`
	// Erased is how many people the backup held who were erased since: they stay erased.
	Erased int `json:"erased"`
	// Suppressions is how many suppression entries the restored database keeps from now.
	Suppressions int `json:"suppressions"`
}

// Prepare readies the restore of backup id; it takes effect at the next open of the workspace
// (Finish), so the caller closes the workspace (the CLI) or restarts the window next. The live
// database is backed up first (Restore.Replaced). The restored database keeps every erasure made
// after the backup: the live suppression list is copied in, the records of people whose data
// keys are gone become tombstones, and forget runs the domains' forgetters for them.
func (s *Service) Prepare(ctx context.Context, id string) (Restore, error) {
	b, err := s.Get(id)
	if err != nil {
		return Restore{}, err
	}
	latest, err := s.st.SchemaVersion()
	if err != nil {
		return Restore{}, err
	}
	if b.SchemaVersion > latest {
		return Restore{}, errs.New(errs.Invalid, "backup_too_new", "backup: "+id+" was written by a newer Hearth").With("id", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Pruned only once the restore is prepared: a new backup may push the chosen one out.
	replaced, err := Write(ctx, s.wsDir, s.st, ReasonRestore, s.clock.Now())
	if err != nil {
		return Restore{}, err
	}
	defer func() { _, _ = s.prune() }()
	work := filepath.Join(s.wsDir, restoringDir)
	if err := os.RemoveAll(work); err != nil {
		return Restore{}, fsErr(err, "clear "+work)
	}
	out := Restore{Backup: b, Replaced: replaced}
	if err := s.build(ctx, id, work, &out); err != nil {
		_ = os.RemoveAll(work)
		return Restore{}, err
	}
	done := filepath.Join(s.wsDir, restoredDir)
	if err := os.RemoveAll(done); err != nil {
		_ = os.RemoveAll(work)
		return Restore{}, fsErr(err, "clear "+done)
	}
	if err := os.Rename(work, done); err != nil {
		_ = os.RemoveAll(work)
		return Restore{}, fsErr(err, "rename "+work)
	}
	syncDir(s.wsDir)
	return out, nil
}

// build loads backup id into dir and makes it keep the erasures made since.
func (s *Service) build(ctx context.Context, id, dir string, out *Restore) error {
	f, err := os.Open(filepath.Join(s.Dir(), id+ext))
	if err != nil {
		return errs.Wrap(errs.Unavailable, "backup_unreadable", err, "backup: open "+id).With("id", id)
	}
	defer f.Close()
	// The restored database takes about what its backup does, and Badger's files grow in steps:
	// room for twice the backup is asked before loading it.
	if fi, err := f.Stat(); err == nil {
		if err := s.st.EnsureFree(2 * uint64(fi.Size())); err != nil {
			return err
		}
	}
	r := bufio.NewReaderSize(f, 64<<10)
	if _, err := readHeader(r); err != nil {
		return errs.Wrap(errs.Invalid, "backup_corrupt", err, "backup: "+id+" is not a Hearth backup").With("id", id)
	}
	if err := store.LoadBackup(dir, r); err != nil {
		return err
	}
	rec, err := s.st.Reconcile(dir, reconcileOptions)
	if err != nil {
		return err
	}
	out.Suppressions = rec.Suppressions
	var people []string
	for _, subject := range rec.Subjects {
		if !strings.Contains(subject, ":") { // "store:snapshots", "connection:<id>" are not people
			people = append(people, subject)
		}
	}
	out.Erased = len(people)
	if s.forget == nil || len(people) == 0 {
		return ctx.Err()
	}
	// The restored database, opened with the live keyring: forgetters only delete, so no key
	// is created in it.
	restored, err := store.Open(store.Options{Dir: dir, KeyringPath: filepath.Join(s.wsDir, keyringFile), Clock: s.clock, GCInterval: -1})
	if err != nil {
		return err
	}
	err = s.forget(ctx, restored, people)
	return errors.Join(err, restored.Close())
}

const keyringFile = "keyring" // workspace.KeyringFile

// appendOnly are the collections a restore keeps the newer records of: consent evidence is
// only ever added to (a withdrawal is a new event), so a restore must not undo one made since
// the backup (consent.events).
var appendOnly = []string{"consent_event"}

// keepLive are the collections whose live state a restore keeps whole: what was published or
// sent stays so (the outbox and each platform's deliveries, the calendar's occurrences,
// newsletters and their per-recipient deliveries, the automations' e-mails), so that a restore
// never publishes or sends anything a second time.
var keepLive = []string{"outbox", "sync_delivery", "cal_occurrence", "newsletter", "newsletter_delivery", "mail_once"}

var reconcileOptions = store.ReconcileOptions{AppendOnly: appendOnly, KeepLive: keepLive, SubjectCollection: memberColl}

// Finish swaps a prepared restore in for the workspace's database and deletes the views'
// snapshots; workspace.Open calls it, lock held, before opening the database. It reports
// whether it restored. It also completes a swap a crash interrupted, and clears what an
// interrupted Prepare left.
func Finish(wsDir string) (bool, error) {
	db := filepath.Join(wsDir, "db")
	restored := filepath.Join(wsDir, restoredDir)
	replaced := filepath.Join(wsDir, replacedDir)
	if err := os.RemoveAll(filepath.Join(wsDir, restoringDir)); err != nil {
		return false, fsErr(err, "clear "+restoringDir)
	}
	if !exists(restored) {
		if exists(replaced) {
			if !exists(db) { // a crash between the two renames of an earlier swap... undone
				return false, fsErr(os.Rename(replaced, db), "rename "+replaced)
			}
			return false, fsErr(os.RemoveAll(replaced), "delete "+replaced)
		}
		return false, nil
	}
	if exists(db) {
		catchUp(wsDir, db, restored)
		if err := os.RemoveAll(replaced); err != nil {
			return false, fsErr(err, "delete "+replaced)
		}
		if err := os.Rename(db, replaced); err != nil {
			return false, fsErr(err, "rename "+db)
		}
	}
	if err := os.Rename(restored, db); err != nil {
		return false, fsErr(err, "rename "+restored)
	}
	syncDir(wsDir)
	// The replaced database is in a backup (Restore.Replaced); the snapshots were of it.
	if err := errors.Join(os.RemoveAll(replaced), os.RemoveAll(filepath.Join(wsDir, cacheDir))); err != nil {
		return true, fsErr(err, "delete the replaced database")
	}
	return true, nil
}

// Pending reports whether a prepared restore waits for the next open.
func Pending(wsDir string) bool { return exists(filepath.Join(wsDir, restoredDir)) }

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}

func fsErr(err error, what string) error {
	if err == nil {
		return nil
	}
	return errs.Wrap(errs.Unavailable, "restore_failed", err, "backup: "+what)
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}

// catchUp reconciles the prepared database with the one it replaces once more, as the process
// that prepared the restore left it: what that process wrote after Prepare (a job's post marked
// sent, an unsubscribe, an erasure in the seconds before the window closed) is kept as Prepare
// kept the rest. Reconciling is idempotent. Best effort: Prepare reconciled already, so a
// database that does not open only loses those last seconds.
func catchUp(wsDir, db, restored string) {
	live, err := store.Open(store.Options{Dir: db, KeyringPath: filepath.Join(wsDir, keyringFile), GCInterval: -1, Existing: true})
	if err != nil {
		return
	}
	_, _ = live.Reconcile(restored, reconcileOptions)
	_ = live.Close()
}
