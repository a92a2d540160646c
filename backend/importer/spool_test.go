package importer

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestASpoolWritesTheSameFileAsSaveRejected(t *testing.T) {
	rows := []Rejected{
		{Line: 2, Raw: []string{"x", "Ann"}, Reason: "E-mail: not a valid address"},
		{Line: 5, Raw: []string{"y", "Bob", "extra"}, Reason: "E-mail: not a valid address"},
		{Line: 9, Raw: []string{"=1+1"}, Reason: "formula"},
	}
	header := []string{"email", "name"}
	for _, format := range []string{"csv", "xlsx"} {
		dir := t.TempDir()
		spool, err := NewRejectedSpool()
		if err != nil {
			t.Fatal(err)
		}
		defer spool.Close()
		for _, r := range rows {
			spool.Add(r)
		}
		f := RejectedFile{Format: format, Lang: "en"}
		if err := spool.Save(filepath.Join(dir, "spool."+format), f, header); err != nil {
			t.Fatal(err)
		}
		if err := SaveRejected(filepath.Join(dir, "whole."+format), f, header, rows); err != nil {
			t.Fatal(err)
		}
		a, _ := os.ReadFile(filepath.Join(dir, "spool."+format))
		b, _ := os.ReadFile(filepath.Join(dir, "whole."+format))
		if format == "csv" && string(a) != string(b) {
			t.Fatalf("spooled:\n%s\nwhole:\n%s", a, b)
		}
		r, err := Open(filepath.Join(dir, "spool."+format), Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			if _, err := r.Next(); err != nil {
				break
			}
			n++
		}
		r.Close()
		if n != len(rows) {
			t.Fatalf("%s: %d rows read back, want %d", format, n, len(rows))
		}
	}
}

func TestASpoolHoldsManyRowsOnDisk(t *testing.T) {
	spool, err := NewRejectedSpool()
	if err != nil {
		t.Fatal(err)
	}
	defer spool.Close()
	const n = 20000
	for i := range n {
		spool.Add(Rejected{Line: i + 2, Raw: []string{"bad-" + strconv.Itoa(i), strings.Repeat("z", 100)}, Reason: "no"})
	}
	path := filepath.Join(t.TempDir(), "r.csv")
	if err := spool.Save(path, RejectedFile{Format: "csv", Lang: "en"}, []string{"email", "notes"}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if got := strings.Count(string(data), "\n"); got != n+1 {
		t.Fatalf("%d lines, want %d", got, n+1)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the file is its owner's only: %v %v", fi.Mode(), err)
	}
}
