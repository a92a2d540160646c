package store

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A workspace file mapped and read whole stays in the process's resident set until the trimmer
// hands its pages back to the kernel; what the mapping reads afterwards is unchanged.
func TestTrimmingGivesBackMappedPagesAndKeepsWhatTheyRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "000001.sst")
	data := bytes.Repeat([]byte("Hearth keeps a workspace on disk. "), (64<<20)/34)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := syscall.Mmap(int(f.Fd()), 0, len(data), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	m[0] = 'h' // a written page: it must reach the file, not be lost
	want := sha256.Sum256(append([]byte{'h'}, data[1:]...))

	mapped := true
	t.Cleanup(func() { // when the test failed before unmapping
		if mapped {
			_ = syscall.Munmap(m)
		}
	})
	before := residentFileBytes()
	if sha256.Sum256(m) != want {
		t.Fatal("the mapping does not read what was written")
	}
	touched := residentFileBytes()
	if touched-before < 48<<20 {
		t.Fatalf("reading 64 MiB through the mapping made %d MiB resident; the test cannot see trimming", (touched-before)>>20)
	}
	trimMappings([]string{dir + string(filepath.Separator)})
	after := residentFileBytes()
	if after > touched-48<<20 {
		t.Fatalf("resident file pages: %d MiB after reading, %d MiB after trimming; want at least 48 MiB given back", touched>>20, after>>20)
	}
	if sha256.Sum256(m) != want {
		t.Fatal("after trimming, the mapping reads other bytes")
	}
	mapped = false
	if err := syscall.Munmap(m); err != nil {
		t.Fatal(err)
	}
	onDisk, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(onDisk) != want {
		t.Fatal("the page written through the mapping did not reach the file")
	}
}

func TestOnlyWorkspaceFilesMappedSharedOrReadOnlyAreTrimmed(t *testing.T) {
	roots := []string{"/home/camille/Hearth/", "/home/camille/.cache/hearth/"}
	for _, c := range []struct {
		line string
		ok   bool
	}{
		{"7f0000000000-7f0000100000 rw-s 00000000 fd:01 42 /home/camille/Hearth/db/000001.sst", true},
		{"7f0000000000-7f0000100000 r--s 00000000 fd:01 42 /home/camille/Hearth/keyring", true},
		{"7f0000000000-7f0000100000 r--p 00000000 fd:01 42 /home/camille/.cache/hearth/keyring.idx", true},
		{"7f0000000000-7f0000100000 rw-s 00000000 fd:01 42 /home/camille/Hearth/db/000002.vlog (deleted)", true},
		{"7f0000000000-7f0000100000 rw-p 00000000 fd:01 42 /home/camille/Hearth/db/000003.sst", false}, // private writes
		{"7f0000000000-7f0000100000 rw-s 00000000 fd:01 42 /home/camille/Hearth-old/db/000001.sst", false},
		{"7f0000000000-7f0000100000 r-xp 00000000 fd:01 42 /usr/bin/hearth", false},
		{"7f0000000000-7f0000100000 rw-p 00000000 00:00 0 ", false},
		{"7f0000000000-7f0000100000 rw-p 00000000 00:00 0 [heap]", false},
	} {
		start, end, ok := trimmable(c.line, roots)
		if ok != c.ok {
			t.Errorf("%q: trimmable %v, want %v", c.line, ok, c.ok)
		}
		if ok && (start != 0x7f0000000000 || end != 0x7f0000100000) {
			t.Errorf("%q: range %x-%x", c.line, start, end)
		}
	}
}
