package cli

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"
)

type updated struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Emails       []string          `json:"emails"`
	Tags         []string          `json:"tags"`
	CustomFields map[string]string `json:"customFields"`
	Notes        string            `json:"notes"`
}

// addMember adds a member with hearth members add and returns it.
func addMember(t *testing.T, dir string, args ...string) updated {
	t.Helper()
	r := hearth(t, dir, "en", append([]string{"members", "add", "--json"}, args...)...)
	var m updated
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil || r.code != ExitOK {
		t.Fatalf("add: %v %+v", err, r)
	}
	return m
}

func getMember(t *testing.T, dir, ref string) (updated, string) {
	t.Helper()
	r := hearth(t, dir, "en", "members", "get", ref, "--json")
	var m updated
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil || r.code != ExitOK {
		t.Fatalf("get: %v %+v", err, r)
	}
	return m, r.stdout
}

func TestMembersUpdateChangesNameTagsNotesAndFieldsByEmail(t *testing.T) {
	dir := t.TempDir()
	a := addMember(t, dir, "--email", "ann@example.org", "--name", "Ann", "--tag", "paris", "--tag", "bénévole")
	r := hearth(t, dir, "en", "members", "update", "ANN@example.org", "--name", "Ann Smith", "--add-tag", "speaker",
		"--remove-tag", "BENEVOLE", "--notes", "met at FOSDEM", "--set", "city=Lyon", "--set", "team=core", "--json")
	if r.code != ExitOK {
		t.Fatalf("update: %+v", r)
	}
	got, asGot := getMember(t, dir, a.ID)
	if r.stdout != asGot {
		t.Errorf("update --json is not what get --json shows:\n%s\n%s", r.stdout, asGot)
	}
	if got.Name != "Ann Smith" || !slices.Equal(got.Tags, []string{"paris", "speaker"}) || got.Notes != "met at FOSDEM" ||
		!maps.Equal(got.CustomFields, map[string]string{"city": "Lyon", "team": "core"}) || !slices.Equal(got.Emails, a.Emails) {
		t.Fatalf("after update: %+v", got)
	}
	// Tags listed by the updated tag.
	if l := hearth(t, dir, "en", "members", "list", "--tag", "speaker"); !strings.Contains(l.stdout, "ann@example.org") {
		t.Fatalf("list --tag speaker: %+v", l)
	}
}

func TestMembersUpdateByIdRemovesATagAndAFieldAndShowsTheMember(t *testing.T) {
	dir := t.TempDir()
	a := addMember(t, dir, "--email", "bob@example.org", "--name", "Bob", "--tag", "paris", "--tag", "speaker")
	if r := hearth(t, dir, "en", "members", "update", a.ID, "--set", "city=Lyon", "--set", "tshirt=M"); r.code != ExitOK {
		t.Fatalf("set: %+v", r)
	}
	r := hearth(t, dir, "en", "members", "update", a.ID, "--remove-tag", "paris", "--set", "tshirt=", "--set", "city=Paris")
	if r.code != ExitOK {
		t.Fatalf("update: %+v", r)
	}
	get := hearth(t, dir, "en", "members", "get", a.ID)
	if r.stdout != get.stdout {
		t.Errorf("update does not show the member as get does:\n%s\n%s", r.stdout, get.stdout)
	}
	for _, want := range []string{"bob@example.org", "speaker", "city", "Paris"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the shown member lacks %q:\n%s", want, r.stdout)
		}
	}
	got, _ := getMember(t, dir, a.ID)
	if !slices.Equal(got.Tags, []string{"speaker"}) || !maps.Equal(got.CustomFields, map[string]string{"city": "Paris"}) || got.Name != "Bob" {
		t.Fatalf("after update: %+v", got)
	}
	// --name "" clears the name: given, even empty, is a change.
	if r := hearth(t, dir, "en", "members", "update", a.ID, "--name", ""); r.code != ExitOK {
		t.Fatalf("clear name: %+v", r)
	}
	if got, _ := getMember(t, dir, a.ID); got.Name != "" || !slices.Equal(got.Tags, []string{"speaker"}) {
		t.Fatalf("after clearing the name: %+v", got)
	}
}

