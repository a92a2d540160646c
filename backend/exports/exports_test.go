package exports

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris on machines without a zone database

	"github.com/xuri/excelize/v2"

	"hearth/backend/audit"
	"hearth/backend/clock"
	"hearth/backend/csvcell/csvcelltest"
	"hearth/backend/internal/storetest"
	"hearth/backend/members"
	"hearth/backend/store"
)

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

// created is when newMembers creates everyone: 10:30 in Paris.
var created = time.Date(2026, 4, 1, 8, 30, 0, 0, time.UTC)

func newStore(t *testing.T) *store.Store {
	t.Helper()
	return storetest.Open(t, t.TempDir(), clock.NewManual(created))
}

func newMembers(t *testing.T, st *store.Store, n int) *members.Service {
	t.Helper()
	svc := members.NewService(st, clock.NewManual(created), nil)
	ins := []members.CreateInput{
		{Name: "Hélène Dupont", Emails: []string{"helene@example.org", "h.dupont@example.org"}, Tags: []string{"paris", "bénévole"},
			Handles: []members.Handle{{Platform: "discord", Handle: "helene"}},
			CustomFields: map[string]string{"ville": "Paris", "âge": "42", "code postal": "07500", "Name": "dup",
				"cotisation": "12,50", "adhésion": "03/02/2025", "téléphone": "+33612345678"}},
		{Name: "Marc", Emails: []string{"marc@example.org"}, Tags: []string{"lyon"}, CustomFields: map[string]string{"ville": "Lyon"}},
	}
	for i := 2; i < n; i++ {
		ins = append(ins, members.CreateInput{Name: "M", Emails: []string{fmt.Sprintf("m%d@example.org", i)}})
	}
	if _, err := svc.CreateMany(context.Background(), ins, nil); err != nil {
		t.Fatal(err)
	}
	return svc
}

// frenchWorkbook exports two members as a French workbook and opens it.
func frenchWorkbook(t *testing.T) (*excelize.File, [][]string) {
	t.Helper()
	svc := newMembers(t, newStore(t), 2)
	var buf bytes.Buffer
	ctx := context.Background()
	n, err := Write(ctx, &buf, MembersOf(ctx, svc, members.ListQuery{}), Options{Format: "xlsx", Lang: "fr-FR", Zone: paris})
	if err != nil || n != 2 {
		t.Fatalf("exported %d, %v", n, err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	rows, err := f.GetRows("Membres")
	if err != nil {
		t.Fatal(err)
	}
	return f, rows
}

func cellOf(t *testing.T, header []string, name string, row int) string {
	t.Helper()
	for i, h := range header {
		if h == name {
			c, _ := excelize.CoordinatesToCellName(i+1, row)
			return c
		}
	}
	t.Fatalf("no column %q in %q", name, header)
	return ""
}

func TestTheXLSXHasAFrenchFrozenFilteredHeaderUnderAFrenchLocale(t *testing.T) {
	f, rows := frenchWorkbook(t)
	header := strings.Join(rows[0], "|")
	if !strings.HasPrefix(header, "Nom|E-mail|Autres e-mails|Identifiants|Étiquettes|Créé le|ID|Modifié le|Notes|") ||
		!strings.Contains(header, "ville") || !strings.Contains(header, "|Name") || !strings.Contains(header, "code postal") {
		t.Fatalf("header %q", header)
	}
	if rows[1][0] != "Hélène Dupont" || rows[1][2] != "h.dupont@example.org" || rows[1][3] != "discord: helene" {
		t.Fatalf("row %q", rows[1])
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

func TestTimesAreDateCellsOnTheZonesWallClockInTheLanguagesFormat(t *testing.T) {
	f, rows := frenchWorkbook(t)
	c := cellOf(t, rows[0], "Créé le", 2)
	raw, _ := f.GetCellValue("Membres", c, excelize.Options{RawCellValue: true})
	var serial float64
	if _, err := fmt.Sscan(raw, &serial); err != nil {
		t.Fatalf("created is %q, want a date serial", raw)
	}
	// 1 April 2026 10:30 in Paris (08:30 UTC): serial 46113 + 10.5/24.
	if want := 46113 + 10.5/24; math.Abs(serial-want) > 1e-6 {
		t.Errorf("created is %v, want %v (Paris wall clock)", serial, want)
	}
	style, _ := f.GetCellStyle("Membres", c)
	if s, _ := f.GetStyle(style); s == nil || s.CustomNumFmt == nil || *s.CustomNumFmt != "dd/mm/yyyy hh:mm" {
		t.Errorf("created's format %+v", s)
	}
}

func TestCustomFieldsAreNumbersDatesTextOrNoCellAtAll(t *testing.T) {
	f, rows := frenchWorkbook(t)
	check := func(name string, row int, want excelize.CellType, value string) {
		t.Helper()
		c := cellOf(t, rows[0], name, row)
		typ, _ := f.GetCellType("Membres", c)
		raw, _ := f.GetCellValue("Membres", c, excelize.Options{RawCellValue: true})
		if typ != want || raw != value {
			t.Errorf("%s (%s) is %v %q, want %v %q", name, c, typ, raw, want, value)
		}
	}
	// excelize reports numbers and dates written by the stream writer as unset (plain <v>).
	check("âge", 2, excelize.CellTypeUnset, "42")
	check("cotisation", 2, excelize.CellTypeUnset, "12.5")
	check("adhésion", 2, excelize.CellTypeUnset, "45691") // 3 February 2025
	check("code postal", 2, excelize.CellTypeInlineString, "07500")
	check("téléphone", 2, excelize.CellTypeInlineString, "+33612345678")
	// Marc has no cotisation and no notes: no cell, not an empty string.
	for _, name := range []string{"cotisation", "Notes", "Autres e-mails"} {
		c := cellOf(t, rows[0], name, 3)
		ws, _ := f.GetCellType("Membres", c)
		if v, _ := f.GetCellValue("Membres", c); v != "" || ws != excelize.CellTypeUnset {
			t.Errorf("%s of Marc is %v %q, want no cell", name, ws, v)
		}
	}
}

func TestTheSheetPrintsOnA4LandscapeFittedToWidthWithItsHeaderOnEveryPage(t *testing.T) {
	f, _ := frenchWorkbook(t)
	pl, err := f.GetPageLayout("Membres")
	if err != nil || pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Fatalf("page layout %+v %v", pl, err)
	}
	props, err := f.GetSheetProps("Membres")
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Fatalf("not fitted to the page: %+v %v", props, err)
	}
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" && dn.Scope == "Membres" && dn.RefersTo == "'Membres'!$1:$1" {
			found = true
		}
	}
	if !found {
		t.Fatalf("no print titles: %+v", f.GetDefinedName())
	}
}

