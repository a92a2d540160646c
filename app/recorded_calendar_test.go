package app

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"hearth/backend/calendar"
	"hearth/backend/clock"
	"hearth/backend/wiring"
)

// recordedCalendar are the items seedRecordedCalendar stores (in UTC, the zone the screen tests
// run in), by the names the recordings give them.
var recordedCalendar = []struct {
	name string
	in   calendar.CreateInput
}{
	{"cal-release", calendar.CreateInput{Kind: "post", Title: "Release notes", Channels: []string{"bluesky"},
		TimeZone: "UTC", At: time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)}},
	{"cal-meetup", calendar.CreateInput{Kind: "event_promo", Title: "Meetup promo", Channels: []string{"mastodon"},
		Status: "approved", TimeZone: "UTC", At: time.Date(2026, 3, 12, 9, 30, 0, 0, time.UTC)}},
	{"cal-digest", calendar.CreateInput{Kind: "post", Title: "Weekly digest", Channels: []string{"mastodon"},
		TimeZone: "UTC", At: time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC),
		Repeat: &calendar.Recurrence{Freq: "weekly", Interval: 1, Weekdays: []string{}, Count: 3}}},
	{"cal-soon", calendar.CreateInput{Kind: "post", Title: "Soon", Channels: []string{"mastodon"},
		TimeZone: "UTC", At: time.Date(2026, 3, 18, 9, 30, 0, 0, time.UTC)}},
	// Every second Tuesday at 09:00 in Paris: 08:00 UTC in winter, 07:00 once summer time starts.
	{"cal-paris", calendar.CreateInput{Kind: "post", Title: "Paris meetup", Channels: []string{"mastodon"},
		TimeZone: "Europe/Paris", At: time.Date(2026, 1, 13, 8, 0, 0, 0, time.UTC),
		Repeat: &calendar.Recurrence{Freq: "monthly", Interval: 1, Weekdays: []string{"TU"}, Week: 2, Count: 4}}},
	{"cal-old", calendar.CreateInput{Kind: "post", Title: "Long ago", Channels: []string{"mastodon"},
		TimeZone: "UTC", At: time.Date(2001, 1, 1, 9, 0, 0, 0, time.UTC)}},
}

// recordedCalendarLists are the periods the calendar's views ask for at recordedNow (the month,
// week and list views of March 2026 in UTC).
var recordedCalendarLists = [][2]string{
	{"2026-02-23T00:00:00.000Z", "2026-04-06T00:00:00.000Z"}, // the month view
	{"2026-03-09T00:00:00.000Z", "2026-03-16T00:00:00.000Z"}, // the week view, last week
	{"2026-03-16T00:00:00.000Z", "2026-03-23T00:00:00.000Z"}, // the week view, this week
	{"2026-03-16T00:00:00.000Z", "2026-04-27T00:00:00.000Z"}, // the list view
	{"2026-01-01T00:00:00.000Z", "2026-05-01T00:00:00.000Z"}, // a third of a year, across summer time
}

// demoCalendarLists are the views demo mode asks for on another day than recordedNow: the fake
// moves the recording by whole weeks (so that Monday stays Monday and a weekly series keeps its
// day), which takes today to a day of the recorded week, 16 to 22 March. From there, the month
// view's six weeks start on a Monday from 2 February to 16 March, the week view is next week's
// too, and the list view starts on any day of the week.
var demoCalendarLists = func() [][2]string {
	day := func(d time.Time) string { return d.Format("2006-01-02T15:04:05.000Z") }
	var out [][2]string
	for m := time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC); !m.After(recordedNow); m = m.AddDate(0, 0, 7) {
		if m.Day() != 23 { // 23 February: the month view of recordedCalendarLists
			out = append(out, [2]string{day(m), day(m.AddDate(0, 0, 42))})
		}
	}
	out = append(out, [2]string{"2026-03-23T00:00:00.000Z", "2026-03-30T00:00:00.000Z"})
	for d := 17; d <= 22; d++ {
		from := time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC)
		out = append(out, [2]string{day(from), day(from.AddDate(0, 0, 42))})
	}
	return out
}()

