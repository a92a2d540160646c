package store

import (
	"bytes"
	"crypto/sha256"
	"encoding"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
)

// The keyring's index, saved. Indexing the keyring at open hashes every entry into the table
// (at a million keys, the biggest part of opening a workspace), and checking it against its
// witness hashes every byte with SHA-256. So the store saves the table at close, in
// cache/keyring.idx, and the next open uses it when it still describes the keyring, reading
// neither file whole: both are mapped (mapFile), and a lookup reads the few pages it touches.
//
// When is the saved index still the keyring's? The index records the keyring's length, its
// CRC-32C, and its file's identity when saved: modification time and status change time
// (ctime), which every write, truncation or rename sets and which no tool can set back. When
// the identity is unchanged, the bytes are those indexed and the CRC pass is skipped; otherwise
// the covered bytes are checked against the CRC (damage is found at open, in milliseconds a
// megabyte) before anything is used. The witness check (keyringcheck.go) is taken as done when
// Badger's newest witness is the one the index was saved with, and only what was appended after
// is indexed. The table itself is checked in chunks of 64 KiB, each against its own CRC-32C the
// first time a lookup reads it (lazyCheck): a damaged chunk makes the keyring index its file
// again, never a key looked up in the wrong place. Anything else (no file, another keyring, a
// newer witness, a damaged header) falls back to indexing and hashing the whole keyring, as
// without it. The file holds offsets and 32-bit hash tags of subject ids, never a key;
// deleting it only makes the next open slower.
//
// Format: the magic "HKX2", then little-endian: the bytes of the keyring it covers (8), their
// CRC-32C (4), the keyring file's modification and status change times in nanoseconds (8 and
// 8), the newest witness when saved (generation 8, size 8, SHA-256 32), the length (2) and bytes
// of the SHA-256 state after the covered bytes, the number of subjects (8), the number of slots
// (8), the CRC-32C of each chunk of chunkSlots slots (4 each), the CRC-32C of everything before
// (4); then the slots (8 each).

const keyIdxMagic = "HKX2"

// chunkSlots is how many slots one CRC of a saved index covers (64 KiB).
const chunkSlots = 8192

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// fileID is what tells that a file was not written since: its length, modification time and
// status change time.
type fileID struct {
	size, mtime, ctime int64
}

func fileIDOf(st os.FileInfo) fileID {
	return fileID{size: st.Size(), mtime: st.ModTime().UnixNano(), ctime: changeTime(st)}
}

// savedIndex is a keyring index read back from its file.
type savedIndex struct {
	covered int64
	crc     uint32 // CRC-32C of the covered bytes
	file    fileID // the keyring's when saved (size: covered)
	witness keyringState
	state   []byte // SHA-256 state after the covered bytes
	n       int
	slots   []byte
	sums    []uint32 // CRC-32C of each chunk of slots
	release func()   // unmaps the saved file
}

// lazyCheck checks the chunks of a saved index's slots as lookups first read them.
type lazyCheck struct {
	sums  []uint32
	state []uint8 // per chunk: 0 not checked yet, 1 good, 2 damaged
	bad   bool    // a chunk was found damaged
}

func newLazyCheck(sums []uint32) *lazyCheck {
	return &lazyCheck{sums: sums, state: make([]uint8, len(sums))}
}

// good reports whether the chunk holding slot i matches its CRC, checking it the first time.
func (c *lazyCheck) good(slots []byte, i int) bool {
	k := i / chunkSlots
	switch c.state[k] {
	case 1:
		return true
	case 2:
		return false
	}
	lo := 8 * k * chunkSlots
	hi := min(lo+8*chunkSlots, len(slots))
	if crc32.Checksum(slots[lo:hi], castagnoli) == c.sums[k] {
		c.state[k] = 1
		return true
	}
	c.state[k], c.bad = 2, true
	return false
}

// checkAll checks every chunk not checked yet; false when one is damaged.
func (c *lazyCheck) checkAll(slots []byte) bool {
	for k := range c.sums {
		c.good(slots, k*chunkSlots)
	}
	return !c.bad
}

