package app

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"hearth/backend/consent"
)

// recordedBlank is the recorded member with no consent at all (Marc Lefèvre): the fake answers
// for a member it has no recording of as Go answered for this one.
const recordedBlank = "member-12"

// TestRecordAnswersForTheWindowFakeConsent records the consent screens (a member's consent
// panel and history, Settings' purposes and notices) as scenarios over the seeded workspace:
// see recorded_scenario_test.go and TestRecordAnswersForTheWindowFake.
func TestRecordAnswersForTheWindowFakeConsent(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	all := map[string]json.RawMessage{}
	for _, sc := range consentScenarios() {
		cs, names, ids := seedConsentWorkspace(t)
		s := newScenario(t)
		readConsent(t, s, cs, names, true)
		for _, st := range sc {
			st(t, s, cs, names)
			readConsent(t, s, cs, names, false)
		}
		scenarioAnswers(t, all, ids, s)
	}
	holdRecording(t, "consent", all)
}

// consentStep is one thing a person does on the consent screens.
type consentStep = screenStep[*ConsentService]

// consentScenarios are the paths the screens (and their tests) take from the seeded workspace.
func consentScenarios() [][]consentStep {
	blank := func(t *testing.T, names map[string]string) string { return names[recordedBlank] }
	change := func(method, purpose string) consentStep {
		return func(t *testing.T, s *scenario, cs *ConsentService, names map[string]string) {
			id := blank(t, names)
			in, args := argsAs[consent.Input](t, fmt.Sprintf(`{"memberId":%q,"purpose":%q}`, id, purpose))
			var st consent.Status
			var err error
			if method == "grant" {
				st, err = cs.Grant(in)
			} else {
				st, err = cs.Withdraw(in)
			}
			s.step(id, method, []any{args}, st, err)
		}
	}
	// editPurpose sends the purpose form as the screen does: the purpose as listed, changed.
	editPurpose := func(id string, change map[string]any) consentStep {
		return func(t *testing.T, s *scenario, cs *ConsentService, _ map[string]string) {
			ps, err := cs.Purposes()
			if err != nil {
				t.Fatal(err)
			}
			var form map[string]any
			for _, p := range ps {
				if p.ID == id {
					form = asJSONObject(t, p)
				}
			}
			for k, v := range change {
				form[k] = v
			}
			v, err := cs.SavePurpose(fromJSONObject[consent.PurposeInput](t, form))
			s.step("", "savePurpose", []any{form}, v, err)
		}
	}
	// archive sends the purpose as listed, its archived flag flipped (the Archive button).
	archive := func(id string) consentStep {
		return func(t *testing.T, s *scenario, cs *ConsentService, _ map[string]string) {
			ps, err := cs.Purposes()
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				if p.ID == id {
					sent := asJSONObject(t, p)
					sent["archived"] = !p.Archived
					v, err := cs.SavePurpose(fromJSONObject[consent.PurposeInput](t, sent))
					s.step("", "savePurpose", []any{sent}, v, err)
				}
			}
		}
	}
	newPurpose := func(form string) consentStep {
		return func(t *testing.T, s *scenario, cs *ConsentService, _ map[string]string) {
			in, args := argsAs[consent.PurposeInput](t, form)
			v, err := cs.SavePurpose(in)
			s.step("", "savePurpose", []any{args}, v, err)
		}
	}
	publish := func(form string) consentStep {
		return func(t *testing.T, s *scenario, cs *ConsentService, _ map[string]string) {
			in, args := argsAs[consent.NoticeInput](t, form)
			v, err := cs.PublishNotice(in)
			s.step("", "publishNotice", []any{args}, v, err)
		}
	}
	return [][]consentStep{
		{change("grant", "newsletter"), change("withdraw", "newsletter"), change("grant", "newsletter")},
		{change("withdraw", "newsletter")},
		{change("grant", "event_reminders"), change("withdraw", "event_reminders")},
		{change("grant", "analytics")},
		{editPurpose("newsletter", map[string]any{"expiryMonths": 24})},
		{editPurpose("newsletter", map[string]any{"expiryMonths": 6}), editPurpose("newsletter", map[string]any{"expiryMonths": nil})},
		{editPurpose("newsletter", map[string]any{"expiryMonths": 1201})},
		{editPurpose("newsletter", map[string]any{"name": "Monthly newsletter", "expiryMonths": 6})},
		{archive("event_reminders"), archive("event_reminders")},
		{archive("event_reminders"), change("grant", "event_reminders")},
		{newPurpose(`{"id":"Not A Slug","name":"","description":"","expiryMonths":null,"archived":false,"builtin":false,"createdAt":"","updatedAt":""}`)},
		{newPurpose(`{"id":"volunteering","name":"Volunteering","description":"Calls for volunteers.","expiryMonths":null,"archived":false,"builtin":false,"createdAt":"","updatedAt":""}`)},
		{publish(`{"purpose":"newsletter","version":"3","text":"Now weekly."}`)},
		{publish(`{"purpose":"newsletter","version":"2","text":"Again."}`)},
		{publish(`{"purpose":"newsletter","version":"4","text":""}`)},
	}
}

