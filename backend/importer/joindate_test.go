package importer

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestJoinDateHeadersAreRecognisedInEnglishAndFrench(t *testing.T) {
	for _, h := range []string{"Membre depuis", "Date d'adhésion", "DATE D'ADHESION", "Inscrit le", "Inscrit(e) le",
		"Member since", "Joined", "Signup date", "Sign-up date", "Date Added", "Date joined"} {
		if f := autoField(SourceGeneric, h, 0, 3); f != FieldJoinDate {
			t.Errorf("%q maps to %q, want %q", h, f, FieldJoinDate)
		}
	}
	if f := autoField(SourceDiscourse, "created_at", 0, 3); f != FieldJoinDate {
		t.Errorf("Discourse's created_at maps to %q", f)
	}
	found := false
	for _, f := range Fields() {
		found = found || f == FieldJoinDate
	}
	if !found || !ValidField(FieldJoinDate) {
		t.Error("the wizard's field list does not offer the join date")
	}
}

// joined reads a CSV text and returns each row's join date (the member_since custom field).
func joined(t *testing.T, text string, order DateOrder) []string {
	t.Helper()
	r, err := NewCSVReader(strings.NewReader(text), Options{DateOrder: order})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []string
	for _, row := range readAll(t, r) {
		out = append(out, row.Custom[JoinDateKey])
	}
	return out
}

func TestJoinDatesAreReadInTheFormatsPeopleWrite(t *testing.T) {
	text := "Courriel;Membre depuis\n" +
		"a@x.fr;03/04/2019\n" +
		"b@x.fr;2021-11-30\n" +
		"c@x.fr;1 janv. 2024\n" +
		"d@x.fr;1er février 2020\n" +
		"e@x.fr;15 févr. 23\n" +
		"f@x.fr;43831\n" +
		"g@x.fr;hier\n"
	got := joined(t, text, DayFirst)
	want := []string{"2019-04-03", "2021-11-30", "2024-01-01", "2020-02-01", "2023-02-15", "2020-01-01", ""}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("join dates %q, want %q", got, want)
	}
	r, _ := NewCSVReader(strings.NewReader(text), Options{})
	rows := readAll(t, r)
	if last := rows[len(rows)-1]; last.Custom["Membre depuis"] != "hier" || len(last.Problems) != 1 || last.Problems[0].Code != "date" {
		t.Errorf("a join date that is no date is kept as written with a problem: %+v", last)
	}
}

func TestAmbiguousDatesFollowTheRestOfTheFileThenTheLanguage(t *testing.T) {
	tests := []struct {
		name  string
		cells []string
		lang  string
		want  DateOrder
	}{
		{"a day above 12 in first position makes the file day first", []string{"03/04/2024", "25/12/2023"}, "en", DayFirst},
		{"a day above 12 in second position makes the file month first", []string{"03/04/2024", "12/25/2023"}, "fr", MonthFirst},
		{"nothing decides: French reads day first", []string{"03/04/2024", "01.02.2020"}, "fr", DayFirst},
		{"nothing decides in English: each date on its own", []string{"03/04/2024"}, "en", DateOrderAuto},
		{"contradictions leave each date on its own", []string{"25/12/2023", "12/25/2023"}, "fr", DateOrderAuto},
		{"ISO dates prove nothing", []string{"2024-03-25", "2024-12-03 10:00"}, "fr", DayFirst},
	}
	for _, tt := range tests {
		var ev DateEvidence
		for _, c := range tt.cells {
			ev.Add(c)
		}
		if got := ev.Order(tt.lang); got != tt.want {
			t.Errorf("%s: %q", tt.name, got)
		}
	}
	if got := joined(t, "email,joined\na@x.org,03/04/2024\n", MonthFirst); got[0] != "2024-03-04" {
		t.Errorf("03/04/2024 month first read as %q", got[0])
	}
}

func TestAMailchimpAudienceJoinedWhenItOptedIn(t *testing.T) {
	text := "Email Address,OPTIN_TIME,CONFIRM_TIME,LEID\n" +
		"a@x.org,2020-05-01 10:00:00,2020-05-01 10:05:00,1\n" +
		"b@x.org,,2021-06-02 08:00:00,2\n"
	if got := joined(t, text, DateOrderAuto); got[0] != "2020-05-01T10:00:00Z" || got[1] != "2021-06-02T08:00:00Z" {
		t.Fatalf("join dates %q", got)
	}
}

func TestAnXLSXJoinDateReadsFromADateCellOrAnExcelSerial(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range [][]any{{"E-mail", "Date d'adhésion"}, {"a@x.fr", 45292}, {"b@x.fr", "05/03/2024"}} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	r, err := NewXLSXReader(bytes.NewReader(b.Bytes()), Options{DateOrder: DayFirst})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rows := readAll(t, r)
	if rows[0].Custom[JoinDateKey] != "2024-01-01" || rows[1].Custom[JoinDateKey] != "2024-03-05" {
		t.Fatalf("join dates %q %q", rows[0].Custom, rows[1].Custom)
	}
}
