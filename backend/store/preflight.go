package store

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"hearth/backend/errs"
)

// The pre-flight: Badger repairs what it takes for the tail of a crash, and some of those
// repairs destroy data when the damage is not a crash. Opened on a truncated or missing MANIFEST,
// it deletes every table the manifest no longer names (49 MB of members became 24 KB); it
// truncates a write-ahead log or the last value log at the first bad entry, whatever follows;
// and a truncated table makes it panic in a goroutine nobody can recover. So before Badger may
// touch a database, preflight reads (never writes) what Badger would act on and refuses, with
// a named error and nothing changed, when something is not the state a crash can leave:
//
//   - tables or logs without a MANIFEST, or no MANIFEST where a database must exist;
//   - a MANIFEST that does not replay to its last byte (torn, truncated or checksum mismatch);
//   - a table the MANIFEST names that is missing, or whose index does not match its checksum;
//   - a write-ahead log (*.mem) or a value log whose valid entries are followed by more than a
//     crash leaves: zeros (Badger preallocates logs), an entry cut short, in a write-ahead log
//     half a transaction, but never a whole entry after the bad one (older value logs are read
//     once, then known by their fingerprint, see tablecheck.go).
//
// Tables that no MANIFEST entry names are left to Badger, which deletes them: with a MANIFEST
// intact to its last byte they are the output of a flush or compaction that a crash
// interrupted before it was recorded, and their data is still in the tables or logs it came from.

// Damage codes: each names the part of the workspace that is damaged (see docs/ARCHITECTURE.md).
const (
	CodeIndexDamaged   = "workspace_index_damaged"   // db/MANIFEST
	CodeTableDamaged   = "workspace_table_damaged"   // db/*.sst
	CodeLogDamaged     = "workspace_log_damaged"     // db/*.mem, db/*.vlog
	CodeKeyringDamaged = "workspace_keyring_damaged" // keyring
	CodeDatabaseGone   = "workspace_db_missing"      // db/ missing or emptied
	CodeDataDamaged    = "workspace_data_damaged"    // a record that does not decode or unseal
)

// damaged is the error of a damaged part of the workspace: Unavailable (the workspace cannot be
// used as it is), naming the file, and saying nothing was changed.
func damaged(code, file string, cause error) *errs.Error {
	return errs.Wrap(errs.Unavailable, code, cause,
		fmt.Sprintf("store: %s is damaged; nothing was changed", file)).With("file", file)
}

// inWorkspace names, in a damage error, the workspace directory (the one holding the Badger
// directory dir) as the message parameter "dir".
func inWorkspace(err error, dir string) error {
	var e *errs.Error
	if errors.As(err, &e) && IsDamage(err) {
		e.With("dir", filepath.Dir(dir))
	}
	return err
}

// IsDamage reports whether err says a part of the workspace is damaged.
func IsDamage(err error) bool {
	var e *errs.Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.Code {
	case CodeIndexDamaged, CodeTableDamaged, CodeLogDamaged, CodeKeyringDamaged, CodeDatabaseGone, CodeDataDamaged:
		return true
	}
	return false
}

const manifestName = "MANIFEST"

