package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/consent"
	"hearth/backend/wiring"
	"hearth/sync/smtp/smtptest"
)

func TestNewsletterSendReachesOnlyConsentingMembersAndReportsExclusions(t *testing.T) {
	srv := smtptest.New(t, smtptest.Options{NoTLS: true, User: "hearth", Pass: "pw-from-a-file", Record: true})
	dir := t.TempDir()
	pwFile := filepath.Join(t.TempDir(), "pw")
	body := filepath.Join(t.TempDir(), "body.md")
	if err := os.WriteFile(pwFile, []byte("pw-from-a-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(body, []byte("Bonjour {{first_name|à tous}} !"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"members", "add", "--email", "a@example.org", "--name", "Ana", "--tag", "news"},
		{"members", "add", "--email", "b@example.org", "--name", "Bo", "--tag", "news"},
		{"members", "add", "--email", "c@example.org", "--tag", "other"},
		{"consent", "grant", "a@example.org", "--purpose", "newsletter"},
		{"consent", "grant", "c@example.org", "--purpose", "newsletter"},
		{"smtp", "set", "--host", "127.0.0.1", "--port", strconv.Itoa(srv.Port), "--tls", "none", "--username", "hearth",
			"--password-file", pwFile, "--from", "news@hearth.example"},
	} {
		if r := hearth(t, dir, "en", args...); r.code != ExitOK {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	if r := hearth(t, dir, "en", "smtp", "show", "--json"); r.code != ExitOK || strings.Contains(r.stdout, "pw-from-a-file") ||
		!strings.Contains(r.stdout, `"passwordSet": true`) {
		t.Fatalf("smtp show: %+v", r)
	}
	r := hearth(t, dir, "en", "newsletter", "create", "--subject", "Hi", "--body-file", body, "--tag", "news")
	id := strings.TrimSpace(r.stdout)
	if r.code != ExitOK || id == "" {
		t.Fatalf("create: %+v", r)
	}

	var rep map[string]any
	r = hearth(t, dir, "en", "newsletter", "send", id, "--dry-run", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep["recipients"] != 1.0 || rep["excluded_no_consent"] != 1.0 ||
		rep["excluded_suppressed"] != 0.0 || len(srv.Received()) != 0 {
		t.Fatalf("dry run: %v %+v", err, r)
	}
	r = hearth(t, dir, "fr", "newsletter", "send", id)
	if r.code != ExitOK || !strings.Contains(r.stdout, "1 membre la recevra") || !strings.Contains(r.stdout, "1 sans consentement") ||
		!strings.Contains(r.stdout, "Envoyés : 1") {
		t.Fatalf("send: %+v", r)
	}
	if got := srv.Received(); len(got) != 1 || got[0].To[0] != "a@example.org" || !strings.Contains(string(got[0].Data), "Bonjour Ana") {
		t.Fatalf("received %+v", got)
	}
	r = hearth(t, dir, "en", "newsletter", "send", id)
	if r.code != ExitError || !strings.Contains(r.stderr, "was sent already") {
		t.Fatalf("second send: %+v", r)
	}

	// Its results sit next to the KPIs: Ana, who got it, posted afterwards.
	hearth(t, dir, "en", "activity", "add", "--member", "a@example.org", "--kind", "post", "--at", time.Now().Format(time.RFC3339))
	r = hearth(t, dir, "en", "stats", "--json")
	var st struct {
		Campaigns struct {
			Newsletters []struct {
				Subject     string  `json:"subject"`
				Delivered   int     `json:"delivered"`
				Engaged     int     `json:"engaged"`
				EngagedRate float64 `json:"engaged_rate"`
			} `json:"newsletters"`
			Totals struct {
				Newsletters int `json:"newsletters"`
			} `json:"totals"`
		} `json:"campaigns"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || len(st.Campaigns.Newsletters) != 1 || st.Campaigns.Totals.Newsletters != 1 {
		t.Fatalf("stats campaigns: %v %+v", err, r)
	}
	if n := st.Campaigns.Newsletters[0]; n.Subject != "Hi" || n.Delivered != 1 || n.Engaged != 1 || n.EngagedRate != 1 {
		t.Fatalf("campaign result %+v", n)
	}
	r = hearth(t, dir, "fr", "stats")
	if r.code != ExitOK || !strings.Contains(r.stdout, "« Hi » : remises 1, rejetées 0, désabonnements 0 ; actifs la semaine suivante 100") {
		t.Fatalf("stats fr: %+v", r)
	}
}

func TestSmtpSetUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{
		{"smtp", "set", "--host", "h"},
		{"smtp", "set", "--host", "h", "--port", "25", "--from", "a@b.example", "--tls", "ssl"},
		{"smtp", "set", "--host", "h", "--port", "25", "--from", "a@b.example", "--password-file", "x"},
		{"newsletter", "send"},
		{"newsletter", "create", "--subject", "S"},
	} {
		if r := hearth(t, t.TempDir(), "en", args...); r.code != ExitUsage {
			t.Errorf("%v: %+v", args, r)
		}
	}
}

func TestNewsletterDryRunSplitsTheMembersWithoutConsent(t *testing.T) {
	dir := t.TempDir()
	body := filepath.Join(t.TempDir(), "body.md")
	if err := os.WriteFile(body, []byte("Hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"members", "add", "--email", "a@example.org", "--name", "Ana"},
		{"members", "add", "--email", "b@example.org", "--name", "Bo"},
		{"members", "add", "--email", "c@example.org", "--name", "Cy"},
		{"members", "add", "--email", "d@example.org", "--name", "Di"},
		{"members", "add", "--email", "e@example.org", "--name", "Ed"},
		{"consent", "grant", "a@example.org", "--purpose", "newsletter"},
		{"consent", "grant", "c@example.org", "--purpose", "newsletter"},
		{"consent", "withdraw", "c@example.org", "--purpose", "newsletter"},
		{"consent", "grant", "d@example.org", "--purpose", "newsletter", "--at", "2024-01-10T12:00:00Z"},
		{"consent", "grant", "e@example.org", "--purpose", "newsletter", "--at", "2024-03-05T12:00:00Z"},
	} {
		if r := hearth(t, dir, "en", args...); r.code != ExitOK {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	twelve := 12
	if _, err := b.Consent.SavePurpose(context.Background(), consent.PurposeInput{ID: "newsletter", ExpiryMonths: &twelve}); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	r := hearth(t, dir, "en", "newsletter", "create", "--subject", "Hi", "--body-file", body)
	id := strings.TrimSpace(r.stdout)
	if r.code != ExitOK || id == "" {
		t.Fatalf("create: %+v", r)
	}

	for _, tc := range []struct{ lang, want string }{
		{"en", "1 member will receive it.\n" +
			"Excluded: 4 without consent, 0 suppressed (bounced or unsubscribed), 0 without an e-mail.\n" +
			"  no consent recorded: 1\n" +
			"  consent withdrawn: 1\n" +
			"  consent expired: 2, between Jan 10, 2025 and Mar 5, 2025 (rule: 12 months for “Newsletter”)\n"},
		{"fr", "1 membre la recevra.\n" +
			"Exclus : 4 sans consentement, 0 sur liste de suppression (rejet ou désinscription), 0 sans e-mail.\n" +
			"  aucun consentement enregistré : 1\n" +
			"  consentement retiré : 1\n" +
			"  consentement expiré : 2, entre le 10 janv. 2025 et le 5 mars 2025 (règle : 12 mois pour « Lettre d'information »)\n"},
	} {
		if r := hearth(t, dir, tc.lang, "newsletter", "send", id, "--dry-run"); r.code != ExitOK || r.stdout != tc.want {
			t.Errorf("%s dry run:\n%s\nwant:\n%s(%+v)", tc.lang, r.stdout, tc.want, r)
		}
	}
	var rep map[string]any
	r = hearth(t, dir, "en", "newsletter", "send", id, "--dry-run", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep["excluded_no_consent"] != 4.0 ||
		rep["excluded_not_asked"] != 1.0 || rep["excluded_withdrawn"] != 1.0 || rep["excluded_expired"] != 2.0 {
		t.Fatalf("dry run json: %v %+v", err, r)
	}
}

func TestNewsletterSendReportsUncertainRecipientsAndResendsThemOnlyWhenAsked(t *testing.T) {
	srv := smtptest.New(t, smtptest.Options{NoTLS: true, Record: true})
	dir := t.TempDir()
	body := filepath.Join(t.TempDir(), "body.md")
	if err := os.WriteFile(body, []byte("Bonjour"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"members", "add", "--email", "a@example.org", "--name", "Ana"},
		{"members", "add", "--email", "b@example.org", "--name", "Bo"},
		{"consent", "grant", "a@example.org", "--purpose", "newsletter"},
		{"consent", "grant", "b@example.org", "--purpose", "newsletter"},
		{"smtp", "set", "--host", "127.0.0.1", "--port", strconv.Itoa(srv.Port), "--tls", "none", "--from", "news@hearth.example"},
	} {
		if r := hearth(t, dir, "en", args...); r.code != ExitOK {
			t.Fatalf("%v: %+v", args, r)
		}
	}
	r := hearth(t, dir, "en", "newsletter", "create", "--subject", "Hi", "--body-file", body)
	id := strings.TrimSpace(r.stdout)

	// The server takes Bo's message, then the connection drops before its answer.
	srv.DropReply("b@example.org")
	r = hearth(t, dir, "en", "newsletter", "send", id)
	if r.code != ExitOK || !strings.Contains(r.stdout, "Sent: 1;") ||
		!strings.Contains(r.stdout, "1 member may or may not have received it") || len(srv.Received()) != 2 {
		t.Fatalf("send: %+v, received %d", r, len(srv.Received()))
	}
	r = hearth(t, dir, "fr", "newsletter", "send", id, "--dry-run")
	if !strings.Contains(r.stdout, "1 membre l'a peut-être reçue") {
		t.Errorf("dry run: %+v", r)
	}
	if r = hearth(t, dir, "en", "newsletter", "send", id); r.code != ExitError || len(srv.Received()) != 2 {
		t.Fatalf("send again without asking: %+v", r)
	}

	r = hearth(t, dir, "en", "newsletter", "send", id, "--resend-uncertain", "--json")
	var rep map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || r.code != ExitOK || rep["sent"] != 2.0 || rep["uncertain"] != 0.0 {
		t.Fatalf("resend: %v %+v", err, r)
	}
	var toBo int
	for _, m := range srv.Received() {
		if m.To[0] == "b@example.org" {
			toBo++
		}
	}
	if len(srv.Received()) != 3 || toBo != 2 {
		t.Errorf("received %d, %d of them to Bo (who was uncertain, and had it)", len(srv.Received()), toBo)
	}
}
