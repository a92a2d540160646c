package store

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// keyring holds one random 256-bit data key per subject (a person). Records about a subject are
// sealed with its key; destroying the key is how erasure makes those records unrecoverable.
//
// The keys live outside Badger, in one small file, precisely so that they can be destroyed:
// Badger keeps old values in its logs and tables until some later compaction, but this file is
// rewritten (to a temporary file, synced, renamed over the old one) when a key is destroyed, so
// the destroyed key's bytes are no longer in any workspace file.
//
// File format: the magic "HKR1", then entries of: id length (1 byte), id, key (32 bytes).
//
// The file's integrity is witnessed inside Badger (see keyringCheck): every transaction that
// appended keys records the file's length and the SHA-256 of its bytes up to there, so a
// keyring shorter than what the committed records need, missing, or changed, is damage that
// Open refuses, not members that silently vanish.
//
// At open the file is read once and indexed in place (keyIndex): a compact open-addressing table
// of offsets into the file's bytes, not a map of a million strings, so that opening a large
// workspace costs one read and one pass, about 8 bytes of memory per key besides the file.
type keyring struct {
	mu    sync.Mutex
	path  string // "" keeps the keys in memory only
	index keyIndex
	tail  keyTail // keys created (or appended by another process) since the index was built

	gen  uint64    // generation of the file: destroy rewrites it as the next one
	size int64     // bytes of whole entries on disk (a torn tail after them is cut at the next append)
	sum  hash.Hash // SHA-256 of the file's first size bytes
	crc  uint32    // CRC-32C of the same bytes (keyidx.go)
	raw  []byte    // the file as read by openKeyring, until Open has verified it

	idxPath   string        // where the index is saved (keyidx.go); "" for none
	saved     *keyringState // the witness the index was saved (or loaded) with; nil when none is valid
	savedFile fileID        // the keyring file's identity when the index was saved (or loaded)
	release   []func()      // unmaps the files mapped at open (see close)
	folded    func()        // unmaps the file as mapped by the last fold, nil when none
}

// foldEvery is how many keys the tail holds before flush folds it into an index over the file
// (fold): a million-row import creates a million keys, which the tail would otherwise hold in
// the heap (about 75 MB of them).
var foldEvery = 100_000

const keyringMagic = "HKR1"

func openKeyring(path, idxPath string) (*keyring, error) {
	kr := &keyring{path: path, idxPath: idxPath, tail: newKeyTail(), sum: sha256.New()}
	if path == "" {
		return kr, nil
	}
	st, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return kr, nil
	}
	if err != nil {
		return nil, err
	}
	// Mapped, not read: with a saved index, opening touches only the pages of the keys it uses.
	b, release, err := mapFile(path)
	if err != nil {
		return nil, err
	}
	kr.release = append(kr.release, release)
	kr.raw = b
	if len(b) < len(keyringMagic) || string(b[:len(keyringMagic)]) != keyringMagic {
		kr.close()
		return nil, fmt.Errorf("store: %s is not a Hearth keyring", path)
	}
	if idx, ok := loadKeyIndex(idxPath, b, fileIDOf(st)); ok {
		if kr.fromSaved(idx, b) {
			return kr, nil
		}
		idx.release()
		kr.release = kr.release[:1]
		kr.tail, kr.sum, kr.saved, kr.savedFile = newKeyTail(), sha256.New(), nil, fileID{}
	}
	// A torn last entry from a crash mid-append is left out: its record was never committed
	// (keys are synced before the transaction that uses them commits). Open's check against
	// Badger tells this from a keyring cut short.
	kr.index = indexKeys(b)
	kr.size = int64(kr.index.end)
	kr.sum.Write(b[:kr.index.end])
	kr.crc = crc32.Checksum(b[:kr.index.end], castagnoli)
	return kr, nil
}

// close releases the files mapped at open. The keyring must not be used after.
func (kr *keyring) close() {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	for _, release := range kr.release {
		release()
	}
	kr.release = nil
	kr.releaseFolded()
	kr.index, kr.raw = keyIndex{}, nil
}

// releaseFolded unmaps the file a fold mapped. kr.mu must be held.
func (kr *keyring) releaseFolded() {
	if kr.folded != nil {
		kr.folded()
		kr.folded = nil
	}
}

