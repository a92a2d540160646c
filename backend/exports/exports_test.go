package exports

import (
	"bytes"
	"context"
	"encoding/csv"
	"hearth/backend/internal/storetest"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/clock"
	"hearth/backend/members"
)

func newMembers(t *testing.T, n int) *members.Service {
	t.Helper()
	dir := t.TempDir()
	st := storetest.Open(t, dir, nil)
	svc := members.NewService(st, clock.NewManual(time.Date(2026, 4, 1, 9, 30, 0, 0, time.UTC)), nil)
	ins := []members.CreateInput{
		{Name: "Hélène Dupont", Emails: []string{"helene@example.org", "h.dupont@example.org"}, Tags: []string{"paris", "bénévole"},
			Handles:      []members.Handle{{Platform: "discord", Handle: "helene"}},
			CustomFields: map[string]string{"ville": "Paris", "âge": "42", "code postal": "07500", "Name": "dup"}},
		{Name: "Marc", Emails: []string{"marc@example.org"}, Tags: []string{"lyon"}},
	}
	for i := 2; i < n; i++ {
		ins = append(ins, members.CreateInput{Name: "M", Emails: []string{strings.Repeat("x", i%7+1) + "@" + string(rune('a'+i%26)) + ".example" + strings.Repeat("z", i/26)}})
	}
	if _, err := svc.CreateMany(context.Background(), ins, nil); err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestXLSXHasABoldFrozenFilteredHeaderRealDatesAndNumbers(t *testing.T) {
	svc := newMembers(t, 2)
	var buf bytes.Buffer
	n, err := Members(context.Background(), svc, &buf, Request{Format: "xlsx", Lang: "fr"})
	if err != nil || n != 2 {
		t.Fatalf("exported %d, %v", n, err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Membres")
	if err != nil {
		t.Fatal(err)
	}
	header := strings.Join(rows[0], "|")
	if !strings.HasPrefix(header, "ID|Nom|E-mail|Autres e-mails|Identifiants|Étiquettes") ||
		!strings.Contains(header, "ville") || !strings.Contains(header, "Name") || !strings.Contains(header, "code postal") {
		t.Fatalf("header %q", header)
	}
	if rows[1][1] != "Hélène Dupont" || rows[1][3] != "h.dupont@example.org" || rows[1][4] != "discord: helene" {
		t.Fatalf("row %q", rows[1])
	}
	col := func(name string) string {
		for i, h := range rows[0] {
			if h == name {
				c, _ := excelize.CoordinatesToCellName(i+1, 2)
				return c
			}
		}
		t.Fatalf("no column %q", name)
		return ""
	}
	if typ, _ := f.GetCellType("Membres", col("âge")); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("âge is %v, want a number", typ)
	}
	if v, _ := f.GetCellValue("Membres", col("code postal")); v != "07500" {
		t.Errorf("postcode lost its leading zero: %q", v)
	}
	raw, _ := f.GetCellValue("Membres", col("Créé le"), excelize.Options{RawCellValue: true})
	if !strings.HasPrefix(raw, "46") { // a spreadsheet serial date in 2026, not text
		t.Errorf("created is %q, want a date serial", raw)
	}
	panes, err := f.GetPanes("Membres")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", panes, err)
	}
	tables, err := f.GetTables("Membres")
	if err != nil || len(tables) != 1 || !strings.HasPrefix(tables[0].Range, "A1:") {
		t.Errorf("no autofilter table: %+v %v", tables, err)
	}
	style, _ := f.GetCellStyle("Membres", "A1")
	if s, _ := f.GetStyle(style); s == nil || s.Font == nil || !s.Font.Bold {
		t.Error("header is not bold")
	}
}

func TestCSVHasABOMAndFiltersByTag(t *testing.T) {
	svc := newMembers(t, 2)
	var buf bytes.Buffer
	n, err := Members(context.Background(), svc, &buf, Request{Format: "csv", Tag: "LYON"})
	if err != nil || n != 1 {
		t.Fatalf("exported %d, %v", n, err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF")) {
		t.Fatal("no byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][1] != "Marc" || recs[0][2] != "E-mail" {
		t.Fatalf("%q %v", recs, err)
	}
}

func TestExportsPageThroughLargeLists(t *testing.T) {
	svc := newMembers(t, 1203)
	var buf bytes.Buffer
	n, err := Members(context.Background(), svc, &buf, Request{Format: "csv"})
	if err != nil || n != 1203 {
		t.Fatalf("exported %d, %v", n, err)
	}
	if lines := bytes.Count(buf.Bytes(), []byte("\n")); lines != 1204 {
		t.Fatalf("%d lines", lines)
	}
}

func TestAnUnknownFormatIsRefused(t *testing.T) {
	if _, err := Members(context.Background(), newMembers(t, 2), &bytes.Buffer{}, Request{Format: "pdf"}); err == nil {
		t.Fatal("pdf accepted")
	}
}
