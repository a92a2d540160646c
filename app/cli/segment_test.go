package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"hearth/backend/segments"
)

func TestEverySegmentSyntaxErrorHasAMessageInBothLanguages(t *testing.T) {
	for _, lang := range []string{"en", "fr"} {
		tr := translator(lang)
		for _, code := range segments.Codes {
			if tr.catalog["segment_err_"+code] == "" {
				t.Errorf("%s: no cli.segment_err_%s", lang, code)
			}
		}
	}
}

func TestSegmentsAreSavedCountedListedAndDeletedFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"members", "add", "--email", "camille@example.org", "--name", "Camille", "--tag", "Bénévole"},
		{"members", "add", "--email", "lou@example.org", "--name", "Lou", "--tag", "bénévole", "--tag", "Équipe"},
		{"members", "add", "--email", "sam@example.org", "--name", "Sam"},
	} {
		if r := hearth(t, dir, "en", args...); r.code != ExitOK {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	r := hearth(t, dir, "en", "segment", "create", "--name", "Bénévoles hors équipe", "--where", `tag = "BENEVOLE" AND NOT tag = équipe`)
	if r.code != ExitOK || !strings.Contains(r.stdout, "1 members now") {
		t.Fatalf("create: %+v", r)
	}
	r = hearth(t, dir, "en", "segment", "count", "benevoles HORS equipe", "--json")
	var got struct {
		Name  string `json:"name"`
		Count int    `json:"count"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got.Count != 1 || got.Name != "Bénévoles hors équipe" {
		t.Fatalf("count --json: %+v (%v)", r, err)
	}
	if r = hearth(t, dir, "en", "segment", "count", "--where", `tag = bénévole`); strings.TrimSpace(r.stdout) != "2" {
		t.Fatalf("count --where: %+v", r)
	}
	r = hearth(t, dir, "en", "members", "list", "--segment", "Bénévoles hors équipe")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Camille") || strings.Contains(r.stdout, "Lou") || strings.Contains(r.stdout, "Sam") {
		t.Fatalf("members list --segment: %+v", r)
	}
	r = hearth(t, dir, "fr", "segment", "list")
	if r.code != ExitOK || !strings.Contains(r.stdout, "MEMBRES") || !strings.Contains(r.stdout, "Bénévoles hors équipe") {
		t.Fatalf("list: %+v", r)
	}
	if r = hearth(t, dir, "en", "segment", "show", "Bénévoles hors équipe"); r.code != ExitOK || !strings.Contains(r.stdout, "Members: 1") {
		t.Fatalf("show: %+v", r)
	}
	if r = hearth(t, dir, "en", "segment", "delete", "Bénévoles hors équipe"); r.code != ExitOK {
		t.Fatalf("delete: %+v", r)
	}
	if r = hearth(t, dir, "fr", "segment", "show", "Bénévoles hors équipe"); r.code != ExitError || !strings.Contains(r.stderr, "aucun segment") {
		t.Fatalf("show after delete: %+v", r)
	}
}

func TestASegmentSyntaxErrorNamesThePlaceInBothLanguages(t *testing.T) {
	for lang, want := range map[string]string{
		"en": "not valid at character 24: expected a value",
		"fr": "n'est pas valide au caractère 24 : une valeur était attendue",
	} {
		r := hearth(t, t.TempDir(), lang, "segment", "count", "--where", `ville = Lyon AND tag = `)
		if r.code != ExitError || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "  "+strings.Repeat(" ", 23)+"^") {
			t.Errorf("%s: %+v", lang, r)
		}
	}
	r := hearth(t, t.TempDir(), "fr", "segment", "create", "--name", "AG", "--where", `event = "AG 2025"`)
	if r.code != ExitError || !strings.Contains(r.stderr, "les événements arrivent avec le ticket n° 16") {
		t.Errorf("event: %+v", r)
	}
}

func TestANewsletterToASegmentReachesItsMembersWhoConsentedOnly(t *testing.T) {
	dir := t.TempDir()
	body := writeTemp(t, "body.md", "Bonjour {{name}}")
	for _, args := range [][]string{
		{"members", "add", "--email", "a@example.org", "--name", "Ana", "--tag", "Bénévole"},
		{"members", "add", "--email", "b@example.org", "--name", "Bo", "--tag", "bénévole"},
		{"members", "add", "--email", "c@example.org", "--name", "Cy"},
		{"consent", "grant", "a@example.org", "--purpose", "newsletter"},
		{"consent", "grant", "c@example.org", "--purpose", "newsletter"},
		{"segment", "create", "--name", "Bénévoles", "--where", "tag = benevole"},
	} {
		if r := hearth(t, dir, "en", args...); r.code != ExitOK {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	if r := hearth(t, dir, "fr", "newsletter", "create", "--subject", "Hi", "--body-file", body, "--segment", "Inconnu"); r.code != ExitError || !strings.Contains(r.stderr, "aucun segment") {
		t.Fatalf("unknown segment: %+v", r)
	}
	r := hearth(t, dir, "en", "newsletter", "create", "--subject", "Hi", "--body-file", body, "--segment", "bénévoles")
	id := strings.TrimSpace(r.stdout)
	if r.code != ExitOK || id == "" {
		t.Fatalf("create: %+v", r)
	}
	var rep map[string]any
	r = hearth(t, dir, "en", "newsletter", "send", id, "--dry-run", "--json")
	// Ana and Bo are in the segment; Bo never consented; Cy consented but is not in it.
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep["recipients"] != 1.0 || rep["excluded_no_consent"] != 1.0 {
		t.Fatalf("dry run: %v %+v", err, r)
	}
}

func TestMembersExportWritesASegmentsMembersOnly(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"members", "add", "--email", "ana@example.org", "--name", "Ana", "--tag", "Donateur"},
		{"members", "add", "--email", "bo@example.org", "--name", "Bo", "--tag", "donateur", "--tag", "équipe"},
		{"members", "add", "--email", "cy@example.org", "--name", "Cy"},
		{"segment", "create", "--name", "Donateurs", "--where", `tag = donateur AND NOT tag = "ÉQUIPE"`},
	} {
		if r := hearth(t, dir, "en", args...); r.code != ExitOK {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	out := filepath.Join(t.TempDir(), "donateurs.csv")
	if r := hearth(t, dir, "en", "members", "export", out, "--segment", "donateurs"); r.code != ExitOK {
		t.Fatalf("export: %+v", r)
	}
	got := readFile(t, out)
	if !strings.Contains(got, "ana@example.org") || strings.Contains(got, "bo@example.org") || strings.Contains(got, "cy@example.org") {
		t.Fatalf("the export holds:\n%s", got)
	}
}

func TestASegmentIsRenamedOrGivenANewExpressionFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"members", "add", "--email", "ana@example.org", "--name", "Ana"},
		{"members", "update", "ana@example.org", "--set", "city=Lyon"},
		{"members", "add", "--email", "bob@example.org", "--name", "Bob"},
		{"members", "update", "bob@example.org", "--set", "city=Paris"},
		{"segment", "create", "--name", "Lyonnais", "--where", `city = "Lyon"`},
		{"segment", "create", "--name", "Équipe", "--where", `tag = équipe`},
	} {
		if r := hearth(t, dir, "en", args...); r.code != ExitOK {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	r := hearth(t, dir, "en", "segment", "update", "lyonnais", "--name", "Parisiens", "--where", `city = paris`)
	if r.code != ExitOK || !strings.Contains(r.stdout, "Saved segment Parisiens: 1 members now.") {
		t.Fatalf("update: %+v", r)
	}
	r = hearth(t, dir, "en", "segment", "show", "Parisiens", "--json")
	var got struct {
		Name, Where string
		Count       int
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || got.Where != "city = paris" || got.Count != 1 {
		t.Fatalf("show after update: %+v (%v)", r, err)
	}
	if r = hearth(t, dir, "fr", "segment", "update", "Parisiens", "--name", "EQUIPE"); r.code != ExitError {
		t.Fatalf("renamed to another segment's name, folded: %+v", r)
	}
	for lang, want := range map[string]string{
		"en": "not valid at character 8: expected a value",
		"fr": "n'est pas valide au caractère 8 : une valeur était attendue",
	} {
		r = hearth(t, dir, lang, "segment", "update", "Parisiens", "--where", `city = `)
		if r.code != ExitError || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "  "+strings.Repeat(" ", 7)+"^") {
			t.Errorf("%s: a broken expression: %+v", lang, r)
		}
	}
	if r = hearth(t, dir, "en", "segment", "update", "Parisiens"); r.code != ExitUsage {
		t.Fatalf("update with nothing to change: %+v", r)
	}
	if r = hearth(t, dir, "fr", "segment", "update", "Personne", "--name", "X"); r.code != ExitError || !strings.Contains(r.stderr, "aucun segment") {
		t.Fatalf("update of a segment that does not exist: %+v", r)
	}
}
