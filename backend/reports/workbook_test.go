package reports

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris on machines without a zone database

	"hearth/backend/analytics"
	"hearth/backend/exports"
	"hearth/backend/members"
)

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return l
}()

// fixture is a week of KPIs made by hand, with its previous week.
func fixture() analytics.KPIs {
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, paris)
	k := analytics.KPIs{
		From: from, To: from.AddDate(0, 0, 7),
		MembersTotal: 120, MembersNew: 12, MembersChurned: 3, MembersActive: 48,
		DAU: 9.5, WAU: 30, MAU: 48, Stickiness: 0.19791, GrowthRate: 0.1111, EngagementRate: 0.4,
		Activities:          45,
		ActivitiesByKind:    map[string]int{"post": 20, "reply": 15, "reaction": 10},
		ActivitiesByChannel: map[string]int{"general": 30, "help": 12, "": 3},
		Cohorts: []analytics.Cohort{
			{Month: "2026-01", Size: 40, Retention: []float64{1, 0.5, 0.25}},
			{Month: "2026-02", Size: 30, Retention: []float64{1, 0.4}},
			{Month: "2026-03", Size: 12, Retention: []float64{1}},
		},
		Levels: []analytics.LevelCount{
			{Level: 1, Name: "Ambassadors", Members: 4, Promoted: 1},
			{Level: 2, Name: "Contributors", Members: 14, Promoted: 3, Demoted: 1},
			{Level: 3, Name: "Participants", Members: 30},
			{Level: 4, Name: "Observers", Members: 72, Demoted: 2},
		},
		SuperUsers: []analytics.SuperUser{
			{MemberID: "m1", Name: "Hélène Dupont", Score: 97.5, Level: 1, Counts: map[string]int{"post": 42, "reply": 17},
				LastActive: time.Date(2026, 3, 8, 21, 30, 0, 0, paris)},
			{MemberID: "m2", Name: "Marc", Score: 40, Level: 2, Counts: map[string]int{"reply": 9, "custom": 2}},
		},
		GoneQuiet: []analytics.SuperUser{
			{MemberID: "m3", Name: "Zoé", Score: 55, Level: 2, Counts: map[string]int{"post": 3},
				LastActive: time.Date(2026, 2, 25, 10, 0, 0, 0, paris)},
		},
	}
	for i := range 7 {
		d := from.AddDate(0, 0, i).Format("2006-01-02")
		k.Daily = append(k.Daily, analytics.DayPoint{Day: d, Activities: 5 + i, ActiveMembers: 8 + i, NewMembers: i % 3, MembersTotal: 108 + 2*i})
	}
	prev := analytics.KPIs{From: from.AddDate(0, 0, -7), To: from, MembersTotal: 108, MembersNew: 10, MembersActive: 40,
		DAU: 8, WAU: 25, MAU: 40, Stickiness: 0.2, GrowthRate: 0.1, EngagementRate: 0.37, Activities: 0}
	k.Previous = &prev
	return k
}

func people(n int) []members.Member {
	out := make([]members.Member, n)
	for i := range out {
		out[i] = members.Member{ID: fmt.Sprintf("id%03d", i), Name: fmt.Sprintf("Membre %03d", i),
			Emails: []string{fmt.Sprintf("m%d@example.org", i), fmt.Sprintf("alt%d@example.org", i)}, Tags: []string{"bénévole"},
			Handles:   []members.Handle{{Platform: "discord", Handle: fmt.Sprintf("m%d", i)}},
			CreatedAt: time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC)}
	}
	return out
}

func kpiBook(t *testing.T, lang string, ms []members.Member) *xlsx {
	t.Helper()
	var buf bytes.Buffer
	n, err := WriteKPIWorkbook(context.Background(), &buf, fixture(), exports.MemberSlice(ms),
		Options{Lang: lang, Zone: paris, Now: time.Date(2026, 3, 9, 8, 0, 0, 0, paris), LevelOf: func(string) int { return 3 }})
	if err != nil || n != len(ms) {
		t.Fatalf("wrote %d members, %v", n, err)
	}
	x := readXLSX(t, buf.Bytes())
	x.wellFormed()
	return x
}

