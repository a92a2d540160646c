package app

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"hearth/backend/gdpr"
)

// recordedDocuments is where the recorded exports "chose" to write: the fake's dialogs answer
// with paths under it.
const recordedDocuments = "/home/demo/Documents"

// TestRecordAnswersForTheWindowFakeGdpr records the personal-data screens (a member's export
// and erasure, Settings' retention, inactive members and their anonymising) as scenarios over
// the quiet recorded workspace: see recorded_scenario_test.go.
func TestRecordAnswersForTheWindowFakeGdpr(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	erase := func(member, typed string) gdprStep {
		return func(t *testing.T, s *scenario, g *gdprScreens, names map[string]string) {
			id := names[member]
			err := g.gdpr.Erase(id, typed)
			s.step("", "erase", []any{id, typed}, nil, err)
		}
	}
	anonymise := func(members ...string) gdprStep {
		return func(t *testing.T, s *scenario, g *gdprScreens, names map[string]string) {
			ids := []string{}
			for _, m := range members {
				ids = append(ids, names[m])
			}
			n, err := g.gdpr.Anonymise(ids)
			s.step("", "anonymise", []any{ids}, n, err)
		}
	}
	save := func(months int) gdprStep {
		return func(t *testing.T, s *scenario, g *gdprScreens, _ map[string]string) {
			in := gdpr.Settings{RetentionMonths: months}
			v, err := g.settings.Save(in)
			s.step("", "saveSettings", []any{in}, v, err)
		}
	}
	export := func(member string) gdprStep {
		return func(t *testing.T, s *scenario, g *gdprScreens, names map[string]string) {
			id := names[member]
			dir, err := g.gdpr.Export(id)
			s.read("", "export", []any{id}, strings.Replace(dir, g.dir, recordedDocuments, 1), err)
		}
	}
	all := map[string]json.RawMessage{}
	for _, sc := range [][]gdprStep{
		{export("member-01")},
		{erase("member-01", "helene@example"), erase("member-01", "Hélène Dupont"), erase("member-01", "HELENE@example.org")},
		{erase("member-01", "helene@example.org")},
		{anonymise("member-02"), anonymise("member-03", "member-04")},
		{save(-1), save(241), save(12)},
		{save(36)},
	} {
		g, names, ids := seedGdprWorkspace(t)
		s := newScenario(t)
		readGdpr(s, g)
		for _, st := range sc {
			st(t, s, g, names)
			readGdpr(s, g)
		}
		scenarioAnswers(t, all, ids, s)
	}
	holdRecording(t, "gdpr", all)
}

// gdprScreens are the window services the personal-data screens call.
type gdprScreens struct {
	gdpr     *GdprService
	settings *SettingsService
	dir      string // the folder exports "choose"
}

// gdprStep is one thing a person does on the personal-data screens.
type gdprStep = screenStep[*gdprScreens]

// readGdpr records what the screens read in the scenario's state: the settings and the
// inactive members for the periods one can ask (in months).
func readGdpr(s *scenario, g *gdprScreens) {
	v, err := g.settings.Get()
	s.read("", "settings", []any{}, v, err)
	for _, months := range []int{0, 1, 3, 4, 6, 12, 24, 36} {
		ms, err := g.gdpr.Inactive(months)
		s.read("", "inactive", []any{months}, ms, err)
	}
}

// seedGdprWorkspace is the quiet recorded workspace: twelve members who joined 3 to 170 days
// before recordedNow and have not been edited since.
func seedGdprWorkspace(t *testing.T) (*gdprScreens, map[string]string, []idName) {
	t.Helper()
	b, ids := seedRecordedWorkspace(t, false)
	names := map[string]string{}
	for _, id := range ids {
		names[id.name] = id.id
	}
	dir := t.TempDir()
	g := &gdprScreens{
		gdpr:     NewGdprService(b.GDPR, b.Audit, savePicker{fmt.Sprintf("%s/unused", dir)}, "en"),
		settings: NewSettingsService(b.GDPR),
		dir:      dir,
	}
	return g, names, ids
}
