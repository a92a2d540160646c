package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"hearth/backend/wiring"
	"hearth/sync/smtp"
)

type run struct {
	code           int
	stdout, stderr string
}

// hearth runs one CLI command against a real workspace in dir.
func hearth(t *testing.T, dir, lang string, args ...string) run {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errOut, Lang: lang, Dir: dir, Open: func(ctx context.Context) (*wiring.Backend, error) {
		return wiring.Open(ctx, wiring.Options{Dir: dir, Dialer: smtp.Dialer{}})
	}}
	code := Run(context.Background(), args, env)
	return run{code, out.String(), errOut.String()}
}

type listed struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Emails []string `json:"emails"`
	Tags   []string `json:"tags"`
}

func TestAddThenListFindsHeleneWithoutAccents(t *testing.T) {
	dir := t.TempDir()
	r := hearth(t, dir, "en", "members", "add", "--email", "helene@example.org", "--name", "Hélène Dupont", "--tag", "bénévole", "--tag", "paris")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Hélène Dupont") {
		t.Fatalf("add: %+v", r)
	}
	hearth(t, dir, "en", "members", "add", "--email", "marc@example.org", "--name", "Marc")
	r = hearth(t, dir, "en", "members", "list", "--search", "helene", "--json")
	var got []listed
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != ExitOK {
		t.Fatalf("list --json: %v %+v", err, r)
	}
	if len(got) != 1 || got[0].Name != "Hélène Dupont" || got[0].Emails[0] != "helene@example.org" ||
		len(got[0].Tags) != 2 || got[0].ID == "" {
		t.Fatalf("got %+v", got)
	}
}

func TestListJSONIsAnEmptyArrayWhenNothingMatches(t *testing.T) {
	r := hearth(t, t.TempDir(), "en", "members", "list", "--json")
	if r.code != ExitOK || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("%+v", r)
	}
}

func TestTheSameEmailInAnotherCaseIsRefused(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "helene@example.org")
	r := hearth(t, dir, "en", "members", "add", "--email", "HELENE@Example.org", "--name", "Copy")
	if r.code != ExitError || !strings.Contains(r.stderr, "already belongs to another member") ||
		!strings.Contains(r.stderr, "HELENE@Example.org") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("%+v", r)
	}
}

func TestABadEmailExitsOneNamingTheFieldInTheUsersLanguage(t *testing.T) {
	dir := t.TempDir()
	r := hearth(t, dir, "en", "members", "add", "--email", "not-an-email")
	if r.code != ExitError || !strings.Contains(r.stderr, "E-mail 1: not a valid e-mail address") {
		t.Fatalf("en: %+v", r)
	}
	r = hearth(t, dir, "fr", "members", "add", "--email", "pas-un-email")
	if r.code != ExitError || !strings.Contains(r.stderr, "E-mail 1 : adresse e-mail non valide") {
		t.Fatalf("fr: %+v", r)
	}
}

func TestGetAndDeleteAcceptAnIdOrAnEmail(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "ann@example.org", "--name", "Ann")
	r := hearth(t, dir, "en", "members", "get", "ANN@example.org", "--json")
	var m listed
	if err := json.Unmarshal([]byte(r.stdout), &m); err != nil || m.Name != "Ann" {
		t.Fatalf("get: %v %+v", err, r)
	}
	if r := hearth(t, dir, "en", "members", "get", m.ID); r.code != ExitOK || !strings.Contains(r.stdout, "ann@example.org") {
		t.Fatalf("get by id: %+v", r)
	}
	if r := hearth(t, dir, "en", "members", "delete", m.ID); r.code != ExitOK {
		t.Fatalf("delete: %+v", r)
	}
	if r := hearth(t, dir, "fr", "members", "get", "ann@example.org"); r.code != ExitError || !strings.Contains(r.stderr, "Membre introuvable") {
		t.Fatalf("get after delete: %+v", r)
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"frobnicate"},
		{"members"},
		{"members", "fly"},
		{"members", "add"},
		{"members", "add", "--email"},
		{"members", "list", "--limit", "zero"},
		{"members", "list", "--limit", "0"},
		{"members", "get"},
		{"members", "delete", "a", "b"},
	} {
		if r := hearth(t, dir, "en", args...); r.code != ExitUsage || !strings.Contains(r.stderr, "Usage:") {
			t.Errorf("%v: %+v, want exit 2 with usage", args, r)
		}
	}
}

func TestVersionNeedsNoWorkspace(t *testing.T) {
	var out bytes.Buffer
	code := Run(context.Background(), []string{"version"}, Env{Stdout: &out, Stderr: &out, Lang: "en",
		Open: func(context.Context) (*wiring.Backend, error) {
			t.Fatal("version opened the workspace")
			return nil, nil
		}})
	if code != ExitOK || !strings.HasPrefix(out.String(), "hearth ") {
		t.Fatalf("%d %q", code, out.String())
	}
}

func TestALockedWorkspaceIsOneClearLine(t *testing.T) {
	dir := t.TempDir()
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	r := hearth(t, dir, "en", "members", "list")
	if r.code != ExitError || !strings.Contains(r.stderr, dir) || !strings.Contains(r.stderr, "already open") || strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("%+v", r)
	}
}

func TestLangFromEnvPrefersFrenchWhenTheLocaleSaysSo(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"LANG": "fr_FR.UTF-8"}, "fr"},
		{map[string]string{"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"},
		{map[string]string{"LC_MESSAGES": "fr_CA"}, "fr"},
		{map[string]string{"LANG": "C"}, "en"},
		{map[string]string{}, "en"},
	}
	for _, c := range cases {
		if got := LangFromEnv(func(k string) string { return c.env[k] }); got != c.want {
			t.Errorf("%v: got %s, want %s", c.env, got, c.want)
		}
	}
}