func TestEveryPartOfTheKPIWorkbookIsWellFormedDeclaredAndLinked(t *testing.T) {
	x := kpiBook(t, "en", people(3))
	var ct struct {
		Defaults []struct {
			Ext  string `xml:"Extension,attr"`
			Type string `xml:"ContentType,attr"`
		} `xml:"Default"`
		Overrides []struct {
			Part string `xml:"PartName,attr"`
			Type string `xml:"ContentType,attr"`
		} `xml:"Override"`
	}
	x.decode("[Content_Types].xml", &ct)
	declared := map[string]string{}
	for _, o := range ct.Overrides {
		declared[strings.TrimPrefix(o.Part, "/")] = o.Type
		if _, ok := x.parts[strings.TrimPrefix(o.Part, "/")]; !ok {
			t.Errorf("content types declare %s, which the package lacks", o.Part)
		}
	}
	charts := 0
	for name := range x.parts {
		switch {
		case strings.HasPrefix(name, "xl/charts/chart"):
			charts++
			if declared[name] != "application/vnd.openxmlformats-officedocument.drawingml.chart+xml" {
				t.Errorf("%s declared as %q", name, declared[name])
			}
		case strings.HasPrefix(name, "xl/drawings/drawing") && strings.HasSuffix(name, ".xml"):
			if declared[name] != "application/vnd.openxmlformats-officedocument.drawing+xml" {
				t.Errorf("%s declared as %q", name, declared[name])
			}
		}
	}
	if charts != 4 {
		t.Fatalf("%d chart parts, want 4", charts)
	}
	// Every relationship points at a part that exists: no repair prompt for a dangling link.
	for name := range x.parts {
		if !strings.HasSuffix(name, ".rels") {
			continue
		}
		var r relationships
		x.decode(name, &r)
		owner := strings.Replace(strings.TrimSuffix(name, ".rels"), "_rels/", "", 1)
		if name == "_rels/.rels" {
			owner = ""
		}
		for _, rel := range r.Rel {
			if strings.HasPrefix(rel.Target, "http") {
				continue
			}
			if _, ok := x.parts[resolve(owner, rel.Target)]; !ok {
				t.Errorf("%s: %s points at missing %s", name, rel.ID, rel.Target)
			}
		}
	}
	want := []string{"Summary", "Cohorts", "Levels", "Super users", "Gone quiet", "Members"}
	if len(x.sheets) != len(want) {
		t.Fatalf("sheets %v", x.sheets)
	}
	for i, s := range x.sheets {
		if s.name != want[i] {
			t.Fatalf("sheets %v, want %v", x.sheets, want)
		}
	}
}

