package bundle

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"

	"hearth/backend/errs"
	"hearth/backend/hlc"
)

// ageIntro is the first line of every age file.
const ageIntro = "age-encryption.org/v1\n"

// maxScryptWorkFactor bounds the scrypt work a passphrase-encrypted bundle may ask for: 2^20
// takes about 1 GiB and a few seconds (age writes 2^18). age's own bound, 2^22, would let a
// planted file make Hearth use 4 GiB.
const maxScryptWorkFactor = 20

// headerKept is how much of the start of a file is kept to tell, when nothing opens it, whether
// it wanted a passphrase or a key. An age header with a few recipients is a few hundred bytes.
const headerKept = 64 << 10

// Decrypt is what may open a bundle: a passphrase, age identities (a workspace's, see
// Identity), or both. Each is tried.
type Decrypt struct {
	Passphrase string
	Identities []age.Identity
}

// Reader reads a bundle as a stream, one entry at a time. Not safe for concurrent use.
type Reader struct {
	m       Manifest
	raw     *recorder // the file itself
	enc     *recorder // the encrypted payload age reads: whether it reached its end
	src     *recorder // the age layer's plaintext: its first failure explains any later one
	zr      *recorder // the gzip layer's output: a line the scanner ends on a failure is partial
	sc      *bufio.Scanner
	section int
	counts  [3]int64
	err     error // sticky: a refused bundle stays refused
}

// Open decrypts the bundle r holds with dec and reads and checks its manifest. The entries are
// read by Next. It refuses, with the codes the package comment lists, a file nothing in dec
// opens, one that is not age or not a bundle, one of a newer format, one damaged or truncated
// before the manifest's end.
func Open(r io.Reader, dec Decrypt) (*Reader, error) {
	ids := append([]age.Identity(nil), dec.Identities...)
	if dec.Passphrase != "" {
		id, err := age.NewScryptIdentity(dec.Passphrase)
		if err != nil {
			return nil, errs.Wrap(errs.Invalid, "invalid_input", err, "bundle: bad passphrase")
		}
		id.SetMaxWorkFactor(maxScryptWorkFactor)
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, errs.New(errs.Invalid, "invalid_input", "bundle: give a passphrase or an identity to open the bundle")
	}
	raw := &recorder{r: r}
	in := bufio.NewReader(raw)
	if start, _ := in.Peek(len(armor.Header)); string(start) == armor.Header {
		// age -a writes this text form; the age command reads both, so does Hearth.
		in = bufio.NewReader(armor.NewReader(in))
	}
	if err := checkIntro(in, raw); err != nil {
		return nil, err
	}
	hdr := &recorder{r: in, keep: headerKept}
	plain, err := age.Decrypt(hdr, ids...)
	if err != nil {
		return nil, refusedHeader(err, hdr, raw)
	}
	rd, err := openPlain(&recorder{r: plain}, hdr)
	if err != nil {
		if raw.err != nil {
			return nil, unreadable(raw.err)
		}
		return nil, err
	}
	rd.raw = raw
	return rd, nil
}

// checkIntro refuses what does not start like an age file: a start of the intro that stops
// short is truncated (an empty file too: a copy that has not arrived yet), anything else is
// not age.
func checkIntro(br *bufio.Reader, raw *recorder) error {
	start, err := br.Peek(len(ageIntro))
	switch {
	case string(start) == ageIntro:
		return nil
	case raw.err != nil:
		return unreadable(raw.err)
	case err != nil && strings.HasPrefix(ageIntro, string(start)):
		return truncated(err, "the file ends before its age header")
	}
	return notHearth(nil, "not an age-encrypted file")
}

// refusedHeader classifies a failure of age.Decrypt, which reads the header and the nonce.
func refusedHeader(err error, hdr, raw *recorder) error {
	var noMatch *age.NoIdentityMatchError
	switch {
	case raw.err != nil:
		return unreadable(raw.err)
	case errors.As(err, &noMatch):
		if bytes.Contains(hdr.kept, []byte("\n-> scrypt ")) {
			return errs.Wrap(errs.Invalid, "bundle_wrong_passphrase", err, "bundle: the passphrase does not open this bundle")
		}
		return errs.Wrap(errs.Invalid, "bundle_wrong_key", err, "bundle: this bundle is encrypted to other keys than this workspace's")
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		hdr.eof && strings.Contains(err.Error(), "EOF"): // age's header errors say EOF without wrapping it
		return truncated(err, "the file ends in its age header")
	}
	return damaged(err, "its age header cannot be read")
}

