package imports

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"hearth/backend/importer"
)

// TestRowsOfOnePersonMergeIntoOneMemberWithAllTheirData is issue 11's file: line 5 has
// lea.girard3@exemple.fr, line 108 LEA.GIRARD3@EXEMPLE.FR with a phone and tags. The second row
// is no longer rejected as "same person as line 5": its phone and tags reach Léa's record.
func TestRowsOfOnePersonMergeIntoOneMemberWithAllTheirData(t *testing.T) {
	f := open(t, t.TempDir())
	var b strings.Builder
	b.WriteString("Prénom;Nom;Courriel;Téléphone;Étiquettes;Membre depuis;Remarques\n") // line 1
	for i := 2; i <= 107; i++ {
		if i == 5 {
			b.WriteString("Léa;Girard;lea.girard3@exemple.fr;;bénévole;12/09/2021;\n")
			continue
		}
		fmt.Fprintf(&b, "P%d;N%d;p%d@exemple.fr;;;;\n", i, i, i)
	}
	b.WriteString("Lea;GIRARD;LEA.GIRARD3@EXEMPLE.FR;06 12 34 56 78;atelier vélo, bénévole;03/02/2020;vient le jeudi\n") // line 108
	var rejected []importer.Rejected
	sum, err := f.imports.Run(context.Background(), Request{Path: file(t, "adherents.csv", b.String()), Lang: "fr"}, nil,
		func(r importer.Rejected) { rejected = append(rejected, r) })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Created != 106 || sum.Merged != 1 || sum.Rejected != 0 || len(sum.Errors) != 0 || len(rejected) != 0 {
		t.Fatalf("summary %+v, rejected %+v", sum, rejected)
	}
	lea, err := f.members.Find(context.Background(), "lea.girard3@exemple.fr")
	if err != nil {
		t.Fatal(err)
	}
	if lea.Name != "Léa Girard" || lea.CustomFields["phone"] != "06 12 34 56 78" || lea.Notes != "vient le jeudi" ||
		!slices.Equal(lea.Tags, []string{"bénévole", "atelier vélo"}) || len(lea.Emails) != 1 ||
		lea.CustomFields["member_since"] != "2020-02-03" {
		t.Fatalf("Léa is %+v (want the first row's name, the second row's phone, tags and notes, the earliest join date)", lea)
	}
	again, err := f.imports.Run(context.Background(), Request{Path: file(t, "adherents.csv", b.String()), Lang: "fr"}, nil, nil)
	if err != nil || again.Unchanged != 106 || again.Merged != 1 {
		t.Fatalf("importing the same file again %+v %v", again, err)
	}
}

func TestRowsJoinedByAnEmailAndAHandleAreOnePersonAndAddUpTheirPhones(t *testing.T) {
	f := open(t, t.TempDir())
	text := "Email,Discord,Phone,Tags\n" +
		"kim@example.org,,+33 6 12 34 56 78,a\n" +
		",kim#42,07 00 00 00 01,b\n" +
		"kim.pro@example.org,kim#42,+33612345678,\n" +
		"KIM@example.org; kim.pro@example.org,,,c\n" // joins the first two rows to the next two
	sum, err := f.imports.Run(context.Background(), Request{Path: file(t, "k.csv", text)}, nil, nil)
	if err != nil || sum.Created != 1 || sum.Merged != 3 {
		t.Fatalf("%+v %v", sum, err)
	}
	kim, _ := f.members.Find(context.Background(), "kim.pro@example.org")
	if !slices.Equal(kim.Emails, []string{"kim@example.org", "kim.pro@example.org"}) || len(kim.Handles) != 1 ||
		kim.CustomFields["phone"] != "+33 6 12 34 56 78, 07 00 00 00 01" || !slices.Equal(kim.Tags, []string{"a", "b", "c"}) {
		t.Fatalf("kim %+v", kim)
	}
}

func TestWhenTheMergedRowIsRejectedEveryRowOfItIsInTheRejectedFile(t *testing.T) {
	f := open(t, t.TempDir())
	tags := strings.Repeat("x", 80) // a tag longer than 64 characters
	text := "Email,Tags\nann@example.org,ok\nANN@example.org," + tags + "\n"
	var rejected []importer.Rejected
	sum, err := f.imports.Run(context.Background(), Request{Path: file(t, "a.csv", text)}, nil,
		func(r importer.Rejected) { rejected = append(rejected, r) })
	if err != nil || sum.Rejected != 2 || sum.Merged != 0 || len(sum.Errors) != 2 || len(rejected) != 2 ||
		rejected[0].Line != 2 || rejected[1].Line != 3 {
		t.Fatalf("%+v %+v %v", sum, rejected, err)
	}
}
