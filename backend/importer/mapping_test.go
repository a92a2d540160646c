package importer

import (
	"errors"
	"strings"
	"testing"

	"hearth/backend/errs"
)

func TestHeadersMapToFieldsWhateverTheirCaseAccentsOrLanguage(t *testing.T) {
	tests := []struct {
		header, want string
	}{
		{"Email", "email"}, {"E-mail", "email"}, {"COURRIEL", "email"}, {"Adresse e-mail", "email"},
		{"Email Address", "email"}, {"mail", "email"},
		{"Secondary e-mail", "email2"}, {"Second Email", "email2"},
		{"Prénom", "first_name"}, {"prenom", "first_name"}, {"Given name", "first_name"},
		{"Nom", "last_name"}, {"Nom de famille", "last_name"}, {"Surname", "last_name"}, {"Family Name", "last_name"},
		{"Name", "name"}, {"Nom complet", "name"}, {"Display name", "name"}, {"Full  Name", "name"},
		{"Tags", "tags"}, {"Étiquettes", "tags"}, {"Labels", "tags"}, {"Groupes", "tags"},
		{"Téléphone", "phone"}, {"Tel.", "phone"}, {"Mobile", "phone"}, {"Phone Number", "phone"},
		{"Ville", "city"}, {"City", "city"},
		{"Remarques", "notes"}, {"Commentaire", "notes"},
		{"Pseudo", "handle:other"}, {"Username", "handle:other"},
		{"Discord", "handle:discord"}, {"Mastodon", "handle:mastodon"},
		{"Favourite colour", "custom:Favourite colour"},
	}
	for _, tt := range tests {
		if got := autoField(SourceGeneric, tt.header, 0, 2); got != tt.want {
			t.Errorf("autoField(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestAUserMappingOverridesTheGuessPerHeader(t *testing.T) {
	r, err := NewCSVReader(strings.NewReader("Nom,Mail,Note interne,Extra\nDupont,d@example.fr,vip,x\n"), Options{
		Mapping: map[string]string{"Nom": "name", "note interne": "tags", "Extra": "ignore", "Not in file": "notes"},
	})
	if err != nil {
		t.Fatal(err)
	}
	cols := r.Info().Columns
	want := []Column{
		{Index: 0, Header: "Nom", Field: "name"},
		{Index: 1, Header: "Mail", Field: "email", Auto: true},
		{Index: 2, Header: "Note interne", Field: "tags"},
		{Index: 3, Header: "Extra", Field: "ignore"},
	}
	for i := range want {
		if cols[i] != want[i] {
			t.Errorf("column %d = %+v, want %+v", i, cols[i], want[i])
		}
	}
	rows := readAll(t, r)
	if rows[0].Name != "Dupont" || len(rows[0].Tags) != 1 || rows[0].Tags[0] != "vip" || rows[0].Custom != nil {
		t.Errorf("row = %+v", rows[0])
	}
}

func TestAMappingToAnUnknownFieldIsRefused(t *testing.T) {
	for _, f := range []string{"emails", "email0", "handle:twitter", "custom:", "Name", ""} {
		_, err := NewCSVReader(strings.NewReader("a\n1\n"), Options{Mapping: map[string]string{"a": f}})
		if !errors.Is(err, errs.Invalid) || errs.From(err).Code != "import_unknown_field" {
			t.Errorf("mapping to %q: err = %v", f, err)
		}
	}
}

func TestEveryListedFieldIsValid(t *testing.T) {
	for _, f := range Fields() {
		if f == CustomPrefix {
			f += "anything"
		}
		if !ValidField(f) {
			t.Errorf("Fields lists %q but ValidField refuses it", f)
		}
	}
	if !ValidField("email12") {
		t.Error("email12 is refused")
	}
}

func TestTheReasonColumnOfARejectedFileIsIgnoredOnReimport(t *testing.T) {
	r, err := NewCSVReader(strings.NewReader("email,Error\nx@example.com,invalid e-mail\n"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Info().Columns[1]; c.Field != "ignore" {
		t.Errorf("Error column maps to %q", c.Field)
	}
}

func TestPlatformExportsAreRecognisedFromTheirHeaders(t *testing.T) {
	tests := []struct {
		name   string
		header string
		want   Source
	}{
		{"a Mailchimp audience", "Email Address,First Name,OPTIN_TIME,LEID", SourceMailchimp},
		{"a lone Email Address column is generic", "Email Address,First Name", SourceGeneric},
		{"a Discourse user list", "id,name,username,email,trust_level,last_seen_at", SourceDiscourse},
		{"username and email alone are generic", "username,email", SourceGeneric},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := detectSource(strings.Split(tt.header, ",")); got != tt.want {
				t.Errorf("source = %s, want %s", got, tt.want)
			}
		})
	}
}
