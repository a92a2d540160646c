package reports

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/analytics"
	"hearth/backend/exports"
)

func openKPIBook(t *testing.T, lang string, k analytics.KPIs) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if _, err := WriteKPIWorkbook(context.Background(), &buf, k, exports.MemberSlice(people(3)),
		Options{Lang: lang, Zone: paris, Now: time.Date(2026, 3, 9, 8, 0, 0, 0, paris)}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestEverySheetPrintsOnA4LandscapeFittedToWidthWithItsHeaderRepeated(t *testing.T) {
	f := openKPIBook(t, "fr", fixture())
	if f.GetActiveSheetIndex() != 0 {
		t.Errorf("the workbook opens on sheet %d, not on its first", f.GetActiveSheetIndex())
	}
	titles := map[string]string{}
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm.Print_Titles" {
			titles[dn.Scope] = dn.RefersTo
		}
	}
	for _, sheet := range f.GetSheetList() {
		pl, err := f.GetPageLayout(sheet)
		if err != nil || pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" ||
			pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
			t.Errorf("%s: page layout %+v %v", sheet, pl, err)
		}
		if props, err := f.GetSheetProps(sheet); err != nil || props.FitToPage == nil || !*props.FitToPage {
			t.Errorf("%s: not fitted to the page", sheet)
		}
		want := "'" + sheet + "'!$1:$1"
		if sheet == "Synthèse" {
			want = "" // one page of KPIs and charts, then its tables
		}
		if titles[sheet] != want {
			t.Errorf("%s: print titles %q, want %q", sheet, titles[sheet], want)
		}
	}
}

func TestTheSummarysChartsEndAboveAPageBreak(t *testing.T) {
	f := openKPIBook(t, "en", fixture())
	// excelize has no reader for page breaks: look at the sheet's XML.
	raw, ok := f.Pkg.Load("xl/worksheets/sheet1.xml")
	if !ok {
		t.Fatal("no first sheet")
	}
	if !strings.Contains(string(raw.([]byte)), `<brk id="54"`) {
		t.Fatalf("no row break below the charts")
	}
}

func TestAnsweredQuestionsAreNamedInTheWorkbooksLanguage(t *testing.T) {
	k := fixture()
	k.SuperUsers[0].Counts[analytics.AnsweredCount] = 5
	for lang, want := range map[string][2]string{
		"fr": {"Réponses aux questions", "a répondu à 5 questions"},
		"en": {"Questions answered", "answered 5 questions"},
	} {
		f := openKPIBook(t, lang, k)
		sheet := f.GetSheetList()[3]
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(rows[0], "|") + "|" + strings.Join(rows[1], "|")
		if !strings.Contains(all, want[0]) || !strings.Contains(all, want[1]) || strings.Contains(all, "|answered|") {
			t.Errorf("%s: %q", lang, all)
		}
	}
}

func TestTheLineChartsDaysAreShortWithinAYearAndWholeAcrossTwo(t *testing.T) {
	texts := func(k analytics.KPIs) string {
		t.Helper()
		rows, err := openKPIBook(t, "en", k).GetRows("Summary")
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, r := range rows {
			all = append(all, r...)
		}
		return "|" + strings.Join(all, "|") + "|"
	}
	if s := texts(fixture()); !strings.Contains(s, "|Mar 2|") || !strings.Contains(s, "|Mar 8|") {
		t.Errorf("within 2026: %s", s)
	}
	k := fixture()
	k.From, k.To = time.Date(2025, 12, 30, 0, 0, 0, 0, paris), time.Date(2026, 1, 2, 0, 0, 0, 0, paris)
	k.Daily = []analytics.DayPoint{{Day: "2025-12-30"}, {Day: "2025-12-31"}, {Day: "2026-01-01"}}
	if s := texts(k); !strings.Contains(s, "|2025-12-30|") || !strings.Contains(s, "|2026-01-01|") {
		t.Errorf("across two years: %s", s)
	}
}
