package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

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
	if r.code != ExitOK || !strings.Contains(r.stdout, "1 membres la recevront") || !strings.Contains(r.stdout, "1 sans consentement") ||
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
