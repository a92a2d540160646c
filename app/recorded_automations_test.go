package app

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"hearth/backend/automations"
)

// TestRecordAnswersForTheWindowFakeAutomations records the Automations tab (the list, the
// enable switch, the editor's saves and rejections, deleting) as scenarios over the quiet
// recorded workspace, whose only automation is the ready-made welcome sequence: see
// recorded_scenario_test.go.
func TestRecordAnswersForTheWindowFakeAutomations(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	enable := func(id string, on bool) automationStep {
		return func(t *testing.T, s *scenario, a *AutomationsService, ids map[string]string) {
			v, err := a.SetEnabled(ids[id], on)
			s.step("", "setEnabled", []any{ids[id], on}, v, err)
		}
	}
	// save sends the editor's form as the screen does; the saved automation is named name in
	// later steps.
	save := func(name, form string) automationStep {
		return func(t *testing.T, s *scenario, a *AutomationsService, ids map[string]string) {
			in, args := argsAs[automations.Input](t, form)
			v, err := a.Save(in)
			s.step("", "save", []any{args}, v, err)
			if err == nil && name != "" {
				ids[name] = v.ID
				s.named = append(s.named, idName{v.ID, "automation-" + name})
				for i, st := range v.Steps {
					s.named = append(s.named, idName{st.ID, fmt.Sprintf("automation-%s-step-%d", name, i+1)})
				}
			}
		}
	}
	del := func(id string) automationStep {
		return func(t *testing.T, s *scenario, a *AutomationsService, ids map[string]string) {
			err := a.Delete(ids[id])
			s.step("", "delete", []any{ids[id]}, nil, err)
		}
	}
	const empty = `{"id":"","name":"","trigger":{"kind":"member_created"},"steps":[{"id":"","kind":"send_email","subject":"","bodyMarkdown":""}]}`
	const thanks = `{"id":"","name":"Thank speakers","trigger":{"kind":"member_created"},"steps":[{"id":"","kind":"send_email","subject":"Thank you!","bodyMarkdown":"Thanks for your talk."},{"id":"","kind":"add_tag","tag":"thanked"}]}`
	all := map[string]json.RawMessage{}
	for _, sc := range [][]automationStep{
		{enable("welcome", true), enable("welcome", false)},
		{save("", empty), save("thanks", thanks)},
		{save("thanks", thanks), del("thanks")},
		{del("welcome")},
	} {
		b, ids := seedRecordedWorkspace(t, false)
		a := NewAutomationsService(b.Automations)
		names := map[string]string{"welcome": automations.WelcomeID}
		s := newScenario(t)
		readAutomations(s, a, names)
		for _, st := range sc {
			st(t, s, a, names)
			readAutomations(s, a, names)
		}
		scenarioAnswers(t, all, ids, s)
	}
	holdRecording(t, "automations", all)
}

// automationStep is one thing a person does on the Automations tab; ids holds the automations'
// ids by the names steps give them.
type automationStep = screenStep[*AutomationsService]

// readAutomations records what the tab reads in the scenario's state: the list, each
// automation, and the members' progress through each.
func readAutomations(s *scenario, a *AutomationsService, ids map[string]string) {
	list, err := a.List()
	s.read("", "list", []any{}, list, err)
	for _, au := range list {
		v, err := a.Get(au.ID)
		s.read("", "get", []any{au.ID}, v, err)
		p, err := a.Progress(au.ID)
		s.read("", "progress", []any{au.ID}, p, err)
	}
}
