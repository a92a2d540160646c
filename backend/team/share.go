package team

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"filippo.io/age"

	"hearth/backend/bundle"
	"hearth/backend/errs"
	"hearth/backend/hlc"
	"hearth/backend/privatefile"
	"hearth/backend/store"
)

// The shared folder: a team that syncs one folder between its laptops (Nextcloud, Syncthing,
// Dropbox, a network share) shares a workspace without a server. Each copy writes its whole
// bundle there as <replica>.hearth, encrypted to every teammate's public key, and merges the
// files of the others. A copy only ever writes its own file, so two copies never write the same
// file; a file the sync tool duplicated in a conflict ("x (conflicted copy).hearth",
// "x.sync-conflict-….hearth") is merged like any other, which is safe because merging is
// idempotent and commutative.

// ShareExt ends the name of every bundle in a shared folder.
const ShareExt = ".hearth"

// ShareEvery is how often the window's background job shares through the folder.
const ShareEvery = 5 * time.Minute

// The status of one file of the folder after a run (ShareFile.Status).
const (
	// ShareMerged: the file was merged.
	ShareMerged = "merged"
	// ShareUpToDate: the file is the one merged before (same size and time, or the same bundle
	// under another name or time): nothing to do.
	ShareUpToDate = "upToDate"
	// ShareFailed: the file could not be merged (ShareFile.Error says why); the others were.
	ShareFailed = "failed"
)

// ShareSetting is the shared folder of this copy and what its last run did. It belongs to this
// copy only (a folder's path is one machine's): it never travels in bundles.
type ShareSetting struct {
	// On says the window shares through the folder at start and every ShareEvery.
	On bool `json:"on"`
	// Folder is the absolute path of the shared folder (kept when sharing is turned off).
	Folder string `json:"folder"`
	// File is the name of this copy's bundle in the folder: <replica>.hearth.
	File string `json:"file"`
	// LastRun is what the last run did (without the conflicts' values, which ShareNow returns
	// once); nil before the first.
	LastRun *ShareRun `json:"lastRun,omitempty"`
	// LastError is why the last run failed as a whole (the folder could not be read, this copy's
	// file could not be written), nil when it did not.
	LastError *errs.Error `json:"lastError,omitempty"`
}

// ShareInput is what a caller sends to change the shared folder. Turning sharing off keeps the
// folder for the next time.
type ShareInput struct {
	On     bool   `json:"on"`
	Folder string `json:"folder"`
}

// ShareRun is what one run through the shared folder did.
type ShareRun struct {
	At     time.Time `json:"at"`
	Folder string    `json:"folder"`
	// Files are the teammates' files found in the folder, by name.
	Files []ShareFile `json:"files"`
	// Wrote says this copy's file was written (it changed since the last one); Records is how
	// many records that file holds.
	Wrote   bool `json:"wrote"`
	Records int  `json:"records"`
	// NoKey names the teammates whose public key this copy does not know yet (their copy has
	// not written to the folder since they joined): they cannot open this copy's file until it
	// has merged one of theirs.
	NoKey []string `json:"noKey"`
	// Conflicts are the fields both sides changed, from every merge of the run (the newer value
	// won). Only the run ShareNow returns has them: they hold members' values, which the
	// setting does not keep.
	Conflicts []Conflict `json:"conflicts"`
}

// ShareFile is what a run did with one teammate's file.
type ShareFile struct {
	Name string `json:"name"`
	// Replica and Teammate say whose copy wrote it, once the file was opened.
	Replica  string `json:"replica,omitempty"`
	Teammate string `json:"teammate,omitempty"`
	// Status is ShareMerged, ShareUpToDate or ShareFailed.
	Status string `json:"status"`
	// Error is why the file was not merged (bundle_wrong_key: it is not encrypted to this copy's
	// key yet; bundle_damaged, bundle_truncated: damaged, or still being synced;
	// bundle_other_workspace ...).
	Error *errs.Error `json:"error,omitempty"`
	// What the merge did (see Report), conflicts counted.
	Added      int `json:"added"`
	Updated    int `json:"updated"`
	Deleted    int `json:"deleted"`
	Erased     int `json:"erased"`
	Unchanged  int `json:"unchanged"`
	Duplicates int `json:"duplicates"`
	Conflicts  int `json:"conflicts"`
}

