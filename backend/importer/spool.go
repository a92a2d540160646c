package importer

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"
	"runtime"
	"sync"

	"hearth/backend/errs"
	"hearth/backend/privatefile"
)

// RejectedSpool holds the rejected rows of a running import in a temporary file, so that a file
// of two million bad rows costs disk, not memory; Save writes them all, streamed, as
// SaveRejected does. The file is its owner's only and, on Unix, has no name from the start (it
// goes with the process); Close removes it. Safe for concurrent use.
type RejectedSpool struct {
	mu    sync.Mutex
	f     *os.File
	w     *bufio.Writer
	enc   *json.Encoder
	n     int
	width int
	err   error
}

// NewRejectedSpool creates an empty spool in the system's temporary directory.
func NewRejectedSpool() (*RejectedSpool, error) {
	f, err := os.CreateTemp("", "hearth-rejected-*")
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, "import_write_failed", err, "importer: cannot keep the rejected rows")
	}
	if runtime.GOOS != "windows" {
		_ = os.Remove(f.Name()) // personal data: gone with the process, whatever happens
	}
	w := bufio.NewWriterSize(f, 64<<10)
	return &RejectedSpool{f: f, w: w, enc: json.NewEncoder(w)}, nil
}

// Add keeps r. An error (a full disk) is kept too and returned by Save.
func (s *RejectedSpool) Add(r Rejected) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil || s.f == nil {
		return
	}
	if s.err = s.enc.Encode(r); s.err == nil {
		s.n++
		s.width = max(s.width, len(r.Raw))
	}
}

// Len is how many rows were kept.
func (s *RejectedSpool) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

// Save writes every row kept to path like SaveRejected; rows may still be added afterwards.
func (s *RejectedSpool) Save(path string, f RejectedFile, header []string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return errs.New(errs.Unavailable, "import_write_failed", "importer: the rejected rows were discarded")
	}
	if s.err == nil {
		s.err = s.w.Flush()
	}
	if s.err != nil {
		return errs.Wrap(errs.Unavailable, "import_write_failed", s.err, "importer: cannot keep the rejected rows")
	}
	size, err := s.f.Seek(0, io.SeekCurrent)
	if err != nil {
		return errs.Wrap(errs.Unavailable, "import_write_failed", err, "importer: cannot read the rejected rows")
	}
	each := func(yield func(Rejected) error) error {
		dec := json.NewDecoder(bufio.NewReaderSize(io.NewSectionReader(s.f, 0, size), 64<<10))
		for {
			var r Rejected
			if err := dec.Decode(&r); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return err
			}
			if err := yield(r); err != nil {
				return err
			}
		}
	}
	width := max(s.width, len(header))
	err = privatefile.Write(path, func(w io.Writer) error { return writeRejectedRows(w, f, header, width, each) })
	if e := errs.NoRoomFor(path, err); e != nil {
		return e
	}
	if fe := (*privatefile.Error)(nil); errors.As(err, &fe) {
		return errs.Wrap(errs.Unavailable, "export_write", err, "importer: cannot write the rejected rows")
	}
	return err
}

// Close discards the rows kept.
func (s *RejectedSpool) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	if runtime.GOOS == "windows" {
		err = errors.Join(err, os.Remove(s.f.Name()))
	}
	s.f = nil
	return err
}