// preflight checks the Badger directory dir before Badger opens it. existing says a database
// must be there (the workspace already holds data); otherwise a missing or empty dir is a new
// database. cacheDir keeps the fingerprints of the tables already verified (see
// tablecheck.go); verified are those of every table now, to save once the open succeeded.
func preflight(dir, cacheDir string, existing bool) (verified []string, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if existing {
			return nil, damaged(CodeDatabaseGone, "db", err)
		}
		return nil, nil
	}
	if err != nil {
		return nil, errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "store: read "+dir)
	}
	var tables, wals, vlogs []uint64
	hasManifest := false
	for _, e := range entries {
		name := e.Name()
		switch ext := filepath.Ext(name); {
		case name == manifestName:
			hasManifest = true
		case ext == ".sst" || ext == ".mem" || ext == ".vlog":
			id, err := strconv.ParseUint(strings.TrimSuffix(name, ext), 10, 64)
			if err != nil {
				continue
			}
			switch ext {
			case ".sst":
				tables = append(tables, id)
			case ".mem":
				wals = append(wals, id)
			default:
				vlogs = append(vlogs, id)
			}
		}
	}
	if !hasManifest {
		if len(tables)+len(wals)+len(vlogs) > 0 {
			return nil, damaged(CodeIndexDamaged, "db/"+manifestName, errors.New("missing"))
		}
		if existing {
			return nil, damaged(CodeDatabaseGone, "db", errors.New("emptied"))
		}
		return nil, nil
	}
	mf, err := replayManifest(filepath.Join(dir, manifestName))
	if err != nil {
		return nil, damaged(CodeIndexDamaged, "db/"+manifestName, err)
	}
	if existing && len(mf.Tables) == 0 && len(tables)+len(wals)+len(vlogs) == 0 {
		return nil, damaged(CodeDatabaseGone, "db", errors.New("no tables and no logs"))
	}
	known := readVerifiedTables(cacheDir)
	for _, id := range slices.Sorted(maps.Keys(mf.Tables)) {
		name := fmt.Sprintf("%06d.sst", id)
		path := filepath.Join(dir, name)
		st, err := os.Stat(path)
		if err != nil {
			return nil, damaged(CodeTableDamaged, "db/"+name, errors.New("missing"))
		}
		fp := tableFingerprint(id, st)
		if !known[fp] { // a table verified whole and not written since needs no check of its index either
			if err := checkTableIndex(path); err != nil {
				return nil, damaged(CodeTableDamaged, "db/"+name, err)
			}
			if err := verifyTable(path, id, mf.Tables[id].Compression); err != nil {
				return nil, damaged(CodeTableDamaged, "db/"+name, err)
			}
		}
		verified = append(verified, fp)
	}
	for _, id := range wals {
		name := fmt.Sprintf("%05d.mem", id)
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && st.Size() == 0 {
			// Created by a process killed before it sized the file: it holds nothing, and
			// Badger refuses to open it ("Create a new file"). The one change the pre-flight makes.
			if err := os.Remove(filepath.Join(dir, name)); err != nil {
				return nil, errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "store: remove empty "+name)
			}
			continue
		}
		if err := checkLogTail(filepath.Join(dir, name), walMaxEntry); err != nil {
			return nil, damaged(CodeLogDamaged, "db/"+name, err)
		}
	}
	// Badger reads through (and truncates) only the newest value log when it opens, but its
	// garbage collection later rewrites an older one up to its first bad entry and deletes it.
	// Older value logs never change once Badger moved on: like tables, each is read through
	// once and known by its fingerprint after that.
	slices.Sort(vlogs)
	for i, id := range vlogs {
		name := fmt.Sprintf("%06d.vlog", id)
		path := filepath.Join(dir, name)
		st, err := os.Stat(path)
		if err != nil {
			return nil, damaged(CodeLogDamaged, "db/"+name, err)
		}
		fp := "v" + tableFingerprint(id, st)
		if known[fp] {
			verified = append(verified, fp)
			continue
		}
		maxTorn := int64(maxEntryHeader)
		if i == len(vlogs)-1 {
			// The one a killed process was writing to. Badger copies each entry into the mapped
			// file in one copy, and Go's copy of more than a few hundred bytes writes its first
			// 32 bytes last: a torn entry may be its body without its start, of any length (a
			// directory page is some 50 KB). Damage is still told from it by a whole entry after
			// the bad one.
			maxTorn = st.Size()
		}
		if err := checkLogTail(path, maxTorn); err != nil {
			return nil, damaged(CodeLogDamaged, "db/"+name, err)
		}
		if i < len(vlogs)-1 { // the newest one is written to again
			verified = append(verified, fp)
		}
	}
	return verified, nil
}

