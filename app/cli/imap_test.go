package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net/mail"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/credentials"
	"hearth/backend/wiring"
	"hearth/sync/imap"
	"hearth/sync/imap/dovecottest"
	"hearth/sync/smtp"
	"hearth/sync/smtp/smtptest"
)

// mailCLI runs hearth as main.go does: sending over SMTP, reading replies over IMAP, secrets in
// a credentials store of the test's own (an encrypted file, no keychain).
func mailCLI(t *testing.T, dir, secretsDir, lang string, args ...string) run {
	t.Helper()
	secrets, err := credentials.Open(credentials.Options{Dir: secretsDir, Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errOut, Lang: lang, Dir: dir, Secrets: secrets, Open: func(ctx context.Context) (*wiring.Backend, error) {
		return wiring.Open(ctx, wiring.Options{Dir: dir, Secrets: secrets, Dialer: smtp.Dialer{},
			Mailboxes: imap.Dialer{Timeout: 10 * time.Second}})
	}}
	code := Run(context.Background(), args, env)
	return run{code, out.String(), errOut.String()}
}

func TestNewsletterRepliesSaysTheMailboxIsNotSetInBothLanguages(t *testing.T) {
	dir, keys := t.TempDir(), t.TempDir()
	for lang, want := range map[string]string{
		"en": "The reply mailbox is not configured (see hearth imap set).",
		"fr": "La boîte de réponses n'est pas réglée (voir hearth imap set).",
	} {
		if r := mailCLI(t, dir, keys, lang, "newsletter", "replies"); r.code != ExitError || !strings.Contains(r.stderr, want) {
			t.Errorf("%s: %+v", lang, r)
		}
		if r := mailCLI(t, dir, keys, lang, "help"); !strings.Contains(r.stdout, "newsletter replies [--json]") ||
			!strings.Contains(r.stdout, "imap set --host H --username U") {
			t.Errorf("%s: help does not show the reply mailbox commands", lang)
		}
	}
}

func TestAnUnsubscribeReplyReadByTheCommandLineWithdrawsConsentAndTheNextSendSkipsTheMember(t *testing.T) {
	box := dovecottest.Start(t)
	srv := smtptest.New(t, smtptest.Options{NoTLS: true, Record: true})
	dir, keys := t.TempDir(), t.TempDir()
	pwFile := filepath.Join(t.TempDir(), "imap-pw")
	body := filepath.Join(t.TempDir(), "body.md")
	if err := os.WriteFile(pwFile, []byte(box.Password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(body, []byte("Bonjour {{first_name}} !"), 0o600); err != nil {
		t.Fatal(err)
	}
	var outputs strings.Builder
	must := func(lang string, args ...string) run {
		t.Helper()
		r := mailCLI(t, dir, keys, lang, args...)
		outputs.WriteString(r.stdout + r.stderr)
		if r.code != ExitOK {
			t.Fatalf("%v: %+v", args, r)
		}
		return r
	}
	must("en", "members", "add", "--email", "ana@example.org", "--name", "Ana")
	must("en", "members", "add", "--email", "bo@example.org", "--name", "Bo")
	must("en", "consent", "grant", "ana@example.org", "--purpose", "newsletter")
	must("en", "consent", "grant", "bo@example.org", "--purpose", "newsletter")
	must("en", "smtp", "set", "--host", "127.0.0.1", "--port", strconv.Itoa(srv.Port), "--tls", "none", "--from", "news@hearth.example")
	must("en", "imap", "set", "--host", "127.0.0.1", "--port", strconv.Itoa(box.Port), "--tls", "none",
		"--username", box.User, "--password-file", pwFile)
	if r := must("en", "imap", "show", "--json"); !strings.Contains(r.stdout, `"passwordSet": true`) {
		t.Fatalf("imap show: %+v", r)
	}
	id := strings.TrimSpace(must("en", "newsletter", "create", "--subject", "Hi", "--body-file", body).stdout)
	must("en", "newsletter", "send", id)

	var ana *mail.Message
	for _, m := range srv.Received() {
		if m.To[0] == "ana@example.org" {
			ana, _ = mail.ReadMessage(bytes.NewReader(m.Data))
		}
	}
	if ana == nil {
		t.Fatal("Ana got no newsletter")
	}
	u, err := url.Parse(strings.Trim(ana.Header.Get("List-Unsubscribe"), "<>"))
	if err != nil {
		t.Fatal(err)
	}
	// Ana's mail client writes to the List-Unsubscribe address.
	box.Append(t, "From: Ana <ana@example.org>\nTo: "+u.Opaque+"\nSubject: "+u.Query().Get("subject")+
		"\nMessage-ID: <ana-unsub@example.org>\nDate: "+time.Now().Add(-time.Minute).Format(time.RFC1123Z)+"\n\nunsubscribe\n")

	var sum map[string]int
	r := must("en", "newsletter", "replies", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil || sum["unsubscribed"] != 1 || sum["read"] != 1 {
		t.Fatalf("replies: %v %+v", err, r)
	}
	if r := must("fr", "newsletter", "replies"); !strings.Contains(r.stdout, "Réponses lues : 0 nouvelles. Désinscriptions : 0") {
		t.Fatalf("second run, in French: %+v", r)
	}
	var st []map[string]any
	r = must("en", "consent", "show", "ana@example.org", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("consent show: %v %+v", err, r)
	}
	for _, s := range st {
		if s["purpose"] == "newsletter" && s["state"] != "withdrawn" {
			t.Fatalf("Ana's newsletter consent: %v", s)
		}
	}
	id2 := strings.TrimSpace(must("en", "newsletter", "create", "--subject", "Again", "--body-file", body).stdout)
	var plan map[string]any
	r = must("en", "newsletter", "send", id2, "--dry-run", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &plan); err != nil || plan["recipients"] != 1.0 || plan["excluded_withdrawn"] != 1.0 {
		t.Fatalf("next send: %v %+v", err, r)
	}
	if strings.Contains(outputs.String(), box.Password) {
		t.Fatalf("the IMAP password was printed:\n%s", outputs.String())
	}
}