// shareRecord is the setting as it is stored (collection team_share, id "share", local only),
// with what the runs need to tell a changed file: the files merged and the file written.
type shareRecord struct {
	ShareSetting
	// Seen are the files merged from the folder, by name.
	Seen map[string]seenFile `json:"seen,omitempty"`
	// Wrote is this copy's file as last written.
	Wrote *wroteFile `json:"wrote,omitempty"`
}

// seenFile is a teammate's file as it was when merged: a file of the same size and time is not
// opened again, and a bundle with the same manifest (the same export, copied or touched) is not
// merged again.
type seenFile struct {
	Size      int64                    `json:"size"`
	ModTime   time.Time                `json:"modTime"`
	Replica   string                   `json:"replica"`
	Teammate  string                   `json:"teammate,omitempty"`
	CreatedAt time.Time                `json:"createdAt"`
	Clock     map[string]hlc.Timestamp `json:"clock,omitempty"`
}

func (f seenFile) sameBundle(m bundle.Manifest) bool {
	return f.Replica == m.Replica && f.CreatedAt.Equal(m.CreatedAt) && maps.Equal(f.Clock, m.Clock)
}

// wroteFile is this copy's file as last written: its size and time (a file replaced or deleted
// by someone else is written again) and the digest of what it holds (see contentDigest).
type wroteFile struct {
	Folder  string    `json:"folder"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"modTime"`
	Digest  string    `json:"digest"`
}

var shareCollection = &store.Collection[shareRecord]{Name: "team_share"}

const shareID = "share"

// Share returns the shared folder's setting and its last run.
func (s *Service) Share(context.Context) (ShareSetting, error) {
	var rec shareRecord
	err := s.st.View(func(tx *store.Tx) (err error) {
		rec, err = readShare(tx)
		return err
	})
	rec.File = s.ownFile()
	return rec.ShareSetting, err
}

func readShare(tx *store.Tx) (shareRecord, error) {
	rec, _, err := store.Get(tx, shareCollection, shareID)
	if errors.Is(err, errs.NotFound) {
		return shareRecord{}, nil
	}
	return rec, err
}

func (s *Service) ownFile() string { return s.st.Replica() + ShareExt }

// SetShare turns the shared folder on or off, or moves it. The folder must be an absolute path
// to a folder that exists (a sync tool's, typically); another folder starts afresh: every file
// in it is merged, and this copy's is written.
func (s *Service) SetShare(ctx context.Context, in ShareInput) (ShareSetting, error) {
	in.Folder = strings.TrimSpace(in.Folder)
	switch {
	case in.On && in.Folder == "":
		return ShareSetting{}, errs.Fields("team: no shared folder", errs.Field("folder", "required"))
	case in.Folder != "" && !filepath.IsAbs(in.Folder):
		return ShareSetting{}, errs.Fields("team: the shared folder is not an absolute path", errs.Field("folder", "absolute_path"))
	}
	if in.Folder != "" {
		in.Folder = filepath.Clean(in.Folder)
		if in.On {
			if err := checkFolder(in.Folder); err != nil {
				return ShareSetting{}, err
			}
		}
	}
	var out shareRecord
	err := s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		rec, err := readShare(tx)
		if err != nil {
			return err
		}
		if in.Folder != "" && in.Folder != rec.Folder {
			rec.Folder, rec.Seen, rec.Wrote, rec.LastRun, rec.LastError = in.Folder, nil, nil, nil, nil
		}
		rec.On = in.On
		out = rec
		_, err = store.Put(tx, shareCollection, shareID, rec)
		return err
	})
	out.File = s.ownFile()
	return out.ShareSetting, err
}

