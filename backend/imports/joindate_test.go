package imports

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
)

// TestMigratedMembersKeepTheirJoinDateSoTheyAreNotAllNewThisMonth imports a French association
// file whose "Membre depuis" column is written dd/mm/yyyy: the dashboard must count as new this
// month only the one person who joined this month, not everybody the import created.
func TestMigratedMembersKeepTheirJoinDateSoTheyAreNotAllNewThisMonth(t *testing.T) {
	f := open(t, t.TempDir()) // the clock says 1 November 2026
	var b strings.Builder
	b.WriteString("Prénom;Nom;Courriel;Membre depuis\n")
	for i := 1; i <= 40; i++ {
		// Days 1 to 12 only, bar one row: the file's 25/12/2019 tells 03/04 is 3 April.
		fmt.Fprintf(&b, "P%d;N%d;p%d@exemple.fr;%02d/%02d/20%d\n", i, i, i, i%12+1, i%9+1, 15+i%8)
	}
	b.WriteString("Noël;Dernier;noel@exemple.fr;25/12/2019\n")
	b.WriteString("Nouvelle;Venue;nouvelle@exemple.fr;01/11/2026\n")
	sum, err := f.imports.Run(context.Background(), Request{Path: file(t, "adherents.csv", b.String()), Lang: "en"}, nil, nil)
	if err != nil || sum.Created != 42 || sum.JoinDates != 42 {
		t.Fatalf("summary %+v %v", sum, err)
	}
	p1, err := f.members.Find(context.Background(), "p1@exemple.fr")
	if err != nil || p1.CustomFields["member_since"] != "2016-02-02" {
		t.Fatalf("p1 %+v %v", p1, err)
	}
	p10, _ := f.members.Find(context.Background(), "p10@exemple.fr")
	if got := p10.CustomFields["member_since"]; got != "2017-02-11" {
		t.Fatalf("p10 (11/02/2017) joined %q, want 11 February 2017", got)
	}
	a := analytics.NewService(f.st, f.members, activity.NewService(f.st, f.members, f.clock, nil), analytics.Options{})
	k, err := a.KPIs(context.Background(), analytics.Range{
		From: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || k.MembersNew != 1 || k.MembersTotal != 42 {
		t.Fatalf("November: %d new of %d members (%v), want 1 of 42", k.MembersNew, k.MembersTotal, err)
	}
}

func TestAmbiguousJoinDatesOfAFrenchReaderAreReadDayFirst(t *testing.T) {
	f := open(t, t.TempDir())
	path := file(t, "a.csv", "Email;Joined\nann@example.org;03/04/2024\n")
	if _, err := f.imports.Run(context.Background(), Request{Path: path, Lang: "fr"}, nil, nil); err != nil {
		t.Fatal(err)
	}
	ann, _ := f.members.Find(context.Background(), "ann@example.org")
	if got := ann.CustomFields["member_since"]; got != "2024-04-03" {
		t.Fatalf("joined %q, want 3 April 2024", got)
	}
}

func TestAMemberKeepsTheEarliestJoinDateAcrossImports(t *testing.T) {
	f := open(t, t.TempDir())
	forum := file(t, "forum.csv", "email,Joined\nann@example.org,2019-05-02\n")
	list := file(t, "list.csv", "email,Date Added\nann@example.org,2021-01-10\n")
	for _, p := range []string{forum, list} {
		if _, err := f.imports.Run(context.Background(), Request{Path: p}, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	ann, _ := f.members.Find(context.Background(), "ann@example.org")
	if got := ann.CustomFields["member_since"]; got != "2019-05-02" {
		t.Fatalf("joined %q after importing the forum then the mailing list, want 2019-05-02", got)
	}
}
