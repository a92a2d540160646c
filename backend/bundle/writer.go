package bundle

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"filippo.io/age"

	"hearth/backend/errs"
	"hearth/backend/hlc"
	"hearth/backend/store"
)

// Encrypt says whom a bundle is for: a passphrase, or one or more age public keys ("age1…",
// each teammate's workspace identity, see Identity). Exactly one of the two must be given: age
// does not mix a passphrase with keys in one file.
type Encrypt struct {
	Passphrase string
	Recipients []string

	// workFactor is scrypt's log2 work factor for a passphrase; 0 is age's default (18, about a
	// second). Tests lower it.
	workFactor int
}

// Writer writes a bundle as a stream. Its methods must be called in the bundle's order
// (erasures, suppressions, records; then Close); one out of order is refused. Not safe for
// concurrent use.
type Writer struct {
	age io.WriteCloser // nil when writing the plain layer only (tests, fuzzing)
	zw  *gzip.Writer
	// lines go to zw through a pipe to a goroutine of its own (compress), so that compressing
	// and encrypting run on another core than reading the workspace and encoding the lines.
	lines   *bufio.Writer
	pipe    *io.PipeWriter
	done    chan error // the compressing goroutine's end
	buf     bytes.Buffer
	enc     *json.Encoder
	section int
	counts  [3]int64 // erasures, suppressions, records
	err     error    // the first failure: every later call returns it
	closed  bool
}

// NewWriter starts a bundle on w, encrypted as enc says, and writes its manifest (Format and
// Version are filled in). Nothing is complete until Close returns nil: a bundle whose writing
// failed part way has no end line, and readers refuse it as truncated.
func NewWriter(w io.Writer, enc Encrypt, m Manifest) (*Writer, error) {
	recipients, err := enc.recipients()
	if err != nil {
		return nil, err
	}
	aw, err := age.Encrypt(w, recipients...)
	if err != nil {
		return nil, errs.Wrap(errs.Invalid, "invalid_input", err, "bundle: cannot encrypt to these recipients")
	}
	bw, err := newPlainWriter(aw, m)
	if err != nil {
		return nil, err
	}
	bw.age = aw
	return bw, nil
}

// recipients turns enc into age's recipients.
func (enc Encrypt) recipients() ([]age.Recipient, error) {
	switch {
	case enc.Passphrase != "" && len(enc.Recipients) > 0:
		return nil, errs.New(errs.Invalid, "invalid_input", "bundle: give a passphrase or recipients, not both")
	case enc.Passphrase != "":
		r, err := age.NewScryptRecipient(enc.Passphrase)
		if err != nil {
			return nil, errs.Wrap(errs.Invalid, "invalid_input", err, "bundle: bad passphrase")
		}
		if enc.workFactor > 0 {
			r.SetWorkFactor(enc.workFactor)
		}
		return []age.Recipient{r}, nil
	case len(enc.Recipients) > 0:
		out := make([]age.Recipient, 0, len(enc.Recipients))
		var bad []errs.FieldError
		for i, s := range enc.Recipients {
			r, err := parseRecipient(strings.TrimSpace(s))
			if err != nil {
				bad = append(bad, errs.Field("recipients["+strconv.Itoa(i)+"]", "age_recipient"))
				continue
			}
			out = append(out, r)
		}
		if len(bad) > 0 {
			return nil, errs.Fields("bundle: not an age public key", bad...)
		}
		return out, nil
	}
	return nil, errs.New(errs.Invalid, "invalid_input", "bundle: give a passphrase or at least one recipient")
}

// parseRecipient reads one age public key: X25519 ("age1…", what workspace identities are, and
// what every age command reads) or post-quantum hybrid ("age1pq1…", age 1.3 and later).
func parseRecipient(s string) (age.Recipient, error) {
	if strings.HasPrefix(s, "age1pq1") {
		return age.ParseHybridRecipient(s)
	}
	return age.ParseX25519Recipient(s)
}

// newPlainWriter writes the bundle's plain layer (gzip of JSON lines) to w and its manifest.
func newPlainWriter(w io.Writer, m Manifest) (*Writer, error) {
	m.Format, m.Version = Format, Version
	if why := checkManifest(&m); why != "" {
		return nil, errs.New(errs.Internal, "internal", "bundle: bad manifest: "+why)
	}
	if m.Clock == nil {
		m.Clock = map[string]hlc.Timestamp{}
	}
	m.CreatedAt = m.CreatedAt.UTC()
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return nil, errs.Wrap(errs.Internal, "internal", err, "bundle: gzip")
	}
	pr, pw := io.Pipe()
	bw := &Writer{zw: zw, pipe: pw, lines: bufio.NewWriterSize(pw, 256<<10), done: make(chan error, 1)}
	go bw.compress(pr)
	bw.enc = json.NewEncoder(&bw.buf)
	bw.enc.SetEscapeHTML(false) // the lines are data, never HTML: keep them readable
	if err := bw.line(manifestLine{T: typeManifest, Manifest: m}); err != nil {
		return nil, err
	}
	return bw, nil
}

