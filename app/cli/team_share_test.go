package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hearth/backend/credentials"
	"hearth/backend/team"
	"hearth/backend/wiring"
	"hearth/sync/smtp"
)

// teammateCLI runs hearth on a workspace with a credentials store of its own (the person's age
// identity), as each teammate's laptop has.
func teammateCLI(t *testing.T, dir, secretsDir, lang string, args ...string) run {
	t.Helper()
	secrets, err := credentials.Open(credentials.Options{Dir: secretsDir, Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errOut, Lang: lang, Dir: dir, Secrets: secrets, Open: func(ctx context.Context) (*wiring.Backend, error) {
		return wiring.Open(ctx, wiring.Options{Dir: dir, Secrets: secrets, Dialer: smtp.Dialer{}})
	}}
	code := Run(context.Background(), args, env)
	return run{code, out.String(), errOut.String()}
}

func TestTwoTeammatesShareThroughAFolderFromTheCommandLine(t *testing.T) {
	folder := t.TempDir()
	aDir, aKeys := t.TempDir(), t.TempDir()
	bDir, bKeys := filepath.Join(t.TempDir(), "bob"), t.TempDir()
	alice := func(args ...string) run { return teammateCLI(t, aDir, aKeys, "en", args...) }
	bob := func(args ...string) run { return teammateCLI(t, bDir, bKeys, "en", args...) }
	must := func(r run, want ...string) run {
		t.Helper()
		if r.code != ExitOK {
			t.Fatalf("%+v", r)
		}
		for _, w := range want {
			if !strings.Contains(r.stdout, w) {
				t.Fatalf("want %q in:\n%s", w, r.stdout)
			}
		}
		return r
	}

	must(alice("members", "add", "--email", "camille@example.org", "--name", "Camille"))
	must(alice("workspace", "whoami", "--name", "Alice"))
	must(alice("workspace", "share"), "Shared folder", "off", "never")
	must(alice("workspace", "share", "--folder", folder), "on: the window shares", folder)
	must(alice("workspace", "share", "--now"), "No teammate's file in the folder yet.", "This copy's file was written")

	// Bob's key, from his credentials store; Alice sends him the workspace.
	bobKey := strings.TrimSpace(must(teammateCLI(t, t.TempDir(), bKeys, "en", "workspace", "identity")).stdout)
	aliceKey := strings.TrimSpace(must(alice("workspace", "identity")).stdout)
	file := filepath.Join(t.TempDir(), "team.hearth")
	must(alice("workspace", "export", "--out", file, "--recipient", aliceKey, "--recipient", bobKey))
	must(bob("workspace", "join", file))
	must(bob("workspace", "whoami", "--name", "Bob"))
	must(bob("members", "add", "--email", "yann@example.org", "--name", "Yann"))

	// Alice's file in the folder was written for her key only: Bob's run says so, and writes his.
	r := must(bob("workspace", "share", "--folder", folder, "--now", "--json"))
	var got team.ShareRun
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if len(got.Files) != 1 || got.Files[0].Status != team.ShareFailed || got.Files[0].Error.Code != "bundle_wrong_key" || !got.Wrote {
		t.Fatalf("%+v", got)
	}
	must(alice("workspace", "share", "--now"), "(Bob): merged: ", "This copy's file was written")
	must(bob("workspace", "share", "--now"), "(Alice): merged")
	for _, who := range []func(...string) run{alice, bob} {
		must(who("members", "get", "yann@example.org"), "Yann")
		must(who("members", "get", "camille@example.org"), "Camille")
	}
	// A few more runs and both files hold everything: then nothing is merged or written again.
	settled := false
	for range 4 {
		ra, rb := must(alice("workspace", "share", "--now")), must(bob("workspace", "share", "--now"))
		if settled = strings.Contains(ra.stdout, "(Bob): already merged") && strings.Contains(ra.stdout, "is up to date") &&
			strings.Contains(rb.stdout, "(Alice): already merged") && strings.Contains(rb.stdout, "is up to date"); settled {
			break
		}
	}
	if !settled {
		t.Fatal("the two copies did not settle")
	}

	// The setting and its last run, in both languages; JSON for scripts.
	must(alice("workspace", "share"), "Shared folder", "Last run", "(Bob): already merged")
	must(teammateCLI(t, aDir, aKeys, "fr", "workspace", "share"), "Dossier partagé", "activé", "Dernier passage", "déjà fusionné")
	var sh team.ShareSetting
	if err := json.Unmarshal([]byte(must(alice("workspace", "share", "--json")).stdout), &sh); err != nil || !sh.On || sh.Folder != folder || sh.LastRun == nil {
		t.Fatalf("%+v %v", sh, err)
	}

	// The folder goes away: the run fails and says which folder; the setting keeps the error.
	moved := folder + ".old"
	if err := os.Rename(folder, moved); err != nil {
		t.Fatal(err)
	}
	r = alice("workspace", "share", "--now")
	if r.code != ExitError || !strings.Contains(r.stderr, folder) {
		t.Fatalf("%+v", r)
	}
	must(alice("workspace", "share"), "Last run failed", folder)

	// Off, and the mistakes of usage.
	must(alice("workspace", "share", "--off"), "off", folder)
	for _, args := range [][]string{{"--now"}, {"--off", "--now"}, {"--off", "--folder", moved}, {"extra"}} {
		if r := alice(append([]string{"workspace", "share"}, args...)...); r.code != ExitUsage {
			t.Errorf("%v: %+v", args, r)
		}
	}
}

func TestHelpShowsWorkspaceShareInBothLanguages(t *testing.T) {
	for lang, want := range map[string]string{"en": "share through a folder", "fr": "partager par un dossier"} {
		r := hearth(t, t.TempDir(), lang, "help")
		if r.code != ExitOK || !strings.Contains(r.stdout, "workspace share [--folder") || !strings.Contains(r.stdout, want) {
			t.Errorf("%s: %+v", lang, r)
		}
	}
}
