// Package store is Hearth's only door to Badger.
//
// It owns the key layout (see docs/ARCHITECTURE.md), typed record codecs, secondary and unique
// indexes written in the same transaction as their record, hybrid-logical-clock stamps and
// replica ids on every write, tombstones for deletes, retries on transaction conflicts, batched
// bulk writes, forward-only schema migrations and value-log garbage collection. Domain packages
// describe their records as a Collection and never see a Badger type.
package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/hlc"
)

// Options configure Open.
type Options struct {
	// Dir is the Badger directory. Ignored when InMemory is set.
	Dir string
	// InMemory keeps everything in memory (tests where the disk is not the point).
	InMemory bool
	// Clock is the wall clock behind ids and HLC stamps; clock.System{} when nil.
	Clock clock.Clock
	// Logger receives Badger's warnings and errors; discarded when nil.
	Logger *slog.Logger
	// GCInterval is how often value-log garbage collection runs; 10 minutes when zero,
	// never when negative.
	GCInterval time.Duration
	// KeyringPath is the file holding the data keys of sealed records (see Collection.Subject);
	// kept in memory only when empty.
	KeyringPath string
	// SnapshotDir is where the views' snapshots are kept (see RegisterSnapshot); none are
	// kept when empty.
	SnapshotDir string
	// FreeSpace measures the room left on Dir's filesystem (see diskspace.go); the operating
	// system's answer when nil. Tests give a full disk here.
	FreeSpace FreeSpaceFunc
	// Existing says the database must already exist (the workspace holds data): a missing or
	// emptied Dir is then damage, refused, instead of a new empty database.
	Existing bool
}

// Store is an open database. Safe for concurrent use.
type Store struct {
	db      *badger.DB
	hlc     *hlc.Clock
	ids     *idSource
	replica string
	secret  []byte      // keys the hashes of Hashed indexes and suppression entries
	joined  atomic.Bool // a copy made by joining a teammate's bundle (store.Mine)
	macs    sync.Pool   // of hmac hashes keyed with secret: building one per lookup is costly
	keys    *keyring
	log     *slog.Logger
	snaps   snapshots
	decls   declarations // collections Check can verify record by record (Declare)
	views   checkers     // views Check verifies against their records (RegisterCheck)
	disk    diskGuard

	stopGC    chan struct{}
	gcDone    chan struct{}
	stopTrim  chan struct{}   // stops the trimmer of mapped pages (resident.go)
	trimDone  <-chan struct{} // closed when it has stopped
	closeOnce sync.Once
	closeErr  error
	closed    atomic.Bool
}

// maxConflictRetries bounds how often Update re-runs a transaction that lost a write race.
const maxConflictRetries = 50

// maxBlockedRetries bounds how long (20 ms each) Update waits for writes Badger blocks while a
// DropCollection rewrites its tables: a minute.
const maxBlockedRetries = 3000

// Open opens (creating if needed) the database described by opts.
func Open(opts Options) (*Store, error) {
	if opts.Clock == nil {
		opts.Clock = clock.System{}
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	bo := badgerOptions(opts)
	var verifiedTables []string
	var err error
	if !opts.InMemory {
		// Nothing may touch a damaged database: see preflight.go.
		if verifiedTables, err = preflight(opts.Dir, opts.SnapshotDir, opts.Existing); err != nil {
			return nil, inWorkspace(err, opts.Dir)
		}
	}
	keys, err := openKeyring(opts.KeyringPath, keyIndexPath(opts))
	if err != nil {
		if errors.Is(err, fs.ErrPermission) {
			return nil, errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "store: open keyring")
		}
		return nil, inWorkspace(damaged(CodeKeyringDamaged, "keyring", err), opts.Dir)
	}
	verified := opts.InMemory
	if !verified {
		// Read-only first, so that a keyring that does not match is refused before Badger
		// writes anything (a new value log, a truncated log tail). Not possible when a log
		// still has a crash's tail to cut, and not needed when the keyring file is untouched
		// since the last close (see verifyKeyringReadOnly): the keyring is then checked right
		// after the open.
		if verified, err = verifyKeyringReadOnly(bo, keys); err != nil {
			keys.close()
			return nil, inWorkspace(err, opts.Dir)
		}
	}
	disk, err := newDiskGuard(opts, bo)
	if err != nil {
		keys.close()
		return nil, err
	}
	db, err := openBadger(bo.WithReadOnly(disk.readOnly))
	if err != nil {
		keys.close()
		if IsDamage(err) {
			return nil, inWorkspace(err, opts.Dir)
		}
		if isNoSpace(err) {
			return nil, diskFull(opts.Dir, disk.reserve, err)
		}
		if strings.Contains(err.Error(), "Cannot acquire directory lock") {
			return nil, errs.Wrap(errs.Unavailable, "workspace_locked", err,
				fmt.Sprintf("store: %s is already open in another process", opts.Dir)).With("dir", opts.Dir)
		}
		return nil, errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "store: open "+opts.Dir)
	}
	if !verified {
		if err := verifyKeyring(db, keys); err != nil {
			_ = db.Close()
			keys.close()
			return nil, inWorkspace(err, opts.Dir)
		}
	}
	s := &Store{db: db, ids: newIDSource(opts.Clock), keys: keys, log: opts.Logger, disk: disk}
	if err := s.loadIdentity(opts.Clock); err != nil {
		_ = db.Close()
		return nil, err
	}
	s.snaps.dir, s.snaps.opened = opts.SnapshotDir, db.MaxVersion()
	if !disk.readOnly && len(verifiedTables) > 0 {
		if err := writeVerifiedTables(opts.SnapshotDir, verifiedTables); err != nil {
			s.log.Warn("store: cannot note the verified tables; the next open checks them again", "err", err)
		}
	}
	if !disk.readOnly {
		s.startGC(opts.GCInterval)
	}
	if !opts.InMemory {
		keyDir := ""
		if opts.KeyringPath != "" {
			keyDir = filepath.Dir(opts.KeyringPath)
		}
		s.stopTrim = make(chan struct{})
		s.trimDone = startTrimmer([]string{opts.Dir, keyDir, opts.SnapshotDir}, s.stopTrim)
	}
	return s, nil
}

