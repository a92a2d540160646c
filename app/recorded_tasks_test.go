package app

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/tasks"
	"hearth/backend/wiring"
)

// recordedTasks are the tasks seedRecordedTasks stores, by the names the recordings give them:
// one overdue, one due later today about Hélène Dupont, one in three days, one undated and one
// done, so that each of List's filters and each of the panel's groups holds something.
var recordedTasks = []struct {
	name, title, member string
	due                 time.Time // zero: undated
	done                time.Time // zero: open
}{
	{"task-01", "Book the meetup venue", "", recordedNow.Add(-27 * time.Hour), time.Time{}},
	{"task-02", "Thank our new sponsor", "member-01", recordedNow.Add(5 * time.Hour), time.Time{}},
	{"task-03", "Draft the release post", "", recordedNow.Add(69 * time.Hour), time.Time{}},
	{"task-04", "Tidy up the tag list", "", time.Time{}, time.Time{}},
	{"task-05", "Welcome the new members", "", recordedNow.AddDate(0, 0, -5), recordedNow.AddDate(0, 0, -4)},
}

// TestRecordAnswersForTheWindowFakeTasks records the tasks panel (the lists each filter
// selects, adding, editing, completing and its undo, deleting and its undo, and the rejections) as
// scenarios over the quiet recorded workspace with recordedTasks: see
// recorded_scenario_test.go. Due dates are what the panel sends for a day picked in UTC (the
// zone the screen tests run in: vite.config.ts).
func TestRecordAnswersForTheWindowFakeTasks(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	// create sends the panel's form (member ids by their recorded names); the task made is
	// named name in later steps.
	create := func(name, form string) taskStep {
		return func(t *testing.T, s *scenario, a *TasksService, ids map[string]string) {
			real := form
			for n, id := range ids {
				real = strings.ReplaceAll(real, `"`+n+`"`, `"`+id+`"`)
			}
			in, args := argsAs[tasks.Input](t, real)
			v, err := a.Create(in)
			s.step("", "create", []any{args}, v, err)
			if err == nil && name != "" {
				ids[name] = v.ID
				s.named = append(s.named, idName{v.ID, name})
			}
		}
	}
	complete := func(name string, done bool) taskStep {
		return func(t *testing.T, s *scenario, a *TasksService, ids map[string]string) {
			v, err := a.Complete(ids[name], done)
			s.step("", "complete", []any{ids[name], done}, v, err)
		}
	}
	// update sends the task's fields as the panel's editor would (member ids by their recorded
	// names); an unknown name is sent as is.
	update := func(name, form string) taskStep {
		return func(t *testing.T, s *scenario, a *TasksService, ids map[string]string) {
			id, ok := ids[name]
			if !ok {
				id = name
			}
			real := form
			for n, id := range ids {
				real = strings.ReplaceAll(real, `"`+n+`"`, `"`+id+`"`)
			}
			in, args := argsAs[tasks.Input](t, real)
			v, err := a.Update(id, in)
			s.step("", "update", []any{id, args}, v, err)
		}
	}
	long := strings.Repeat("x", 201)
	scenarios := [][]taskStep{
		append([]taskStep{
			create("", `{"title":"`+long+`","notes":"","memberId":""}`),
			create("", `{"title":"Call Kim","notes":"","memberId":"nobody"}`),
			create("task-venue", `{"title":"Call the venue","notes":"","memberId":"","dueAt":"2099-03-04T09:00:00.000Z"}`),
			complete("task-venue", true),
			complete("task-venue", false),
		}, deleteThenRestore[tasks.Task, *TasksService]("task-venue")...),
		{
			update("task-01", `{"title":"`+long+`","notes":"","memberId":""}`),
			update("nope", `{"title":"Call Kim","notes":"","memberId":""}`),
			update("task-03", `{"title":"Draft the release post and the changelog","notes":"","memberId":"","dueAt":"2026-03-20T09:00:00.000Z"}`),
			update("task-04", `{"title":"Tidy up the tag list","notes":"Merge fr and FR","memberId":"member-01"}`),
		},
		{create("task-helene", `{"title":"Ask Hélène to speak","notes":"","memberId":"member-01","dueAt":"2026-03-20T09:00:00.000Z"}`)},
	}
	for _, rt := range recordedTasks {
		if rt.done.IsZero() {
			scenarios = append(scenarios, []taskStep{complete(rt.name, true), complete(rt.name, false)})
		}
		scenarios = append(scenarios, deleteThenRestore[tasks.Task, *TasksService](rt.name))
	}

	all := map[string]json.RawMessage{}
	for _, sc := range scenarios {
		b, ids := seedRecordedWorkspace(t, false)
		names := map[string]string{}
		for _, id := range ids {
			names[id.name] = id.id
		}
		ids = append(ids, seedRecordedTasks(t, b, names)...)
		a := NewTasksService(b.Tasks)
		s := newScenario(t)
		readTasks(s, a)
		for _, st := range sc {
			st(t, s, a, names)
			readTasks(s, a)
		}
		scenarioAnswers(t, all, ids, s)
	}
	holdRecording(t, "tasks", all)
}

// taskStep is one thing a person does on the tasks panel; ids holds the members' and tasks'
// ids by their recorded names.
type taskStep = screenStep[*TasksService]

// seedRecordedTasks stores recordedTasks, each created (and completed) at its own moment on the
// workspace's manual clock, which it leaves at recordedNow; names gains their ids.
func seedRecordedTasks(t *testing.T, b *wiring.Backend, names map[string]string) []idName {
	t.Helper()
	clk := b.Clock.(*clock.Manual)
	ctx := windowCtx()
	var out []idName
	for i, rt := range recordedTasks {
		clk.Set(recordedNow.AddDate(0, 0, -10).Add(time.Duration(i) * time.Hour))
		task, err := b.Tasks.Create(ctx, tasks.Input{Title: rt.title, MemberID: names[rt.member], DueAt: rt.due})
		if err != nil {
			t.Fatal(err)
		}
		if !rt.done.IsZero() {
			clk.Set(rt.done)
			if _, err := b.Tasks.Complete(ctx, task.ID, true); err != nil {
				t.Fatal(err)
			}
		}
		names[rt.name] = task.ID
		out = append(out, idName{task.ID, rt.name})
	}
	clk.Set(recordedNow)
	return out
}

// readTasks records what the panel and the dashboard read in the scenario's state: the list
// each filter selects.
func readTasks(s *scenario, a *TasksService) {
	for _, f := range []tasks.Filter{tasks.FilterOpen, tasks.FilterDue, tasks.FilterOverdue, tasks.FilterDone, tasks.FilterAll} {
		v, err := a.List(f)
		s.read("", "list", []any{f}, v, err)
	}
}
