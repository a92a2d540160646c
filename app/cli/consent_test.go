package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

type shownStatus struct {
	Purpose       string `json:"purpose"`
	State         string `json:"state"`
	Since         string `json:"since"`
	Method        string `json:"method"`
	Source        string `json:"source"`
	NoticeVersion string `json:"noticeVersion"`
}

// showConsent runs "consent show --json" and returns the states by purpose.
func showConsent(t *testing.T, dir, ref string) map[string]shownStatus {
	t.Helper()
	r := hearth(t, dir, "en", "consent", "show", ref, "--json")
	var got []shownStatus
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != ExitOK {
		t.Fatalf("consent show --json: %v %+v", err, r)
	}
	out := map[string]shownStatus{}
	for _, s := range got {
		out[s.Purpose] = s
	}
	return out
}

func TestConsentGrantThenShowReportsTheSourceForThatPurposeOnly(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "ann@example.org", "--name", "Ann")
	r := hearth(t, dir, "en", "consent", "grant", "ANN@example.org", "--purpose", "newsletter", "--source", "AGM sign-up sheet")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Ann <ann@example.org>: newsletter is now granted") {
		t.Fatalf("grant: %+v", r)
	}
	got := showConsent(t, dir, "ann@example.org")
	if len(got) != 4 {
		t.Fatalf("show lists %d purposes, want the 4 built-ins: %+v", len(got), got)
	}
	if n := got["newsletter"]; n.State != "granted" || n.Source != "AGM sign-up sheet" || n.Method != "manual" || n.Since == "" {
		t.Fatalf("newsletter %+v", n)
	}
	if a := got["analytics"]; a.State != "none" || a.Since != "" {
		t.Fatalf("analytics %+v", a)
	}
	r = hearth(t, dir, "en", "consent", "show", "ann@example.org")
	if r.code != ExitOK || !strings.Contains(r.stdout, "PURPOSE") || !strings.Contains(r.stdout, "AGM sign-up sheet") {
		t.Fatalf("show: %+v", r)
	}
}

func TestConsentWithdrawIsShownInTheUsersLanguage(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "zoe@example.fr")
	hearth(t, dir, "fr", "consent", "grant", "zoe@example.fr", "--purpose", "event_reminders")
	r := hearth(t, dir, "fr", "consent", "withdraw", "zoe@example.fr", "--purpose", "event_reminders", "--source", "appel")
	if r.code != ExitOK || !strings.Contains(r.stdout, "consentement « event_reminders » désormais retiré") {
		t.Fatalf("withdraw: %+v", r)
	}
	r = hearth(t, dir, "fr", "consent", "show", "zoe@example.fr")
	if r.code != ExitOK || !strings.Contains(r.stdout, "FINALITÉ") || !strings.Contains(r.stdout, "retiré") || !strings.Contains(r.stdout, "non demandé") {
		t.Fatalf("show: %+v", r)
	}
}

func TestConsentGrantedLongAgoStaysGrantedWhenThePurposeSetsNoExpiry(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "old@example.org")
	r := hearth(t, dir, "en", "consent", "grant", "old@example.org", "--purpose", "newsletter", "--at", "2020-01-15T09:00:00+01:00", "--method", "form")
	if r.code != ExitOK || !strings.Contains(r.stdout, "is now granted") {
		t.Fatalf("grant: %+v", r)
	}
	if n := showConsent(t, dir, "old@example.org")["newsletter"]; n.State != "granted" || !strings.HasPrefix(n.Since, "2020-01-15T08:00:00") || n.Method != "form" {
		t.Fatalf("newsletter %+v", n)
	}
}

func TestConsentHistoryListsEventsInTheOrderTheyHappened(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "ann@example.org")
	hearth(t, dir, "en", "consent", "withdraw", "ann@example.org", "--purpose", "analytics")
	hearth(t, dir, "en", "consent", "grant", "ann@example.org", "--purpose", "analytics", "--at", "2026-01-01T00:00:00Z", "--source", "paper form")
	r := hearth(t, dir, "en", "consent", "history", "ann@example.org", "--json")
	var evs []struct{ Kind, Purpose, By, Source string }
	if err := json.Unmarshal([]byte(r.stdout), &evs); err != nil || r.code != ExitOK {
		t.Fatalf("history: %v %+v", err, r)
	}
	if len(evs) != 2 || evs[0].Kind != "granted" || evs[0].Source != "paper form" || evs[1].Kind != "withdrawn" || evs[1].By != "cli" {
		t.Fatalf("history %+v", evs)
	}
}

func TestConsentPurposesListsTheBuiltinsWithTranslatedNames(t *testing.T) {
	r := hearth(t, t.TempDir(), "fr", "consent", "purposes")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Lettre d'information") || !strings.Contains(r.stdout, "jamais") {
		t.Fatalf("%+v", r)
	}
}

func TestConsentForAnUnknownPurposeExitsOneNamingTheKnownOnes(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "ann@example.org")
	r := hearth(t, dir, "en", "consent", "grant", "ann@example.org", "--purpose", "telemarketing")
	if r.code != ExitError || !strings.Contains(r.stderr, "Purpose: unknown purpose “telemarketing” (known: newsletter, event_reminders") ||
		strings.Count(r.stderr, "\n") != 1 {
		t.Fatalf("%+v", r)
	}
	r = hearth(t, dir, "en", "consent", "grant", "ann@example.org", "--purpose", "newsletter", "--notice-version", "v9")
	if r.code != ExitError || !strings.Contains(r.stderr, "Notice version: newsletter has no notice version “v9”") {
		t.Fatalf("%+v", r)
	}
}

func TestConsentForAnUnknownMemberExitsOne(t *testing.T) {
	r := hearth(t, t.TempDir(), "fr", "consent", "grant", "nobody@example.org", "--purpose", "newsletter")
	if r.code != ExitError || !strings.Contains(r.stderr, "Membre introuvable") {
		t.Fatalf("%+v", r)
	}
}

func TestConsentUsageErrorsExitTwo(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"consent"},
		{"consent", "forget"},
		{"consent", "grant"},
		{"consent", "grant", "ann@example.org"},
		{"consent", "grant", "a@example.org", "b@example.org", "--purpose", "newsletter"},
		{"consent", "grant", "ann@example.org", "--purpose", "newsletter", "--at", "yesterday"},
		{"consent", "withdraw", "ann@example.org", "--purpose", "newsletter", "--notice-version", "v1"},
		{"consent", "show"},
		{"consent", "history", "a", "b"},
		{"consent", "purposes", "extra"},
	} {
		if r := hearth(t, dir, "en", args...); r.code != ExitUsage || !strings.Contains(r.stderr, "Usage:") {
			t.Errorf("%v: %+v, want exit 2 with usage", args, r)
		}
	}
}