// fold indexes the whole file again, mapped, and empties the tail: every key is then read from
// the file's pages, which the kernel may take back (see resident.go), rather than held in the
// heap; the index itself costs 16 bytes a key. Done when the tail holds foldEvery keys, all
// flushed. kr.mu must be held. Anything unexpected (the file cannot be mapped, or does not
// hold exactly the keys known) leaves the keyring as it was.
func (kr *keyring) fold() {
	b, release, err := mapFile(kr.path)
	if err != nil {
		return
	}
	if int64(len(b)) < kr.size {
		release()
		return
	}
	ix := indexKeys(b[:kr.size])
	if int64(ix.end) != kr.size || ix.n != kr.count() {
		release()
		return
	}
	kr.releaseFolded() // the index replaced read it; key() hands out copies of the file's bytes
	kr.index, kr.tail, kr.folded = ix, newKeyTail(), release
	kr.saved, kr.savedFile = nil, fileID{} // a saved index, if any, no longer is this one
}

// idleSince reports whether the keyring is as it was opened, with a saved index whose witness
// (returned) is Badger's newest, given whether the database is untouched since its open.
func (kr *keyring) idleSince(untouched bool) (keyringState, bool) {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	if !untouched || kr.saved == nil || len(kr.tail.pending()) > 0 {
		return keyringState{}, false
	}
	return *kr.saved, true
}

// count is how many subjects have a key.
func (kr *keyring) count() int { return kr.index.n + kr.tail.count() }

// key returns subject's key, creating it (to be written by flush) if it has none. ok is false
// when create is false and the subject has no key (never had one, or it was destroyed).
func (kr *keyring) key(subject string, create bool) (key []byte, ok bool, err error) {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	k, ok := kr.index.get(subject)
	if kr.index.lazy != nil && kr.index.lazy.bad {
		kr.reindex() // the saved index is damaged: the keyring's own bytes say
		k, ok = kr.index.get(subject)
	}
	if ok {
		return bytes.Clone(k), true, nil // not the mapped file's bytes, which close releases
	}
	if k, ok := kr.tail.get(subject); ok {
		return k, true, nil
	}
	if !create {
		return nil, false, nil
	}
	if len(subject) == 0 || len(subject) > 255 {
		return nil, false, fmt.Errorf("store: subject id of %d bytes", len(subject))
	}
	k = make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, false, err
	}
	kr.tail.add(subject, k)
	k, _ = kr.tail.get(subject) // the tail's copy: k's own bytes are not kept
	return k, true, nil
}

// flush appends new keys to the file, and syncs it when sync is set. It runs before the
// transaction that first uses those keys commits, so a committed record always has its key in
// the file: a crashed or killed process never leaves a record without its key. Syncing to the
// disk itself (against power loss) happens with durable updates, on close and periodically,
// matching Badger, which does not sync ordinary commits either. wrote says keys were appended:
// state is then what the transaction records as the keyring's witness (see keyringCheck).
func (kr *keyring) flush(sync bool) (state keyringState, wrote bool, err error) {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	if kr.path == "" || (len(kr.tail.pending()) == 0 && !sync) {
		kr.tail.flushed = len(kr.tail.ix.b)
		return kr.state(), false, nil
	}
	f, err := os.OpenFile(kr.path, os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return keyringState{}, false, err
	}
	// Append after the last whole entry: a torn tail left by a crash is cut, not written after.
	if st, err := f.Stat(); err == nil && st.Size() != kr.size {
		err = f.Truncate(kr.size)
		if err != nil {
			_ = f.Close()
			return keyringState{}, false, err
		}
	}
	var buf bytes.Buffer
	if kr.size == 0 {
		buf.WriteString(keyringMagic)
	}
	buf.Write(kr.tail.pending())
	_, err = f.WriteAt(buf.Bytes(), kr.size)
	if sync && err == nil {
		err = f.Sync()
	}
	err = errors.Join(err, f.Close())
	if err != nil {
		return keyringState{}, false, err
	}
	wrote = buf.Len() > 0
	kr.size += int64(buf.Len())
	kr.sum.Write(buf.Bytes())
	kr.crc = crc32.Update(kr.crc, castagnoli, buf.Bytes())
	kr.tail.flushed = len(kr.tail.ix.b)
	state = kr.state()
	if kr.tail.count() >= foldEvery {
		kr.fold()
	}
	return state, wrote, nil
}