// checkFolder says whether dir is a folder that can be read.
func checkFolder(dir string) error {
	fi, err := os.Stat(dir)
	if err == nil && !fi.IsDir() {
		err = errors.New("not a folder")
	}
	if err == nil {
		var f *os.File
		if f, err = os.Open(dir); err == nil {
			_ = f.Close()
		}
	}
	if err != nil {
		return folderUnreadable(dir, err)
	}
	return nil
}

func folderUnreadable(dir string, err error) error {
	e := errs.Fields("team: the shared folder cannot be read: "+err.Error(), errs.Field("folder", "file_unreadable", "value", dir))
	e.Err = err
	return e
}

// ShareDue is the background job: a run through the shared folder when sharing is on (ran is
// false when it is off). The run's failure is also kept in the setting (LastError).
func (s *Service) ShareDue(ctx context.Context) (ran bool, err error) {
	set, err := s.Share(ctx)
	if err != nil || !set.On {
		return false, err
	}
	_, err = s.ShareNow(ctx)
	return true, err
}

// ShareNow shares through the folder once: it merges every teammate's file that changed since
// this copy last merged it, each on its own (one that cannot be opened or is damaged is reported
// and the others are still merged), then writes this copy's own file, atomically, if what it
// would hold changed since it was last written (or the file is gone). The file is encrypted to
// every teammate's public key this copy knows, its own included. The run is kept in the setting
// (without the conflicts' values) and returned. Sharing must be on.
func (s *Service) ShareNow(ctx context.Context) (ShareRun, error) {
	var rec shareRecord
	err := s.st.View(func(tx *store.Tx) (err error) {
		rec, err = readShare(tx)
		return err
	})
	if err != nil {
		return ShareRun{}, err
	}
	if !rec.On || rec.Folder == "" {
		return ShareRun{}, errs.Fields("team: sharing through a folder is off", errs.Field("folder", "required"))
	}
	run := ShareRun{At: s.clock.Now().UTC(), Folder: rec.Folder, Files: []ShareFile{}, NoKey: []string{}, Conflicts: []Conflict{}}
	runErr := s.share(ctx, &rec, &run)
	if ctx.Err() == nil { // a run cancelled (the window closing) is no failure: only its files are kept
		rec.LastError = errs.From(runErr)
		kept := run
		kept.Conflicts = []Conflict{}
		rec.LastRun = &kept
	}
	// Saved whatever happened, with a context of its own: a run cancelled half way (the window
	// closing) still remembers the files it merged.
	saveCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	err = s.st.Update(saveCtx, func(tx *store.Tx) error {
		cur, err := readShare(tx)
		if err != nil {
			return err
		}
		if cur.Folder != rec.Folder {
			return nil // moved meanwhile: this run's bookkeeping is of the old folder
		}
		rec.On = cur.On
		_, err = store.Put(tx, shareCollection, shareID, rec)
		return err
	})
	return run, errors.Join(runErr, err)
}

// share is one run: merge the teammates' files, then write this copy's.
func (s *Service) share(ctx context.Context, rec *shareRecord, run *ShareRun) error {
	if err := checkFolder(rec.Folder); err != nil {
		return err
	}
	entries, err := os.ReadDir(rec.Folder)
	if err != nil {
		return folderUnreadable(rec.Folder, err) // gone since it was checked
	}
	seen := map[string]seenFile{}
	own := s.ownFile()
	for _, e := range entries {
		name := e.Name()
		if name == own || !isBundleName(name) || e.IsDir() {
			continue
		}
		if err := ctx.Err(); err != nil {
			rec.Seen = keepSeen(rec.Seen, seen, entries)
			return err
		}
		f, sf := s.shareFile(ctx, rec.Seen, seen, filepath.Join(rec.Folder, name))
		f.Name = name
		if f.Status != ShareFailed {
			seen[name] = sf
		}
		run.Files = append(run.Files, f.ShareFile)
		run.Conflicts = append(run.Conflicts, f.conflicts...)
	}
	rec.Seen = seen
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.writeShared(ctx, rec, run)
}

