package store

import (
	"bufio"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

type blob struct {
	Text string `json:"text"`
}

var blobs = &Collection[blob]{Name: "blob"}

// dbMapped is how many bytes of the database directory's files the process has in memory.
func dbMapped(t *testing.T, dir string) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	abs, _ := filepath.Abs(dir)
	var total int64
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if fields := strings.Fields(line); len(fields) >= 5 && strings.Contains(fields[0], "-") {
			in = len(fields) >= 6 && strings.HasPrefix(fields[5], abs+"/")
			continue
		}
		if in && strings.HasPrefix(line, "Rss:") {
			kb, _ := strconv.ParseInt(strings.Fields(line)[1], 10, 64)
			total += kb << 10
		}
	}
	return total
}

func blobText(i int) string {
	sum := sha256.Sum256([]byte(strconv.Itoa(i)))
	return strings.Repeat(fmt.Sprintf("%x", sum), 32) // 2 KiB
}

// TestLongReadsAndWritesDoNotKeepTheDatabaseInMemory writes 16 MB of records and reads them all
// back with a small budget: the database's mapped pages in the process stay well under what was
// read, and every record is intact after the pages were let go, in this process and the next.
func TestLongReadsAndWritesDoNotKeepTheDatabaseInMemory(t *testing.T) {
	defer func(b int64) { residentBudget = b }(residentBudget)
	residentBudget = 1 << 20
	dir := t.TempDir()
	s, err := openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	const n = 8_000
	err = s.Bulk(context.Background(), n, func(tx *Tx, i int) error {
		_, err := Put(tx, blobs, fmt.Sprintf("b%06d", i), blob{Text: blobText(i)})
		return err
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	readAll := func(s *Store, when string) {
		t.Helper()
		i := 0
		err := s.View(func(tx *Tx) error {
			return Scan(tx, blobs, func(id string, b blob, _ Meta) error {
				if id != fmt.Sprintf("b%06d", i) || b.Text != blobText(i) {
					return fmt.Errorf("record %d read back as %s, %.20q", i, id, b.Text)
				}
				i++
				return nil
			})
		})
		if err != nil || i != n {
			t.Fatalf("%s: %d of %d records read back (%v)", when, i, n, err)
		}
	}
	readAll(s, "after the writes")
	if mapped := dbMapped(t, filepath.Join(dir, "db")); mapped > 12<<20 {
		t.Fatalf("%d MB of the database in memory after reading 16 MB (32 MB without letting go), want under 12", mapped>>20)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = openKeyed(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	readAll(s, "in the next process")
}
