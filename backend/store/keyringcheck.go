package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/dgraph-io/badger/v4"
)

// The keyring's witness. Sealed records are only as readable as the keyring file beside
// Badger, and nothing in that file says how long it should be: cut short, deleted or overwritten,
// it used to open as a keyring that simply lacked keys, and the members sealed with them vanished
// without a word. So every transaction that appended keys also writes, in Badger, the file's
// generation, its length after the append and the SHA-256 of its bytes up to there:
//
//	s/keyring/<generation (8 bytes)><length (8 bytes)>   SHA-256 of the keyring's first <length> bytes
//
// Keys sort by generation then length, so the last one is the newest witness whatever order
// concurrent transactions committed in (a stale one only checks a shorter prefix). The file is
// append-only within a generation, so a witness of length L holds for as long as the file does;
// an erasure rewrites it as the next generation and records that witness before the rename,
// so both the old and the new file are accepted until then. Close keeps only the newest witness.
//
// Open compares the file with the newest witness (and with the newest of the generation before,
// for a crash inside an erasure) and refuses a keyring that matches neither. A workspace written
// before witnesses existed has none and is checked from its next close on.

var keyringCheckPrefix = []byte("s/keyring/")

// keyringState is the witness of the keyring file at one moment.
type keyringState struct {
	gen  uint64
	size int64
	sum  [sha256.Size]byte
}

func (st keyringState) key() []byte {
	k := append([]byte{}, keyringCheckPrefix...)
	k = binary.BigEndian.AppendUint64(k, st.gen)
	return binary.BigEndian.AppendUint64(k, uint64(st.size))
}

// state is the witness of the file as it is on disk now. kr.mu must be held.
func (kr *keyring) state() keyringState {
	st := keyringState{gen: kr.gen, size: kr.size}
	kr.sum.Sum(st.sum[:0])
	return st
}

// matches reports whether the file's bytes raw agree with the witness.
func (st keyringState) matches(raw []byte) bool {
	return int64(len(raw)) >= st.size && sha256.Sum256(raw[:st.size]) == st.sum
}

// readKeyringWitnesses returns the newest witness and the newest of the generation before it;
// ok flags say whether there are any.
func readKeyringWitnesses(txn *badger.Txn) (newest, previous keyringState, hasNewest, hasPrevious bool, err error) {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: keyringCheckPrefix, Reverse: true})
	defer it.Close()
	seek := append(append([]byte{}, keyringCheckPrefix...), bytes.Repeat([]byte{0xff}, 17)...)
	for it.Seek(seek); it.Valid(); it.Next() {
		item := it.Item()
		k := item.Key()[len(keyringCheckPrefix):]
		if len(k) != 16 {
			continue
		}
		st := keyringState{gen: binary.BigEndian.Uint64(k), size: int64(binary.BigEndian.Uint64(k[8:]))}
		v, err := item.ValueCopy(nil)
		if err != nil {
			return newest, previous, false, false, err
		}
		if len(v) != sha256.Size {
			return newest, previous, false, false, fmt.Errorf("store: keyring witness of %d bytes", len(v))
		}
		copy(st.sum[:], v)
		if !hasNewest {
			newest, hasNewest = st, true
			continue
		}
		if st.gen < newest.gen {
			return newest, st, true, true, nil
		}
	}
	return newest, previous, hasNewest, false, nil
}

