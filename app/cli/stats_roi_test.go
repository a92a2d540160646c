package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestStatsJSONAddsTheFunnelAndTheROIOfTheSavedSettings(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "ann@example.org", "--name", "Ann")
	hearth(t, dir, "en", "members", "add", "--email", "leo@example.org", "--name", "Léo")
	at := time.Now().Add(-2 * time.Hour).Format(time.RFC3339)
	for _, kind := range []string{"event", "goal"} {
		if r := hearth(t, dir, "en", "activity", "add", "--member", "ann@example.org", "--kind", kind, "--at", at); r.code != ExitOK {
			t.Fatalf("%s: %+v", kind, r)
		}
	}
	if r := hearth(t, dir, "en", "stats", "roi", "--cost-per-month", "-3"); r.code != ExitUsage || !strings.Contains(r.stderr, "--cost-per-month takes an amount of 0 or more") {
		t.Fatalf("negative cost: %+v", r)
	}
	r := hearth(t, dir, "en", "stats", "roi", "--cost-per-month", "30.44", "--value-per-conversion", "50", "--json")
	if r.code != ExitOK || !strings.Contains(r.stdout, `"cost_per_month": 30.44`) || !strings.Contains(r.stdout, `"currency": "EUR"`) {
		t.Fatalf("roi settings: %+v", r)
	}
	r = hearth(t, dir, "en", "stats", "--json")
	var k map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &k); err != nil || r.code != ExitOK {
		t.Fatalf("%+v %v", r, err)
	}
	for _, key := range []string{"from", "to", "members_total", "members_active", "previous", "funnel", "roi"} {
		if _, ok := k[key]; !ok {
			t.Errorf("no %s in %s", key, r.stdout)
		}
	}
	f, _ := k["funnel"].(map[string]any)
	for _, key := range []string{"members", "subscribers", "attendees", "goal", "subscriber_rate", "attendee_rate", "goal_rate", "conversion_rate"} {
		if _, ok := f[key]; !ok {
			t.Errorf("no funnel.%s in %v", key, f)
		}
	}
	if f["members"] != 2.0 || f["subscribers"] != 0.0 || f["attendees"] != 1.0 || f["goal"] != 1.0 {
		t.Errorf("funnel %v", f)
	}
	roi, _ := k["roi"].(map[string]any)
	if roi["currency"] != "EUR" || roi["conversions"] != 1.0 || roi["value"] != 50.0 || roi["cost"] != 30.0 || roi["roi"] == nil {
		t.Errorf("roi %v", roi)
	}
	if prev, _ := k["previous"].(map[string]any); prev == nil || prev["funnel"] != nil {
		t.Errorf("previous %v", prev)
	}
	r = hearth(t, dir, "fr", "stats")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Entonnoir : 2 membres → 0 abonnés") || !strings.Contains(r.stdout, "ROI : coût 30,00\u00a0EUR, 1 conversions valant 50,00\u00a0EUR") {
		t.Fatalf("fr: %+v", r)
	}
}