func TestTheSummaryHoldsNativeLineBarAndPieChartsOverItsOwnRanges(t *testing.T) {
	x := kpiBook(t, "fr", nil)
	s := x.sheet("Synthèse")
	if s.ws.Drawing == nil {
		t.Fatal("the summary sheet has no drawing")
	}
	drawing := x.rels(s.path)[s.ws.Drawing.RID]
	if drawing == "" {
		t.Fatalf("the summary's drawing %s is not in its relationships", s.ws.Drawing.RID)
	}
	var anchors struct {
		Charts []struct {
			RID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"twoCellAnchor>graphicFrame>graphic>graphicData>chart"`
	}
	x.decode(drawing, &anchors)
	links := x.rels(drawing)
	kinds := map[string]chart{}
	for _, a := range anchors.Charts {
		part := links[a.RID]
		if !strings.HasPrefix(part, "xl/charts/chart") {
			t.Fatalf("drawing links %s to %q", a.RID, part)
		}
		c := x.chart(part)
		for k := range c.kinds {
			kinds[k] = c
		}
		if len(c.formulas) == 0 {
			t.Fatalf("%s has no series formulas", part)
		}
		for _, f := range c.formulas {
			if !strings.HasPrefix(f, "'Synthèse'!$") {
				t.Fatalf("%s series refers to %q, not the summary sheet", part, f)
			}
		}
	}
	if len(anchors.Charts) != 4 {
		t.Fatalf("%d charts anchored on the summary", len(anchors.Charts))
	}
	for _, k := range []string{"lineChart", "barChart", "pieChart"} {
		if _, ok := kinds[k]; !ok {
			t.Fatalf("no %s among %v", k, kinds)
		}
	}
	// The line chart draws members and active members over the per-day table's days, written
	// as dates in the workbook's language: a chart reads its categories as text, so a date
	// cell would put serial numbers (46083…) on the axis.
	line := kinds["lineChart"]
	cats := ""
	for _, f := range line.formulas {
		if strings.Contains(f, ":$A$") {
			cats = f
		}
	}
	from, to := rangeRows(t, cats)
	if to-from != 6 || s.cells[fmt.Sprintf("A%d", from)].text != "02/03" || s.cells[fmt.Sprintf("A%d", to)].text != "08/03" ||
		s.cells[fmt.Sprintf("B%d", to)].num != 120 || s.cells[fmt.Sprintf("C%d", to)].num != 14 {
		t.Fatalf("line chart categories %q: rows %d-%d", cats, from, to)
	}
	if kinds["barChart"].barDir != "bar" {
		t.Fatalf("bar direction %q", kinds["barChart"].barDir)
	}
}

// rangeRows reads the rows of "'Sheet'!$A$3:$A$9".
func rangeRows(t *testing.T, f string) (int, int) {
	t.Helper()
	var col1, col2 string
	var a, b int
	i := strings.LastIndex(f, "!")
	if _, err := fmt.Sscanf(strings.ReplaceAll(f[i+1:], "$", " "), " %1s %d: %1s %d", &col1, &a, &col2, &b); err != nil {
		t.Fatalf("range %q: %v", f, err)
	}
	return a, b
}

func TestTheSummaryShowsEachKPIWithItsPreviousValueChangeAndFormats(t *testing.T) {
	x := kpiBook(t, "en", nil)
	s := x.sheet("Summary")
	if s.frozen() != "A7" {
		t.Fatalf("frozen at %q, want below the KPI header (A7)", s.frozen())
	}
	if s.cells["A6"].text != "Indicator" || s.cells["D6"].text != "Change" {
		t.Fatalf("header %+v %+v", s.cells["A6"], s.cells["D6"])
	}
	// Period: 2 to 8 March (To is the exclusive 9 March), the previous week before it.
	if c := s.cells["B2"]; c.format != "yyyy-mm-dd" || c.num != 46083 {
		t.Fatalf("period start %+v", c)
	}
	if c := s.cells["D2"]; c.num != 46089 || s.cells["B3"].num != 46076 || s.cells["D3"].num != 46082 {
		t.Fatalf("period end %+v, previous %+v %+v", c, s.cells["B3"], s.cells["D3"])
	}
	rows := map[string]int{}
	for r := 7; r <= 17; r++ {
		rows[s.cells[fmt.Sprintf("A%d", r)].text] = r
	}
	check := func(label string, value, prev float64, format string, change any) {
		t.Helper()
		r, ok := rows[label]
		if !ok {
			t.Fatalf("no %q row in %v", label, rows)
		}
		v, p, c := s.cells[fmt.Sprintf("B%d", r)], s.cells[fmt.Sprintf("C%d", r)], s.cells[fmt.Sprintf("D%d", r)]
		if v.num != value || p.num != prev || v.format != format || p.format != format {
			t.Fatalf("%s: %+v %+v", label, v, p)
		}
		switch want := change.(type) {
		case nil:
			if c.text != "" {
				t.Fatalf("%s: change %+v for a zero previous value", label, c)
			}
		case float64:
			if math.Abs(c.num-want) > 1e-9 || c.format != "+0.0%;-0.0%;0.0%" {
				t.Fatalf("%s: change %+v, want %v", label, c, want)
			}
		}
	}
	check("Members", 120, 108, "#,##0", 12.0/108)
	check("Stickiness (DAU / MAU)", 0.19791, 0.2, "0.0%", (0.19791-0.2)/0.2)
	check("Engagement rate (active / members)", 0.4, 0.37, "0.0%", (0.4-0.37)/0.37)
	check("Daily active members (average)", 9.5, 8, "#,##0.0", 1.5/8)
	check("Activities", 45, 0, "#,##0", nil)
	texts := s.texts()
	for _, want := range []string{"general", "help", "(none)", "Posts", "Replies", "Reactions", "Ambassadors", "Observers"} {
		if !texts[want] {
			t.Fatalf("the summary's chart tables lack %q", want)
		}
	}
	widths := map[int]float64{}
	for _, c := range s.ws.Cols {
		widths[c.Min] = c.Width
	}
	if widths[1] < 30 {
		t.Fatalf("column widths %v", widths)
	}
}

func TestTheCohortsSheetColoursRetentionWithAColorScale(t *testing.T) {
	x := kpiBook(t, "en", nil)
	s := x.sheet("Cohorts")
	if len(s.ws.CF) != 1 || s.ws.CF[0].Sqref != "C2:E4" || len(s.ws.CF[0].Rules) != 1 ||
		s.ws.CF[0].Rules[0].Type != "colorScale" || s.ws.CF[0].Rules[0].ColorScale == nil ||
		len(s.ws.CF[0].Rules[0].ColorScale.Color) != 3 {
		t.Fatalf("conditional formatting %+v", s.ws.CF)
	}
	if s.frozen() != "B2" {
		t.Fatalf("frozen at %q", s.frozen())
	}
	if c := s.cells["D3"]; c.num != 0.4 || c.format != "0.0%" {
		t.Fatalf("February's second month %+v", c)
	}
	if c := s.cells["A2"]; c.format != "yyyy-mm" || c.num != 46023 {
		t.Fatalf("cohort month %+v", c)
	}
	if s.cells["E1"].text != "Month +2" || s.cells["B2"].num != 40 || s.cells["E3"].text != "" {
		t.Fatalf("cohort cells %+v %+v %+v", s.cells["E1"], s.cells["B2"], s.cells["E3"])
	}
}

func TestLevelsSuperUsersAndGoneQuietAreListedWithTheirReasonInFrench(t *testing.T) {
	x := kpiBook(t, "fr", nil)
	l := x.sheet("Niveaux")
	if l.cells["B2"].text != "Ambassadeurs" || l.cells["C3"].num != 14 || l.cells["D3"].num != 3 || l.cells["E5"].num != 2 ||
		l.cells["D1"].text != "Promus" || l.frozen() != "A2" {
		t.Fatalf("levels %+v", l.cells)
	}
	s := x.sheet("Super-utilisateurs")
	if s.cells["B2"].text != "Hélène Dupont" || s.cells["E2"].format != "dd/mm/yyyy hh:mm" || s.frozen() != "C2" {
		t.Fatalf("super users %+v", s.cells)
	}
	why := ""
	for ref, c := range s.cells {
		if strings.HasSuffix(ref, "1") && c.text == "Pourquoi" {
			why = strings.TrimSuffix(ref, "1")
		}
	}
	if got := s.cells[why+"2"].text; got != "a publié 42 fois, a répondu 17 fois en 7 jours" {
		t.Fatalf("reason %q", got)
	}
	if got := s.cells[why+"3"].text; got != "a répondu 9 fois, custom : 2 en 7 jours" {
		t.Fatalf("reason %q", got)
	}
	q := x.sheet("Devenus silencieux")
	if q.cells["F1"].text != "Silencieux depuis (jours)" || q.cells["F2"].num != 11 || q.cells["B2"].text != "Zoé" {
		t.Fatalf("gone quiet %+v", q.cells)
	}
}

func TestMembersContinueOnNewSheetsPastTheRowLimitEachWithItsHeader(t *testing.T) {
	defer func(n int) { exports.RowsPerSheet = n }(exports.RowsPerSheet)
	exports.RowsPerSheet = 10
	ms := people(25)
	for name, b := range map[string]*xlsx{"kpi": kpiBook(t, "fr", ms), "members": membersBook(t, "fr", ms)} {
		seen := map[string]bool{}
		for i, want := range []struct {
			sheet string
			rows  int
		}{{"Membres", 11}, {"Membres (2)", 11}, {"Membres (3)", 6}} {
			s := b.sheet(want.sheet)
			if s.rows != want.rows || s.cells["A1"].text != "Nom" || s.cells["F1"].text != "Créé le" || s.frozen() != "A2" {
				t.Fatalf("%s sheet %d: %d rows, header %q %q, frozen %q", name, i, s.rows, s.cells["A1"].text, s.cells["F1"].text, s.frozen())
			}
			for r := 2; r <= s.rows; r++ {
				seen[s.cells[fmt.Sprintf("A%d", r)].text] = true
			}
			if c := s.cells["F2"]; c.format != "dd/mm/yyyy hh:mm" || math.Abs(c.num-(46023+0.5/24)) > 1e-6 {
				t.Fatalf("%s created %+v (Paris: 1 January 2026 00:30)", name, c)
			}
		}
		if len(seen) != 25 {
			t.Fatalf("%s: %d distinct members listed", name, len(seen))
		}
	}
	m := membersBook(t, "fr", ms).sheet("Membres")
	if m.cells["B2"].text != "m0@example.org" || m.cells["C2"].text != "alt0@example.org" || m.cells["D2"].text != "discord: m0" ||
		m.cells["E2"].text != "bénévole" || m.cells["G1"].text != "ID" || m.cells["G2"].text != "id000" {
		t.Fatalf("member row %+v", m.cells)
	}
}

func membersBook(t *testing.T, lang string, ms []members.Member) *xlsx {
	t.Helper()
	var buf bytes.Buffer
	n, err := exports.Write(context.Background(), &buf, exports.MemberSlice(ms), exports.Options{Format: "xlsx", Lang: lang, Zone: paris})
	if err != nil || n != len(ms) {
		t.Fatalf("wrote %d, %v", n, err)
	}
	x := readXLSX(t, buf.Bytes())
	x.wellFormed()
	return x
}

func TestTheFrenchWorkbookHasFrenchSheetNamesAndHeaders(t *testing.T) {
	x := kpiBook(t, "fr", people(2))
	want := []string{"Synthèse", "Cohortes", "Niveaux", "Super-utilisateurs", "Devenus silencieux", "Membres"}
	for i, s := range x.sheets {
		if s.name != want[i] {
			t.Fatalf("sheets %v", x.sheets)
		}
	}
	texts := x.sheet("Synthèse").texts()
	for _, w := range []string{"Indicateurs de la communauté", "Indicateur", "Évolution", "Membres actifs", "Période précédente", "Activités par canal", "(aucun)", "Publications"} {
		if !texts[w] {
			t.Fatalf("no %q on the French summary", w)
		}
	}
	if x.sheet("Membres").cells["G1"].text != "Niveau" || x.sheet("Membres").cells["G2"].text != "Participants" {
		t.Fatal("the level column is missing")
	}
}

func TestAnEmptyPeriodStillMakesAValidWorkbook(t *testing.T) {
	var buf bytes.Buffer
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, paris)
	if _, err := WriteKPIWorkbook(context.Background(), &buf, analytics.KPIs{From: from, To: from.AddDate(0, 0, 1)}, exports.MemberSlice(nil), Options{Zone: paris}); err != nil {
		t.Fatal(err)
	}
	x := readXLSX(t, buf.Bytes())
	x.wellFormed()
	if s := x.sheet("Summary"); !s.texts()["(no data)"] || s.cells["C7"].text != "" {
		t.Fatalf("empty summary %+v", s.cells)
	}
	if cf := x.sheet("Cohorts").ws.CF; len(cf) != 0 {
		t.Fatalf("colour scale over no cells: %+v", cf)
	}
}

func TestACancelledReportLeavesNoFileBehind(t *testing.T) {
	svc, _, _ := newSchedule(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "kpi.xlsx")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := svc.SaveKPIWorkbook(ctx, path, fixture(), exports.MemberSlice(people(3)), Options{}); err == nil {
		t.Fatal("a cancelled report succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("left %v", entries)
	}
	if _, err := svc.SaveKPIWorkbook(context.Background(), path, fixture(), exports.MemberSlice(people(3)), Options{}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readXLSX(t, b).wellFormed()
}
