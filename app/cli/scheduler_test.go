package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSchedulerRunDueRunsTheDueJobsOnceThenStatusShowsThem(t *testing.T) {
	dir := t.TempDir()
	r := hearth(t, dir, "en", "scheduler", "run-due", "--json")
	var runs []struct {
		Name    string `json:"name"`
		Ran     bool   `json:"ran"`
		OK      bool   `json:"ok"`
		Skipped string `json:"skipped"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &runs); err != nil || r.code != ExitOK || len(runs) == 0 {
		t.Fatalf("run-due --json: %v %+v", err, r)
	}
	for _, run := range runs {
		if !run.Ran || !run.OK {
			t.Fatalf("first run-due: %+v", runs)
		}
	}
	r = hearth(t, dir, "en", "scheduler", "run-due")
	if r.code != ExitOK || !strings.Contains(r.stdout, "calendar.publish") || !strings.Contains(r.stdout, "skipped") ||
		!strings.Contains(r.stdout, "not due yet") {
		t.Fatalf("second run-due: %+v", r)
	}
	r = hearth(t, dir, "fr", "scheduler", "status")
	if r.code != ExitOK || !strings.Contains(r.stdout, "FRÉQUENCE") || !strings.Contains(r.stdout, "1 min") ||
		!strings.Contains(r.stdout, "Publier les contenus du calendrier") || !strings.Contains(r.stdout, "ok") {
		t.Fatalf("status: %+v", r)
	}
	r = hearth(t, dir, "en", "scheduler", "status", "--json")
	var states []struct {
		Name         string `json:"name"`
		Runs         int    `json:"runs"`
		EverySeconds int    `json:"everySeconds"`
		Interrupted  bool   `json:"interrupted"`
		NextRunAt    string `json:"nextRunAt"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &states); err != nil || len(states) != len(runs) ||
		states[0].Runs != 1 || states[0].EverySeconds != 60 || states[0].Interrupted || states[0].NextRunAt == "" {
		t.Fatalf("status --json: %v %+v", err, r)
	}
}

func TestSchedulerRejectsArguments(t *testing.T) {
	r := hearth(t, t.TempDir(), "en", "scheduler", "run-due", "now")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "unexpected arguments: now") {
		t.Fatalf("%+v", r)
	}
}