func writeEntry(buf *bytes.Buffer, subject string, key []byte) {
	buf.WriteByte(byte(len(subject)))
	buf.WriteString(subject)
	buf.Write(key)
}

// destroy forgets subjects' keys and rewrites the file without them, as the next generation.
// record is called with the new file's witness once the new file is synced under a temporary
// name and before it replaces the old one, so that a crash at any point leaves a keyring
// that Open accepts (the old generation or the new one, see verifyKeyring).
func (kr *keyring) destroy(record func(keyringState) error, subjects ...string) error {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	kr.soundIndex()
	gone := make(map[string]bool, len(subjects))
	for _, s := range subjects {
		gone[s] = true
	}
	var buf bytes.Buffer
	buf.Grow(kr.index.end + len(kr.tail.ix.b))
	buf.WriteString(keyringMagic)
	kr.index.each(func(s string, k []byte) {
		if !gone[s] {
			writeEntry(&buf, s, k)
		}
	})
	kr.tail.each(func(s string, k []byte, _ int) {
		if !gone[s] {
			writeEntry(&buf, s, k)
		}
	})
	// The new file's bytes become the index's: the old bytes, with the destroyed keys, are
	// no longer referenced (and the file no longer holds them).
	rebuilt := func() {
		kr.index = indexKeys(buf.Bytes())
		kr.tail = newKeyTail()
	}
	if kr.path == "" {
		rebuilt()
		return nil
	}
	next := keyringState{gen: kr.gen + 1, size: int64(buf.Len()), sum: sha256.Sum256(buf.Bytes())}
	tmp, err := os.CreateTemp(filepath.Dir(kr.path), filepath.Base(kr.path)+".*")
	if err != nil {
		return err
	}
	_, werr := tmp.Write(buf.Bytes())
	if err := errors.Join(werr, tmp.Sync(), tmp.Close()); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := record(next); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), kr.path); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	rebuilt() // everything known is now on disk
	kr.gen, kr.size = next.gen, next.size
	kr.sum = sha256.New()
	kr.sum.Write(buf.Bytes())
	kr.crc = crc32.Checksum(buf.Bytes(), castagnoli)
	kr.saved, kr.savedFile = nil, fileID{}
	for _, release := range kr.release { // the old file's bytes are no longer referenced
		release()
	}
	kr.release = nil
	kr.releaseFolded()
	dropIndex(kr.idxPath)
	if dir, err := os.Open(filepath.Dir(kr.path)); err == nil {
		_ = dir.Sync()
		_ = dir.Close()
	}
	return nil
}

// keyIndex finds subjects' keys in a keyring file's bytes without copying them: an
// open-addressing hash table (linear probing, at most half full) of the entries' offsets. Each
// slot also holds the top 32 bits of its subject's hash, so that a probe reads the file's bytes
// (a cache miss at a random place in tens of megabytes) only when the hashes agree: indexing a
// million keys costs one random access to the table per key, not three.
type keyIndex struct {
	b     []byte // the file's bytes; never changed
	slots []byte // little-endian hash<<32 | offset of an entry in b, 8 bytes a slot; 0 for an empty slot (entries start after the magic)
	n     int    // subjects indexed
	end   int    // end of the last whole entry in b
	// lazy, for an index read from its saved file (keyidx.go), checks each chunk of slots the
	// first time a lookup reads it; nil when every slot is known good.
	lazy *lazyCheck
}

// slotCount is the number of slots (a power of two).
func (ix *keyIndex) slotCount() int { return len(ix.slots) / 8 }

// slotAt is slot i, 0 when its chunk of a saved index turns out damaged (see lazyCheck).
func (ix *keyIndex) slotAt(i int) uint64 {
	if ix.lazy != nil && !ix.lazy.good(ix.slots, i) {
		return 0
	}
	return binary.LittleEndian.Uint64(ix.slots[8*i:])
}

func (ix *keyIndex) setSlot(i int, v uint64) { binary.LittleEndian.PutUint64(ix.slots[8*i:], v) }

