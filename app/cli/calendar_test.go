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
	r = hearth(t, dir, "fr", "calendar", "add", "--title", "x", "--at", "2026-05-04T18:30", "--repeat", "FREQ=WEEKLY;BYMONTHDAY=3")
	if r.code != ExitError || !strings.Contains(r.stderr, "Répétition") || !strings.Contains(r.stderr, "BYMONTHDAY ne peut pas aller") {
		t.Errorf("bad rule: %+v", r)
	}
	r = hearth(t, dir, "en", "calendar", "add", "--title", "x", "--at", "2026-05-04T18:30", "--repeat", "FREQ=DAILY", "--except", "soon")
	if r.code != ExitUsage || !strings.Contains(r.stderr, `--except "soon"`) {
		t.Errorf("bad exception: %+v", r)
	}
	if r := hearth(t, dir, "en", "calendar", "add", "--title", "x", "--at", "2026-05-04T18:30", "--also", "2026-05-06"); r.code != ExitUsage {
		t.Errorf("--also without --repeat: %+v", r)
	}
}

func TestCalendarAddKeepsAnyRRuleWithItsExceptionsAndSaysItInWords(t *testing.T) {
	dir := t.TempDir()
	// The 2nd Sunday of the year, in lower case, without its occurrence of 2027 and with one more.
	r := hearth(t, dir, "fr", "calendar", "add", "--title", "Bilan", "--at", "2026-01-11T10:00", "--tz", "Europe/Paris",
		"--repeat", "freq=yearly;byday=2su;count=3", "--except", "2027-01-10", "--also", "2026-06-14T18:00")
	id := strings.TrimSpace(r.stdout)
	if r.code != ExitOK || len(id) != 26 {
		t.Fatalf("add: %+v", r)
	}
	want := "Se répète tous les ans le 2e dimanche de l'année, 3 fois, sauf le 10 janv. 2027 10:00, et aussi le 14 juin 2026 18:00"
	if !strings.Contains(r.stderr, want) {
		t.Errorf("said %q, want %q", r.stderr, want)
	}
	r = hearth(t, dir, "en", "calendar", "list", "--from", "2026-01-01", "--to", "2027-12-31", "--json")
	var occ []struct {
		At string `json:"at"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &occ); err != nil {
		t.Fatalf("list: %v %+v", err, r)
	}
	var got []string
	for _, o := range occ {
		got = append(got, o.At)
	}
	if w := []string{"2026-01-11T10:00:00+01:00", "2026-06-14T18:00:00+02:00"}; strings.Join(got, " ") != strings.Join(w, " ") {
		t.Errorf("listed %v, want %v", got, w)
	}
	r = hearth(t, dir, "en", "calendar", "add", "--title", "Standup", "--at", "2026-03-02T09:00", "--tz", "Europe/Paris",
		"--repeat", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20261231")
	if want := "Repeats every 2 weeks on Monday and Wednesday, until Dec 31, 2026"; r.code != ExitOK || !strings.Contains(r.stderr, want) {
		t.Errorf("said %q, want %q", r.stderr, want)
	}
}
