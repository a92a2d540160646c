//go:build linux && !race

// The race detector multiplies memory use (5 to 10 times) and takes minutes over a million rows,
// so these memory tests are built without it only: make test runs this package a second time
// without -race for them.

package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"hearth/backend/errs"
)

// Hostile files are read in a child process whose peak resident memory (VmHWM) is checked:
// whatever the file, an import stays under peakBudget.
const peakBudget = 300 << 20

// writeWorkbook writes a workbook like testWorkbook with the parts in parts written by their
// functions instead, streamed so the test never holds a hostile part in memory.
func writeWorkbook(t *testing.T, path string, parts map[string]func(w io.Writer) error) {
	t.Helper()
	book := testWorkbook(t)
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	zw := zip.NewWriter(out)
	done := map[string]bool{}
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if fn, ok := parts[f.Name]; ok {
			done[f.Name] = true
			if err := fn(w); err != nil {
				t.Fatal(err)
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(w, rc)
		rc.Close()
	}
	for name, fn := range parts {
		if done[name] {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if err := fn(w); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

func repeat(w io.Writer, s string, n int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	for range n {
		if _, err := bw.WriteString(s); err != nil {
			return err
		}
	}
	return bw.Flush()
}

const sheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
	`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
	`<row r="1"><c r="A1" t="inlineStr"><is><t>Email</t></is></c><c r="B1" t="inlineStr"><is><t>Name</t></is></c></row>`

const sheetTail = `</sheetData></worksheet>`

// bombSize is the size of a bomb's payload.
func bombSize(size int) int { return size }

// hostileFiles make, in dir, the files the issue met: each returns its path.
var hostileFiles = map[string]func(t *testing.T, dir string) string{
	// A 1 MB workbook whose one shared string unzips to 256 MiB.
	"shared-string-bomb": func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "bomb.xlsx")
		writeWorkbook(t, p, map[string]func(io.Writer) error{
			"xl/sharedStrings.xml": func(w io.Writer) error {
				io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>`)
				if err := repeat(w, strings.Repeat("A", 1<<16), bombSize(256<<20)>>16); err != nil {
					return err
				}
				_, err := io.WriteString(w, `</t></si></sst>`)
				return err
			},
			"xl/worksheets/sheet1.xml": func(w io.Writer) error {
				_, err := io.WriteString(w, sheetHead+`<row r="2"><c r="A2" t="s"><v>0</v></c></row>`+sheetTail)
				return err
			},
		})
		return p
	},
	// One cell of 64 MiB written inline in the sheet.
	"inline-cell-bomb": func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "inline.xlsx")
		writeWorkbook(t, p, map[string]func(io.Writer) error{
			"xl/worksheets/sheet1.xml": func(w io.Writer) error {
				io.WriteString(w, sheetHead+`<row r="2"><c r="A2" t="inlineStr"><is><t>`)
				if err := repeat(w, strings.Repeat("B", 1<<16), bombSize(64<<20)>>16); err != nil {
					return err
				}
				_, err := io.WriteString(w, `</t></is></c></row>`+sheetTail)
				return err
			},
		})
		return p
	},
	// A few MB declaring more rows than any member list (without row numbers, which the
	// workbook reader would otherwise bound at Excel's 1,048,576).
	"many-rows": func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "rows.xlsx")
		writeWorkbook(t, p, map[string]func(io.Writer) error{
			"xl/worksheets/sheet1.xml": func(w io.Writer) error {
				io.WriteString(w, sheetHead)
				if err := repeat(w, `<row><c t="n"><v>1</v></c><c t="n"><v>2</v></c></row>`, MaxRows+10); err != nil {
					return err
				}
				_, err := io.WriteString(w, sheetTail)
				return err
			},
		})
		return p
	},
	// A CSV of one 50 MB line.
	"csv-one-line": func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "line.csv")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := repeat(f, strings.Repeat("x", 1<<16)+",", max(bombSize(50<<20), maxRecordBytes+2<<20)>>16); err != nil {
			t.Fatal(err)
		}
		return p
	},
	// Styles that unzip to 200 MB of number formats, which the workbook reader would hold and
	// parse whole.
	"styles-bomb": func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "styles.xlsx")
		writeWorkbook(t, p, map[string]func(io.Writer) error{
			"xl/styles.xml": func(w io.Writer) error {
				io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts>`)
				if err := repeat(w, `<numFmt numFmtId="200" formatCode="0.00"/>`, bombSize(200<<20)/42); err != nil {
					return err
				}
				_, err := io.WriteString(w, `</numFmts></styleSheet>`)
				return err
			},
		})
		return p
	},
	// A CSV of a million columns.
	"csv-million-columns": func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "wide.csv")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		io.WriteString(f, "email")
		if err := repeat(f, ",c", 999_999); err != nil {
			t.Fatal(err)
		}
		io.WriteString(f, "\na@example.org")
		if err := repeat(f, ",x", 999_999); err != nil {
			t.Fatal(err)
		}
		return p
	},
	// A CSV of more rows than any member list.
	"csv-many-rows": func(t *testing.T, dir string) string {
		p := filepath.Join(dir, "rows.csv")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		io.WriteString(f, "email,name\n")
		if err := repeat(f, "x,y\n", MaxRows+10); err != nil {
			t.Fatal(err)
		}
		return p
	},
}

// TestHostileFileChild is the child process of TestHostileFilesAreRefusedInBoundedMemory: it
// reads the file named by HEARTH_HOSTILE_FILE and prints the error code and its peak memory.
func TestHostileFileChild(t *testing.T) {
	path := os.Getenv(hostileFileEnv)
	code := ""
	r, err := Open(path, Options{})
	for err == nil {
		_, err = r.Next()
	}
	if r != nil {
		r.Close()
	}
	if !errors.Is(err, io.EOF) {
		code = errs.From(err).Code
	}
	status, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fmt.Printf("HOSTILE code=%s peak=%s\n", code, strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
		}
	}
}

func TestHostileFilesAreRefusedInBoundedMemory(t *testing.T) {
	want := map[string]string{
		"shared-string-bomb":  "import_cell_too_large",
		"inline-cell-bomb":    "import_cell_too_large",
		"many-rows":           "import_too_many_rows",
		"csv-one-line":        "import_record_too_large",
		"csv-many-rows":       "import_too_many_rows",
		"styles-bomb":         "import_unreadable",
		"csv-million-columns": "import_too_many_columns",
	}
	for name, make := range hostileFiles {
		t.Run(name, func(t *testing.T) {
			path := make(t, t.TempDir())
			cmd := exec.Command(os.Args[0], "-test.run=^TestHostileFileChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), hostileFileEnv+"="+path)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			var code string
			var peakKB int64
			for _, line := range strings.Split(string(out), "\n") {
				if rest, ok := strings.CutPrefix(line, "HOSTILE "); ok {
					f := strings.Fields(rest)
					code = strings.TrimPrefix(f[0], "code=")
					peakKB, _ = strconv.ParseInt(strings.TrimPrefix(f[1], "peak="), 10, 64)
				}
			}
			if code != want[name] {
				t.Errorf("error code %q, want %q\n%s", code, want[name], out)
			}
			budget := int64(peakBudget)
			if peakKB == 0 || peakKB<<10 > budget {
				t.Errorf("peak memory %d MB, want under %d MB", peakKB>>10, budget>>20)
			}
			t.Logf("%s: %s, peak %d MB", name, code, peakKB>>10)
		})
	}
}
