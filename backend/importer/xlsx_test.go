package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/errs"
)

// testWorkbook builds a workbook like one a person saves from Excel: a members sheet with a
// blank row, a real date cell, a number, and a second sheet.
func testWorkbook(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	set := func(sheet, cell string, values ...any) {
		if err := f.SetSheetRow(sheet, cell, &values); err != nil {
			t.Fatal(err)
		}
	}
	set("Sheet1", "A1", "Courriel", "Prénom", "Nom", "Adhésion", "Téléphone", "Cotisation")
	set("Sheet1", "A2", "helene@example.fr", "Hélène", "Dubois", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), 33612345678, 12.5)
	set("Sheet1", "A4", "  paul@example.fr ", "Paul")
	style, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStyle("Sheet1", "D2", "D2", style); err != nil {
		t.Fatal(err)
	}
	if _, err := f.NewSheet("Bénévoles"); err != nil {
		t.Fatal(err)
	}
	set("Bénévoles", "A3", "Email", "Name")
	set("Bénévoles", "A4", "v@example.org", "Vera")
	if _, err := f.NewSheet("Empty"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestXLSXSheetsReadLikeTheirCSVCousins(t *testing.T) {
	data := testWorkbook(t)
	tests := []struct {
		name  string
		opts  Options
		sheet string
		rows  []Row
	}{
		{
			name: "the first sheet is read by default and a date cell comes back as an ISO date",
			opts: Options{Mapping: map[string]string{"Adhésion": "custom:member_since"}}, sheet: "Sheet1",
			rows: []Row{
				{Line: 2, Name: "Hélène Dubois", Emails: []string{"helene@example.fr"},
					Custom: map[string]string{"member_since": "2024-03-05", "phone": "33612345678", "Cotisation": "12.5"},
					Raw:    []string{"helene@example.fr", "Hélène", "Dubois", "2024-03-05", "33612345678", "12.5"}},
				{Line: 4, Name: "Paul", Emails: []string{"paul@example.fr"}, Raw: []string{"  paul@example.fr ", "Paul"}},
			},
		},
		{
			name: "a named sheet whose header is not on the first row",
			opts: Options{Sheet: "bénévoles"}, sheet: "Bénévoles",
			rows: []Row{{Line: 4, Name: "Vera", Emails: []string{"v@example.org"}, Raw: []string{"v@example.org", "Vera"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewXLSXReader(bytes.NewReader(data), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			info := r.Info()
			if info.Format != "xlsx" || info.Sheet != tt.sheet || !reflect.DeepEqual(info.Sheets, []string{"Sheet1", "Bénévoles", "Empty"}) {
				t.Errorf("info = %+v", info)
			}
			rows := readAll(t, r)
			if !reflect.DeepEqual(rows, tt.rows) {
				t.Errorf("rows:\n got %+v\nwant %+v", rows, tt.rows)
			}
		})
	}
}

func TestOpenRecognisesAWorkbookByItsZipMagic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "members.csv") // misnamed: it is a workbook
	if err := os.WriteFile(path, testWorkbook(t), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if rows := readAll(t, r); r.Info().Format != "xlsx" || len(rows) != 2 {
		t.Errorf("format %s, %d rows", r.Info().Format, len(rows))
	}
}

func TestXLSXSheetProblemsHaveCodes(t *testing.T) {
	data := testWorkbook(t)
	tests := []struct {
		name string
		opts Options
		kind errs.Kind
		code string
	}{
		{"a sheet that does not exist", Options{Sheet: "Nope"}, errs.NotFound, "import_sheet_not_found"},
		{"an empty sheet has no header", Options{Sheet: "Empty"}, errs.Invalid, "import_no_header"},
		{"a mapping to an unknown field", Options{Mapping: map[string]string{"Nom": "surname"}}, errs.Invalid, "import_unknown_field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewXLSXReader(bytes.NewReader(data), tt.opts)
			if !errors.Is(err, tt.kind) || errs.From(err).Code != tt.code {
				t.Errorf("err = %v, want %s %s", err, tt.kind, tt.code)
			}
		})
	}
	var e *errs.Error
	_, err := NewXLSXReader(bytes.NewReader(data), Options{Sheet: "Nope"})
	if errors.As(err, &e) && e.Params["sheet"] != "Nope" {
		t.Errorf("params = %v", e.Params)
	}
}

func TestAWorkbookDeclaringAHugePartIsRefusedBeforeAllocatingIt(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/styles.xml", Method: zip.Store, CompressedSize64: 4, UncompressedSize64: 3 << 30})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("<a/>"))
	zw.Close()
	_, err = NewXLSXReader(&b, Options{})
	if errs.From(err).Code != "import_unreadable" {
		t.Errorf("err = %v", err)
	}
}
