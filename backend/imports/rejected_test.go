package imports

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"hearth/backend/importer"
)

// TestTheRejectedRowsFileKeepsTheFrenchFilesDialectAndSpeaksFrench is issue 11's complaint: a
// French user's semicolon file came back with commas and "emails[0]: email".
func TestTheRejectedRowsFileKeepsTheFrenchFilesDialectAndSpeaksFrench(t *testing.T) {
	f := open(t, t.TempDir())
	req := Request{Path: file(t, "adherents.csv", messy), Lang: "fr"}
	var rows []importer.Rejected
	if _, err := f.imports.Run(context.Background(), req, nil, func(r importer.Rejected) { rows = append(rows, r) }); err != nil {
		t.Fatal(err)
	}
	p, err := f.imports.Preview(req)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := importer.WriteRejected(&b, p.RejectedFile(req.Lang), p.Header, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimPrefix(b.String(), "\uFEFF"), "\n")
	want := []string{
		"Prénom;Nom;Courriel;Étiquettes;Ville;Remarques;Erreur",
		"Marc;Lefèvre;marc.lefevre@example;;Lyon;;E-mail\u00a0: adresse non valide",
		"Sans;Contact;;;Lille;;ni adresse e-mail ni identifiant",
	}
	if strings.Join(lines[:3], "\n") != strings.Join(want, "\n") {
		t.Fatalf("rejected rows file\n%s\nwant\n%s", b.String(), strings.Join(want, "\n"))
	}
	en := Describe("en", RowError{Field: "emails[0]", Reason: "email"})
	if en != "E-mail: not a valid address" {
		t.Errorf("in English: %q", en)
	}
}
