package credentials

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"hearth/backend/errs"
)

// header starts credentials.enc in clear; it is also the AEAD's additional data, so a file of
// another format or version fails to open rather than being misread.
var header = []byte("hearth-credentials v1\n")

const keySize = 32

// payload is what the file seals.
type payload struct {
	Secrets map[string]string `json:"secrets"`
}

func (s *Store) filePath() string { return filepath.Join(s.dir, FileName) }
func (s *Store) keyPath() string  { return filepath.Join(s.dir, KeyName) }

func unreadable(path string, cause error, why string) error {
	return errs.Wrap(errs.Internal, "credentials_unreadable", cause,
		fmt.Sprintf("credentials: %s cannot be read (%s); it was left as it is", path, why)).With("file", path)
}

func unavailable(cause error, what string) error {
	if cause == nil {
		return nil
	}
	return errs.Wrap(errs.Unavailable, "credentials_unavailable", cause, "credentials: "+what)
}

// readFile returns the secrets in the file, an empty map when there is no file yet. It never
// creates anything.
func (s *Store) readFile() (map[string]string, error) {
	if s.dirErr != nil {
		return nil, s.dirErr
	}
	sealed, err := os.ReadFile(s.filePath())
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, unavailable(err, "read "+s.filePath())
	}
	key, err := os.ReadFile(s.keyPath())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, unreadable(s.filePath(), err, "its key "+KeyName+" is missing")
	}
	if err != nil {
		return nil, unavailable(err, "read "+s.keyPath())
	}
	if len(key) != keySize {
		return nil, unreadable(s.filePath(), nil, "its key "+KeyName+" is damaged")
	}
	return open(s.filePath(), key, sealed)
}

func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// open decrypts a sealed file: header, nonce, ciphertext.
func open(path string, key, sealed []byte) (map[string]string, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, unreadable(path, err, "bad key")
	}
	body, ok := bytes.CutPrefix(sealed, header)
	if !ok || len(body) < aead.NonceSize()+aead.Overhead() {
		return nil, unreadable(path, nil, "not a Hearth credentials file")
	}
	plain, err := aead.Open(nil, body[:aead.NonceSize()], body[aead.NonceSize():], header)
	if err != nil {
		return nil, unreadable(path, err, "it does not match its key or is damaged")
	}
	var p payload
	if err := json.Unmarshal(plain, &p); err != nil {
		return nil, unreadable(path, err, "damaged content")
	}
	if p.Secrets == nil {
		p.Secrets = map[string]string{}
	}
	return p.Secrets, nil
}

// seal encrypts the map under key with a fresh random nonce.
func seal(key []byte, m map[string]string) ([]byte, error) {
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	plain, err := json.Marshal(payload{Secrets: m})
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(header)+aead.NonceSize()+len(plain)+aead.Overhead())
	out = append(out, header...)
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out = append(out, nonce...)
	return aead.Seal(out, nonce, plain, header), nil
}

// updateFile applies change to the current secrets and, when it reports a change, replaces
// the file. It holds the process mutex and the cross-process lock from the read to the rename,
// so a concurrent writer's entries are read, not overwritten.
func (s *Store) updateFile(change func(m map[string]string) bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dirErr != nil {
		return s.dirErr
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return unavailable(err, "create "+s.dir)
	}
	unlock, err := lockFile(filepath.Join(s.dir, LockName))
	if err != nil {
		return unavailable(err, "lock "+filepath.Join(s.dir, LockName))
	}
	defer unlock()

	m, err := s.readFile()
	if err != nil {
		return err
	}
	if !change(m) {
		return nil
	}
	key, err := s.key()
	if err != nil {
		return err
	}
	b, err := seal(key, m)
	if err != nil {
		return errs.Wrap(errs.Internal, "internal", err, "credentials: seal")
	}
	return writeAtomic(s.dir, FileName, b)
}

// key returns the file key, creating it when neither it nor the file exists yet. It is called
// with the lock held.
func (s *Store) key() ([]byte, error) {
	key, err := os.ReadFile(s.keyPath())
	if err == nil {
		if len(key) != keySize {
			return nil, unreadable(s.filePath(), nil, "its key "+KeyName+" is damaged")
		}
		return key, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, unavailable(err, "read "+s.keyPath())
	}
	if _, err := os.Stat(s.filePath()); err == nil {
		// A file without its key: a new key would make the old secrets unreachable for good.
		return nil, unreadable(s.filePath(), nil, "its key "+KeyName+" is missing")
	}
	key = make([]byte, keySize)
	if _, err := rand.Read(key); err != nil {
		return nil, errs.Wrap(errs.Internal, "internal", err, "credentials: random key")
	}
	if err := writeAtomic(s.dir, KeyName, key); err != nil {
		return nil, err
	}
	return key, nil
}

// writeAtomic replaces dir/name with b (mode 0600): temporary file, fsync, rename, then a sync
// of the directory, so a crash leaves either the old file or the new one, whole.
func writeAtomic(dir, name string, b []byte) error {
	tmp, err := os.CreateTemp(dir, name+".*.tmp")
	if err != nil {
		return unavailable(err, "write "+filepath.Join(dir, name))
	}
	_, werr := tmp.Write(b)
	cherr := tmp.Chmod(0o600)
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, cherr, serr, cerr); err != nil {
		_ = os.Remove(tmp.Name())
		return unavailable(err, "write "+filepath.Join(dir, name))
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		_ = os.Remove(tmp.Name())
		return unavailable(err, "write "+filepath.Join(dir, name))
	}
	syncDir(dir)
	return nil
}
