package credentials

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/zalando/go-keyring"

	"hearth/backend/errs"
)

const secret = "tok-3f9a1c77e2b84d0c9e5a"

func fileStore(t *testing.T, dir string) *Store {
	t.Helper()
	s, err := Open(Options{Dir: dir, Keychain: KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFileModeRoundTripsAndSurvivesReopening(t *testing.T) {
	dir := t.TempDir()
	s := fileStore(t, dir)
	if s.Backend() != BackendFile {
		t.Fatalf("backend %s", s.Backend())
	}
	if _, err := s.Get("ws/c1"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("get before set: %v", err)
	}
	if err := s.Set("ws/c1", secret); err != nil {
		t.Fatal(err)
	}
	if err := s.Set("ws/c2", "other"); err != nil {
		t.Fatal(err)
	}
	again := fileStore(t, dir)
	if v, err := again.Get("ws/c1"); err != nil || v != secret {
		t.Fatalf("after reopen: %q %v", v, err)
	}
	if err := again.Delete("ws/c1"); err != nil {
		t.Fatal(err)
	}
	if err := again.Delete("ws/never"); err != nil {
		t.Fatalf("deleting a missing secret: %v", err)
	}
	if _, err := s.Get("ws/c1"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if v, _ := s.Get("ws/c2"); v != "other" {
		t.Fatalf("the other secret is %q", v)
	}
}

func TestTheFileHoldsNoPlaintextAndIsPrivate(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "hearth")
	s := fileStore(t, dir)
	if err := s.Set("ws/c1", secret); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte(secret)) || bytes.Contains(b, []byte("ws/c1")) {
		t.Fatal("the file holds the secret or its reference in clear")
	}
	if runtime.GOOS == "windows" {
		return // Windows has no Unix permission bits; the file is under the user's profile
	}
	for _, name := range []string{FileName, KeyName} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("directory has mode %v, want 0700", fi.Mode().Perm())
	}
	left, _ := filepath.Glob(filepath.Join(dir, "*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left behind: %v", left)
	}
}

func TestACorruptFileIsAClearErrorAndIsLeftAlone(t *testing.T) {
	cases := map[string]func(dir string){
		"flipped byte": func(dir string) {
			p := filepath.Join(dir, FileName)
			b, _ := os.ReadFile(p)
			b[len(b)-3] ^= 0xff
			_ = os.WriteFile(p, b, 0o600)
		},
		"truncated": func(dir string) { _ = os.Truncate(filepath.Join(dir, FileName), 10) },
		"lost key":  func(dir string) { _ = os.Remove(filepath.Join(dir, KeyName)) },
		"other key": func(dir string) {
			_ = os.WriteFile(filepath.Join(dir, KeyName), bytes.Repeat([]byte{7}, keySize), 0o600)
		},
	}
	for name, damage := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s := fileStore(t, dir)
			if err := s.Set("ws/c1", secret); err != nil {
				t.Fatal(err)
			}
			damage(dir)
			before, _ := os.ReadFile(filepath.Join(dir, FileName))
			_, err := s.Get("ws/c1")
			if !errors.Is(err, errs.Internal) || errs.From(err).Code != "credentials_unreadable" {
				t.Fatalf("get: %v", err)
			}
			if err := s.Set("ws/c2", "x"); errs.From(err).Code != "credentials_unreadable" {
				t.Fatalf("set over a corrupt file: %v", err)
			}
			after, _ := os.ReadFile(filepath.Join(dir, FileName))
			if !bytes.Equal(before, after) {
				t.Fatal("the corrupt file was rewritten")
			}
		})
	}
}

func TestTwoStoresOnOneDirectoryKeepEachOthersEntries(t *testing.T) {
	dir := t.TempDir()
	a, b := fileStore(t, dir), fileStore(t, dir) // as the window and a CLI command would
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(2)
		go func() { defer wg.Done(); _ = a.Set(fmt.Sprintf("a/%d", i), "va") }()
		go func() { defer wg.Done(); _ = b.Set(fmt.Sprintf("b/%d", i), "vb") }()
	}
	wg.Wait()
	m, err := fileStore(t, dir).readFile()
	if err != nil || len(m) != 40 {
		t.Fatalf("%d entries, %v; want 40", len(m), err)
	}
}

func TestKeychainModeUsesTheKeychainAndKeepsTheFileOutOfIt(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	s, err := Open(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if s.Backend() != BackendKeychain {
		t.Fatalf("backend %s", s.Backend())
	}
	if err := s.Set("ws/c1", secret); err != nil {
		t.Fatal(err)
	}
	if v, err := keyring.Get(Service, "ws/c1"); err != nil || v != secret {
		t.Fatalf("keychain holds %q %v", v, err)
	}
	if v, err := s.Get("ws/c1"); err != nil || v != secret {
		t.Fatalf("get %q %v", v, err)
	}
	if _, err := os.Stat(filepath.Join(dir, FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file was written in keychain mode: %v", err)
	}
	if err := s.Delete("ws/c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get("ws/c1"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestASecretSavedToTheFileIsStillFoundOnceTheKeychainWorks(t *testing.T) {
	dir := t.TempDir()
	keyring.MockInitWithError(errors.New("no secret service on this bus"))
	before, _ := Open(Options{Dir: dir})
	if before.Backend() != BackendFile {
		t.Fatalf("a failing keychain gave backend %s", before.Backend())
	}
	if err := before.Set("ws/c1", secret); err != nil {
		t.Fatal(err)
	}
	keyring.MockInit()
	after, _ := Open(Options{Dir: dir})
	if v, err := after.Get("ws/c1"); after.Backend() != BackendKeychain || err != nil || v != secret {
		t.Fatalf("%s: %q %v", after.Backend(), v, err)
	}
	if err := after.Delete("ws/c1"); err != nil {
		t.Fatal(err)
	}
	if _, err := fileStore(t, dir).Get("ws/c1"); !errors.Is(err, errs.NotFound) {
		t.Fatalf("the file copy survived delete: %v", err)
	}
}

func TestEnvironmentChoosesTheDirectoryAndTurnsTheKeychainOff(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	t.Setenv("HEARTH_CONFIG_DIR", dir)
	t.Setenv("HEARTH_KEYCHAIN", "off")
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.Dir() != dir || s.Backend() != BackendFile {
		t.Fatalf("dir %s backend %s", s.Dir(), s.Backend())
	}
	if _, err := Open(Options{Keychain: "sometimes"}); !errors.Is(err, errs.Invalid) {
		t.Fatalf("bad mode: %v", err)
	}
}
