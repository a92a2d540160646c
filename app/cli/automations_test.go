package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTasksAddListAndDoneForAMember(t *testing.T) {
	dir := t.TempDir()
	hearth(t, dir, "en", "members", "add", "--email", "helene@example.org", "--name", "Hélène")
	r := hearth(t, dir, "en", "tasks", "add", "--title", "Call Hélène", "--due", "2020-01-02", "--member", "helene@example.org", "--json")
	var task struct {
		ID       string `json:"id"`
		MemberID string `json:"memberId"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &task); err != nil || r.code != ExitOK || task.MemberID == "" {
		t.Fatalf("add: %v %+v", err, r)
	}
	r = hearth(t, dir, "fr", "tasks", "list", "--due")
	if r.code != ExitOK || !strings.Contains(r.stdout, "Call Hélène") || !strings.Contains(r.stdout, "à faire") {
		t.Fatalf("list --due: %+v", r)
	}
	if r = hearth(t, dir, "en", "tasks", "done", task.ID); r.code != ExitOK || !strings.Contains(r.stdout, "Done: Call Hélène") {
		t.Fatalf("done: %+v", r)
	}
	if r = hearth(t, dir, "en", "tasks", "list", "--json"); r.code != ExitOK || strings.TrimSpace(r.stdout) != "[]" {
		t.Fatalf("list after done: %+v", r)
	}
}

func TestTasksAddExplainsAMissingTitleAndABadDate(t *testing.T) {
	dir := t.TempDir()
	if r := hearth(t, dir, "fr", "tasks", "add"); r.code != ExitUsage || !strings.Contains(r.stderr, "attend --title") {
		t.Fatalf("%+v", r)
	}
	if r := hearth(t, dir, "en", "tasks", "add", "--title", "x", "--due", "tomorrow"); r.code != ExitUsage || !strings.Contains(r.stderr, "not a date") {
		t.Fatalf("%+v", r)
	}
	if r := hearth(t, dir, "en", "tasks", "done", "NOPE"); r.code != ExitError || !strings.Contains(r.stderr, "No such task.") {
		t.Fatalf("%+v", r)
	}
}

func TestAutomationsListShowsTheWelcomeSequenceAndEnablesIt(t *testing.T) {
	dir := t.TempDir()
	r := hearth(t, dir, "en", "automations", "list")
	if r.code != ExitOK || !strings.Contains(r.stdout, "welcome") || !strings.Contains(r.stdout, "disabled") {
		t.Fatalf("list: %+v", r)
	}
	if r = hearth(t, dir, "en", "automations", "enable", "welcome"); r.code != ExitOK || !strings.Contains(r.stdout, "Enabled") {
		t.Fatalf("enable: %+v", r)
	}
	r = hearth(t, dir, "en", "automations", "list", "--json")
	var list []struct {
		ID      string `json:"id"`
		Enabled bool   `json:"enabled"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) != 1 || !list[0].Enabled {
		t.Fatalf("list --json: %v %+v", err, r)
	}
	if r = hearth(t, dir, "fr", "automations", "disable", "nope"); r.code != ExitError || !strings.Contains(r.stderr, "Automatisation introuvable") {
		t.Fatalf("disable unknown: %+v", r)
	}
}
