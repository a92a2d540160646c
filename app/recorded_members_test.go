package app

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hearth/backend/members"
)

// memberStep is one change a person makes on the Members screen; ids holds the members' ids by
// their recorded names.
type memberStep = screenStep[*MembersService]

// TestRecordAnswersForTheWindowFakeMembers records the Members screen's list as scenarios over
// the recorded workspace's twelve members (see recorded_scenario_test.go): what List answers
// for the queries the screen sends (searches with and without accents and case, every word of
// them, tags, each sort and direction, pages) and the tag counts, before and after adding,
// editing, deleting and restoring a member, with the form's rejections. Searches are recorded
// in the seeded state only: the screen's tests and a handful of what a visitor of demo mode
// would type, each prefix included since the screen searches as one types.
func TestRecordAnswersForTheWindowFakeMembers(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	// create sends the member form's input; the member made is named name in later steps.
	create := func(name, form string) memberStep {
		return func(t *testing.T, s *scenario, a *MembersService, ids map[string]string) {
			in, args := argsAs[members.CreateInput](t, form)
			v, err := a.Create(in)
			s.step("", "create", []any{args}, v, err)
			if err == nil && name != "" {
				ids[name] = v.ID
				s.named = append(s.named, idName{v.ID, name})
			}
		}
	}
	// update sends the form's patch: only the fields that changed.
	update := func(name, patch string) memberStep {
		return func(t *testing.T, s *scenario, a *MembersService, ids map[string]string) {
			id, ok := ids[name]
			if !ok {
				id = name // a member that is not there
			}
			p, args := argsAs[members.Patch](t, patch)
			v, err := a.Update(id, p)
			s.step("", "update", []any{id, args}, v, err)
		}
	}
	form := func(name string, emails ...string) string {
		b, err := json.Marshal(map[string]any{"name": name, "emails": append([]string{}, emails...), "handles": []any{},
			"tags": []string{}, "customFields": map[string]string{}, "notes": ""})
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	scenarios := [][]memberStep{
		{
			// The form's rejections (none changes anything), then a member added.
			create("", form("", "not-an-email")),
			create("", form("Nobody")),
			create("", form("", "HELENE@example.org")),
			create("", form("", "a@example.org", "helene@example.org")),
			create("", `{"name":"","emails":["ok@example.org","bad"],"handles":[{"platform":"myspace","handle":""}],"tags":[],"customFields":{},"notes":""}`),
			create("member-13", `{"name":"Noël Garcia","emails":["noel@example.org"],"handles":[],"tags":[],"customFields":{},"notes":"Met at FOSDEM"}`),
			update("member-13", `{"notes":"Met at FOSDEM 2026"}`),
		},
		{update("member-03", `{"name":"Bruno Petit-Leroy"}`), update("nope", `{"notes":"hi"}`)},
		deleteThenRestore[members.Member, *MembersService]("member-01"),
	}

	all := map[string]json.RawMessage{}
	for _, sc := range scenarios {
		b, ids := seedRecordedWorkspace(t, false)
		names := map[string]string{}
		for _, id := range ids {
			names[id.name] = id.id
		}
		a := NewMembersService(b.Members, b.Timeline)
		s := newScenario(t)
		readMembers(s, a, true)
		for _, st := range sc {
			st(t, s, a, names)
			readMembers(s, a, false)
		}
		scenarioAnswers(t, all, ids, s)
	}
	holdRecording(t, "members-list", all)
}

// memberSearches are what the screen's tests search for, and a handful of what a visitor of
// demo mode would, typed a letter at a time.
var memberSearches = func() []string {
	out := []string{"HELENE", "Hélène", "nobody-at-all", "n", "dupont hélène", "example.org", "discourse", "zzz"}
	for _, typed := range []string{"hélène", "helene", "chloé", "chloe", "émile", "emile", "léa", "lea", "ana", "marc", "dupont", "speaker", "grace@"} {
		for i := range []rune(typed) {
			out = append(out, string([]rune(typed)[:i+1]))
		}
	}
	return out
}()

// readMembers records what the Members screen (a block of 200 rows) and the dashboard (the
// newest 200) list in the scenario's state, and the tag counts; with searches, also every
// search, tag and page the screens and tests ask for.
func readMembers(s *scenario, a *MembersService, searches bool) {
	list := func(q members.ListQuery) {
		v, err := a.List(q)
		s.read("", "list", []any{q}, v, err)
	}
	block := func(search, tag string, sort members.Sort, desc bool) members.ListQuery {
		return members.ListQuery{Search: search, Tag: tag, Sort: sort, Desc: desc, Limit: 200}
	}
	for _, sort := range []members.Sort{members.SortName, members.SortEmail, members.SortCreated, members.SortUpdated} {
		list(block("", "", sort, false))
		list(block("", "", sort, true))
	}
	v, err := a.Tags()
	s.read("", "tags", []any{}, v, err)
	if !searches {
		return
	}
	seen := map[string]bool{}
	for _, q := range memberSearches {
		if q = strings.TrimSpace(q); q != "" && !seen[q] {
			seen[q] = true
			list(block(q, "", members.SortName, false))
		}
	}
	for _, tag := range []string{"fr", "en", "speaker", "FR", "team", "nobody"} {
		list(block("", tag, members.SortName, false))
	}
	list(block("dupont", "fr", members.SortName, false))
	list(block("hel", "", members.SortName, true))
	for _, offset := range []int{0, 5, 10, 15} {
		list(members.ListQuery{Sort: members.SortName, Offset: offset, Limit: 5})
	}
	// What Go refuses: a page over its maximum, a negative offset, an unknown sort.
	list(members.ListQuery{Sort: members.SortName, Limit: members.MaxLimit + 1})
	list(members.ListQuery{Sort: members.SortName, Offset: -1, Limit: 5})
	list(members.ListQuery{Sort: "age", Limit: 5})
}
