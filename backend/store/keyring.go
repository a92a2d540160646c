package store

import (
	"bufio"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
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
type keyring struct {
	mu      sync.Mutex
	path    string // "" keeps the keys in memory only
	keys    map[string][]byte
	pending []string // subjects whose keys are not yet on disk
}

const keyringMagic = "HKR1"

func openKeyring(path string) (*keyring, error) {
	kr := &keyring{path: path, keys: map[string][]byte{}}
	if path == "" {
		return kr, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return kr, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	magic := make([]byte, len(keyringMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != keyringMagic {
		return nil, fmt.Errorf("store: %s is not a Hearth keyring", path)
	}
	for {
		n, err := r.ReadByte()
		if err == io.EOF {
			return kr, nil
		}
		if err != nil {
			return nil, err
		}
		entry := make([]byte, int(n)+32)
		if _, err := io.ReadFull(r, entry); err != nil {
			// A torn last entry from a crash mid-append: its record was never committed
			// (keys are synced before the transaction that uses them commits).
			return kr, nil
		}
		kr.keys[string(entry[:n])] = entry[n:]
	}
}

// key returns subject's key, creating it (to be written by flush) if it has none. ok is false
// when create is false and the subject has no key (never had one, or it was destroyed).
func (kr *keyring) key(subject string, create bool) (key []byte, ok bool, err error) {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	if k, ok := kr.keys[subject]; ok {
		return k, true, nil
	}
	if !create {
		return nil, false, nil
	}
	if len(subject) == 0 || len(subject) > 255 {
		return nil, false, fmt.Errorf("store: subject id of %d bytes", len(subject))
	}
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		return nil, false, err
	}
	kr.keys[subject] = k
	kr.pending = append(kr.pending, subject)
	return k, true, nil
}

// flush appends new keys to the file, and syncs it when sync is set. It runs before the
// transaction that first uses those keys commits, so a committed record always has its key in
// the file: a crashed or killed process never leaves a record without its key. Syncing to the
// disk itself (against power loss) happens with durable updates, on close and periodically,
// matching Badger, which does not sync ordinary commits either.
func (kr *keyring) flush(sync bool) error {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	if kr.path == "" || (len(kr.pending) == 0 && !sync) {
		kr.pending = nil
		return nil
	}
	f, err := os.OpenFile(kr.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	if st, err := f.Stat(); err == nil && st.Size() == 0 {
		w.WriteString(keyringMagic)
	}
	for _, s := range kr.pending {
		if k, ok := kr.keys[s]; ok {
			w.WriteByte(byte(len(s)))
			w.WriteString(s)
			w.Write(k)
		}
	}
	err = w.Flush()
	if sync && err == nil {
		err = f.Sync()
	}
	err = errors.Join(err, f.Close())
	if err == nil {
		kr.pending = nil
	}
	return err
}

// destroy forgets subjects' keys and rewrites the file without them.
func (kr *keyring) destroy(subjects ...string) error {
	kr.mu.Lock()
	defer kr.mu.Unlock()
	for _, s := range subjects {
		delete(kr.keys, s)
	}
	if kr.path == "" {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(kr.path), filepath.Base(kr.path)+".*")
	if err != nil {
		return err
	}
	w := bufio.NewWriter(tmp)
	w.WriteString(keyringMagic)
	for s, k := range kr.keys {
		w.WriteByte(byte(len(s)))
		w.WriteString(s)
		w.Write(k)
	}
	if err := errors.Join(w.Flush(), tmp.Sync(), tmp.Close()); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), kr.path); err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	kr.pending = nil // everything known is now on disk
	if dir, err := os.Open(filepath.Dir(kr.path)); err == nil {
		_ = dir.Sync()
		_ = dir.Close()
	}
	return nil
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
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, fmt.Errorf("store: sealed payload too short")
	}
	return aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], recordKey)
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}