// compress copies the lines into gzip (and age behind it) until the pipe closes; a failure to
// write closes the pipe with it, so the next write of a line fails.
func (w *Writer) compress(pr *io.PipeReader) {
	_, err := io.Copy(w.zw, pr)
	if err != nil {
		_ = pr.CloseWithError(err)
	}
	w.done <- err
}

// Erasure writes an erasure. Erasures come before suppression entries and records.
func (w *Writer) Erasure(e store.Erasure) error {
	return w.entry(sectionErasures, checkErasure(&e), erasureLine{T: typeErasure, Erasure: e})
}

// Suppression writes a suppression entry. Suppression entries come after the erasures and
// before the records.
func (w *Writer) Suppression(s store.Suppression) error {
	return w.entry(sectionSuppressions, checkSuppression(&s), suppressionLine{T: typeSuppression, Suppression: s})
}

// Record writes a record (a live record with its payload, or a tombstone). Records come last.
func (w *Writer) Record(r store.Record) error {
	data := r.Data
	if !r.Deleted && bytes.IndexByte(data, '\n') < 0 && len(data) > 1 && data[0] == '{' {
		// A record's payload is the JSON the store keeps, compact already: it is written as it
		// is, after the other fields, rather than validated and compacted again by
		// encoding/json (a tenth of an export's time).
		why := checkRecord(&r)
		r.Data = nil
		return w.entry(sectionRecords, why, rawRecord{line: recordLine{T: typeRecord, Record: r}, data: data})
	}
	return w.entry(sectionRecords, checkRecord(&r), recordLine{T: typeRecord, Record: r})
}

// rawRecord is a record line whose payload is written as it is.
type rawRecord struct {
	line recordLine
	data []byte
}

func (w *Writer) entry(section int, why string, line any) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errs.New(errs.Internal, "internal", "bundle: write after close")
	}
	if section < w.section {
		return errs.New(errs.Internal, "internal", "bundle: entries out of order (erasures, suppressions, then records)")
	}
	if why != "" {
		return errs.New(errs.Internal, "internal", "bundle: bad entry: "+why)
	}
	if err := w.line(line); err != nil {
		return err
	}
	w.section = section
	w.counts[section]++
	return nil
}

// line writes one JSON line. A failure to encode is the caller's (the bundle goes on); a
// failure to write ends the bundle.
func (w *Writer) line(v any) error {
	w.buf.Reset()
	raw, isRaw := v.(rawRecord)
	if isRaw {
		v = raw.line
	}
	if err := w.enc.Encode(v); err != nil {
		return errs.Wrap(errs.Internal, "internal", err, "bundle: encode")
	}
	if isRaw { // "…}\n" becomes "…,"data":<payload>}\n"
		w.buf.Truncate(w.buf.Len() - 2)
		w.buf.WriteString(`,"data":`)
		w.buf.Write(raw.data)
		w.buf.WriteString("}\n")
	}
	if w.buf.Len()-1 > MaxLine {
		return errs.New(errs.Internal, "internal", fmt.Sprintf("bundle: an entry of %d bytes is longer than a bundle line may be (%d)", w.buf.Len()-1, MaxLine))
	}
	if _, err := w.lines.Write(w.buf.Bytes()); err != nil {
		w.err = writeFailed(err)
		return w.err
	}
	return nil
}

// Close writes the end line and finishes the compression and the encryption. It does not close
// the underlying writer. After a failed write, it returns that failure and writes no end line,
// so the bundle reads as truncated.
func (w *Writer) Close() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return nil
	}
	w.closed = true
	end := endLine{T: typeEnd, Erasures: w.counts[0], Suppressions: w.counts[1], Records: w.counts[2]}
	if err := w.line(end); err != nil {
		return err
	}
	w.section = sectionEnd
	err := w.lines.Flush()
	_ = w.pipe.Close()
	if cerr := <-w.done; err == nil {
		err = cerr
	}
	if err == nil {
		err = w.zw.Close()
	}
	if err != nil {
		w.err = writeFailed(err)
		return w.err
	}
	if w.age != nil {
		if err := w.age.Close(); err != nil {
			w.err = writeFailed(err)
			return w.err
		}
	}
	return nil
}

// Abandon stops a bundle that will not be finished (its writer failed elsewhere): the compressing
// goroutine ends, and what was written lacks its end line, so readers refuse it as truncated.
func (w *Writer) Abandon() {
	if w.closed {
		return
	}
	w.closed = true
	_ = w.pipe.CloseWithError(errors.New("bundle: abandoned"))
	<-w.done
}

// writeFailed classifies a failure of the underlying writer. The cause stays wrapped, so a
// caller that knows the file's path can still tell a full disk (errs.NoRoomFor).
func writeFailed(err error) error {
	var e *errs.Error
	if errors.As(err, &e) {
		return err
	}
	return errs.Wrap(errs.Unavailable, "export_write", err, "bundle: the file could not be written")
}
