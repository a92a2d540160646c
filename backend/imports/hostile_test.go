//go:build linux

package imports

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"hearth/backend/importer"
)

// TestManyBadRowsChild is the child process of TestManyBadRowsStayInBoundedMemory: it imports
// the file named by HEARTH_BAD_ROWS_FILE, giving every rejected row to the rejected-rows
// spool, and prints the counts and its peak memory.
func TestManyBadRowsChild(t *testing.T) {
	path := os.Getenv(badRowsEnv)
	f := open(t, t.TempDir())
	spool, err := importer.NewRejectedSpool()
	if err != nil {
		t.Fatal(err)
	}
	defer spool.Close()
	sum, err := f.imports.Run(context.Background(), Request{Path: path}, nil, spool.Add)
	if err != nil {
		t.Fatal(err)
	}
	status, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fmt.Printf("BADROWS rejected=%d listed=%d spooled=%d peak=%s\n", sum.Rejected, len(sum.Errors), spool.Len(),
				strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
}

func TestManyBadRowsStayInBoundedMemory(t *testing.T) {
	// As many bad rows as a file may hold (2 million kept 1.24 GB of errors before).
	bad, budget := importer.MaxRows, int64(300<<20)
	if raceEnabled {
		bad, budget = 20_000, 8*budget
	}
	path := filepath.Join(t.TempDir(), "bad.csv")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(out)
	w.WriteString("email,name,notes\n")
	for i := range bad {
		fmt.Fprintf(w, "not-an-address-%d,Person %d,%s\n", i, i, strings.Repeat("n", 300))
	}
	w.Flush()
	out.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^TestManyBadRowsChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), badRowsEnv+"="+path)
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, got)
	}
	var rejected, listed, spooled int
	var peakKB int64
	for _, line := range strings.Split(string(got), "\n") {
		if rest, ok := strings.CutPrefix(line, "BADROWS "); ok {
			for _, f := range strings.Fields(rest) {
				k, v, _ := strings.Cut(f, "=")
				n, _ := strconv.ParseInt(v, 10, 64)
				switch k {
				case "rejected":
					rejected = int(n)
				case "listed":
					listed = int(n)
				case "spooled":
					spooled = int(n)
				case "peak":
					peakKB = n
				}
			}
		}
	}
	if rejected != bad || spooled != bad || listed != maxErrorsKept {
		t.Fatalf("rejected %d, spooled %d, listed %d; want %d, %d, %d\n%s", rejected, spooled, listed, bad, bad, maxErrorsKept, got)
	}
	if peakKB == 0 || peakKB<<10 > budget {
		t.Fatalf("peak memory %d MB, want under %d MB", peakKB>>10, budget>>20)
	}
	t.Logf("%d bad rows: peak %d MB", bad, peakKB>>10)
}
