package importer

import (
	"reflect"
	"testing"
	"time"
)

func TestTagCellsSplitOnCommasAndSemicolonsButNotInsideQuotes(t *testing.T) {
	tests := []struct {
		cell string
		want []string
	}{
		{"a, b;c", []string{"a", "b", "c"}},
		{`"Volunteers","Board, 2024"`, []string{"Volunteers", "Board, 2024"}},
		{"Bénévole; benevole ;;", []string{"Bénévole"}},
		{" ; , ", nil},
	}
	for _, tt := range tests {
		if got := appendTags(nil, tt.cell); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("appendTags(%q) = %q, want %q", tt.cell, got, tt.want)
		}
	}
}

func TestDatesAreReadInTheSpellingsExportsUse(t *testing.T) {
	tests := []struct {
		cell     string
		want     time.Time
		dateOnly bool
	}{
		{"2024-03-05 14:22:11", time.Date(2024, 3, 5, 14, 22, 11, 0, time.UTC), false},
		{"2024-03-05 14:22:11 UTC", time.Date(2024, 3, 5, 14, 22, 11, 0, time.UTC), false},
		{"2024-03-05T15:22:11+01:00", time.Date(2024, 3, 5, 14, 22, 11, 0, time.UTC), false},
		{"2024-03-05 14:22", time.Date(2024, 3, 5, 14, 22, 0, 0, time.UTC), false},
		{"2024-03-05", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), true},
		{"2024-3-5", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), true},
		{"05/03/2024", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), true},
		{"03/25/2024", time.Date(2024, 3, 25, 0, 0, 0, 0, time.UTC), true},
		{"5.3.24 09:30", time.Date(2024, 3, 5, 9, 30, 0, 0, time.UTC), false},
		{"Mar 5, 2024", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), true},
		{"45356", time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC), true},
		{"1709648531", time.Date(2024, 3, 5, 14, 22, 11, 0, time.UTC), false},
	}
	for _, tt := range tests {
		got, dateOnly, ok := parseDate(tt.cell)
		if !ok || !got.Equal(tt.want) || dateOnly != tt.dateOnly {
			t.Errorf("parseDate(%q) = %v %v %v, want %v %v", tt.cell, got, dateOnly, ok, tt.want, tt.dateOnly)
		}
	}
	for _, bad := range []string{"yesterday", "31/02/2024", "13/13/2024", "2024-13-01", "-5", "NaN", "1e400"} {
		if got, _, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v, want a failure", bad, got)
		}
	}
}

func TestEmailsPutThePrimaryColumnFirstAndDropRepeats(t *testing.T) {
	b := rowBuilder{cols: []Column{{Field: "email2"}, {Field: "email"}, {Field: "email3"}}}
	row := b.build(2, []string{"b@x.org; mailto:c@x.org", "a@x.org", "<A@X.org>"})
	if want := []string{"a@x.org", "b@x.org", "c@x.org"}; !reflect.DeepEqual(row.Emails, want) {
		t.Errorf("Emails = %q, want %q", row.Emails, want)
	}
}

func TestAFullNameThatDiffersFromFirstAndLastIsKept(t *testing.T) {
	b := rowBuilder{cols: []Column{{Header: "Nom complet", Field: "name"}, {Field: "first_name"}, {Field: "last_name"}}}
	row := b.build(2, []string{"Dr Hélène Martin", "Hélène", "Martin"})
	if row.Name != "Hélène Martin" || row.Custom["name"] != "Dr Hélène Martin" {
		t.Errorf("row = %+v", row)
	}
}

func TestAnIdentitiesOnlyRowHasTheFullRowsEmailsAndHandlesAndNothingElse(t *testing.T) {
	cols := []Column{{Field: "email"}, {Field: "first_name"}, {Field: "tags"}, {Field: HandlePrefix + "discord"},
		{Field: "email2"}, {Header: "Inscrit le", Field: FieldJoinDate}}
	cells := []string{"Lea@Exemple.fr", "Léa", "lyon, bénévole", "lea#1234", "lea.pro@exemple.fr; x@y.org", "25/03/2024"}
	full := (&rowBuilder{cols: cols, order: DayFirst}).build(2, cells)
	ids := (&rowBuilder{cols: cols, order: DayFirst, identities: true}).build(2, cells)
	if !reflect.DeepEqual(ids.Emails, full.Emails) || !reflect.DeepEqual(ids.Handles, full.Handles) || len(full.Emails) != 3 {
		t.Fatalf("identities %q %v, full row %q %v", ids.Emails, ids.Handles, full.Emails, full.Handles)
	}
	if ids.Name != "" || ids.Tags != nil || ids.Custom != nil || full.Name == "" || full.Custom[JoinDateKey] == "" {
		t.Fatalf("identities-only row built more than identities: %+v (full %+v)", ids, full)
	}
}
