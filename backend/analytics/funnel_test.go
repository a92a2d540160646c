package analytics

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
)

func utc(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// funnelFixture is March 2026 in Paris: five members (A to E) before it ends and one (F)
// who joins after; consent given and withdrawn around the range's end, event and goal
// activity on both sides of its edges.
func funnelFixture(t *testing.T) (*fixture, Range) {
	f := newFixture(t, Options{Zone: paris})
	ids := map[string]string{}
	for _, who := range []string{"a", "b", "c", "d", "e"} {
		ids[who] = f.member(t, members.CreateInput{Name: who, Emails: []string{who + "@example.org"}}).ID
	}
	ids["f"] = f.member(t, members.CreateInput{Name: "f", Emails: []string{"f@example.org"}, CustomFields: map[string]string{"member_since": "2026-04-05"}}).ID
	f.clock.Set(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	grant := func(kind consent.Kind, who, at string) {
		t.Helper()
		in := consent.Input{MemberID: ids[who], Purpose: "newsletter", At: utc(t, at), By: "test"}
		var err error
		if kind == consent.Granted {
			_, err = f.consent.Grant(context.Background(), in)
		} else {
			_, err = f.consent.Withdraw(context.Background(), in)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	grant(consent.Granted, "a", "2026-02-01T10:00:00Z")   // subscribed
	grant(consent.Granted, "b", "2026-02-01T10:00:00Z")   // withdrew before the end
	grant(consent.Withdrawn, "b", "2026-03-31T21:00:00Z") // 23:00 in Paris, 31 March
	grant(consent.Granted, "c", "2026-03-31T22:00:00Z")   // midnight in Paris: after the range
	grant(consent.Granted, "d", "2026-03-31T21:59:59Z")   // a second before the end
	grant(consent.Granted, "e", "2026-02-01T10:00:00Z")   // withdrew after the end
	grant(consent.Withdrawn, "e", "2026-04-01T10:00:00Z")
	grant(consent.Granted, "f", "2026-02-01T10:00:00Z") // not a member yet at the end
	f.add(t,
		event{"a@example.org", "event", "2026-02-28T23:30:00Z", ""}, // 1 March 00:30 in Paris: in
		event{"b@example.org", "event", "2026-02-28T22:30:00Z", ""}, // 28 February 23:30: out
		event{"a@example.org", "goal", "2026-03-31T21:59:00Z", ""},  // 31 March 23:59: in
		event{"c@example.org", "goal", "2026-03-31T22:00:00Z", ""},  // 1 April 00:00: out
		event{"d@example.org", "event", "2026-03-15T10:00:00Z", ""},
		event{"d@example.org", "event", "2026-03-16T10:00:00Z", ""}, // still one attendee
		event{"e@example.org", "goal", "2026-03-10T10:00:00Z", ""},
		event{"e@example.org", "post", "2026-03-10T11:00:00Z", ""},
	)
	return f, Range{From: time.Date(2026, 3, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 1, 0, 0, 0, 0, paris)}
}

func TestFunnelCountsMembersSubscribersAttendeesAndGoalAsComputedByHand(t *testing.T) {
	f, r := funnelFixture(t)
	got, err := f.svc.Funnel(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	want := Funnel{
		Members: 5, Subscribers: 3, Attendees: 2, Goal: 2,
		SubscriberRate: 0.6, AttendeeRate: 2.0 / 3, GoalRate: 1, ConversionRate: 0.4,
	}
	if got != want {
		t.Fatalf("funnel = %+v, want %+v", got, want)
	}
}

func TestROIProratesTheMonthlyCostAndValuesEachConversion(t *testing.T) {
	f, r := funnelFixture(t)
	ctx := context.Background()
	if st, err := f.svc.ROISettings(ctx); err != nil || st != (ROISettings{Currency: "EUR"}) {
		t.Fatalf("settings never saved = %+v, %v", st, err)
	}
	if _, err := f.svc.SaveROISettings(ctx, ROISettings{CostPerMonth: 310, ValuePerConversion: 200, Currency: " usd"}); err != nil {
		t.Fatal(err)
	}
	fn, roi, err := f.svc.ROI(ctx, r)
	if err != nil {
		t.Fatal(err)
	}
	cost := 310 * 31 / 30.44
	if fn.Goal != 2 || roi.Conversions != 2 || roi.Currency != "USD" || math.Abs(roi.Cost-cost) > 1e-9 || roi.Value != 400 {
		t.Fatalf("roi = %+v", roi)
	}
	if roi.ROI == nil || math.Abs(*roi.ROI-(400-cost)/cost) > 1e-9 {
		t.Fatalf("roi.roi = %v, want %v", roi.ROI, (400-cost)/cost)
	}
}

func TestROIIsNullWithoutACost(t *testing.T) {
	roi := ComputeROI(Range{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)},
		Funnel{Goal: 3}, ROISettings{ValuePerConversion: 10, Currency: "EUR"})
	if roi.ROI != nil || roi.Cost != 0 || roi.Value != 30 || roi.Conversions != 3 {
		t.Fatalf("roi = %+v", roi)
	}
}

func TestROISettingsAreValidatedAndSurviveAReopen(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ctx := context.Background()
	_, err := f.svc.SaveROISettings(ctx, ROISettings{CostPerMonth: -1, ValuePerConversion: math.NaN(), Currency: "euros"})
	e := errs.From(err)
	if errs.KindOf(err) != errs.Invalid || len(e.Fields) != 3 ||
		e.Fields[0].Field != "costPerMonth" || e.Fields[0].Code != "min" ||
		e.Fields[1].Field != "valuePerConversion" || e.Fields[2].Field != "currency" {
		t.Fatalf("err = %#v", err)
	}
	want := ROISettings{CostPerMonth: 0, ValuePerConversion: 99.5, Currency: "EUR"}
	if got, err := f.svc.SaveROISettings(ctx, ROISettings{ValuePerConversion: 99.5}); err != nil || got != want {
		t.Fatalf("saved %+v, %v", got, err)
	}
	f.reopen(t)
	if got, err := f.svc.ROISettings(ctx); err != nil || got != want {
		t.Fatalf("read %+v, %v", got, err)
	}
}

func TestFunnelWithoutConsentCountsNoSubscribers(t *testing.T) {
	f, r := funnelFixture(t)
	f.svc.o.Consent = nil
	got, err := f.svc.Funnel(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	if got.Members != 5 || got.Subscribers != 0 || got.Attendees != 2 || got.AttendeeRate != 0 {
		t.Fatalf("funnel = %+v", got)
	}
}

func TestEngagementFunnelStagesAddUpTheLevelsTheyList(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	newCommunity(t, f)
	r := Range{From: time.Date(2026, 3, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 1, 0, 0, 0, 0, paris)}
	k := f.kpis(t, r.From, r.To)
	levels, err := f.svc.MemberLevels(context.Background(), r)
	if err != nil {
		t.Fatal(err)
	}
	// The window's funnel stage n is levels 1 to n of KPIs.Levels; clicking it lists the
	// members behind level:1 to level:n. Both must be the same people.
	stage := 0
	for _, l := range k.Levels {
		ids, err := f.svc.MembersBehind(context.Background(), r, fmt.Sprintf("level:%d", l.Level), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) != l.Members {
			t.Errorf("level %d: chart says %d, list has %d", l.Level, l.Members, len(ids))
		}
		for _, id := range ids {
			if levels[id] != l.Level {
				t.Errorf("%s listed at level %d, MemberLevels says %d", id, l.Level, levels[id])
			}
		}
		stage += l.Members
	}
	if stage != len(levels) {
		t.Errorf("the first stage counts %d, %d members have a level", stage, len(levels))
	}
}
