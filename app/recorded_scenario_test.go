package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A stateful screen (consent, calendar, …) cannot be replayed call by call: what Go answers
// depends on what the person did before. Such screens are recorded as scenarios: each one
// starts from a freshly seeded workspace, takes steps (the calls that change something) and,
// after each, records what the screen reads. An answer is keyed by the state it was given in,
// as the fake's Scenario (frontend/src/api/fake/recorded.ts) writes it:
//
//	<workspace steps>|<member steps>|<method><arguments>
//
// where workspace steps are the changes to the workspace as a whole (a purpose saved, a notice
// published) and member steps the changes to the one member the call is about (a grant, a
// withdrawal), each written as its own key and joined by " › ". A rejected step changes nothing
// and is not part of the state.

// stepSep joins the steps of a state, as the fake does.
const stepSep = " › "

// scenario records the answers of one scenario.
type scenario struct {
	r         *recorder
	workspace []string            // steps on the workspace as a whole
	members   map[string][]string // steps on each member, by member id
	// named are the records the scenario made that are known by a name (normaliseIDs), so
	// that two scenarios making the same record name it alike.
	named []idName
}

func newScenario(t *testing.T) *scenario {
	return &scenario{r: &recorder{t: t, answers: map[string]json.RawMessage{}}, members: map[string][]string{}}
}

// prefix is the state a call about member (or about no member: "") is answered in.
func (s *scenario) prefix(member string) string {
	return strings.Join(s.workspace, stepSep) + "|" + strings.Join(s.members[member], stepSep) + "|"
}

// read records what a call that changes nothing answered, in the current state.
func (s *scenario) read(member, method string, args []any, v any, err error) {
	s.r.t.Helper()
	s.r.call(s.prefix(member)+method, args, v, err)
}

// step records what a change answered and, when it was accepted, moves the state on: a step
// about a member moves that member's state, any other the workspace's.
func (s *scenario) step(member, method string, args []any, v any, err error) {
	s.r.t.Helper()
	s.r.call(s.prefix(member)+method, args, v, err)
	if err != nil {
		return
	}
	key := method + canonical(s.r.t, args)
	if member == "" {
		s.workspace = append(s.workspace, key)
		return
	}
	s.members[member] = append(s.members[member], key)
}

// argsAs decodes the JSON a screen sends into the Go value a bound method takes, as Wails does,
// so that a recording is keyed by exactly what the window sends.
func argsAs[T any](t *testing.T, js string) (T, any) {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(js), &v); err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	var generic any
	if err := json.Unmarshal([]byte(js), &generic); err != nil {
		t.Fatal(err)
	}
	return v, generic
}

// asJSONObject is v as the window holds it: the JSON object Go sent, to change and send back.
func asJSONObject(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// fromJSONObject decodes a JSON object the window sends into T.
func fromJSONObject[T any](t *testing.T, m map[string]any) T {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// scenarioAnswers normalises the ids of one scenario's answers (seeded records by their names,
// records made in the scenario by their order of appearance) and adds them to all. Two
// scenarios going through the same state recorded the same answers there; the first is kept.
func scenarioAnswers(t *testing.T, all map[string]json.RawMessage, ids []idName, s *scenario) {
	t.Helper()
	b, err := json.Marshal(s.r.answers)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(normaliseIDs(t, append(slices.Clone(ids), s.named...), b), &got); err != nil {
		t.Fatal(err)
	}
	for k, v := range got {
		if _, ok := all[k]; !ok {
			all[k] = v
		}
	}
}

// holdRecording writes (HEARTH_RECORD=1) or checks the recorded file name.json.
func holdRecording(t *testing.T, name string, answers map[string]json.RawMessage) {
	t.Helper()
	got := mustIndent(t, map[string]any{"now": recordedNow, "answers": answers})
	path := filepath.Join(recordedDir, name+".json")
	if os.Getenv("HEARTH_RECORD") == "1" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (record with HEARTH_RECORD=1 or make generate)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s: Go answers differently from the recording the fake replays; re-record with "+
			"`HEARTH_RECORD=1 go test -tags webkit2_41 ./app/ -run TestRecordAnswersForTheWindowFake` "+
			"(or make generate) and update the screen tests that disagree.\n%s", path, firstDiff(got, want))
	}
}

// screenStep is one thing a person does on a screen served by the window service S; ids holds
// the records' ids by their recorded names.
type screenStep[S any] func(t *testing.T, s *scenario, svc S, ids map[string]string)

// restorable is a window service whose Restore (the screen's undo) takes back what its Delete
// answered.
type restorable[T any] interface {
	Delete(id string) (T, error)
	Restore(v T) (T, error)
}

// deleteThenRestore deletes the record named name and restores it with what Delete answered,
// sent as the screen sends it, as the screen's undo does.
func deleteThenRestore[T any, S restorable[T]](name string) []screenStep[S] {
	var deleted T
	return []screenStep[S]{
		func(t *testing.T, s *scenario, svc S, ids map[string]string) {
			v, err := svc.Delete(ids[name])
			s.step("", "delete", []any{ids[name]}, v, err)
			deleted = v
		},
		func(t *testing.T, s *scenario, svc S, ids map[string]string) {
			js := asJSONObject(t, deleted)
			v, err := svc.Restore(fromJSONObject[T](t, js))
			s.step("", "restore", []any{js}, v, err)
		},
	}
}