// replayManifest reads the MANIFEST as Badger does, from a read-only handle, and fails unless
// every byte of it is a complete change set with a matching checksum: Badger would truncate a
// torn tail and then delete the tables only that tail named.
func replayManifest(path string) (badger.Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return badger.Manifest{}, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return badger.Manifest{}, err
	}
	mf, end, err := badger.ReplayManifestFile(f, 0, badger.DefaultOptions("").WithLogger(nil))
	if err != nil {
		return badger.Manifest{}, err
	}
	if end != st.Size() {
		return badger.Manifest{}, fmt.Errorf("only %d of %d bytes are whole change sets", end, st.Size())
	}
	return mf, nil
}

// checkTableIndex verifies a table's footer and the checksum of its index, what Badger reads
// (and panics on, when a table is truncated) as it opens the table. The footer is: index,
// index length (4 bytes), checksum (protobuf: algorithm, sum), checksum length (4 bytes).
func checkTableIndex(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	read := func(off, n int64) ([]byte, error) {
		if off < 0 || n < 0 || off+n > size {
			return nil, fmt.Errorf("footer points outside the file (%d bytes)", size)
		}
		b := make([]byte, n)
		_, err := f.ReadAt(b, off)
		return b, err
	}
	pos := size - 4
	b, err := read(pos, 4)
	if err != nil {
		return err
	}
	chkLen := int64(binary.BigEndian.Uint32(b))
	if chkLen > 64 {
		return fmt.Errorf("checksum of %d bytes", chkLen)
	}
	pos -= chkLen
	chk, err := read(pos, chkLen)
	if err != nil {
		return err
	}
	algo, sum, err := decodeChecksum(chk)
	if err != nil {
		return err
	}
	pos -= 4
	if b, err = read(pos, 4); err != nil {
		return err
	}
	indexLen := int64(binary.BigEndian.Uint32(b))
	pos -= indexLen
	index, err := read(pos, indexLen)
	if err != nil {
		return err
	}
	if algo == 0 && uint64(crc32.Checksum(index, crc32.MakeTable(crc32.Castagnoli))) != sum {
		return errors.New("index checksum mismatch")
	}
	return nil // other algorithms (xxhash) are left to Badger's own check
}

// decodeChecksum reads badger's pb.Checksum: field 1 algorithm (varint), field 2 sum (varint).
func decodeChecksum(b []byte) (algo, sum uint64, err error) {
	for len(b) > 0 {
		tag, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, 0, errors.New("bad checksum record")
		}
		b = b[n:]
		v, n := binary.Uvarint(b)
		if n <= 0 || tag&7 != 0 {
			return 0, 0, errors.New("bad checksum record")
		}
		b = b[n:]
		switch tag >> 3 {
		case 1:
			algo = v
		case 2:
			sum = v
		}
	}
	return algo, sum, nil
}

// logHeaderSize is the header of Badger's log files (write-ahead logs and value logs).
const logHeaderSize = 20

// walMaxEntry bounds what a killed process may leave half written at the end of a write-ahead
// log: a transaction's last entries (keys of at most 64 KiB, values under the 4 KiB threshold).
const walMaxEntry = 1 << 18

// maxEntryHeader is the longest header of a log entry: meta, user meta and three uvarints.
const maxEntryHeader = 22

// checkLogTail walks a log's entries the way Badger replays them (header, key, value, CRC-32C)
// and fails when what follows the last valid entry is not a crash's tail: zeros (logs are
// preallocated), or one torn entry followed by zeros. Badger would cut the log there and lose
// every entry after the damage.
//
// maxTorn is how many bytes after the last valid entry a crash may leave whatever they are: in a
// write-ahead log, the last transaction's entries, each under Badger's value threshold (bigger
// values are in the value log), which a killed process may have left half copied in any order.
func checkLogTail(path string, maxTorn int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	if size < logHeaderSize {
		if size == 0 {
			return nil // created, never written
		}
		return fmt.Errorf("%d bytes, shorter than a log header", size)
	}
	r := &entryReader{r: bufio.NewReaderSize(io.NewSectionReader(f, logHeaderSize, size-logHeaderSize), 1<<16),
		crc: crc32.MakeTable(crc32.Castagnoli)}
	off := int64(logHeaderSize)
	// Where the entry that failed would end: by its own header when that reads, else the
	// longest header (a process killed while writing one leaves its first bytes).
	var claimedEnd int64
	for {
		n, ok := r.next()
		if !ok {
			if n > 0 && off+n <= size { // a torn entry lies within the preallocated file
				claimedEnd = off + n
			} else {
				claimedEnd = off + maxEntryHeader
			}
			break
		}
		off += n
	}
	last, err := lastNonZero(f, off, size)
	if err != nil {
		return err
	}
	if last < off || last < claimedEnd {
		return nil
	}
	if last-off < maxTorn {
		// Half a transaction, unless a whole entry follows the bad one: then the bad one is
		// damage in the middle of the log, and Badger would cut every entry after it.
		tail := make([]byte, last+1-off)
		if _, err := f.ReadAt(tail, off); err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if p := wholeEntryIn(tail[1:], r.crc); p < 0 {
			return nil
		}
	}
	return fmt.Errorf("bytes after the last valid entry at %d (up to %d of %d)", off, last, size)
}

