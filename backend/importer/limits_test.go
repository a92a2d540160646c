package importer

import (
	"errors"
	"strings"
	"testing"

	"hearth/backend/errs"
)

func TestTheWorksheetScanBoundsCellsAndRowsNotOtherParts(t *testing.T) {
	sheet := []elementLimit{
		{tag: "row", bytes: 1000, most: 3, tooLarge: cellTooLarge(8)},
		{tag: "c", bytes: 100, tooLarge: cellTooLarge(1)},
	}
	big := strings.Repeat("x", 200)
	for _, tc := range []struct {
		name, xml, code string
	}{
		{"small cells", `<row r="1"><c r="A1"><v>1</v></c><c r="B1"/></row>`, ""},
		{"a self-closed cell before a long part that is no cell", `<row><c r="A1"/></row><extLst>` + big + big + `</extLst>`, ""},
		{"a long cell", `<row><c t="inlineStr"><is><t>` + big + `</t></is></c></row>`, "import_cell_too_large"},
		{"a long cell with a prefix", `<x:row><x:c><x:v>` + big + `</x:v></x:c></x:row>`, "import_cell_too_large"},
		{"a cell never closed", `<row><c><v>` + big, "import_cell_too_large"},
		{"too many rows", `<row/><row/><row/><row/>`, "import_too_many_rows"},
	} {
		err := scanElements(strings.NewReader(tc.xml), sheet)
		var e *errs.Error
		code := ""
		if errors.As(err, &e) {
			code = e.Code
		} else if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if code != tc.code {
			t.Errorf("%s: %q, want %q", tc.name, code, tc.code)
		}
	}
}
