package importer

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// checkStream reads everything r gives and checks the contracts every file must keep:
// no panic, rows in strictly increasing line order, a sticky end.
func checkStream(t *testing.T, r Reader) {
	t.Helper()
	defer r.Close()
	info := r.Info()
	if len(info.Columns) != len(info.Header) {
		t.Fatalf("%d columns for %d headers", len(info.Columns), len(info.Header))
	}
	last := 0
	for {
		row, err := r.Next()
		if err != nil {
			if _, again := r.Next(); again == nil {
				t.Fatalf("Next succeeded after %v", err)
			}
			return
		}
		if row.Line <= last {
			t.Fatalf("line %d after line %d", row.Line, last)
		}
		last = row.Line
		if isBlank(row.Raw) {
			t.Fatalf("blank row returned at line %d", row.Line)
		}
	}
}

func FuzzCSVReader(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCSVReader(bytes.NewReader(data), Options{})
		if err != nil {
			return
		}
		checkStream(t, r)
	})
}

// FuzzXLSXReader takes either a whole workbook (input starting with the zip magic) or, to get
// past the zip checksums that random mutations break, the XML of a worksheet to package in an
// otherwise valid workbook.
func FuzzXLSXReader(f *testing.F) {
	book := testWorkbook(f)
	f.Add(book)
	f.Add(workbookPart(f, book, "xl/worksheets/sheet1.xml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, zipMagic) {
			data = withPart(t, book, "xl/worksheets/sheet1.xml", data)
		}
		r, err := NewXLSXReader(bytes.NewReader(data), Options{})
		if err != nil {
			return
		}
		checkStream(t, r)
	})
}

// workbookPart returns one part of a workbook.
func workbookPart(t testing.TB, book []byte, name string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	part, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return part
}

// withPart returns book with the part name replaced by data.
func withPart(t testing.TB, book []byte, name string, data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == name {
			w.Write(data)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, rc)
		rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