func TestMembersUpdateOfAnUnknownMemberExitsOneInTheUsersLanguage(t *testing.T) {
	dir := t.TempDir()
	addMember(t, dir, "--email", "ann@example.org")
	for lang, want := range map[string]string{"en": "No such member.", "fr": "Membre introuvable"} {
		for _, ref := range []string{"nobody@example.org", "01JUNKNOWNID", "not-an-email@"} {
			r := hearth(t, dir, lang, "members", "update", ref, "--add-tag", "x")
			if r.code != ExitError || !strings.Contains(r.stderr, want) || strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("%s %s: %+v", lang, ref, r)
			}
		}
	}
}

func TestMembersUpdateRefusesATooLongTagAndChangesNothing(t *testing.T) {
	dir := t.TempDir()
	a := addMember(t, dir, "--email", "ann@example.org", "--name", "Ann", "--tag", "paris")
	for lang, want := range map[string]string{"en": "Tag 2: too long (at most 64)", "fr": "Étiquette 2 : trop long"} {
		r := hearth(t, dir, lang, "members", "update", a.ID, "--name", "Changed", "--add-tag", strings.Repeat("x", 65), "--set", "city=Lyon")
		if r.code != ExitError || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: %+v", lang, r)
		}
	}
	// A custom field at fault is named by its name, even one written as a number.
	for lang, want := range map[string]string{"en": "Custom field 2024: too long (at most 2000)", "fr": "Champ personnalisé 2024 : trop long (au plus 2000)"} {
		r := hearth(t, dir, lang, "members", "update", a.ID, "--set", "2024="+strings.Repeat("y", 2001))
		if r.code != ExitError || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: %+v", lang, r)
		}
	}
	if got, _ := getMember(t, dir, a.ID); got.Name != "Ann" || !slices.Equal(got.Tags, []string{"paris"}) || len(got.CustomFields) != 0 {
		t.Fatalf("a refused update changed the member: %+v", got)
	}
}

func TestMembersUpdateUsageErrorsExitTwoInTheUsersLanguage(t *testing.T) {
	dir := t.TempDir()
	a := addMember(t, dir, "--email", "ann@example.org", "--name", "Ann")
	for _, c := range []struct {
		args   []string
		en, fr string
	}{
		{[]string{a.ID}, "needs something to change", "a besoin d'une modification"},
		{[]string{a.ID, "--set", "city"}, `--set "city": write FIELD=VALUE`, `--set "city" : écrivez CHAMP=VALEUR`},
		{[]string{a.ID, "--set", "=Lyon"}, "write FIELD=VALUE", "écrivez CHAMP=VALEUR"},
		{[]string{a.ID, "--colour", "red"}, "flag provided but not defined: -colour", "-colour"},
		{[]string{a.ID, "--add-tag"}, "flag needs an argument", "-add-tag"},
		{[]string{"--name", "X"}, "give exactly one member id or e-mail", "indiquez exactement un identifiant"},
		{[]string{a.ID, "ann@example.org", "--name", "X"}, "give exactly one member id or e-mail", "indiquez exactement un identifiant"},
	} {
		for lang, want := range map[string]string{"en": c.en, "fr": c.fr} {
			r := hearth(t, dir, lang, append([]string{"members", "update"}, c.args...)...)
			usage := map[string]string{"en": "Usage:", "fr": "Usage :"}[lang]
			if r.code != ExitUsage || !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, usage) {
				t.Errorf("%s %v: %+v, want exit 2 with %q", lang, c.args, r, want)
			}
		}
	}
	if got, _ := getMember(t, dir, a.ID); got.Name != "Ann" {
		t.Fatalf("a refused update changed the member: %+v", got)
	}
}

func TestHelpShowsMembersUpdateInBothLanguages(t *testing.T) {
	for lang, want := range map[string]string{"en": "removes a custom field", "fr": "retire un champ personnalisé"} {
		r := hearth(t, t.TempDir(), lang, "help")
		if r.code != ExitOK || !strings.Contains(r.stdout, "members update ID|EMAIL [--name N] [--add-tag T]... [--remove-tag T]...") ||
			!strings.Contains(r.stdout, "--set") || !strings.Contains(r.stdout, want) {
			t.Errorf("%s: help does not show members update:\n%s", lang, r.stdout)
		}
	}
}
