package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestActivityAddFindsTheMemberByEmailOrHandleAndStoresOnce(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "ann@example.org", "--name", "Ann")
	list := filepath.Join(t.TempDir(), "discord.csv")
	_ = os.WriteFile(list, []byte("Pseudo Discord\nkim#42\n"), 0o600)
	if r := hearth(t, dir, "en", "members", "import", list, "--map", "Pseudo Discord=handle:discord"); r.code != ExitOK {
		t.Fatalf("import: %+v", r)
	}

	r := hearth(t, dir, "en", "activity", "add", "--member", "ann@example.org", "--kind", "post", "--at", "2026-04-20T18:30:00+02:00", "--channel", "forum", "--title", "Hello")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Stored: post by Ann <ann@example.org>") {
		t.Fatalf("add: %+v", r)
	}
	r = hearth(t, dir, "fr", "activity", "add", "--member", "ANN@example.org", "--kind", "post", "--at", "2026-04-20T16:30:00Z", "--channel", "forum")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Déjà présent") {
		t.Fatalf("add again: %+v", r)
	}
	r = hearth(t, dir, "en", "activity", "add", "--member", "discord:kim#42", "--kind", "reply", "--at", "2026-04-21T09:00:00Z", "--json")
	var res struct {
		Outcome  string `json:"outcome"`
		ID       string `json:"id"`
		MemberID string `json:"memberId"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || r.code != ExitOK || res.Outcome != "stored" || res.ID == "" || res.MemberID == "" {
		t.Fatalf("add by handle: %+v %v", r, err)
	}
	r = hearth(t, dir, "en", "activity", "add", "--member", "kim#42", "--kind", "reply", "--at", "2026-04-21T09:00:00Z")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Already there") || !strings.Contains(r.stdout, "discord:kim#42") {
		t.Fatalf("bare handle: %+v", r)
	}
}

func TestActivityAddExplainsWhatIsWrongInTheUsersLanguage(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "ann@example.org")
	r := hearth(t, dir, "en", "activity", "add", "--member", "nobody@example.org", "--kind", "dance", "--at", "2026-04-20T18:30:00Z")
	if r.code != ExitError || !strings.Contains(r.stderr, "Member: no member nobody@example.org") || !strings.Contains(r.stderr, "Kind: unknown kind (one of: post reply") {
		t.Fatalf("en: %+v", r)
	}
	r = hearth(t, dir, "fr", "activity", "add", "--member", "nobody@example.org", "--kind", "post", "--at", "2026-04-20T18:30:00Z")
	if r.code != ExitError || !strings.Contains(r.stderr, "Membre : aucun membre nobody@example.org") {
		t.Fatalf("fr: %+v", r)
	}
	r = hearth(t, dir, "en", "activity", "add", "--member", "ann@example.org", "--kind", "post", "--at", "yesterday")
	if r.code != ExitUsage || !strings.Contains(r.stderr, `"yesterday" is not a date and time`) {
		t.Fatalf("bad --at: %+v", r)
	}
	if r := hearth(t, dir, "en", "activity", "add", "--member", "ann@example.org"); r.code != ExitUsage {
		t.Fatalf("missing flags: %+v", r)
	}
}

func TestActivityImportAccountsForEveryLineAndReimportStoresNothing(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "ann@example.org", "--name", "Ann")
	hearth(t, dir, "en", "members", "add", "--email", "leo@example.org", "--name", "Léo")
	p := filepath.Join(t.TempDir(), "activity.csv")
	content := "\ufeffmember;kind;at;channel\n" +
		"ann@example.org;post;2026-04-20T18:30:00+02:00;forum\n" +
		"leo@example.org;reply;2026-04-20T19:00:00+02:00;forum\n" +
		"nobody@example.org;post;2026-04-20T19:00:00+02:00;forum\n" +
		"ann@example.org;message;20/04/2026;chat\n"
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	type summary struct {
		Stored, Unchanged, Rejected int
		Errors                      []struct {
			Line   int
			Column string
			Reason string
		}
	}
	run := func() summary {
		r := hearth(t, dir, "en", "activity", "import", p, "--json")
		var s summary
		if err := json.Unmarshal([]byte(r.stdout), &s); err != nil || r.code != ExitOK {
			t.Fatalf("%+v %v", r, err)
		}
		return s
	}
	s := run()
	if s.Stored != 2 || s.Unchanged != 0 || s.Rejected != 2 || len(s.Errors) != 2 ||
		s.Errors[0].Line != 4 || s.Errors[0].Column != "member" || s.Errors[0].Reason != "member_not_found" ||
		s.Errors[1].Line != 5 || s.Errors[1].Column != "at" || s.Errors[1].Reason != "datetime" {
		t.Fatalf("first import %+v", s)
	}
	if s := run(); s.Stored != 0 || s.Unchanged != 2 || s.Rejected != 2 {
		t.Fatalf("second import %+v", s)
	}
	r := hearth(t, dir, "fr", "activity", "import", p)
	if r.code != ExitOK || !strings.Contains(r.stdout, "0 enregistrées, 2 inchangées (déjà présentes), 2 rejetées") ||
		!strings.Contains(r.stdout, "aucun membre nobody@example.org") || !strings.Contains(r.stdout, "« 20/04/2026 » n'est pas une date") {
		t.Fatalf("fr: %+v", r)
	}
	r = hearth(t, dir, "en", "activity", "import", p)
	if r.code != ExitOK || !strings.Contains(r.stdout, "0 stored, 2 unchanged (already there), 2 rejected") || !strings.Contains(r.stdout, "LINE") {
		t.Fatalf("en: %+v", r)
	}
}

func TestActivityImportRefusesAFileWithoutItsColumns(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(t.TempDir(), "wrong.csv")
	_ = os.WriteFile(p, []byte("who,when\nann@example.org,2026-04-20T18:30:00Z\n"), 0o600)
	r := hearth(t, dir, "en", "activity", "import", p)
	if r.code != ExitError || !strings.Contains(r.stderr, "The file has no member column") {
		t.Fatalf("%+v", r)
	}
	r = hearth(t, dir, "fr", "activity", "import", filepath.Join(t.TempDir(), "missing.csv"))
	if r.code != ExitError || !strings.Contains(r.stderr, "Impossible d'ouvrir le fichier") {
		t.Fatalf("missing file: %+v", r)
	}
	if r := hearth(t, dir, "en", "activity", "import"); r.code != ExitUsage {
		t.Fatalf("no file: %+v", r)
	}
}
