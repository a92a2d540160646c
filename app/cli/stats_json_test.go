package cli

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/backend/analytics"
)

// documentedStatsFields are the field names docs/STATS.md documents for `stats --json`: the
// first column of its field tables ("`members_total`", "`positive`, `negative`, `neutral`"),
// plus the names its prose gives for campaigns' envelope.
func documentedStatsFields(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../docs/STATS.md")
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{"newsletters": true, "totals": true}
	row := regexp.MustCompile("(?m)^\\| (`[a-z0-9_]+`(?:, `[a-z0-9_]+`)*) \\|")
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		for _, n := range strings.Split(m[1], ", ") {
			names[strings.Trim(n, "`")] = true
		}
	}
	return slices.Sorted(func(yield func(string) bool) {
		for n := range names {
			if !yield(n) {
				return
			}
		}
	})
}

// jsonKeys collects the object keys of v at every level, leaving out the keys of the maps
// keyed by data (kinds, channels).
func jsonKeys(v any, into map[string]bool) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			into[k] = true
			if k == "activities_by_kind" || k == "activities_by_channel" || k == "counts" {
				continue
			}
			jsonKeys(x, into)
		}
	case []any:
		for _, x := range v {
			jsonKeys(x, into)
		}
	}
}

func TestStatsJSONUsesExactlyTheNamesDocumentedInSTATS(t *testing.T) {
	k := sampleKPIs()
	k.Daily = []analytics.DayPoint{{Day: "2026-04-01", Activities: 3, ActiveMembers: 2, NewMembers: 1, MembersTotal: 1200}}
	k.Sentiment = analytics.Sentiment{Positive: 1, Daily: []analytics.SentimentDay{{Day: "2026-04-01", Positive: 1}}}
	k.RisingTopics = []analytics.RisingTopic{{Word: "export", Count: 4, Previous: 1, Change: 3}}
	roi := 0.5
	c := analytics.CampaignReport{From: k.From, To: k.To,
		Newsletters: []analytics.CampaignResult{{ID: "01N", Subject: "News", SentAt: time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC),
			CampaignCounts: analytics.CampaignCounts{Recipients: 3, Delivered: 2, FailedTemp: 1}}},
		Totals: analytics.CampaignTotals{Newsletters: 1}}
	out := newStatsOutput(k)
	out.Funnel, out.ROI, out.Campaigns = ptr(funnelJSON(analytics.Funnel{Members: 3})), ptr(roiJSON(analytics.ROI{Currency: "EUR", ROI: &roi})), ptr(newCampaignReportJSON(c))
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	jsonKeys(v, got)
	documented := documentedStatsFields(t)
	if len(documented) < 60 {
		t.Fatalf("read only %d documented names from docs/STATS.md: %v", len(documented), documented)
	}
	for _, n := range documented {
		if !got[n] {
			t.Errorf("docs/STATS.md documents %q, stats --json does not print it", n)
		}
	}
	for n := range got {
		if !slices.Contains(documented, n) {
			t.Errorf("stats --json prints %q, which docs/STATS.md does not document", n)
		}
	}

	// stats roi --json prints the settings under the names the ROI section uses.
	b, _ = json.Marshal(roiSettingsJSON(analytics.ROISettings{CostPerMonth: 1, ValuePerConversion: 2, Currency: "EUR"}))
	if string(b) != `{"cost_per_month":1,"value_per_conversion":2,"currency":"EUR"}` {
		t.Errorf("stats roi --json = %s", b)
	}
}