// keyIndexPath is where the keyring's index is saved (keyidx.go): with the snapshots, which
// are also only shortcuts.
func keyIndexPath(opts Options) string {
	if opts.SnapshotDir == "" || opts.KeyringPath == "" {
		return ""
	}
	return filepath.Join(opts.SnapshotDir, "keyring.idx")
}

// badgerOptions sizes Badger for a laptop: small memtables and value-log files instead of
// Badger's server defaults (64 MiB memtables, 1 GiB value-log files), and bounded caches.
func badgerOptions(opts Options) badger.Options {
	bo := badger.DefaultOptions(opts.Dir)
	if opts.InMemory {
		bo = badger.DefaultOptions("").WithInMemory(true)
	}
	return bo.
		WithLogger(badgerLogger{opts.Logger}).
		WithMemTableSize(16 << 20).
		WithNumMemtables(3).
		WithValueLogFileSize(64 << 20).
		WithValueThreshold(4 << 10).
		WithBlockCacheSize(32 << 20).
		WithIndexCacheSize(16 << 20).
		WithNumCompactors(2).
		// Twice Badger's level-0 allowance: a bulk import merges its fresh tables into level 1
		// half as often (300,000 members: 4 % less CPU, peak memory 585 to 500 MB; about 20 %
		// less CPU at 1,000,000), for a point read that checks up to ten level-0 bloom filters.
		WithNumLevelZeroTables(10).
		WithNumLevelZeroTablesStall(20).
		WithNumVersionsToKeep(1).
		// No compression: sealed records do not compress anyway, and a byte scan of the files
		// (the erasure tests, anyone checking what a copied workspace holds) reads what is
		// there, not what a compressor happened to split.
		WithCompression(options.None).
		WithDetectConflicts(true).
		// A damaged block or value is an error when read, never wrong data (a CRC per block).
		WithChecksumVerificationMode(options.OnBlockRead).
		WithVerifyValueChecksum(true)
}

// Replica is the id of this copy of the workspace; it is written into every record's meta.
func (s *Store) Replica() string { return s.replica }

// NewID returns a new time-ordered unique id (a ULID).
func (s *Store) NewID() string { return s.ids.next() }

// Clock returns the store's hybrid logical clock.
func (s *Store) Clock() *hlc.Clock { return s.hlc }

// Close stops background work, persists the clock, saves the registered views' snapshots and
// closes the database. Safe to call twice. Nothing may write once Close has started.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		if s.stopGC != nil {
			close(s.stopGC)
			<-s.gcDone
		}
		if s.stopTrim != nil {
			close(s.stopTrim)
			<-s.trimDone
		}
		var err1, err2 error
		// A process that committed nothing (a search, a get, a report) leaves the database as it
		// found it: the newest witness is the one its keyring index was saved with and the clock
		// is as saved, and writing them again would cost a sync and, at Badger's close, one more
		// table holding only them.
		witness, idle := s.keys.idleSince(s.db.MaxVersion() == s.snaps.opened)
		if !s.disk.readOnly { // a full disk: nothing may be written, not even the clock
			_, _, err2 = s.keys.flush(true)
			if !idle {
				// Before the snapshots, which are stamped with Badger's version at their save.
				var werr error
				witness, werr = s.saveKeyringWitness()
				err1 = errors.Join(s.saveClock(), werr)
			}
			s.saveSnapshots()
			_, _, ferr := s.keys.flush(true) // the snapshots' key, when it is new
			err2 = errors.Join(err2, ferr)
			if err1 == nil && err2 == nil {
				if err := s.keys.saveIndex(s.keys.idxPath, witness); err != nil {
					s.log.Warn("store: cannot save the keyring's index; the next open indexes the keyring again", "err", err)
				}
			}
		}
		err3 := s.db.Close()
		s.keys.close()
		if err3 == nil && !s.disk.readOnly {
			if err := noteClosedFiles(s.db.Opts().Dir, s.snaps.dir); err != nil {
				s.log.Warn("store: cannot note the tables written; the next open checks them", "err", err)
			}
		}
		if err := errors.Join(err1, err2, err3); err != nil {
			s.closeErr = errs.Wrap(errs.Internal, "internal", err, "store: close")
		}
	})
	return s.closeErr
}