// keepSeen is what a cancelled run remembers: the files it got to, and what was known of the
// others still in the folder.
func keepSeen(old, fresh map[string]seenFile, entries []os.DirEntry) map[string]seenFile {
	out := maps.Clone(fresh)
	for _, e := range entries {
		if f, ok := old[e.Name()]; ok {
			if _, done := out[e.Name()]; !done {
				out[e.Name()] = f
			}
		}
	}
	return out
}

// isBundleName says whether a file of the folder is a bundle to merge: a name ending in .hearth
// (whatever a sync tool put before it), not hidden (the temporary files of sync tools and of
// this copy's own writes start with a dot).
func isBundleName(name string) bool {
	return strings.HasSuffix(strings.ToLower(name), ShareExt) && !strings.HasPrefix(name, ".") && !strings.HasPrefix(name, "~")
}

// shareRunFile is ShareFile with the merge's conflicts, which the run returns once.
type shareRunFile struct {
	ShareFile
	conflicts []Conflict
}

// shareFile merges one teammate's file unless it is the one merged before, and says what it did
// and what to remember of the file.
// before are the files of earlier runs, now those of this run so far.
func (s *Service) shareFile(ctx context.Context, before, now map[string]seenFile, path string) (shareRunFile, seenFile) {
	var out shareRunFile
	fail := func(err error) (shareRunFile, seenFile) {
		out.Status, out.Error = ShareFailed, errs.From(err)
		return out, seenFile{}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return fail(errs.Wrap(errs.Unavailable, "bundle_unreadable", err, "team: shared file "+path))
	}
	name := filepath.Base(path)
	if prev, ok := before[name]; ok && prev.Size == fi.Size() && prev.ModTime.Equal(fi.ModTime()) {
		out.Status, out.Replica, out.Teammate = ShareUpToDate, prev.Replica, prev.Teammate
		return out, prev
	}
	m, err := s.peek(path)
	if err != nil {
		return fail(err)
	}
	out.Replica, out.Teammate = m.Replica, m.Teammate
	sf := seenFile{Size: fi.Size(), ModTime: fi.ModTime(), Replica: m.Replica, Teammate: m.Teammate, CreatedAt: m.CreatedAt, Clock: m.Clock}
	for _, known := range []map[string]seenFile{before, now} {
		for _, prev := range known {
			if prev.sameBundle(m) {
				out.Status = ShareUpToDate // the same export, copied by a sync tool or touched
				return out, sf
			}
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return fail(errs.Wrap(errs.Unavailable, "bundle_unreadable", err, "team: shared file "+path))
	}
	defer f.Close()
	rep, err := s.Merge(ctx, f, "")
	if err != nil {
		return fail(err)
	}
	out.Status = ShareMerged
	out.Added, out.Updated, out.Deleted, out.Erased = rep.Added, rep.Updated, rep.Deleted, rep.Erased
	out.Unchanged, out.Duplicates, out.Conflicts = rep.Unchanged, rep.Duplicates, len(rep.Conflicts)
	out.conflicts = rep.Conflicts
	return out, sf
}

// peek opens a bundle far enough to read its manifest (the first chunk), with this copy's key.
func (s *Service) peek(path string) (bundle.Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return bundle.Manifest{}, errs.Wrap(errs.Unavailable, "bundle_unreadable", err, "team: shared file "+path)
	}
	defer f.Close()
	dec, err := s.decrypt("")
	if err != nil {
		return bundle.Manifest{}, err
	}
	br, err := bundle.Open(f, dec)
	if err != nil {
		return bundle.Manifest{}, err
	}
	return br.Manifest(), nil
}