// indexKeys indexes the whole entries of a keyring file's bytes (b starts with the magic); a
// subject written twice is found at its last entry.
func indexKeys(b []byte) keyIndex {
	ix := keyIndex{b: b}
	entries := 0
	pos := len(keyringMagic)
	for pos < len(b) {
		n := int(b[pos])
		if n == 0 || pos+1+n+32 > len(b) {
			break
		}
		entries++
		pos += 1 + n + 32
	}
	ix.end = pos
	size := 16
	for size < 2*entries {
		size <<= 1
	}
	ix.slots = make([]byte, 8*size)
	for off := len(keyringMagic); off < ix.end; {
		n := int(b[off])
		ix.put(b[off+1:off+1+n], uint32(off))
		off += 1 + n + 32
	}
	return ix
}

// slotOf returns the slot holding the subject id, or the empty slot where it would go.
func slotOf[S string | []byte](ix *keyIndex, id S, hash uint64) int {
	mask := ix.slotCount() - 1
	tag := hash >> 32
	for i := int(hash) & mask; ; i = (i + 1) & mask {
		slot := ix.slotAt(i)
		if slot == 0 {
			return i
		}
		if slot>>32 != tag {
			continue
		}
		off := int(uint32(slot))
		n := int(ix.b[off])
		if string(ix.b[off+1:off+1+n]) == string(id) {
			return i
		}
	}
}

func (ix *keyIndex) slot(subject string) int {
	return slotOf(ix, subject, subjectHash(subject))
}

// put indexes the entry at off, whose subject id is b[off+1:off+1+n], without copying it.
func (ix *keyIndex) put(id []byte, off uint32) {
	hash := subjectHash(id)
	i := slotOf(ix, id, hash)
	if ix.slotAt(i) == 0 {
		ix.n++
	}
	ix.setSlot(i, hash>>32<<32|uint64(off))
}

// subjectHash is FNV-1a, 64 bits, finished with a multiply-xorshift so that its top bits (the
// slot tags) and its low bits (the slot numbers) both mix every byte. It must never change: the
// index is saved in cache/keyring.idx.
func subjectHash[S string | []byte](id S) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	return h ^ h>>33
}

// offset is the entry offset a slot holds, 0 for an empty one.
func (ix *keyIndex) offset(i int) int { return int(uint32(ix.slotAt(i))) }

// get returns subject's key (a slice of the file's bytes).
func (ix *keyIndex) get(subject string) ([]byte, bool) {
	if ix.n == 0 {
		return nil, false
	}
	off := ix.offset(ix.slot(subject))
	if off == 0 {
		return nil, false
	}
	n := int(ix.b[off])
	return ix.b[off+1+n : off+1+n+32], true
}

// each calls fn with every subject and its key, in the file's order.
func (ix *keyIndex) each(fn func(subject string, key []byte)) {
	for off := len(keyringMagic); off < ix.end; {
		n := int(ix.b[off])
		s := string(ix.b[off+1 : off+1+n])
		if ix.offset(ix.slot(s)) == off { // not written again later
			fn(s, ix.b[off+1+n:off+1+n+32])
		}
		off += 1 + n + 32
	}
}

// seal encrypts payload with AES-256-GCM; the record key is authenticated data, so a sealed
// payload cannot be moved to another record.
func seal(key, recordKey, payload []byte) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+len(payload)+aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		return nil, err
	}
	return aead.Seal(out, out, payload, recordKey), nil
}

func open(key, recordKey, sealed []byte) ([]byte, error) {
	return unseal(key, recordKey, sealed, false)
}

// openInPlace is open decrypting over sealed's own bytes (which it overwrites): for a large
// buffer the caller owns, such as a snapshot read from its file.
func openInPlace(key, recordKey, sealed []byte) ([]byte, error) {
	return unseal(key, recordKey, sealed, true)
}

// openInto is open appending the plaintext to dst (a buffer the caller reuses).
func openInto(dst, key, recordKey, sealed []byte) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	ns := aead.NonceSize()
	if len(sealed) < ns {
		return nil, fmt.Errorf("store: sealed payload too short")
	}
	return aead.Open(dst, sealed[:ns], sealed[ns:], recordKey)
}

func unseal(key, recordKey, sealed []byte, inPlace bool) ([]byte, error) {
	var dst []byte
	if inPlace && len(sealed) >= gcmNonceSize {
		dst = sealed[gcmNonceSize:gcmNonceSize] // the overlap cipher.AEAD allows
	}
	return openInto(dst, key, recordKey, sealed)
}

// gcmNonceSize is cipher.NewGCM's nonce size.
const gcmNonceSize = 12

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
