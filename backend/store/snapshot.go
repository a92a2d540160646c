package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"hearth/backend/privatefile"
)

// Snapshots are sealed files that save an in-memory view built from every record of some
// collections (the member directory, the analytics index), so that the next process reads one
// file instead of unsealing and decoding every record.
//
// A snapshot is only ever used on exactly the database it was saved from: its header names
// Badger's version (the highest commit timestamp, which every write raises and which survives a
// reopen) at the moment it was saved, after a sync to disk. Any later write makes it stale and
// the view is built from the records again. Writes to collections a view does not depend on
// keep it usable: a process that wrote none of a view's collections, whether it loaded the view
// or not, carries the snapshot forward to the version it closes at (it rewrites the header).
//
// Snapshots hold personal data (names, e-mails) and are sealed with the key of the subject
// snapshotSubject in the keyring. Every erasure destroys that key with the person's and deletes
// the files, so an erased person is in no snapshot; the views still loaded are saved again,
// under a new key, when the process closes.
//
// File format: the magic "HSN1", Badger's version (8 bytes, big-endian), then the view's bytes
// sealed with AES-256-GCM, the snapshot's name and the replica id as authenticated data.

const (
	snapshotMagic   = "HSN1"
	snapshotSubject = "store:snapshots"
	snapshotExt     = ".snap"
)

// snapshots is what the store knows of the snapshots of this process.
type snapshots struct {
	dir     string // where the files are; "" when snapshots are off
	mu      sync.Mutex
	opened  uint64              // Badger's version after Open (before any write of this process)
	views   map[string]snapView // by name
	touched map[string]bool     // collections written since Open
}

type snapView struct {
	deps []string
	save func(w io.Writer) (bool, error)
}

// RegisterSnapshot declares a view saved as a snapshot named name when the store closes. deps
// are the collections the view is built from. save writes the view and returns true, or returns
// false when the view is not loaded in this process (the snapshot is then carried forward when
// none of deps was written, else dropped).
func (s *Store) RegisterSnapshot(name string, deps []string, save func(w io.Writer) (bool, error)) {
	s.snaps.mu.Lock()
	defer s.snaps.mu.Unlock()
	if s.snaps.views == nil {
		s.snaps.views = map[string]snapView{}
	}
	s.snaps.views[name] = snapView{deps: deps, save: save}
}

// LoadSnapshot returns the view saved under name when it describes the database as it is now;
// ok is false when there is none, or it is stale, damaged or unreadable: the caller then builds
// the view from the records. It never fails: a snapshot is only ever a shortcut.
func (s *Store) LoadSnapshot(name string) (view []byte, ok bool) {
	if s.snaps.dir == "" {
		return nil, false
	}
	f, err := os.Open(s.snapshotPath(name))
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			s.log.Warn("store: cannot read a snapshot; building the view from the records", "snapshot", name, "err", err)
		}
		return nil, false
	}
	defer f.Close()
	// The header first: a stale snapshot is dropped without reading the view.
	version, err := readSnapshotHeader(f)
	if err != nil {
		s.log.Warn("store: damaged snapshot; building the view from the records", "snapshot", name)
		return nil, false
	}
	if version != s.db.MaxVersion() {
		return nil, false // written to since
	}
	// Read in one piece into a buffer of the file's size, and unsealed over itself: a view of
	// 15 MB at 100,000 members is not copied while growing, nor held twice.
	var sealed []byte
	fi, err := f.Stat()
	if err == nil {
		sealed = make([]byte, max(0, fi.Size()-int64(len(snapshotMagic)+8)))
		_, err = io.ReadFull(f, sealed)
	}
	if err != nil {
		s.log.Warn("store: cannot read a snapshot; building the view from the records", "snapshot", name, "err", err)
		return nil, false
	}
	key, found, err := s.keys.key(snapshotSubject, false)
	if err != nil || !found {
		return nil, false // destroyed by an erasure
	}
	view, err = openInPlace(key, s.snapshotAAD(name), sealed)
	if err != nil {
		s.log.Warn("store: snapshot does not unseal; building the view from the records", "snapshot", name, "err", err)
		return nil, false
	}
	return view, true
}

// ForgetSnapshot deletes the file of a snapshot no view saves any more (a view moved into the
// database), so that its data does not linger in the workspace.
func (s *Store) ForgetSnapshot(name string) {
	if s == nil || s.snaps.dir == "" {
		return
	}
	if err := os.Remove(s.snapshotPath(name)); err != nil && !errors.Is(err, os.ErrNotExist) {
		s.log.Warn("store: cannot delete an old snapshot", "snapshot", name, "err", err)
	}
}

// RejectSnapshot says the snapshot LoadSnapshot returned cannot be used (made by another
// version of its view, or inconsistent): its file is deleted, so that the view this process
// builds instead is what close saves. Otherwise a process that writes none of the view's
// collections would carry the refused snapshot forward, and every later process would refuse
// it and build the view again.
func (s *Store) RejectSnapshot(name string) { s.ForgetSnapshot(name) }