// writeShared writes this copy's file when what it would hold changed since the last one.
func (s *Service) writeShared(ctx context.Context, rec *shareRecord, run *ShareRun) error {
	// This copy's key goes into its teammate record before the digest, so that the first export
	// (which records it) does not make the next run find a change.
	if err := s.ensureKey(ctx); err != nil {
		return err
	}
	mine, err := s.PublicKey()
	if err != nil {
		return err
	}
	recipients, noKey, err := s.shareRecipients(ctx, mine)
	if err != nil {
		return err
	}
	run.NoKey = noKey
	digest, err := s.contentDigest(ctx, recipients)
	if err != nil {
		return err
	}
	path := filepath.Join(rec.Folder, s.ownFile())
	if w := rec.Wrote; w != nil && w.Folder == rec.Folder && w.Digest == digest {
		if fi, err := os.Stat(path); err == nil && fi.Size() == w.Size && fi.ModTime().Equal(w.ModTime) {
			return nil // the folder holds this copy's content already
		}
	}
	var sum ExportSummary
	err = privatefile.Write(path, func(w io.Writer) (err error) {
		sum, err = s.Export(ctx, w, bundle.Encrypt{Recipients: recipients})
		return err
	})
	var fe *privatefile.Error
	if errors.As(err, &fe) {
		if full := errs.NoRoomFor(path, err); full != nil {
			return full
		}
		return errs.Wrap(errs.Unavailable, "export_write", err, "team: write "+path).With("path", path)
	}
	if err != nil {
		return err
	}
	fi, err := os.Stat(path)
	if err != nil {
		return errs.Wrap(errs.Unavailable, "export_write", err, "team: write "+path).With("path", path)
	}
	rec.Wrote = &wroteFile{Folder: rec.Folder, Size: fi.Size(), ModTime: fi.ModTime(), Digest: digest}
	run.Wrote, run.Records = true, sum.Records
	return nil
}

// shareRecipients are the public keys this copy's file is encrypted to: its own and every
// teammate's it knows, sorted; noKey names the teammates whose key is unknown (or unusable).
func (s *Service) shareRecipients(ctx context.Context, mine string) (recipients, noKey []string, err error) {
	list, err := s.Teammates(ctx)
	if err != nil {
		return nil, nil, err
	}
	keys := map[string]bool{mine: true}
	noKey = []string{}
	for _, t := range list {
		if t.Replica == s.st.Replica() {
			continue
		}
		if _, err := age.ParseX25519Recipient(t.PublicKey); err != nil {
			noKey = append(noKey, nameOf(map[string]string{t.Replica: t.Name}, t.Replica))
			continue
		}
		keys[t.PublicKey] = true
	}
	slices.Sort(noKey)
	return slices.Sorted(maps.Keys(keys)), noKey, nil
}

// contentDigest is a digest of what this copy's bundle would hold (erasures, suppression list,
// the version of every record that travels: its stamps, of the record and of its fields) and
// whom it would be encrypted to: equal digests, equal bundles but for the time they were made. The version vector cannot tell this: every
// write of the copy advances its clock, those that never travel (the scheduler's bookkeeping,
// this setting) too.
func (s *Service) contentDigest(ctx context.Context, recipients []string) (string, error) {
	h := sha256.New()
	enc := json.NewEncoder(h)
	schema, err := s.st.SchemaVersion()
	if err != nil {
		return "", err
	}
	if err := enc.Encode(map[string]any{"schema": schema, "format": bundle.Version, "recipients": recipients}); err != nil {
		return "", err
	}
	err = s.st.ExportErasures(func(e store.Erasure) error { return enc.Encode(e) })
	if err == nil {
		err = s.st.ExportSuppressions(func(x store.Suppression) error { return enc.Encode(x) })
	}
	n := 0
	if err == nil {
		err = s.st.ExportRecords(Travels, func(r store.Record) error {
			if n++; n%1024 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			r.Data = nil // its version is its stamps (record and fields): a merge may re-encode it
			return enc.Encode(r)
		})
	}
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