func TestCSVHasABOMTheLanguagesHeadersAndFiltersByTag(t *testing.T) {
	svc := newMembers(t, newStore(t), 2)
	var buf bytes.Buffer
	ctx := context.Background()
	n, err := Write(ctx, &buf, MembersOf(ctx, svc, Request{Tag: "LYON"}.Query()), Options{Format: "csv", Lang: "fr", Zone: paris})
	if err != nil || n != 1 {
		t.Fatalf("exported %d, %v", n, err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF")) {
		t.Fatal("no byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil || len(recs) != 2 || recs[1][0] != "Marc" || recs[0][0] != "Nom" || recs[1][5] != "2026-04-01T10:30:00+02:00" {
		t.Fatalf("%q %v", recs, err)
	}
}

func TestExportsPageThroughLargeLists(t *testing.T) {
	svc := newMembers(t, newStore(t), 1203)
	var buf bytes.Buffer
	ctx := context.Background()
	n, err := Write(ctx, &buf, MembersOf(ctx, svc, members.ListQuery{}), Options{Format: "csv"})
	if err != nil || n != 1203 {
		t.Fatalf("exported %d, %v", n, err)
	}
	if lines := bytes.Count(buf.Bytes(), []byte("\n")); lines != 1204 {
		t.Fatalf("%d lines", lines)
	}
}

func TestAListersErrorStopsTheExport(t *testing.T) {
	boom := fmt.Errorf("boom")
	ms := func(yield func(members.Member, error) bool) {
		if yield(members.Member{ID: "m1", Name: "A"}, nil) {
			yield(members.Member{}, boom)
		}
	}
	for _, format := range []string{"csv", "xlsx"} {
		if _, err := Write(context.Background(), &bytes.Buffer{}, Seq(ms), Options{Format: format}); err != boom {
			t.Fatalf("%s: %v", format, err)
		}
	}
}

func TestAnUnknownFormatIsRefusedAndNotAudited(t *testing.T) {
	st := newStore(t)
	log := audit.NewLog(st)
	svc := NewService(log, clock.NewManual(created), paris)
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.pdf")
	if _, err := svc.ToFile(ctx, path, MembersOf(ctx, newMembers(t, st, 2), members.ListQuery{}), Options{Format: "pdf"}); err == nil {
		t.Fatal("pdf accepted")
	}
	if entries := exported(t, log); len(entries) != 0 {
		t.Fatalf("audited %+v", entries)
	}
}

// exported lists the log's export entries, newest first.
func exported(t *testing.T, log *audit.Log) []audit.Entry {
	t.Helper()
	entries, err := log.List(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Entry
	for _, e := range entries {
		if e.Action == audit.MembersExported || e.Action == audit.MemberExported {
			out = append(out, e)
		}
	}
	return out
}

func TestCSVWritesFormulaCellsAsTextInNamesNotesTagsCustomFieldsAndHeaders(t *testing.T) {
	var ms []members.Member
	for i, p := range csvcelltest.Payloads {
		ms = append(ms, members.Member{ID: fmt.Sprintf("m%d", i), Name: p, Notes: p, Tags: []string{p},
			CustomFields: map[string]string{p: p, "balance": "-12"}, CreatedAt: created, UpdatedAt: created})
	}
	var buf bytes.Buffer
	n, err := Write(context.Background(), &buf, MemberSlice(ms), Options{Format: "csv", Lang: "en", Zone: paris})
	if err != nil || n != len(ms) {
		t.Fatalf("exported %d, %v", n, err)
	}
	r := csv.NewReader(bytes.NewReader(buf.Bytes()[3:]))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	quoted := map[string]int{}
	for _, rec := range recs {
		for _, c := range rec {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && c != "-12" {
				t.Errorf("a cell a spreadsheet would run: %q", c)
			}
			quoted[c]++
		}
	}
	for _, p := range csvcelltest.Payloads {
		// Its name, notes, tags and custom field cells, and its custom field's header.
		if quoted["'"+p] < 5 {
			t.Errorf("%q: %d quoted cells, want 5", p, quoted["'"+p])
		}
	}
	if quoted["-12"] != len(ms) {
		t.Errorf("negative numbers: %d cells read -12, want %d", quoted["-12"], len(ms))
	}
}