// openPlain reads the plain layer (gzip of JSON lines) from src up to and including the
// manifest. enc is what age decrypted src from (nil when there is no age layer).
func openPlain(src, enc *recorder) (*Reader, error) {
	if enc == nil {
		enc = &recorder{}
	}
	rd := &Reader{enc: enc, src: src}
	zr, err := gzip.NewReader(src)
	if err != nil {
		switch {
		case src.err != nil:
			return nil, rd.streamFailed()
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
			return nil, truncated(err, "no content")
		}
		return nil, notHearth(err, "the content is not gzip")
	}
	rd.zr = &recorder{r: zr}
	rd.sc = bufio.NewScanner(rd.zr)
	rd.sc.Buffer(make([]byte, 0, 64<<10), MaxLine+1) // +1: the scanner counts the newline
	line, err := rd.nextLine()
	switch {
	case err == io.EOF:
		return nil, truncated(nil, "no manifest")
	case err != nil:
		return nil, err
	}
	// The first line's "t", "format" and "version" keep their meaning in every version, so
	// that a newer bundle is named as such whatever else changed in it.
	var head struct {
		T       string `json:"t"`
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(line, &head); err != nil || head.T != typeManifest || head.Format != Format {
		return nil, notHearth(err, "no manifest")
	}
	switch {
	case head.Version > Version:
		return nil, errs.New(errs.Invalid, "bundle_newer_version",
			"bundle: made by a newer Hearth (format "+strconv.Itoa(head.Version)+"; this one reads up to "+strconv.Itoa(Version)+")").
			With("version", strconv.Itoa(head.Version))
	case head.Version < 1:
		return nil, notHearth(nil, "no format version "+strconv.Itoa(head.Version))
	}
	var ml manifestLine
	if err := json.Unmarshal(line, &ml); err != nil {
		return nil, damaged(err, "the manifest is not valid JSON")
	}
	if why := checkManifest(&ml.Manifest); why != "" {
		return nil, damaged(nil, "manifest: "+why)
	}
	if ml.Clock == nil {
		ml.Clock = map[string]hlc.Timestamp{}
	}
	rd.m = ml.Manifest
	return rd, nil
}

// Manifest returns the bundle's manifest.
func (r *Reader) Manifest() Manifest { return r.m }

// Next returns the next entry. It returns io.EOF only once the whole bundle was read and
// found complete and intact; any refusal (an *errs.Error) is returned again by every later
// call.
func (r *Reader) Next() (Entry, error) {
	if r.err != nil {
		return Entry{}, r.err
	}
	e, err := r.next()
	if err != nil {
		r.err = err
		if r.raw != nil && r.raw.err != nil {
			r.err = unreadable(r.raw.err)
		}
	}
	return e, r.err
}

func (r *Reader) next() (Entry, error) {
	line, err := r.nextLine()
	if err == io.EOF {
		return Entry{}, truncated(nil, "no end line")
	}
	if err != nil {
		return Entry{}, err
	}
	t := lineType(line)
	var e Entry
	var section int
	var why string
	switch t {
	case typeErasure:
		var l erasureLine
		err = json.Unmarshal(line, &l)
		e.Erasure, section, why, t = &l.Erasure, sectionErasures, checkErasure(&l.Erasure), l.T
	case typeSuppression:
		var l suppressionLine
		err = json.Unmarshal(line, &l)
		e.Suppression, section, why, t = &l.Suppression, sectionSuppressions, checkSuppression(&l.Suppression), l.T
	case typeRecord:
		var l recordLine
		err = json.Unmarshal(line, &l)
		e.Record, section, why, t = &l.Record, sectionRecords, checkRecord(&l.Record), l.T
	case typeEnd:
		return Entry{}, r.end(line)
	default:
		return Entry{}, damaged(nil, "a line of unknown type "+strconv.Quote(t))
	}
	switch {
	case err != nil:
		return Entry{}, damaged(err, "a "+lineType(line)+" line is not valid JSON")
	case t != lineType(line):
		return Entry{}, damaged(nil, "a line of two types")
	case section < r.section:
		return Entry{}, damaged(nil, "a "+t+" line out of order")
	case why != "":
		return Entry{}, damaged(nil, why)
	}
	r.section = section
	r.counts[section]++
	return e, nil
}

// end checks the end line and that nothing follows it, reading the stream to its end so that
// gzip's checksum and age's last chunk are verified.
func (r *Reader) end(line []byte) error {
	var l endLine
	if err := json.Unmarshal(line, &l); err != nil || l.T != typeEnd {
		return damaged(err, "the end line is not valid JSON")
	}
	if l.Erasures != r.counts[0] || l.Suppressions != r.counts[1] || l.Records != r.counts[2] {
		return truncated(nil, "the end line counts "+
			strconv.FormatInt(l.Erasures+l.Suppressions+l.Records, 10)+" entries, the bundle holds "+
			strconv.FormatInt(r.counts[0]+r.counts[1]+r.counts[2], 10))
	}
	switch _, err := r.nextLine(); err {
	case nil:
		return damaged(nil, "data after the end line")
	case io.EOF:
		r.section = sectionEnd
		return io.EOF
	default:
		return err
	}
}

// nextLine returns the next non-blank line, valid until the next call, or io.EOF where the
// content ends cleanly (gzip's checksum verified, age's last chunk authenticated).
func (r *Reader) nextLine() ([]byte, error) {
	for r.sc.Scan() {
		if r.zr.err != nil {
			// The scanner hands out what it holds when its reader fails: a cut line.
			break
		}
		if line := r.sc.Bytes(); len(bytes.TrimSpace(line)) > 0 {
			return line, nil
		}
	}
	err := r.sc.Err()
	if err == nil {
		err = r.zr.err
	}
	switch {
	case r.src.err != nil:
		return nil, r.streamFailed()
	case err == nil:
		return nil, io.EOF
	case errors.Is(err, bufio.ErrTooLong):
		return nil, damaged(err, "a line longer than "+strconv.Itoa(MaxLine>>20)+" MB")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, truncated(err, "the compressed content ends early")
	}
	return nil, damaged(err, "the compressed content is broken")
}

// streamFailed classifies a failure of age's payload stream. It ended early, after a whole
// chunk: truncated. A chunk failed authentication: damaged, unless it was the file's last and
// short one, which is what a file cut inside a chunk looks like (a copy still arriving, most
// often); age cannot tell that from a change in the last chunk, and neither can Hearth: both
// are reported as truncated. Something followed the last chunk: damaged.
func (r *Reader) streamFailed() error {
	err := r.src.err
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return truncated(err, "the encrypted content ends early")
	case r.enc.eof && strings.Contains(err.Error(), "authenticate"):
		return truncated(err, "the encrypted content ends inside a chunk")
	}
	return damaged(err, "the encrypted content fails authentication")
}

