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
// cache/keyring.idx, and the next open uses it when it still describes the keyring: it reads the
// table, checks the keyring's bytes against it with one CRC-32C pass (damage to the keyring is
// still found at open, in a few milliseconds), takes the witness check as done when Badger's
// newest witness is the one the index was saved with, and indexes only what was appended after.
// Anything else (no file, another keyring, a newer witness, a damaged index) falls back to
// indexing and hashing the whole keyring, as without it. The file holds offsets and 32-bit hash
// tags of subject ids, never a key; deleting it only makes the next open slower.
//
// Format: the magic "HKX1", then little-endian: the bytes of the keyring it covers (8), their
// CRC-32C (4), the newest witness when saved (generation 8, size 8, SHA-256 32), the length (2)
// and bytes of the SHA-256 state after the covered bytes, the number of subjects (8), the number
// of slots (8), the slots (8 each), and the CRC-32C of everything before (4).

const keyIdxMagic = "HKX1"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// savedIndex is a keyring index read back from its file.
type savedIndex struct {
	covered int64
	crc     uint32 // CRC-32C of the covered bytes
	witness keyringState
	state   []byte // SHA-256 state after the covered bytes
	n       int
	slots   []uint64
}

// loadKeyIndex reads the saved index at path and checks it against the keyring's bytes b; ok is
// false when it cannot be used.
func loadKeyIndex(path string, b []byte) (idx savedIndex, ok bool) {
	if path == "" {
		return idx, false
	}
	raw, err := os.ReadFile(path)
	if err != nil || len(raw) < len(keyIdxMagic)+8+4+48+2+16+4 || string(raw[:len(keyIdxMagic)]) != keyIdxMagic {
		return idx, false
	}
	body, sum := raw[:len(raw)-4], binary.LittleEndian.Uint32(raw[len(raw)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return idx, false
	}
	r := body[len(keyIdxMagic):]
	u64 := func() uint64 { v := binary.LittleEndian.Uint64(r); r = r[8:]; return v }
	idx.covered = int64(u64())
	idx.crc = binary.LittleEndian.Uint32(r)
	r = r[4:]
	idx.witness.gen, idx.witness.size = u64(), int64(u64())
	copy(idx.witness.sum[:], r)
	r = r[32:]
	n := int(binary.LittleEndian.Uint16(r))
	r = r[2:]
	if len(r) < n+16 {
		return idx, false
	}
	idx.state, r = r[:n], r[n:]
	idx.n = int(u64())
	slots := u64()
	if slots == 0 || slots&(slots-1) != 0 || uint64(len(r)) != slots*8 || idx.covered > int64(len(b)) || idx.covered < int64(len(keyringMagic)) {
		return idx, false
	}
	if crc32.Checksum(b[:idx.covered], castagnoli) != idx.crc {
		return idx, false // the keyring is not the one indexed: index it again (and let the witness judge it)
	}
	idx.slots = make([]uint64, slots)
	for i := range idx.slots {
		idx.slots[i] = binary.LittleEndian.Uint64(r[8*i:])
	}
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
	kr.index = keyIndex{b: b, slots: idx.slots, n: idx.n, end: int(idx.covered)}
	pos := int(idx.covered)
	for pos < len(b) {
		n := int(b[pos])
		if n == 0 || pos+1+n+32 > len(b) {
			break // a torn tail, as indexKeys leaves it out
		}
		s := string(b[pos+1 : pos+1+n])
		_, dup := kr.index.get(s)
		if _, again := kr.tail.get(s); dup || again {
			return false // written twice: let indexKeys find the last one
		}
		kr.tail.add(s, b[pos+1+n:pos+1+n+32])
		pos += 1 + n + 32
	}
	kr.tail.flushed = len(kr.tail.ix.b) // those are on disk
	sum.Write(b[idx.covered:pos])
	kr.sum, kr.size, kr.saved = sum, int64(pos), &idx.witness
	kr.crc = crc32.Update(idx.crc, castagnoli, b[idx.covered:pos])
	return true
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
	if kr.saved != nil && *kr.saved == st && kr.tail.count() == 0 {
		return nil // the saved index is still exact
	}
	ix := kr.index
	if total := ix.n + kr.tail.count(); 2*total > len(ix.slots) {
		b, err := os.ReadFile(kr.path)
		if err != nil {
			return err
		}
		ix = indexKeys(b[:min(int(kr.size), len(b))])
	} else if kr.tail.count() > 0 {
		ix.slots = append([]uint64(nil), ix.slots...)
		mask := len(ix.slots) - 1
		kr.tail.each(func(s string, _ []byte, off int) {
			hash := subjectHash(s)
			i := int(hash) & mask
			for ix.slots[i] != 0 {
				i = (i + 1) & mask
			}
			ix.slots[i] = hash>>32<<32 | uint64(ix.end+off-1) // the tail follows the indexed bytes in the file
			ix.n++
		})
		ix.end += len(kr.tail.ix.b) - 1
	}
	if int64(ix.end) != kr.size {
		return errors.New("store: the keyring index does not cover the keyring")
	}
	state, err := kr.sum.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	buf.Grow(len(keyIdxMagic) + 100 + len(state) + 8*len(ix.slots))
	buf.WriteString(keyIdxMagic)
	le := binary.LittleEndian
	buf.Write(le.AppendUint64(nil, uint64(kr.size)))
	buf.Write(le.AppendUint32(nil, kr.crc))
	buf.Write(le.AppendUint64(nil, st.gen))
	buf.Write(le.AppendUint64(nil, uint64(st.size)))
	buf.Write(st.sum[:])
	buf.Write(le.AppendUint16(nil, uint16(len(state))))
	buf.Write(state)
	buf.Write(le.AppendUint64(nil, uint64(ix.n)))
	buf.Write(le.AppendUint64(nil, uint64(len(ix.slots))))
	slots := make([]byte, 8*len(ix.slots))
	for i, v := range ix.slots {
		le.PutUint64(slots[8*i:], v)
	}
	buf.Write(slots)
	buf.Write(le.AppendUint32(nil, crc32.Checksum(buf.Bytes(), castagnoli)))
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
	kr.saved = &st
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
	if 2*(t.ix.n+1) > len(t.ix.slots) {
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
	t.ix.slots, t.ix.n = make([]uint64, max(16, 2*len(t.ix.slots))), 0
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