// verifyKeyring compares the keyring as read by openKeyring with the witnesses in db. It reads
// only; the keyring then continues the newest witness's generation.
func verifyKeyring(db *badger.DB, kr *keyring) error {
	raw := kr.raw
	kr.raw = nil
	if kr.path == "" {
		return nil
	}
	var newest, previous keyringState
	var hasNewest, hasPrevious bool
	err := db.View(func(txn *badger.Txn) (err error) {
		newest, previous, hasNewest, hasPrevious, err = readKeyringWitnesses(txn)
		return err
	})
	if err != nil {
		return damaged(CodeIndexDamaged, "db", err)
	}
	if !hasNewest {
		// Written before witnesses: checked from the next close on. Meanwhile an empty or
		// missing keyring beside sealed records is damage all the same.
		if kr.count() == 0 && hasSealedRecord(db) {
			return damaged(CodeKeyringDamaged, "keyring", errors.New("missing or empty, while sealed records need it"))
		}
		return nil
	}
	kr.gen = newest.gen
	if kr.saved != nil && *kr.saved == newest {
		return nil // the bytes are those the saved index was written with (keyidx.go)
	}
	if newest.matches(raw) || (hasPrevious && previous.matches(raw)) {
		kr.saved = nil // the saved index was not written with the newest witness: save it again
		return nil
	}
	what := fmt.Sprintf("%d bytes, the records need %d", len(raw), newest.size)
	if int64(len(raw)) >= newest.size {
		what = "its bytes are not those the records were sealed with"
	}
	if raw == nil {
		what = "missing, while sealed records need it"
	}
	return damaged(CodeKeyringDamaged, "keyring", errors.New(what))
}

// legacyProbe bounds how many records hasSealedRecord reads.
const legacyProbe = 50_000

// hasSealedRecord reports whether one of the first records (at most legacyProbe) is a live
// sealed one.
func hasSealedRecord(db *badger.DB) bool {
	found := false
	_ = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("r/"), PrefetchValues: false})
		defer it.Close()
		n := 0
		for it.Rewind(); it.Valid() && !found && n < legacyProbe; it.Next() {
			n++
			_ = it.Item().Value(func(b []byte) error {
				m, sealed, _, err := decodeEnvelope(b)
				found = err == nil && sealed && !m.Deleted
				return nil
			})
		}
		return nil
	})
	return found
}

// recordKeyring writes the witness st in txn.
func recordKeyring(txn *badger.Txn, st keyringState) error {
	return txn.Set(st.key(), st.sum[:])
}

// saveKeyringWitness leaves exactly one witness, of the keyring as it is on disk now (at close,
// after the last flush), and returns it.
func (s *Store) saveKeyringWitness() (keyringState, error) {
	if s.keys.path == "" {
		return keyringState{}, nil
	}
	s.keys.mu.Lock()
	st := s.keys.state()
	s.keys.mu.Unlock()
	return st, s.db.Update(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: keyringCheckPrefix})
		var stale [][]byte
		for it.Rewind(); it.Valid(); it.Next() {
			if k := it.Item().Key(); !bytes.Equal(k, st.key()) {
				stale = append(stale, it.Item().KeyCopy(nil))
			}
		}
		it.Close()
		for _, k := range stale {
			if err := txn.Delete(k); err != nil {
				return err
			}
		}
		return recordKeyring(txn, st)
	})
}

// verifyKeyringReadOnly checks the keyring against a read-only open of the database, before
// anything may write. verified is false when that was not possible (a new database, or logs
// with a crash's tail to cut, which a read-only Badger refuses): the caller checks right after
// its own open.
func verifyKeyringReadOnly(bo badger.Options, kr *keyring) (verified bool, err error) {
	if kr.path == "" {
		return true, nil
	}
	if kr.saved != nil && kr.savedFile != (fileID{}) {
		// The keyring file was not written since the close that saved its index with the newest
		// witness it then wrote (keyidx.go): the check after the read-write open costs one read
		// of the witness, where a read-only open first would open every table twice.
		return false, nil
	}
	if _, err := os.Stat(filepath.Join(bo.Dir, manifestName)); err != nil {
		return false, nil
	}
	db, err := openBadger(bo.WithReadOnly(true))
	if err != nil {
		if IsDamage(err) {
			return false, err
		}
		return false, nil // the read-write open says what is wrong, or checks after its open
	}
	defer db.Close()
	return true, verifyKeyring(db, kr)
}

// openBadger is badger.Open that turns a panic on a damaged file into a named error.
func openBadger(bo badger.Options) (db *badger.DB, err error) {
	defer func() {
		if p := recover(); p != nil {
			db, err = nil, damaged(CodeTableDamaged, "db", fmt.Errorf("badger: %v", p))
		}
	}()
	return badger.Open(bo)
}