func unreadable(err error) error {
	return errs.Wrap(errs.Unavailable, "bundle_unreadable", err, "bundle: the file could not be read")
}

// lineType reads the "t" of a line: from its start when it is written as Hearth writes it
// ({"t":"record",...}), else by decoding. The typed decoding checks it again.
func lineType(line []byte) string {
	const open = `{"t":"`
	if bytes.HasPrefix(line, []byte(open)) {
		rest := line[len(open):]
		if i := bytes.IndexByte(rest, '"'); i > 0 && i < 16 {
			return string(rest[:i])
		}
	}
	var l struct {
		T string `json:"t"`
	}
	_ = json.Unmarshal(line, &l)
	return l.T
}

// recorder passes reads through, remembering the first failure other than io.EOF, whether
// io.EOF was reached, and the first keep bytes read.
type recorder struct {
	r    io.Reader
	keep int
	kept []byte
	err  error
	eof  bool
}

func (rc *recorder) Read(p []byte) (int, error) {
	n, err := rc.r.Read(p)
	if room := rc.keep - len(rc.kept); room > 0 {
		rc.kept = append(rc.kept, p[:min(n, room)]...)
	}
	switch {
	case err == io.EOF:
		rc.eof = true
	case err != nil && rc.err == nil:
		rc.err = err
	}
	return n, err
}