// TestRecordAnswersForTheWindowFakeCalendar records the calendar (the views' occurrences,
// recurring items expanded by Go, moving an occurrence or a series, the editor's saves, edits
// and rejections, deleting an item or one occurrence, the editorial statuses, the posting slots
// and the queue, and its refusal for a channel with no slot) as scenarios over the
// quiet recorded workspace with recordedCalendar and two channels' slots: see
// recorded_scenario_test.go.
func TestRecordAnswersForTheWindowFakeCalendar(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })
	t.Setenv("TZ", "UTC")

	// call sends what the screen sends (items by their recorded names); a change moves the state.
	call := func(method string, args ...string) calendarStep {
		return func(t *testing.T, s *scenario, c *CalendarService, ids map[string]string) {
			real := make([]string, len(args))
			for i, a := range args {
				real[i] = a
				for n, id := range ids {
					real[i] = strings.ReplaceAll(real[i], `"`+n+`"`, `"`+id+`"`)
				}
			}
			var v any
			var err error
			var sent []any
			generic := func(js string) any {
				var g any
				if err := json.Unmarshal([]byte(js), &g); err != nil {
					t.Fatalf("%s: %v", js, err)
				}
				return g
			}
			for _, a := range real {
				sent = append(sent, generic(a))
			}
			str := func(i int) string { return sent[i].(string) }
			switch method {
			case "create":
				in, _ := argsAs[calendar.CreateInput](t, real[0])
				v, err = c.Create(in)
			case "update":
				p, _ := argsAs[calendar.Patch](t, real[1])
				v, err = c.Update(str(0), p)
			case "setStatus":
				v, err = c.SetStatus(str(0), calendar.Status(str(1)))
			case "addToQueue":
				v, err = c.AddToQueue(str(0), str(1))
			case "saveSlots":
				cs, _ := argsAs[calendar.ChannelSlots](t, real[0])
				v, err = c.SaveSlots(cs)
			case "delete":
				var occ *time.Time
				if len(real) > 1 {
					o, _ := argsAs[time.Time](t, real[1])
					occ = &o
				}
				v, err = c.Delete(str(0), occ)
			default:
				t.Fatalf("no step %s", method)
			}
			s.step("", method, sent, v, err)
			if it, ok := v.(calendar.Item); ok && err == nil && method == "create" {
				n := "cal-new-" + strconv.Itoa(len(itemNames(ids))-len(recordedCalendar)+1)
				ids[n] = it.ID
				s.named = append(s.named, idName{it.ID, n})
			}
		}
	}
	const digest = `{"assignee":"","at":"2030-06-10T09:00:00Z","body":"","campaign":"","channels":[],"kind":"post","notes":"","repeat":{"count":0,"freq":"weekly","interval":1,"monthDay":0,"until":"2030-07-01","week":0,"weekdays":["MO"]},"status":"draft","timeZone":"UTC","title":"Digest"}`
	scenarios := [][]calendarStep{
		{call("create", digest)},
		{
			call("saveSlots", `{"channel":"bluesky","slots":[{"time":"","weekday":"MO"}],"timeZone":"UTC"}`),
			call("saveSlots", `{"channel":"bluesky","slots":[{"time":"08:15","weekday":"WE"},{"time":"17:45","weekday":"TH"}],"timeZone":"UTC"}`),
			call("addToQueue", `"cal-release"`, `""`),
		},
		{call("update", `"cal-release"`, `{"at":"2026-03-15T09:30:00Z"}`)},
		{call("update", `"cal-release"`, `{"at":"2026-03-10T14:30:00Z"}`)},
		{call("update", `"cal-digest"`, `{"at":"2026-03-03T09:30:00Z"}`)},
		// Editing an item the editor opened: its title, then its text and channels.
		{call("update", `"cal-release"`, `{"title":"Release notes 2.0"}`), call("update", `"cal-release"`, `{"body":"What's new","channels":["bluesky","mastodon"]}`)},
		// Deleting an item, one occurrence of a series, a whole series, one that is not there.
		{call("delete", `"cal-release"`), call("delete", `"cal-release"`)},
		{call("delete", `"cal-digest"`, `"2026-03-09T09:30:00Z"`), call("delete", `"cal-digest"`)},
		// The queue: a channel with no posting slot (Go refuses), one with slots.
		{call("addToQueue", `"cal-release"`, `""`), call("addToQueue", `"cal-soon"`, `""`)},
		{
			call("setStatus", `"cal-release"`, `"in_review"`),
			call("setStatus", `"cal-release"`, `"approved"`),
			call("setStatus", `"cal-release"`, `"scheduled"`),
		},
	}
	all := map[string]json.RawMessage{}
	for _, sc := range scenarios {
		b, ids := seedRecordedWorkspace(t, false)
		names := map[string]string{}
		ids = append(ids, seedRecordedCalendar(t, b, names)...)
		c := NewCalendarService(b.Calendar)
		s := newScenario(t)
		readCalendar(s, c, names, true)
		for _, st := range sc {
			st(t, s, c, names)
			readCalendar(s, c, names, false)
		}
		scenarioAnswers(t, all, ids, s)
	}
	holdRecording(t, "calendar", all)
}