// readConsent records what the consent screens read in the scenario's state: the purposes,
// each active purpose's notices, and the panel of the blank member and of Hélène (of every
// member at the start).
func readConsent(t *testing.T, s *scenario, cs *ConsentService, names map[string]string, start bool) {
	t.Helper()
	ps, err := cs.Purposes()
	s.read("", "purposes", []any{}, ps, err)
	for _, p := range ps {
		ns, err := cs.Notices(p.ID)
		s.read("", "notices", []any{p.ID}, ns, err)
	}
	people := []string{recordedBlank, "member-01"}
	if start {
		people = nil
		for i := 1; i <= 12; i++ {
			people = append(people, fmt.Sprintf("member-%02d", i))
		}
	}
	for _, name := range people {
		id := names[name]
		sum, err := cs.Summary(id)
		s.read(id, "summary", []any{id}, sum, err)
		h, err := cs.History(id)
		s.read(id, "history", []any{id}, h, err)
	}
}

// seedConsentWorkspace is the quiet recorded workspace (twelve members, nine of them granted
// the newsletter when they joined) with a consent history to show: notice versions, a purpose
// whose grants expire after 12 months, a grant imported with its proof and now expired, and
// events recorded by the window, the command line, the scheduler, a member and an import.
// It returns the window's consent service, the seeded members' ids by name (member-01, …) and
// every seeded record's name for normaliseIDs.
func seedConsentWorkspace(t *testing.T) (*ConsentService, map[string]string, []idName) {
	t.Helper()
	b, ids := seedRecordedWorkspace(t, false)
	ctx := windowCtx()
	c := b.Consent
	names := map[string]string{}
	for _, id := range ids {
		names[id.name] = id.id
	}
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(10 * time.Hour)
	}
	for _, n := range []consent.NoticeInput{
		{Purpose: "newsletter", Version: "1", Text: "We send a monthly newsletter about the community. You can unsubscribe at any time with the link in every e-mail.", PublishedAt: day("2025-09-01")},
		{Purpose: "newsletter", Version: "2", Text: "We send a monthly newsletter about the community and occasional announcements of major releases. You can unsubscribe at any time.", PublishedAt: day("2026-01-15")},
		{Purpose: "event_reminders", Version: "1", Text: "We remind you of meetups and online events you signed up for.", PublishedAt: day("2024-12-01")},
	} {
		if _, err := c.PublishNotice(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	twelve := 12
	if _, err := c.SavePurpose(ctx, consent.PurposeInput{ID: "event_reminders", ExpiryMonths: &twelve}); err != nil {
		t.Fatal(err)
	}
	helene := names["member-01"]
	events := []struct {
		kind consent.Kind
		in   consent.Input
	}{
		{consent.Granted, consent.Input{Purpose: "event_reminders", At: day("2025-01-10"), Method: consent.MethodImport, By: "mailchimp.csv",
			Source: "mailchimp.csv", NoticeVersion: "1",
			Proof: consent.Proof{IP: "203.0.113.7", File: "mailchimp.csv", Row: 4, FormData: map[string]string{"note": "<b>hi</b>"}}}},
		{consent.Granted, consent.Input{Purpose: "newsletter", At: day("2025-11-10"), Method: consent.MethodImport, By: "mailchimp.csv", Source: "mailchimp.csv"}},
		{consent.Withdrawn, consent.Input{Purpose: "newsletter", At: day("2025-12-10"), Method: consent.MethodForm, By: names["member-02"]}},
		{consent.Granted, consent.Input{Purpose: "newsletter", At: day("2026-01-10"), Method: consent.MethodPlatform, By: "scheduler"}},
		{consent.Withdrawn, consent.Input{Purpose: "newsletter", At: day("2026-02-10"), Method: consent.MethodManual, By: "cli"}},
		{consent.Granted, consent.Input{Purpose: "newsletter", At: day("2026-03-10"), Method: consent.MethodManual, By: "window", NoticeVersion: "2"}},
		// Bruno withdrew the newsletter; Ana's event reminders are granted and run until 2027.
		{consent.Withdrawn, consent.Input{MemberID: names["member-03"], Purpose: "newsletter", At: day("2026-02-20"), Method: consent.MethodForm, By: names["member-03"]}},
		{consent.Granted, consent.Input{MemberID: names["member-02"], Purpose: "event_reminders", At: day("2026-02-01"), Method: consent.MethodManual, By: "window", NoticeVersion: "1"}},
	}
	for _, e := range events {
		if e.in.MemberID == "" {
			e.in.MemberID = helene
		}
		var err error
		if e.kind == consent.Granted {
			_, err = c.Grant(ctx, e.in)
		} else {
			_, err = c.Withdraw(ctx, e.in)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// The seeded events by their member and order: the same names in every scenario.
	for i := 1; i <= 12; i++ {
		name := fmt.Sprintf("member-%02d", i)
		h, err := c.History(ctx, names[name])
		if err != nil {
			t.Fatal(err)
		}
		for j, e := range h {
			ids = append(ids, idName{e.ID, fmt.Sprintf("consent-%s-%d", name, j+1)})
		}
	}
	for _, p := range []string{"newsletter", "event_reminders"} {
		ns, err := c.Notices(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range ns {
			ids = append(ids, idName{n.ID, "notice-" + p + "-" + n.Version})
		}
	}
	return NewConsentService(c), names, ids
}
