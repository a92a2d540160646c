package store

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"
)

// logEntry encodes one entry as Badger writes it in its logs.
func logEntry(key, value string) []byte {
	b := []byte{0, 0}
	b = binary.AppendUvarint(b, uint64(len(key)))
	b = binary.AppendUvarint(b, uint64(len(value)))
	b = binary.AppendUvarint(b, 0)
	b = append(b, key...)
	b = append(b, value...)
	return binary.BigEndian.AppendUint32(b, crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli)))
}

func TestALogTailIsACrashOrDamage(t *testing.T) {
	entries := func(from, to int) []byte {
		var b []byte
		for i := from; i < to; i++ {
			b = append(b, logEntry(fmt.Sprintf("key%04d", i), fmt.Sprintf("value %d", i))...)
		}
		return b
	}
	head := make([]byte, logHeaderSize)
	last := logEntry("key9999", "the entry being written when the process died")
	cases := []struct {
		name    string
		body    []byte
		damaged bool
	}{
		{"whole entries then zeros", append(entries(0, 50), make([]byte, 4096)...), false},
		{"an entry cut short", append(append(entries(0, 50), last[:len(last)/2]...), make([]byte, 4096)...), false},
		{"an entry whose end was written before its start", append(append(append(entries(0, 50), make([]byte, 10)...), last[10:]...), make([]byte, 4096)...), false},
		{"bytes overwritten in the middle", func() []byte {
			b := append(entries(0, 50), make([]byte, 4096)...)
			copy(b[300:], []byte("sixty-four bytes of something that is not a log entry at all...."))
			return b
		}(), true},
		{"zeros in the middle", func() []byte {
			b := append(entries(0, 50), make([]byte, 4096)...)
			copy(b[300:], make([]byte, 64))
			return b
		}(), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "00001.mem")
			if err := os.WriteFile(path, append(append([]byte{}, head...), c.body...), 0o600); err != nil {
				t.Fatal(err)
			}
			err := checkLogTail(path, walMaxEntry)
			if (err != nil) != c.damaged {
				t.Fatalf("damaged %v, err %v", c.damaged, err)
			}
		})
	}
}

// TestAValueLogTornByAKillOpens is the newest value log of a process killed while copying a big
// entry into it (a directory page): Go's copy writes the first 32 bytes last, so the file holds
// the entry's body without its start. That is a crash's tail, not damage; bytes overwritten
// before whole entries still are, and so is any of it in an older value log.
func TestAValueLogTornByAKillOpens(t *testing.T) {
	var body []byte
	for i := range 20 {
		body = append(body, logEntry(fmt.Sprintf("key%04d", i), fmt.Sprintf("value %d", i))...)
	}
	big := logEntry("v/members-directory/p/00000003", fmt.Sprintf("%060000d", 7))
	torn := append(make([]byte, 32), big[32:]...)
	damagedMiddle := append(append([]byte{}, body...), big...)
	copy(damagedMiddle[100:], make([]byte, 64))
	cases := []struct {
		name    string
		body    []byte
		damaged bool
	}{
		{"a big entry written without its first 32 bytes", append(append(append([]byte{}, body...), torn...), make([]byte, 4096)...), false},
		{"zeros in the middle, whole entries after", append(damagedMiddle, make([]byte, 4096)...), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "000001.vlog")
			if err := os.WriteFile(path, append(make([]byte, logHeaderSize), c.body...), 0o600); err != nil {
				t.Fatal(err)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			err = checkLogTail(path, st.Size()) // the newest value log's bound (preflight)
			if (err != nil) != c.damaged {
				t.Fatalf("damaged %v, err %v", c.damaged, err)
			}
			// In an older value log, which nothing writes to again, any of it is damage.
			if err := checkLogTail(path, maxEntryHeader); err == nil {
				t.Fatal("accepted with an older value log's bound")
			}
		})
	}
}

func TestAnEmptyWriteAheadLogLeftByAKillIsNotInTheWay(t *testing.T) {
	dir := t.TempDir()
	s, err := openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	putContacts(t, s, 0, 3)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "db", "00042.mem"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if s, err = openKeyed(t, dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := countContacts(t, s); n != 3 {
		t.Fatalf("%d contacts", n)
	}
}