// Update runs fn in a read-write transaction and commits it, re-running fn when the commit
// loses a race with another transaction. fn must not have side effects outside tx.
func (s *Store) Update(ctx context.Context, fn func(tx *Tx) error) error {
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return errs.Wrap(errs.Unavailable, "cancelled", err, "store: update cancelled")
		}
		if err := s.disk.check(0); err != nil {
			return err
		}
		err := s.commit(fn)
		if errors.Is(err, badger.ErrBlockedWrites) && !s.closed.Load() && attempt < maxBlockedRetries {
			// A DropCollection holds writes while it rewrites tables: wait for it.
			time.Sleep(20 * time.Millisecond)
			continue
		}
		if errors.Is(err, badger.ErrConflict) && attempt < maxConflictRetries {
			// Growing, jittered waits: writers that collided do not all come back together.
			wait := time.Duration(min(attempt+1, 10)) * time.Millisecond
			time.Sleep(wait/2 + rand.N(wait))
			continue
		}
		if isNoSpace(err) { // the disk filled up behind the check (another program): free the reserve
			return diskFull(s.disk.dir, s.disk.reserve, err)
		}
		return wrapBadger(err, "store: update")
	}
}

// commit runs fn in a new transaction and commits it, after syncing any data keys fn created:
// a committed sealed record always has its key on disk.
func (s *Store) commit(fn func(tx *Tx) error) error {
	txn := s.db.NewTransaction(true)
	defer txn.Discard()
	if err := fn(&Tx{txn: txn, s: s}); err != nil {
		return err
	}
	st, wrote, err := s.keys.flush(false)
	if isNoSpace(err) {
		return err // Update says disk_full
	}
	if err != nil {
		return errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "store: write keyring")
	}
	if wrote {
		// The witness of the keys this transaction needs commits with it (keyringcheck.go).
		if err := recordKeyring(txn, st); err != nil {
			return err
		}
	}
	return txn.Commit()
}