// entryReader reads Badger log entries: meta and user-meta bytes, key length, value length and
// expiry as uvarints, key, value, then the CRC-32C (big-endian) of all that.
type entryReader struct {
	r   *bufio.Reader
	crc *crc32.Table
	sum uint32
}

func (e *entryReader) ReadByte() (byte, error) {
	b, err := e.r.ReadByte()
	if err == nil {
		e.sum = crc32.Update(e.sum, e.crc, []byte{b})
	}
	return b, err
}

// next reads one entry and returns its length; ok is false at the end, at zeros, or at an entry
// that is not valid (n is then the length its header claims, 0 when the header does not read).
func (e *entryReader) next() (n int64, ok bool) {
	e.sum = 0
	var head int64
	for range 2 {
		if _, err := e.ReadByte(); err != nil {
			return 0, false
		}
	}
	head = 2
	var lens [3]uint64
	for i := range lens {
		v, err := binary.ReadUvarint(e)
		if err != nil {
			return 0, false
		}
		lens[i] = v
		head += int64(uvarintLen(v))
	}
	klen, vlen := lens[0], lens[1]
	if klen == 0 || klen > 1<<16 || vlen > 1<<31 {
		return 0, false // zeros, or not a header
	}
	n = head + int64(klen+vlen) + 4
	body := make([]byte, klen+vlen)
	if _, err := io.ReadFull(e.r, body); err != nil {
		return n, false
	}
	e.sum = crc32.Update(e.sum, e.crc, body)
	var crc [4]byte
	if _, err := io.ReadFull(e.r, crc[:]); err != nil || binary.BigEndian.Uint32(crc[:]) != e.sum {
		return n, false
	}
	return n, true
}

// wholeEntryIn returns the offset of the first complete entry with a matching CRC in b, or -1.
func wholeEntryIn(b []byte, table *crc32.Table) int {
	for p := 0; p+2 < len(b); p++ {
		q := p + 2
		var lens [3]uint64
		ok := true
		for i := range lens {
			v, n := binary.Uvarint(b[q:])
			if n <= 0 {
				ok = false
				break
			}
			lens[i], q = v, q+n
		}
		if !ok || lens[0] == 0 || lens[0] > 1<<16 || lens[1] > uint64(len(b)) {
			continue
		}
		end := q + int(lens[0]+lens[1])
		if end+4 > len(b) {
			continue
		}
		if crc32.Checksum(b[p:end], table) == binary.BigEndian.Uint32(b[end:end+4]) {
			return p
		}
	}
	return -1
}

func uvarintLen(v uint64) int {
	var b [binary.MaxVarintLen64]byte
	return binary.PutUvarint(b[:], v)
}

// lastNonZero returns the offset of the last non-zero byte of f in [from, size), or from-1.
func lastNonZero(f *os.File, from, size int64) (int64, error) {
	buf := make([]byte, 1<<16)
	for end := size; end > from; {
		start := max(from, end-int64(len(buf)))
		b := buf[:end-start]
		if _, err := f.ReadAt(b, start); err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		for i := len(b) - 1; i >= 0; i-- {
			if b[i] != 0 {
				return start + int64(i), nil
			}
		}
		end = start
	}
	return from - 1, nil
}
