package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportPrintsAJSONSummaryAndReimportChangesNothing(t *testing.T) {
	dir := t.TempDir()
	csvPath := filepath.Join(t.TempDir(), "audience.csv")
	content := "Email Address,First Name,Last Name,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,TAGS\n" +
		"ann@example.org,Ann,Smith,2026-03-05 14:22:11,198.51.100.7,2026-03-05 14:25:40,198.51.100.8,\"\"\"vip\"\"\"\n" +
		"not-an-address,Bad,Row,,,,,\n"
	if err := os.WriteFile(csvPath, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	type summary struct {
		Created, Updated, Unchanged, Rejected int
		Errors                                []struct {
			Line   int
			Column string
			Reason string
		}
	}
	run := func() summary {
		r := hearth(t, dir, "en", "members", "import", csvPath, "--json")
		var s summary
		if err := json.Unmarshal([]byte(r.stdout), &s); err != nil || r.code != ExitOK {
			t.Fatalf("%+v %v", r, err)
		}
		return s
	}
	if s := run(); s.Created != 1 || s.Rejected != 1 || s.Errors[0].Line != 3 || s.Errors[0].Column != "Email Address" || s.Errors[0].Reason != "email" {
		t.Fatalf("first import %+v", s)
	}
	if s := run(); s.Created != 0 || s.Unchanged != 1 || s.Rejected != 1 {
		t.Fatalf("second import %+v", s)
	}
	r := hearth(t, dir, "en", "consent", "show", "ann@example.org")
	if r.code != ExitOK || !strings.Contains(r.stdout, "granted") || !strings.Contains(r.stdout, "import") {
		t.Fatalf("consent show: %+v", r)
	}
	fix := filepath.Join(t.TempDir(), "to-fix.csv")
	if r := hearth(t, dir, "en", "members", "import", csvPath, "--rejected", fix); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	if b, _ := os.ReadFile(fix); !strings.Contains(string(b), "not-an-address") || !strings.Contains(string(b), "Error") {
		t.Fatalf("rejected rows file %q", b)
	}
	r = hearth(t, dir, "fr", "members", "import", csvPath, "--dry-run")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Essai à blanc") || !strings.Contains(r.stdout, "adresse e-mail non valide") {
		t.Fatalf("dry run: %+v", r)
	}
}

func TestImportMapOverridesAColumn(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(t.TempDir(), "list.csv")
	_ = os.WriteFile(p, []byte("Contact,Pseudo Discord\nkim@example.org,kim#42\n"), 0o600)
	r := hearth(t, dir, "en", "members", "import", p, "--map", "Contact=email", "--map", "Pseudo Discord=handle:discord")
	if r.code != ExitOK || !strings.Contains(r.stdout, "1 created") {
		t.Fatalf("%+v", r)
	}
	r = hearth(t, dir, "en", "members", "get", "kim@example.org", "--json")
	if !strings.Contains(r.stdout, `"platform": "discord"`) {
		t.Fatalf("%+v", r)
	}
	if r := hearth(t, dir, "en", "members", "import", p, "--map", "Contact"); r.code != ExitUsage {
		t.Fatalf("bad --map: %+v", r)
	}
}

// TestAFrenchImportWritesItsRejectedRowsInFrenchAndInTheFilesDialect: the file of issue 11,
// semicolons and all, and the person on two rows.
func TestAFrenchImportWritesItsRejectedRowsInFrenchAndInTheFilesDialect(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(t.TempDir(), "adherents.csv")
	content := "Prénom;Courriel;Téléphone;Membre depuis\n" +
		"Léa;lea.girard3@exemple.fr;;03/04/2019\n" +
		"Marc;marc@exemple;;25/12/2020\n" +
		"Lea;LEA.GIRARD3@EXEMPLE.FR;06 12 34 56 78;\n"
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	fix := filepath.Join(t.TempDir(), "a-corriger.csv")
	r := hearth(t, dir, "fr", "members", "import", p, "--rejected", fix)
	if r.code != ExitOK || !strings.Contains(r.stdout, "1 créés") || !strings.Contains(r.stdout, "même personne : 1") ||
		!strings.Contains(r.stdout, "date d'adhésion : 1") {
		t.Fatalf("%+v", r)
	}
	b, err := os.ReadFile(fix)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Prénom;Courriel;Téléphone;Membre depuis;Erreur\nMarc;marc@exemple;;25/12/2020;E-mail\u00a0: adresse non valide\n"; strings.TrimPrefix(string(b), "\uFEFF") != want {
		t.Fatalf("rejected rows file %q, want %q", b, want)
	}
	if fi, _ := os.Stat(fix); fi.Mode().Perm() != 0o600 {
		t.Fatalf("the rejected rows (personal data) are %v, want 0600", fi.Mode().Perm())
	}
	r = hearth(t, dir, "fr", "members", "get", "lea.girard3@exemple.fr", "--json")
	if !strings.Contains(r.stdout, "06 12 34 56 78") || !strings.Contains(r.stdout, `"member_since": "2019-04-03"`) {
		t.Fatalf("Léa %+v", r)
	}
}

func TestImportedMembersEnterAutomationsOnlyWithEnrol(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(t.TempDir(), "list.csv")
	_ = os.WriteFile(p, []byte("email\nold@example.org\n"), 0o600)
	q := filepath.Join(t.TempDir(), "signups.csv")
	_ = os.WriteFile(q, []byte("email\nnew@example.org\n"), 0o600)
	if r := hearth(t, dir, "en", "members", "import", p); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	if r := hearth(t, dir, "en", "members", "import", q, "--enrol"); r.code != ExitOK {
		t.Fatalf("%+v", r)
	}
	if r := hearth(t, dir, "en", "members", "get", "old@example.org", "--json"); !strings.Contains(r.stdout, `"noAutoEnrol": true`) {
		t.Fatalf("imported without --enrol: %+v", r)
	}
	if r := hearth(t, dir, "en", "members", "get", "new@example.org", "--json"); r.code != ExitOK || strings.Contains(r.stdout, "noAutoEnrol") {
		t.Fatalf("imported with --enrol: %+v", r)
	}
}
