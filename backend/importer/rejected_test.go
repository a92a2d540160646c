package importer

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"hearth/backend/csvcell/csvcelltest"
)

func TestRejectedRowsCanBeFixedAndImportedAgain(t *testing.T) {
	header := []string{"email", "name"}
	rows := []Rejected{
		{Line: 3, Raw: []string{"not-an-email", "Hélène"}, Reason: "E-mail: not a valid address"},
		{Line: 7, Raw: []string{"x@example.com", "X", "extra"}, Reason: "duplicate"},
		{Line: 9, Raw: []string{"=1+1"}, Reason: "no name"},
	}
	for _, format := range []string{"csv", "xlsx"} {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteRejected(&b, RejectedFile{Format: format}, header, rows); err != nil {
				t.Fatal(err)
			}
			var r Reader
			var err error
			if format == "csv" {
				if !bytes.HasPrefix(b.Bytes(), []byte("\uFEFF")) {
					t.Error("no BOM: Excel would garble accents")
				}
				r, err = NewCSVReader(&b, Options{})
			} else {
				r, err = NewXLSXReader(&b, Options{})
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := []string{"email", "name", "", "Error"}; !reflect.DeepEqual(r.Info().Header, want) {
				t.Errorf("header = %q, want %q", r.Info().Header, want)
			}
			got := readAll(t, r)
			if len(got) != 3 || got[0].Name != "Hélène" || got[2].Emails[0] != "=1+1" {
				t.Fatalf("rows = %+v", got)
			}
			if got[1].Raw[3] != "duplicate" || got[1].Custom["Column 3"] != "extra" {
				t.Errorf("row = %+v", got[1])
			}
		})
	}
}

func TestRejectedRowsRefuseAnUnknownFormat(t *testing.T) {
	err := WriteRejected(&strings.Builder{}, RejectedFile{Format: "pdf"}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "csv or xlsx") {
		t.Errorf("err = %v", err)
	}
}

func TestRejectedRowsInCSVWriteFormulaCellsAsText(t *testing.T) {
	header := []string{"name", "notes", "tags"}
	var rows []Rejected
	for i, p := range csvcelltest.Payloads {
		header = append(header, p) // a custom field's header
		rows = append(rows, Rejected{Line: i + 2, Raw: []string{p, p, p, p}, Reason: p})
	}
	for _, delim := range []string{",", ";", "\t"} {
		var b bytes.Buffer
		if err := WriteRejected(&b, RejectedFile{Format: "csv", Delimiter: delim}, header, rows); err != nil {
			t.Fatal(err)
		}
		cr := csv.NewReader(bytes.NewReader(b.Bytes()[3:]))
		cr.Comma = []rune(delim)[0]
		cr.FieldsPerRecord = -1
		recs, err := cr.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		quoted := map[string]int{}
		for _, rec := range recs {
			for _, c := range rec {
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
					t.Errorf("delimiter %q: a cell a spreadsheet would run: %q", delim, c)
				}
				quoted[c]++
			}
		}
		for _, p := range csvcelltest.Payloads {
			if quoted["'"+p] != 6 { // header, four cells, reason
				t.Errorf("delimiter %q: %q quoted %d times, want 6", delim, p, quoted["'"+p])
			}
		}
	}
}
