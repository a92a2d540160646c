package cli

import (
	"archive/zip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris on machines without a zone database
)

// workbookParts lists a workbook's parts with the text of its workbook.xml.
func workbookParts(t *testing.T, path string) (map[string]bool, string) {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer zr.Close()
	parts, wb := map[string]bool{}, ""
	for _, f := range zr.File {
		parts[f.Name] = true
		if f.Name == "xl/workbook.xml" {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			wb = string(b)
		}
	}
	return parts, wb
}

func TestReportKPIWritesTheWorkbookOfTheGivenDaysWithItsCharts(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "ann@example.org", "--name", "Ann")
	hearth(t, dir, "en", "members", "add", "--email", "bob@example.org", "--name", "Bob")
	if r := hearth(t, dir, "en", "activity", "add", "--member", "ann@example.org", "--kind", "post", "--at", "2026-03-03T10:00:00Z", "--channel", "forum"); r.code != ExitOK {
		t.Fatalf("activity: %+v", r)
	}
	out := filepath.Join(t.TempDir(), "kpi.xlsx")
	r := hearth(t, dir, "fr", "report", "kpi", "--from", "2026-03-01", "--to", "2026-03-31", "--out", out)
	if r.code != ExitOK || !strings.Contains(r.stdout, "indicateurs du 2026-03-01 au 2026-03-31, 2 membres") {
		t.Fatalf("%+v", r)
	}
	parts, wb := workbookParts(t, out)
	if !parts["xl/charts/chart1.xml"] || !parts["xl/charts/chart4.xml"] || !strings.Contains(wb, `name="Synthèse"`) || !strings.Contains(wb, `name="Membres"`) {
		t.Fatalf("parts %v, workbook %s", parts, wb)
	}
	out = filepath.Join(t.TempDir(), "last30.xlsx")
	if r := hearth(t, dir, "en", "report", "kpi", "--out", out, "--lang", "fr"); r.code != ExitOK || !strings.Contains(r.stdout, "2 members") {
		t.Fatalf("default range: %+v", r)
	}
	if _, wb := workbookParts(t, out); !strings.Contains(wb, `name="Cohortes"`) {
		t.Fatalf("--lang fr: %s", wb)
	}
}

func TestReportMembersWritesEveryMember(t *testing.T) {
	dir := t.TempDir()
	for _, e := range []string{"a@example.org", "b@example.org", "c@example.org"} {
		hearth(t, dir, "en", "members", "add", "--email", e)
	}
	out := filepath.Join(t.TempDir(), "members.xlsx")
	r := hearth(t, dir, "en", "report", "members", "--out", out)
	if r.code != ExitOK || !strings.Contains(r.stdout, "3 members") {
		t.Fatalf("%+v", r)
	}
	if _, wb := workbookParts(t, out); !strings.Contains(wb, `name="Members"`) || strings.Contains(wb, "Sheet1") {
		t.Fatalf("workbook %s", wb)
	}
}

func TestReportRefusesMissingOutputBadDaysAndBadLanguages(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "kpi"}, "--out FILE.xlsx"},
		{[]string{"report", "members", "--out", "m.csv"}, ".xlsx"},
		{[]string{"report", "kpi", "--out", "k.xlsx", "--from", "1 March"}, `--from "1 March" is not a day`},
		{[]string{"report", "kpi", "--out", "k.xlsx", "--from", "2026-03-02", "--to", "2026-03-01"}, "comes after --to"},
		{[]string{"report", "kpi", "--out", "k.xlsx", "--lang", "de"}, "fr or en"},
		{[]string{"report", "schedule", "--off", "--weekday", "monday"}, "give it alone"},
	} {
		if r := hearth(t, dir, "en", c.args...); r.code != ExitUsage || !strings.Contains(r.stderr, c.want) {
			t.Fatalf("%v: %+v", c.args, r)
		}
	}
}

func TestReportScheduleIsSetShownAndTurnedOff(t *testing.T) {
	dir := t.TempDir()
	r := hearth(t, dir, "en", "report", "schedule")
	if r.code != ExitOK || !strings.Contains(r.stdout, "off") || !strings.Contains(r.stdout, "never") {
		t.Fatalf("show: %+v", r)
	}
	folder := filepath.Join(t.TempDir(), "weekly")
	r = hearth(t, dir, "fr", "report", "schedule", "--weekday", "monday", "--at", "08:00", "--folder", folder)
	if r.code != ExitOK || !strings.Contains(r.stdout, "activé, chaque lundi à 08:00") || !strings.Contains(r.stdout, folder) ||
		!strings.Contains(r.stdout, "français") {
		t.Fatalf("set: %+v", r)
	}
	r = hearth(t, dir, "en", "report", "schedule", "--at", "07:15", "--json")
	var sc struct {
		Enabled  bool      `json:"enabled"`
		Weekday  string    `json:"weekday"`
		At       string    `json:"at"`
		Folder   string    `json:"folder"`
		Lang     string    `json:"lang"`
		NextSlot time.Time `json:"nextSlot"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sc); err != nil || r.code != ExitOK || !sc.Enabled || sc.Weekday != "monday" ||
		sc.At != "07:15" || sc.Folder != folder || sc.Lang != "fr" || sc.NextSlot.Local().Weekday() != time.Monday {
		t.Fatalf("change the time: %+v %v %+v", r, err, sc)
	}
	r = hearth(t, dir, "en", "report", "schedule", "--at", "7h")
	if r.code != ExitError || !strings.Contains(r.stderr, "not a time of day like 08:00") {
		t.Fatalf("bad time: %+v", r)
	}
	r = hearth(t, dir, "en", "report", "schedule", "--off")
	if r.code != ExitOK || !strings.Contains(r.stdout, "off") || !strings.Contains(r.stdout, folder) {
		t.Fatalf("off: %+v", r)
	}
	if _, err := os.Stat(folder); !os.IsNotExist(err) {
		t.Fatalf("the folder was made before any report: %v", err)
	}
}

func TestDayRangeIncludesBothDaysInTheLocalZone(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tr := translator("en")
	now := time.Date(2026, 3, 30, 23, 30, 0, 0, time.UTC) // already 31 March in Paris
	r, err := statsRange("", "", now, paris, tr)
	if err != nil || !r.To.Equal(time.Date(2026, 4, 1, 0, 0, 0, 0, paris)) || !r.From.Equal(time.Date(2026, 3, 2, 0, 0, 0, 0, paris)) {
		t.Fatalf("default: %v %v", r, err)
	}
	r, err = statsRange("2026-03-29", "2026-03-29", now, paris, tr) // the day summer time starts: 23 hours
	if err != nil || r.To.Sub(r.From) != 23*time.Hour {
		t.Fatalf("one day: %v %v", r, err)
	}
}