// loadKeyIndex maps the saved index at path and checks it against the keyring's bytes b, whose
// file is described by id; ok is false when it cannot be used (and nothing stays mapped).
func loadKeyIndex(path string, b []byte, id fileID) (idx savedIndex, ok bool) {
	if path == "" {
		return idx, false
	}
	raw, release, err := mapFile(path)
	if err != nil {
		return idx, false
	}
	defer func() {
		if !ok {
			release()
		}
	}()
	const fixed = 4 + 8 + 4 + 16 + 48 + 2 + 16 + 4
	if len(raw) < fixed || string(raw[:len(keyIdxMagic)]) != keyIdxMagic {
		return idx, false
	}
	le := binary.LittleEndian
	r := raw[len(keyIdxMagic):]
	u64 := func() uint64 { v := le.Uint64(r); r = r[8:]; return v }
	idx.covered = int64(u64())
	idx.crc = le.Uint32(r)
	r = r[4:]
	idx.file = fileID{size: idx.covered, mtime: int64(u64()), ctime: int64(u64())}
	idx.witness.gen, idx.witness.size = u64(), int64(u64())
	copy(idx.witness.sum[:], r)
	r = r[32:]
	n := int(le.Uint16(r))
	r = r[2:]
	if len(r) < n+16+4 {
		return idx, false
	}
	idx.state, r = r[:n], r[n:]
	idx.n = int(u64())
	slots := u64()
	if slots == 0 || slots&(slots-1) != 0 || slots > uint64(len(raw))/8 {
		return idx, false
	}
	chunks := int((slots + chunkSlots - 1) / chunkSlots)
	if len(r) < 4*chunks+4 {
		return idx, false
	}
	idx.sums = make([]uint32, chunks)
	for k := range idx.sums {
		idx.sums[k] = le.Uint32(r[4*k:])
	}
	r = r[4*chunks:]
	head := len(raw) - len(r) // the bytes before the header's CRC
	if crc32.Checksum(raw[:head], castagnoli) != le.Uint32(r) {
		return idx, false
	}
	idx.slots = r[4:]
	if uint64(len(idx.slots)) != slots*8 || idx.covered > int64(len(b)) || idx.covered < int64(len(keyringMagic)) {
		return idx, false
	}
	if id.size < idx.covered || id.mtime != idx.file.mtime || id.ctime != idx.file.ctime || id.ctime == 0 && id.mtime == 0 {
		// Written since (or an identity that tells nothing): check the bytes.
		if crc32.Checksum(b[:idx.covered], castagnoli) != idx.crc {
			return idx, false // the keyring is not the one indexed: index it again (and let the witness judge it)
		}
	}
	idx.release = release
	return idx, true
}

// fromSaved makes kr's index from a saved one over the keyring's bytes b, then indexes the
// whole entries appended after it (into the tail). It reports false when the saved index
// cannot be used after all.
func (kr *keyring) fromSaved(idx savedIndex, b []byte) bool {
	sum := sha256.New()
	if err := sum.(encoding.BinaryUnmarshaler).UnmarshalBinary(idx.state); err != nil {
		return false
	}
	kr.index = keyIndex{b: b, slots: idx.slots, n: idx.n, end: int(idx.covered), lazy: newLazyCheck(idx.sums)}
	pos := int(idx.covered)
	for pos < len(b) {
		n := int(b[pos])
		if n == 0 || pos+1+n+32 > len(b) {
			break // a torn tail, as indexKeys leaves it out
		}
		s := string(b[pos+1 : pos+1+n])
		_, dup := kr.index.get(s)
		if _, again := kr.tail.get(s); dup || again || kr.index.lazy.bad {
			return false // written twice: let indexKeys find the last one
		}
		kr.tail.add(s, b[pos+1+n:pos+1+n+32])
		pos += 1 + n + 32
	}
	kr.tail.flushed = len(kr.tail.ix.b) // those are on disk
	sum.Write(b[idx.covered:pos])
	kr.sum, kr.size, kr.saved = sum, int64(pos), &idx.witness
	kr.crc = crc32.Update(idx.crc, castagnoli, b[idx.covered:pos])
	kr.release = append(kr.release, idx.release)
	if pos == int(idx.covered) {
		kr.savedFile = idx.file
	}
	return true
}

// soundIndex makes sure every slot of kr's index is good (a saved index's chunks all checked),
// indexing the keyring's bytes again when one is not. kr.mu must be held.
func (kr *keyring) soundIndex() {
	if kr.index.lazy == nil {
		return
	}
	if kr.index.lazy.checkAll(kr.index.slots) {
		kr.index.lazy = nil
		return
	}
	kr.reindex()
}

// reindex indexes the keyring's bytes again, after a saved index turned out damaged. kr.mu
// must be held.
func (kr *keyring) reindex() {
	kr.index = indexKeys(kr.index.b[:kr.index.end])
	kr.saved, kr.savedFile = nil, fileID{}
}

