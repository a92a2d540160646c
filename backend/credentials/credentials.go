// Package credentials keeps connection secrets (API keys, bot tokens, webhook URLs) outside the
// workspace, so that exporting, copying or backing up a workspace never carries a credential.
//
// A Store uses the operating system's keychain (macOS Keychain, Windows Credential Manager, the
// Secret Service on Linux desktops) when one answers, under the service name "Hearth". Where none
// does (a headless Linux machine, a CI runner), or when HEARTH_KEYCHAIN=off, it keeps them in an
// encrypted file, credentials.enc, in the user's config directory (os.UserConfigDir()/hearth, or
// HEARTH_CONFIG_DIR): the whole map of secrets is sealed with AES-256-GCM under a random 32-byte
// key kept beside it in credentials.key (mode 0600, directory 0700).
//
// What the file protects against: secrets landing in the workspace, its exports and its backups,
// and casual reading (a glance at the file, a grep, a screen share). What it does not protect
// against: someone who can act as the user on this machine, who can read the key as easily as
// Hearth does. The keychain, where there is one, adds the OS's own protection on top.
//
// Two processes (the window and a CLI command) may share the file: every write takes a
// process-wide mutex and, on Unix, an advisory lock on credentials.lock, re-reads the file and
// replaces it atomically (temporary file, fsync, rename), so neither loses the other's entries. A
// file that cannot be decrypted is reported (errs.Internal, code credentials_unreadable) and left
// as it is, never silently wiped.
package credentials

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"hearth/backend/connections"
	"hearth/backend/errs"
)

// Where secrets are kept, as Backend reports it.
const (
	BackendKeychain = "keychain"
	BackendFile     = "file"
)

// Keychain modes of Options.
const (
	KeychainAuto = "auto"
	KeychainOff  = "off"
)

// File names inside the credentials directory.
const (
	FileName = "credentials.enc"
	KeyName  = "credentials.key"
	LockName = "credentials.lock"
)

// Service is the keychain service name the secrets are filed under.
const Service = "Hearth"

// probeTimeout bounds the keychain probe: a desktop bus without a Secret Service can take a
// long time to say so, and Hearth should not wait on it to start.
const probeTimeout = 5 * time.Second

// Options configure Open.
type Options struct {
	// Dir holds the encrypted file; when empty, HEARTH_CONFIG_DIR, else os.UserConfigDir()/hearth.
	Dir string
	// Keychain is "auto" (the default: the OS keychain when it works, else the file) or "off"
	// (always the file). HEARTH_KEYCHAIN=off in the environment forces "off".
	Keychain string
}

// Store keeps secrets in the OS keychain or the encrypted file. It implements
// connections.SecretStore; safe for concurrent use. The backend is chosen on first use.
type Store struct {
	dir      string
	dirErr   error // no usable directory: every file operation fails with it
	keychain bool  // allowed to try the keychain

	initMu  sync.Mutex
	chosen  bool
	backend string

	mu sync.Mutex // serialises this process's file writes
}

var _ connections.SecretStore = (*Store)(nil)

// Open returns the store described by o. It touches neither the disk nor the keychain: the
// keychain is probed, and the file read, on first use.
func Open(o Options) (*Store, error) {
	dir := o.Dir
	if dir == "" {
		dir = os.Getenv("HEARTH_CONFIG_DIR")
	}
	var dirErr error
	if dir == "" {
		// Without a config directory (no HOME) the keychain may still work: the error waits
		// for the first use of the file.
		base, err := os.UserConfigDir()
		dirErr = unavailable(err, "no config directory")
		dir = filepath.Join(base, "hearth")
	}
	abs, err := filepath.Abs(dir)
	if err != nil && dirErr == nil {
		dirErr = unavailable(err, "config directory "+dir)
	}
	switch o.Keychain {
	case "", KeychainAuto, KeychainOff:
	default:
		return nil, errs.New(errs.Invalid, "invalid_input", "credentials: keychain mode must be auto or off, not "+o.Keychain)
	}
	off := o.Keychain == KeychainOff || strings.EqualFold(os.Getenv("HEARTH_KEYCHAIN"), KeychainOff)
	return &Store{dir: abs, dirErr: dirErr, keychain: !off}, nil
}

// Dir is the directory of the encrypted file (used when Backend is "file").
func (s *Store) Dir() string { return s.dir }

// Backend says where secrets are kept: "keychain" or "file". The first call probes the keychain.
func (s *Store) Backend() string {
	s.initMu.Lock()
	defer s.initMu.Unlock()
	if !s.chosen {
		s.backend = BackendFile
		if s.keychain && probe() {
			s.backend = BackendKeychain
		}
		s.chosen = true
	}
	return s.backend
}

// probe writes, reads back and deletes a test entry, under a name of its own so that two
// processes probing at once do not disturb each other.
func probe() bool {
	var b [8]byte
	_, _ = rand.Read(b[:])
	user := "probe-" + hex.EncodeToString(b[:])
	done := make(chan bool, 1)
	go func() {
		if err := keyring.Set(Service, user, "ok"); err != nil {
			done <- false
			return
		}
		got, err := keyring.Get(Service, user)
		derr := keyring.Delete(Service, user)
		done <- err == nil && derr == nil && got == "ok"
	}()
	select {
	case ok := <-done:
		return ok
	case <-time.After(probeTimeout):
		return false
	}
}

// Get returns the secret filed under ref, or an errs.NotFound error.
func (s *Store) Get(ref string) (string, error) {
	if s.Backend() == BackendKeychain {
		v, err := keyring.Get(Service, ref)
		if err == nil {
			return v, nil
		}
		if !errors.Is(err, keyring.ErrNotFound) {
			return "", errs.Wrap(errs.Unavailable, "credentials_unavailable", err, "credentials: the keychain did not answer")
		}
		// A secret saved while the keychain was unavailable (a locked session, HEARTH_KEYCHAIN=off)
		// is still in the file.
	}
	m, err := s.readFile()
	if err != nil {
		return "", err
	}
	v, ok := m[ref]
	if !ok {
		return "", notFound(ref)
	}
	return v, nil
}

// Set files secret under ref, replacing what was there.
func (s *Store) Set(ref, secret string) error {
	if ref == "" {
		return errs.New(errs.Invalid, "invalid_input", "credentials: empty reference")
	}
	if s.Backend() == BackendKeychain {
		if err := keyring.Set(Service, ref, secret); err != nil {
			return errs.Wrap(errs.Unavailable, "credentials_unavailable", err, "credentials: the keychain refused to save the secret")
		}
		// Drop any older copy left in the file so that the keychain's value is the only one.
		return s.deleteFromFile(ref)
	}
	return s.updateFile(func(m map[string]string) bool {
		m[ref] = secret
		return true
	})
}

// Delete forgets the secret under ref; deleting one that does not exist is not an error.
func (s *Store) Delete(ref string) error {
	if s.Backend() == BackendKeychain {
		if err := keyring.Delete(Service, ref); err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return errs.Wrap(errs.Unavailable, "credentials_unavailable", err, "credentials: the keychain refused to delete the secret")
		}
	}
	return s.deleteFromFile(ref)
}

func (s *Store) deleteFromFile(ref string) error {
	if s.dirErr != nil {
		return nil // nothing can be in a file that cannot exist
	}
	if _, err := os.Stat(filepath.Join(s.dir, FileName)); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return s.updateFile(func(m map[string]string) bool {
		if _, ok := m[ref]; !ok {
			return false
		}
		delete(m, ref)
		return true
	})
}

func notFound(ref string) error {
	return errs.New(errs.NotFound, "credential_not_found", "credentials: no secret for "+ref)
}
