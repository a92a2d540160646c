package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/backend/connections"
	"hearth/backend/credentials"
	"hearth/backend/wiring"
)

// privateCredentials keeps the test's secrets in a file of its own, never in the keychain or
// the user's config directory.
func privateCredentials(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HEARTH_CONFIG_DIR", dir)
	t.Setenv("HEARTH_KEYCHAIN", "off")
	return dir
}

// hearthWithStdin is hearth with standard input.
func hearthWithStdin(t *testing.T, dir, lang, stdin string, args ...string) run {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errOut, Stdin: strings.NewReader(stdin), Lang: lang, Open: func(ctx context.Context) (*wiring.Backend, error) {
		return wiring.Open(ctx, wiring.Options{Dir: dir})
	}}
	code := Run(context.Background(), args, env)
	return run{code, out.String(), errOut.String()}
}

const forumKey = "d0c5e-api-key-7f3a9b2e11c4"

func TestConnectorSecretsStayOutOfTheWorkspaceTheListAndTheAuditLog(t *testing.T) {
	creds := privateCredentials(t)
	dir := t.TempDir()
	r := hearth(t, dir, "en", "connector", "add", "discourse", "--name", "Forum", "--url", "https://forum.example.org",
		"--api-key", forumKey, "--username", "system", "--category", "4")
	if r.code != ExitOK || !strings.Contains(r.stdout, "encrypted credentials file") {
		t.Fatalf("add: %+v", r)
	}
	hook := "https://discord.com/api/webhooks/123/hook-token-5e6f"
	if r := hearthWithStdin(t, dir, "en", hook+"\n", "connector", "add", "discord", "--name", "annonces", "--webhook", "-"); r.code != ExitOK {
		t.Fatalf("add webhook from stdin: %+v", r)
	}
	if r := hearth(t, dir, "en", "connector", "add", "rss", "--name", "veille", "--url", "https://blog.example.org/feed",
		"--keyword", "jardin", "--keyword", "compost"); r.code != ExitOK {
		t.Fatalf("add rss: %+v", r)
	}

	r = hearth(t, dir, "en", "connector", "list", "--json")
	var got []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != ExitOK {
		t.Fatalf("list --json: %v %+v", err, r)
	}
	if strings.Contains(r.stdout, forumKey) || strings.Contains(r.stdout, hook) {
		t.Fatalf("list --json prints a secret: %s", r.stdout)
	}
	if len(got) != 3 || got[0]["name"] != "annonces" || got[0]["hasSecret"] != true || got[1]["name"] != "Forum" ||
		got[1]["hasSecret"] != true || got[2]["hasSecret"] != false {
		t.Fatalf("list: %s", r.stdout)
	}
	r = hearth(t, dir, "fr", "connector", "list")
	if r.code != ExitOK || !strings.Contains(r.stdout, "enregistré") || strings.Contains(r.stdout, forumKey) {
		t.Fatalf("list: %+v", r)
	}

	b, err := wiring.Open(context.Background(), wiring.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	entries, err := b.Audit.List(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	adds := 0
	for _, e := range entries {
		if strings.Contains(fmt.Sprint(e.Details, e.Params), forumKey) || strings.Contains(fmt.Sprint(e.Details, e.Params), "hook-token") {
			t.Fatalf("audit entry holds a secret: %+v", e)
		}
		if e.Action == connections.AuditAdded && e.Actor == "cli" {
			adds++
		}
	}
	if adds != 3 {
		t.Fatalf("audit: %+v", entries)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{dir, creds} {
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err == nil && (bytes.Contains(data, []byte(forumKey)) || bytes.Contains(data, []byte("hook-token"))) {
				t.Errorf("%s holds a secret in clear", p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(filepath.Join(creds, credentials.FileName)); err != nil {
		t.Fatalf("no credentials file: %v", err)
	}
}

func TestConnectorRemoveForgetsTheConnectionAndItsSecret(t *testing.T) {
	privateCredentials(t)
	dir := t.TempDir()
	if r := hearth(t, dir, "en", "connector", "add", "mastodon", "--name", "Masto", "--url", "https://social.example", "--token", "tok"); r.code != ExitOK {
		t.Fatalf("add: %+v", r)
	}
	if r := hearth(t, dir, "en", "connector", "remove", "masto"); r.code != ExitOK || !strings.Contains(r.stdout, "Removed connection Masto") {
		t.Fatalf("remove: %+v", r)
	}
	if r := hearth(t, dir, "fr", "connector", "remove", "masto"); r.code != ExitError || !strings.Contains(r.stderr, "Aucune connexion nommée masto") {
		t.Fatalf("second remove: %+v", r)
	}
	if r := hearth(t, dir, "en", "connector", "list", "--json"); strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("list: %+v", r)
	}
}

func TestConnectorABadURLIsAFieldErrorInFrench(t *testing.T) {
	privateCredentials(t)
	dir := t.TempDir()
	r := hearth(t, dir, "fr", "connector", "add", "mastodon", "--name", "Masto", "--url", "social.example", "--token", "tok")
	if r.code != ExitError || !strings.Contains(r.stderr, "Certains champs ne sont pas valides") ||
		!strings.Contains(r.stderr, "URL (--url) : pas une adresse absolue http:// ou https://") {
		t.Fatalf("fr: %+v", r)
	}
	r = hearth(t, dir, "en", "connector", "add", "discourse", "--name", "F", "--url", "https://f.example")
	if r.code != ExitError || !strings.Contains(r.stderr, "Username (--username): required") ||
		!strings.Contains(r.stderr, "API key (--api-key): required") {
		t.Fatalf("en: %+v", r)
	}
	hearth(t, dir, "en", "connector", "add", "rss", "--name", "Veille", "--url", "https://a.example/feed")
	r = hearth(t, dir, "fr", "connector", "add", "rss", "--name", "VEILLE", "--url", "https://b.example/feed")
	if r.code != ExitError || !strings.Contains(r.stderr, "Une autre connexion porte ce nom") || !strings.Contains(r.stderr, "VEILLE est déjà utilisé") {
		t.Fatalf("duplicate: %+v", r)
	}
}

func TestConnectorTestSaysTheSyncEngineIsNotThereYet(t *testing.T) {
	privateCredentials(t)
	dir := t.TempDir()
	hearth(t, dir, "en", "connector", "add", "rss", "--name", "veille", "--url", "https://a.example/feed")
	r := hearth(t, dir, "en", "connector", "test", "veille")
	if r.code != ExitError || !strings.Contains(r.stderr, "sync engine is not available") {
		t.Fatalf("%+v", r)
	}
}

func TestConnectorUsageErrorsExitTwo(t *testing.T) {
	privateCredentials(t)
	for _, c := range []struct {
		stdin string
		args  []string
	}{
		{"", []string{"connector", "add"}},
		{"", []string{"connector", "add", "myspace", "--name", "x"}},
		{"", []string{"connector", "add", "rss", "--url", "https://a.example/feed"}},
		{"", []string{"connector", "add", "rss", "--name", "x", "--token", "t"}},
		{"", []string{"connector", "add", "discord", "--name", "x", "--webhook", "https://discord.com/api/webhooks/1/t", "--channel", "1"}},
		{"\n", []string{"connector", "add", "mastodon", "--name", "x", "--url", "https://s.example", "--token", "-"}},
		{"", []string{"connector", "remove"}},
		{"", []string{"connector", "test", "a", "b"}},
	} {
		if r := hearthWithStdin(t, t.TempDir(), "en", c.stdin, c.args...); r.code != ExitUsage {
			t.Errorf("%v: %+v", c.args, r)
		}
	}
}