// calendarStep is one thing a person does in the calendar; ids holds the items' ids by their
// recorded names.
type calendarStep = screenStep[*CalendarService]

// seedRecordedCalendar stores recordedCalendar, created ten days before recordedNow, and
// Mastodon's and Discourse's posting slots (Monday, Wednesday and Friday at 10:00 UTC); the
// clock is left at recordedNow.
func seedRecordedCalendar(t *testing.T, b *wiring.Backend, names map[string]string) []idName {
	t.Helper()
	clk := b.Clock.(*clock.Manual)
	ctx := windowCtx()
	clk.Set(recordedNow.AddDate(0, 0, -10))
	var out []idName
	for _, rc := range recordedCalendar {
		it, err := b.Calendar.Create(ctx, rc.in)
		if err != nil {
			t.Fatalf("%s: %v", rc.name, err)
		}
		names[rc.name] = it.ID
		out = append(out, idName{it.ID, rc.name})
	}
	for _, ch := range []string{"mastodon", "discourse"} {
		cs := calendar.ChannelSlots{Channel: ch, TimeZone: "UTC", Slots: []calendar.Slot{
			{Weekday: "MO", Time: "10:00"}, {Weekday: "WE", Time: "10:00"}, {Weekday: "FR", Time: "10:00"}}}
		if _, err := b.Calendar.SaveSlots(ctx, cs); err != nil {
			t.Fatal(err)
		}
	}
	clk.Set(recordedNow)
	return out
}

// readCalendar records what the calendar and Settings read in the scenario's state: the
// occurrences of each view's period, each item, every channel's slots; with demo, also the
// views demo mode asks for on another day (the seeded state only: the files stay small).
func readCalendar(s *scenario, c *CalendarService, ids map[string]string, demo bool) {
	lists := recordedCalendarLists
	if demo {
		lists = append(slices.Clone(lists), demoCalendarLists...)
	}
	for _, p := range lists {
		v, err := c.List(calendar.ListQuery{From: mustTime(p[0]), To: mustTime(p[1])})
		s.read("", "list", []any{p[0], p[1]}, v, err)
	}
	// The items, for the fake's calendarItems() (tests' assertions): in the order they were made.
	items := []calendar.Item{}
	for _, name := range itemNames(ids) {
		v, err := c.Get(ids[name])
		s.read("", "get", []any{ids[name]}, v, err)
		if err == nil {
			items = append(items, v)
		}
	}
	s.read("", "items", []any{}, items, nil)
	v, err := c.Slots()
	s.read("", "slots", []any{}, v, err)
}

// itemNames are the calendar items' names in ids, seeded ones first, then those made in the
// scenario in the order they were made.
func itemNames(ids map[string]string) []string {
	var out []string
	for _, rc := range recordedCalendar {
		out = append(out, rc.name)
	}
	for i := 1; ; i++ {
		n := "cal-new-" + strconv.Itoa(i)
		if _, ok := ids[n]; !ok {
			return out
		}
		out = append(out, n)
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
