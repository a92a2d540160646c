package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCalendarAddAWeeklySeriesAndListItAcrossTheSpringDaylightSavingChange(t *testing.T) {
	dir := t.TempDir()
	r := hearth(t, dir, "en", "calendar", "add", "--title", "Sunday digest", "--at", "2026-03-15T09:00", "--tz", "Europe/Paris",
		"--channel", "mastodon", "--repeat", "FREQ=WEEKLY;BYDAY=SU;COUNT=3")
	id := strings.TrimSpace(r.stdout)
	if r.code != ExitOK || len(id) != 26 {
		t.Fatalf("add: %+v", r)
	}
	r = hearth(t, dir, "en", "calendar", "list", "--from", "2026-03-01", "--to", "2026-04-30", "--json")
	var occ []struct {
		ItemID string `json:"itemId"`
		At     string `json:"at"`
		Status string `json:"status"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &occ); err != nil || r.code != ExitOK {
		t.Fatalf("list: %v %+v", err, r)
	}
	want := []string{"2026-03-15T09:00:00+01:00", "2026-03-22T09:00:00+01:00", "2026-03-29T09:00:00+02:00"}
	if len(occ) != len(want) {
		t.Fatalf("listed %+v", occ)
	}
	for i, o := range occ {
		if o.At != want[i] || o.ItemID != id || o.Status != "scheduled" {
			t.Errorf("occurrence %d: %+v, want at %s", i, o, want[i])
		}
	}
	r = hearth(t, dir, "fr", "calendar", "list", "--from", "2026-03-01", "--to", "2026-04-30")
	if r.code != ExitOK || !strings.Contains(r.stdout, "2026-03-29 09:00 +02:00") || !strings.Contains(r.stdout, "programmé") {
		t.Fatalf("text list: %+v", r)
	}
}

func TestCalendarAddAsDraftAndExplainMistakes(t *testing.T) {
	dir := t.TempDir()
	r := hearth(t, dir, "en", "calendar", "add", "--title", "Idea", "--at", "2026-05-04T18:30:00+02:00", "--draft", "--json")
	var it struct {
		Status   string `json:"status"`
		TimeZone string `json:"timeZone"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &it); err != nil || it.Status != "draft" || it.TimeZone == "" {
		t.Fatalf("draft: %v %+v", err, r)
	}
	if r := hearth(t, dir, "fr", "calendar", "add", "--at", "2026-05-04T18:30:00+02:00"); r.code != ExitUsage || !strings.Contains(r.stderr, "attend --title") {
		t.Errorf("no title: %+v", r)
	}
	if r := hearth(t, dir, "en", "calendar", "add", "--title", "x", "--at", "tomorrow"); r.code != ExitUsage || !strings.Contains(r.stderr, "not a date") {
		t.Errorf("bad date: %+v", r)
	}
	if r := hearth(t, dir, "en", "calendar", "add", "--title", "x", "--at", "2026-05-04T18:30", "--tz", "Mars/Base"); r.code != ExitUsage {
		t.Errorf("bad zone: %+v", r)
	}
	r = hearth(t, dir, "fr", "calendar", "add", "--title", "x", "--at", "2026-05-04T18:30", "--repeat", "FREQ=HOURLY")
	if r.code != ExitError || !strings.Contains(r.stderr, "Répétition") {
		t.Errorf("bad rule: %+v", r)
	}
}