// touch notes that a collection was written by this process.
func (s *Store) touch(coll string) {
	if s.snaps.dir == "" {
		return
	}
	s.snaps.mu.Lock()
	if !s.snaps.touched[coll] {
		if s.snaps.touched == nil {
			s.snaps.touched = map[string]bool{}
		}
		s.snaps.touched[coll] = true
	}
	s.snaps.mu.Unlock()
}

// dropSnapshots deletes every snapshot file (an erasure, a migration).
func (s *Store) dropSnapshots() error {
	if s.snaps.dir == "" {
		return nil
	}
	names, err := filepath.Glob(filepath.Join(s.snaps.dir, "*"+snapshotExt))
	if err != nil {
		return err
	}
	var errsOut []error
	for _, n := range names {
		if err := os.Remove(n); err != nil && !errors.Is(err, os.ErrNotExist) {
			errsOut = append(errsOut, err)
		}
	}
	return errors.Join(errsOut...)
}

// saveSnapshots runs at close, after the last write: it saves the loaded views and carries
// forward the others that no write of this process concerned. A failure only costs the next
// open a rebuild, so it is logged, not returned.
func (s *Store) saveSnapshots() {
	if s.snaps.dir == "" || len(s.snaps.views) == 0 {
		return
	}
	if err := s.db.Sync(); err != nil {
		s.log.Warn("store: cannot sync before saving snapshots", "err", err)
		return
	}
	version := s.db.MaxVersion()
	s.snaps.mu.Lock()
	defer s.snaps.mu.Unlock()
	for _, name := range slices.Sorted(maps.Keys(s.snaps.views)) {
		v := s.snaps.views[name]
		if err := s.saveSnapshot(name, v, version); err != nil {
			s.log.Warn("store: cannot save a snapshot; the next open builds the view from the records", "snapshot", name, "err", err)
			_ = os.Remove(s.snapshotPath(name))
		}
	}
}

func (s *Store) saveSnapshot(name string, v snapView, version uint64) error {
	path := s.snapshotPath(name)
	// A snapshot none of whose collections this process wrote is restamped, not written again,
	// whether or not the view was loaded here: closing after a search costs a header, not the
	// whole view sealed and synced.
	if !slices.ContainsFunc(v.deps, func(c string) bool { return s.snaps.touched[c] }) {
		carried, err := s.carryForward(path, version)
		if carried || err != nil {
			return err
		}
	}
	var view bytes.Buffer
	loaded, err := v.save(&view)
	if err != nil {
		return err
	}
	if !loaded {
		return os.Remove(path)
	}
	key, _, err := s.keys.key(snapshotSubject, true)
	if err != nil {
		return err
	}
	if _, _, err := s.keys.flush(true); err != nil { // the key on disk before the file sealed with it
		return err
	}
	sealed, err := seal(key, s.snapshotAAD(name), view.Bytes())
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.snaps.dir, 0o700); err != nil {
		return err
	}
	return privatefile.Write(path, func(w io.Writer) error {
		var head [len(snapshotMagic) + 8]byte
		copy(head[:], snapshotMagic)
		binary.BigEndian.PutUint64(head[len(snapshotMagic):], version)
		if _, err := w.Write(head[:]); err != nil {
			return err
		}
		_, err := w.Write(sealed)
		return err
	})
}

// carryForward restamps a snapshot that was current when this process opened the database,
// and says whether it did. A stale one is deleted.
func (s *Store) carryForward(path string, version uint64) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	saved, err := readSnapshotHeader(f)
	if err != nil || saved != s.snaps.opened {
		// Damaged, or already stale when this process opened the database.
		return false, errors.Join(f.Close(), os.Remove(path))
	}
	var stamp [8]byte
	binary.BigEndian.PutUint64(stamp[:], version)
	if _, err := f.WriteAt(stamp[:], int64(len(snapshotMagic))); err != nil {
		return false, err
	}
	return true, f.Sync()
}

// readSnapshotHeader reads the magic and returns the Badger version a snapshot was saved at.
func readSnapshotHeader(r io.Reader) (uint64, error) {
	var head [len(snapshotMagic) + 8]byte
	if _, err := io.ReadFull(r, head[:]); err != nil || string(head[:len(snapshotMagic)]) != snapshotMagic {
		return 0, fmt.Errorf("damaged snapshot header")
	}
	return binary.BigEndian.Uint64(head[len(snapshotMagic):]), nil
}

func (s *Store) snapshotPath(name string) string {
	return filepath.Join(s.snaps.dir, name+snapshotExt)
}

func (s *Store) snapshotAAD(name string) []byte { return []byte("snapshot/" + name + "/" + s.replica) }
