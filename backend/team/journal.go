package team

import (
	"errors"
	"os"
	"path/filepath"

	"hearth/backend/bundle"
	"hearth/backend/errs"
)

// journal is a merge's journal (Service.SetJournal): the bundle being merged, copied as it is
// read through and encrypted to the person's own key, so that a merge cut short can be completed
// without the teammate's passphrase or file. A nil journal (no journal folder, or no key to
// encrypt it to) does nothing: such a merge cut short leaves whole batches, completed by merging
// the same bundle again.
type journal struct {
	path      string // the journal's name once committed
	tmp       *os.File
	w         *bundle.Writer
	committed bool
}

// startJournal opens a journal for a bundle with manifest m, or returns nil when merges keep
// none.
func (s *Service) startJournal(m bundle.Manifest) (*journal, error) {
	if s.journal == "" {
		return nil, nil
	}
	key, keyErr := s.PublicKey()
	if keyErr != nil {
		return nil, nil // no key to encrypt a journal to: the merge goes without one
	}
	if err := os.MkdirAll(s.journal, 0o700); err != nil {
		return nil, errs.Wrap(errs.Unavailable, "export_write", err, "team: merge journal folder")
	}
	tmp, err := os.CreateTemp(s.journal, ".merge-journal-*")
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, "export_write", err, "team: merge journal")
	}
	w, err := bundle.NewWriter(tmp, bundle.Encrypt{Recipients: []string{key}}, m)
	if err != nil {
		_ = tmp.Close()
		_ = os.Remove(tmp.Name())
		return nil, err
	}
	return &journal{path: filepath.Join(s.journal, journalFile), tmp: tmp, w: w}, nil
}

// write copies one entry of the bundle into the journal.
func (j *journal) write(e bundle.Entry) error {
	if j == nil {
		return nil
	}
	switch {
	case e.Erasure != nil:
		return j.w.Erasure(*e.Erasure)
	case e.Suppression != nil:
		return j.w.Suppression(*e.Suppression)
	case e.Record != nil:
		return j.w.Record(*e.Record)
	}
	return nil
}

// commit makes the journal the one the next open completes: finished, synced, renamed into
// place, the folder synced. From here on the merge happens, now or at the next open.
func (j *journal) commit() error {
	if j == nil {
		return nil
	}
	err := j.w.Close()
	if err == nil {
		err = j.tmp.Sync()
	}
	err = errors.Join(err, j.tmp.Close())
	if err == nil {
		err = os.Rename(j.tmp.Name(), j.path)
	}
	if err == nil {
		syncDir(filepath.Dir(j.path))
	}
	if err != nil {
		_ = os.Remove(j.tmp.Name())
		return errs.Wrap(errs.Unavailable, "export_write", err, "team: merge journal")
	}
	j.tmp, j.committed = nil, true
	return nil
}

// done deletes a committed journal: the merge is complete.
func (j *journal) done() error {
	if j == nil || !j.committed {
		return nil
	}
	if err := os.Remove(j.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return errs.Wrap(errs.Unavailable, "export_write", err, "team: delete the merge journal")
	}
	j.committed = false
	return nil
}

// discard drops a journal not committed (the bundle was refused, or the merge never began).
func (j *journal) discard() {
	if j == nil || j.tmp == nil {
		return
	}
	j.w.Abandon()
	_ = j.tmp.Close()
	_ = os.Remove(j.tmp.Name())
	j.tmp = nil
}

// syncDir makes a rename in dir durable where the system allows it (not every one can sync a
// folder: the rename itself is then what there is).
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
}