// saveIndex writes the index of the keyring as it is on disk (after the last flush), with the
// witness st, to path. Keys added since the index was built are put in a copy of its table
// (they are never already in it), or the table is rebuilt from the file when they would fill
// more than half of it.
func (kr *keyring) saveIndex(path string, st keyringState) error {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	if path == "" || kr.path == "" || len(kr.tail.pending()) > 0 {
		return nil
	}
	fst, err := os.Stat(kr.path)
	if err != nil {
		return err
	}
	id := fileIDOf(fst)
	if kr.saved != nil && *kr.saved == st && kr.tail.count() == 0 && kr.savedFile == id {
		return nil // the saved index is still exact
	}
	kr.soundIndex()
	ix := kr.index
	if total := ix.n + kr.tail.count(); 2*total > ix.slotCount() {
		b, err := os.ReadFile(kr.path)
		if err != nil {
			return err
		}
		ix = indexKeys(b[:min(int(kr.size), len(b))])
	} else if kr.tail.count() > 0 {
		ix.slots = append([]byte(nil), ix.slots...)
		mask := ix.slotCount() - 1
		kr.tail.each(func(s string, _ []byte, off int) {
			hash := subjectHash(s)
			i := int(hash) & mask
			for ix.slotAt(i) != 0 {
				i = (i + 1) & mask
			}
			ix.setSlot(i, hash>>32<<32|uint64(ix.end+off-1)) // the tail follows the indexed bytes in the file
			ix.n++
		})
		ix.end += len(kr.tail.ix.b) - 1
	}
	if int64(ix.end) != kr.size || id.size != kr.size {
		return errors.New("store: the keyring index does not cover the keyring")
	}
	state, err := kr.sum.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.Grow(len(keyIdxMagic) + 120 + len(state) + len(ix.slots)/chunkSlots*4 + 4 + len(ix.slots))
	buf.WriteString(keyIdxMagic)
	le := binary.LittleEndian
	buf.Write(le.AppendUint64(nil, uint64(kr.size)))
	buf.Write(le.AppendUint32(nil, kr.crc))
	buf.Write(le.AppendUint64(nil, uint64(id.mtime)))
	buf.Write(le.AppendUint64(nil, uint64(id.ctime)))
	buf.Write(le.AppendUint64(nil, st.gen))
	buf.Write(le.AppendUint64(nil, uint64(st.size)))
	buf.Write(st.sum[:])
	buf.Write(le.AppendUint16(nil, uint16(len(state))))
	buf.Write(state)
	buf.Write(le.AppendUint64(nil, uint64(ix.n)))
	buf.Write(le.AppendUint64(nil, uint64(ix.slotCount())))
	for lo := 0; lo < len(ix.slots); lo += 8 * chunkSlots {
		buf.Write(le.AppendUint32(nil, crc32.Checksum(ix.slots[lo:min(lo+8*chunkSlots, len(ix.slots))], castagnoli)))
	}
	buf.Write(le.AppendUint32(nil, crc32.Checksum(buf.Bytes(), castagnoli)))
	buf.Write(ix.slots)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o600); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	kr.saved, kr.savedFile = &st, id
	return nil
}

// dropIndex deletes a saved index that no longer describes the keyring (after an erasure
// rewrote it): the next open would only find it stale, but it should not outlive the keys.
func dropIndex(path string) {
	if path != "" {
		_ = os.Remove(path) // one left behind is refused at open by its CRC
	}
}

// keyTail holds the keys created or read after the index was built, in the file's own format
// and order, indexed like the file (8 bytes a slot, half full): about 75 bytes a key, where a
// map of strings to slices took about twice that (a million-row import creates a million keys).
type keyTail struct {
	ix      keyIndex // over b, which starts with one unused byte (offset 0 marks an empty slot)
	flushed int      // bytes of ix.b on disk, the unused byte counted
}

func newKeyTail() keyTail { return keyTail{ix: keyIndex{b: []byte{0}, end: 1}, flushed: 1} }

func (t *keyTail) count() int { return t.ix.n }

func (t *keyTail) get(subject string) ([]byte, bool) { return t.ix.get(subject) }

// add appends subject's key (a subject not yet in the tail).
func (t *keyTail) add(subject string, key []byte) {
	if 2*(t.ix.n+1) > t.ix.slotCount() {
		t.grow()
	}
	off := len(t.ix.b)
	t.ix.b = append(t.ix.b, byte(len(subject)))
	t.ix.b = append(t.ix.b, subject...)
	t.ix.b = append(t.ix.b, key...)
	t.ix.end = len(t.ix.b)
	t.ix.put(t.ix.b[off+1:off+1+len(subject)], uint32(off))
}

// grow doubles the table and puts every entry in it again.
func (t *keyTail) grow() {
	t.ix.slots, t.ix.n = make([]byte, 8*max(16, 2*t.ix.slotCount())), 0
	t.each(func(s string, _ []byte, off int) { t.ix.put([]byte(s), uint32(off)) })
}

// each calls fn with every entry in order, with its offset in the tail.
func (t *keyTail) each(fn func(subject string, key []byte, off int)) {
	b := t.ix.b
	for off := 1; off < len(b); {
		n := int(b[off])
		fn(string(b[off+1:off+1+n]), b[off+1+n:off+1+n+32], off)
		off += 1 + n + 32
	}
}

// pending is what is not on disk yet, in the file's format.
func (t *keyTail) pending() []byte { return t.ix.b[t.flushed:] }