// EraseSubjects runs fn (which should delete the subjects' records) as a durable update, then
// destroys the subjects' data keys, and those fn named with Tx.ShredSubject. From then on, every
// sealed record about them, including old versions still lying in Badger's files, is unreadable
// ciphertext.
func (s *Store) EraseSubjects(ctx context.Context, subjects []string, fn func(tx *Tx) error) error {
	var shred []string
	err := s.UpdateDurable(ctx, func(tx *Tx) error {
		shred = shred[:0] // a retried transaction starts again
		tx.shred = &shred
		if err := fn(tx); err != nil {
			return err
		}
		// The erasure is recorded, so that copies of the workspace learn it (backend/team) and
		// no merge brings a record about the person back.
		stamp := binary.BigEndian.AppendUint64(nil, uint64(s.hlc.Now()))
		for _, subject := range subjects {
			if err := tx.txn.Set(erasureKey(subject), stamp); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	subjects = append(slices.Clone(subjects), shred...)
	// The snapshots' key goes with the people's: every snapshot saved so far held them.
	record := func(st keyringState) error {
		err := s.db.Update(func(txn *badger.Txn) error { return recordKeyring(txn, st) })
		return errors.Join(err, s.db.Sync())
	}
	if err := s.keys.destroy(record, append(subjects, snapshotSubject)...); err != nil {
		return errs.Wrap(errs.Internal, "erase_incomplete", err, "store: destroy data keys")
	}
	if err := s.dropSnapshots(); err != nil {
		return errs.Wrap(errs.Internal, "erase_incomplete", err, "store: delete snapshots")
	}
	return nil
}

// UpdateDurable is Update followed by a sync of Badger's files to disk, for writes that must
// survive a power cut (consent evidence, erasure).
func (s *Store) UpdateDurable(ctx context.Context, fn func(tx *Tx) error) error {
	if err := s.Update(ctx, fn); err != nil {
		return err
	}
	if s.closed.Load() { // Badger's Sync panics on a closed database
		return errs.New(errs.Unavailable, "workspace_unavailable", "store: closed")
	}
	if _, _, err := s.keys.flush(true); err != nil {
		return errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "store: sync keyring")
	}
	return wrapBadger(s.db.Sync(), "store: sync")
}

// View runs fn in a read-only transaction that sees one consistent snapshot.
func (s *Store) View(fn func(tx *Tx) error) error {
	return wrapBadger(s.db.View(func(txn *badger.Txn) error { return fn(&Tx{txn: txn, s: s}) }), "store: view")
}

// bulkChunk is how many items Bulk writes per transaction, well under Badger's per-transaction
// limits at our memtable size even for records with several index entries.
const bulkChunk = 256

// Bulk calls fn for items 0..n-1, committing every few hundred items, and reports progress
// (items committed so far) after each commit. It stops at the first error or cancellation;
// items committed before then stay written, so callers validate everything before calling it.
func (s *Store) Bulk(ctx context.Context, n int, fn func(tx *Tx, i int) error, progress func(done int)) error {
	return s.BulkThen(ctx, n, fn, nil, progress)
}

// BulkThen is Bulk calling then, when not nil, with each transaction's items [start, end) before
// it commits: for what is written once per transaction rather than per item (a view's pages).
func (s *Store) BulkThen(ctx context.Context, n int, fn func(tx *Tx, i int) error, then func(tx *Tx, start, end int) error, progress func(done int)) error {
	chunk := bulkChunk
	for start := 0; start < n; {
		end := min(start+chunk, n)
		err := s.Update(ctx, func(tx *Tx) error {
			for i := start; i < end; i++ {
				if err := fn(tx, i); err != nil {
					return err
				}
			}
			if then != nil {
				return then(tx, start, end)
			}
			return nil
		})
		if errors.Is(err, badger.ErrTxnTooBig) && chunk > 1 {
			chunk /= 2
			continue
		}
		if err != nil {
			return err
		}
		start = end
		if progress != nil {
			progress(end)
		}
	}
	return nil
}

func wrapBadger(err error, msg string) error {
	if err == nil {
		return nil
	}
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, badger.ErrDBClosed) {
		return errs.Wrap(errs.Unavailable, "workspace_unavailable", err, msg)
	}
	if isNoSpace(err) {
		return diskFull("", 1<<20, err)
	}
	if strings.Contains(err.Error(), "checksum mismatch") || strings.Contains(err.Error(), "checksum validation failed") {
		return damaged(CodeDataDamaged, "db", err)
	}
	return errs.Wrap(errs.Internal, "internal", err, msg)
}

// startGC runs value-log garbage collection periodically: Badger never reclaims value-log
// space on its own.
func (s *Store) startGC(every time.Duration) {
	if every < 0 {
		return
	}
	if every == 0 {
		every = 10 * time.Minute
	}
	s.stopGC, s.gcDone = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(s.gcDone)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-s.stopGC:
				return
			case <-t.C:
				s.collectGarbage()
				if _, _, err := s.keys.flush(true); err != nil {
					s.log.Warn("store: sync keyring", "err", err)
				}
				if err := s.saveClock(); err != nil {
					s.log.Warn("store: save clock", "err", err)
				}
			}
		}
	}()
}

// collectGarbage rewrites value-log files that are at least half garbage, until none is left.
func (s *Store) collectGarbage() { s.reclaim(16) }

// Reclaim rewrites the value-log files that are mostly garbage, up to files of them, after a bulk
// write (an import) that rewrote the same large values many times (the member directory's last
// page and root, once per batch): a short command never lives the ten minutes the periodic
// collection waits. It stops early when nothing is left to reclaim, or the store closes.
func (s *Store) Reclaim(files int) {
	if s.disk.readOnly || s.closed.Load() {
		return
	}
	s.reclaim(files)
}

func (s *Store) reclaim(files int) {
	for i := 0; i < files; i++ {
		select {
		case <-s.stopGC:
			return
		default:
		}
		if err := s.db.RunValueLogGC(0.5); err != nil {
			if !errors.Is(err, badger.ErrNoRewrite) && !errors.Is(err, badger.ErrRejected) {
				s.log.Warn("store: value log gc", "err", err)
			}
			return
		}
	}
}

// badgerLogger forwards Badger's warnings and errors to slog and drops its chatter.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any) {
	b.l.Error("badger: " + strings.TrimSpace(fmt.Sprintf(f, a...)))
}
func (b badgerLogger) Warningf(f string, a ...any) {
	b.l.Warn("badger: " + strings.TrimSpace(fmt.Sprintf(f, a...)))
}
func (b badgerLogger) Infof(string, ...any)  {}
func (b badgerLogger) Debugf(string, ...any) {}
