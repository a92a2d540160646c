package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
)

// campaignFixture is a community in Paris with two newsletters sent in March 2026 and one on
// April 1st, and the results they must give, computed by hand.
type campaignFixture struct {
	*fixture
	sends []CampaignSend
	ids   map[string]string // e-mail's local part -> member id
}

func newCampaignFixture(t *testing.T, o Options) *campaignFixture {
	t.Helper()
	o.Zone = paris
	f := &campaignFixture{fixture: newFixture(t, o), ids: map[string]string{}}
	for _, who := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "k"} {
		f.ids[who] = f.member(t, members.CreateInput{Name: strings.ToUpper(who), Emails: []string{who + "@example.org"}}).ID
	}
	// Send 1 on Tuesday 2026-03-10 at 14:00 in Paris: day D.
	f.add(t,
		event{"a@example.org", "reply", "2026-03-11T10:00:00+01:00", "forum"},   // D+1: engaged
		event{"b@example.org", "post", "2026-03-10T16:00:00+01:00", "forum"},    // D, after the send: engaged
		event{"b@example.org", "message", "2026-03-07T10:00:00+01:00", "chat"},  // D-3: baseline
		event{"c@example.org", "reaction", "2026-03-16T23:30:00+01:00", "chat"}, // D+6, late evening: engaged
		event{"c@example.org", "goal", "2026-04-08T12:00:00+02:00", "crm"},      // D+29: a conversion
		event{"d@example.org", "message", "2026-03-03T08:00:00+01:00", "chat"},  // D-7: baseline only
		event{"d@example.org", "message", "2026-03-02T08:00:00+01:00", "chat"},  // D-8: too early
		event{"e@example.org", "reply", "2026-03-11T10:00:00+01:00", "forum"},   // bounced: not a recipient
		event{"g@example.org", "post", "2026-03-18T10:00:00+01:00", "forum"},    // D+8: too late
		event{"g@example.org", "goal", "2026-04-10T12:00:00+02:00", "crm"},      // D+31: too late
		event{"h@example.org", "reply", "2026-03-17T00:30:00+01:00", "forum"},   // D+7 in Paris (D+6 in UTC): too late
	)
	// Newsletter consent since January; f withdraws 2 days after send 1, k 8 days after.
	f.clock.Set(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	for _, who := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "k"} {
		f.grant(t, consent.Granted, who, "2026-01-01T00:00:00Z")
	}
	f.grant(t, consent.Withdrawn, "f", "2026-03-12T09:00:00+01:00")
	f.grant(t, consent.Withdrawn, "k", "2026-03-18T15:00:00+01:00")

	sent := func(s string) time.Time {
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	f.sends = []CampaignSend{
		// Listed out of order: the results come oldest first.
		{ID: "n2", Subject: "Second <b>news</b>", SentAt: sent("2026-03-20T09:00:00+01:00"), Recipients: 3, Delivered: 2, FailedTemp: 1,
			Members: f.idsOf("a", "g")},
		{ID: "n1", Subject: "First", SentAt: sent("2026-03-10T14:00:00+01:00"), Recipients: 9, Delivered: 8, Bounced: 1,
			Members: f.idsOf("a", "b", "c", "d", "f", "g", "h", "k")},
		{ID: "n3", Subject: "April", SentAt: sent("2026-04-01T00:00:00+02:00"), Recipients: 1, Delivered: 1,
			Members: f.idsOf("a")},
	}
	return f
}

func (f *campaignFixture) idsOf(who ...string) []string {
	out := make([]string, len(who))
	for i, w := range who {
		out[i] = f.ids[w]
	}
	return out
}

func (f *campaignFixture) grant(t *testing.T, kind consent.Kind, who, at string) {
	t.Helper()
	when, err := time.Parse(time.RFC3339, at)
	if err != nil {
		t.Fatal(err)
	}
	in := consent.Input{MemberID: f.ids[who], Purpose: "newsletter", By: "test", At: when}
	if err := f.consent.RecordMany(context.Background(), kind, []consent.Input{in}, nil); err != nil {
		t.Fatal(err)
	}
}

func march() Range {
	return Range{From: time.Date(2026, 3, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 1, 0, 0, 0, 0, paris)}
}

func TestCampaignResultsMatchTheHandComputedFixture(t *testing.T) {
	f := newCampaignFixture(t, Options{})
	got, err := f.svc.CampaignResults(context.Background(), march(), f.sends)
	if err != nil {
		t.Fatal(err)
	}
	want := CampaignReport{
		From: march().From, To: march().To,
		Newsletters: []CampaignResult{
			{ID: "n1", Subject: "First", SentAt: f.sends[1].SentAt, CampaignCounts: CampaignCounts{Recipients: 9, Delivered: 8, Bounced: 1,
				Unsubscribed: 1, Engaged: 3, EngagedRate: 3.0 / 8, BaselineEngaged: 2, BaselineEngagedRate: 2.0 / 8, Conversions: 1}},
			// Day D' = 03-20: g was active on D'-2 and reached the goal on D'+21; a not since 03-11.
			{ID: "n2", Subject: "Second <b>news</b>", SentAt: f.sends[0].SentAt, CampaignCounts: CampaignCounts{Recipients: 3, Delivered: 2, FailedTemp: 1,
				Unsubscribed: 0, Engaged: 0, EngagedRate: 0, BaselineEngaged: 1, BaselineEngagedRate: 0.5, Conversions: 1}},
		},
		Totals: CampaignTotals{Newsletters: 2, CampaignCounts: CampaignCounts{Recipients: 12, Delivered: 10, Bounced: 1, FailedTemp: 1, Unsubscribed: 1,
			Engaged: 3, EngagedRate: 0.3, BaselineEngaged: 3, BaselineEngagedRate: 0.3, Conversions: 2}},
	}
	if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
		t.Fatalf("got  %s\nwant %s", g, w)
	}
}

func TestCampaignResultsWithOnlyAllowedCountTheSameUnsubscribes(t *testing.T) {
	f := newCampaignFixture(t, Options{})
	f.svc.o.Consent = allowedOnly{f.consent}
	got, err := f.svc.CampaignResults(context.Background(), march(), f.sends)
	if err != nil {
		t.Fatal(err)
	}
	if got.Newsletters[0].Unsubscribed != 1 || got.Totals.Unsubscribed != 1 {
		t.Fatalf("unsubscribed = %d, totals %d", got.Newsletters[0].Unsubscribed, got.Totals.Unsubscribed)
	}
}

// allowedOnly hides consent.Service's State: the reader answers only Allowed.
type allowedOnly struct{ c *consent.Service }

var _ ConsentReader = allowedOnly{}

func (a allowedOnly) Allowed(ctx context.Context, memberID, purposeID string, at time.Time) (bool, error) {
	return a.c.Allowed(ctx, memberID, purposeID, at)
}

func TestCampaignResultsOfARangeWithoutSendsAreAnEmptyList(t *testing.T) {
	f := newCampaignFixture(t, Options{})
	for _, sends := range [][]CampaignSend{nil, f.sends} {
		r := Range{From: time.Date(2026, 2, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 3, 1, 0, 0, 0, 0, paris)}
		got, err := f.svc.CampaignResults(context.Background(), r, sends)
		if err != nil {
			t.Fatal(err)
		}
		if s := mustJSON(t, got); !strings.Contains(s, `"newsletters":[]`) || got.Totals != (CampaignTotals{}) {
			t.Fatalf("got %s", s)
		}
	}
}

func TestCampaignResultsRejectAnInvalidRange(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, paris)
	_, err := f.svc.CampaignResults(context.Background(), Range{From: at, To: at}, nil)
	if e := errs.From(err); e.Kind != errs.Invalid || len(e.Fields) != 1 || e.Fields[0].Field != "to" {
		t.Fatalf("err = %v", err)
	}
}

func TestCampaignResultsFollowActivityWrittenAfterTheFirstQuery(t *testing.T) {
	f := newCampaignFixture(t, Options{})
	ctx := context.Background()
	if _, err := f.svc.CampaignResults(ctx, march(), f.sends); err != nil {
		t.Fatal(err)
	}
	f.add(t, event{"d@example.org", "goal", "2026-03-12T10:00:00+01:00", "crm"})
	got, err := f.svc.CampaignResults(ctx, march(), f.sends)
	if err != nil {
		t.Fatal(err)
	}
	if n := got.Newsletters[0]; n.Engaged != 4 || n.Conversions != 2 {
		t.Fatalf("after d's goal: %+v", n)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// BenchmarkCampaignResults100k measures the results of one newsletter delivered to 100,000
// members with 300,000 activities around the send, each with a newsletter consent (a tenth
// of them withdrawn within the week). "activity" leaves the consent ledger out (the counters
// part alone); "with-consent" is the whole computation. Members need not exist for either, so
// the recipients are plain ids. Run it with -benchtime 3x.
func BenchmarkCampaignResults100k(b *testing.B) {
	n := envInt("HEARTH_BENCH_RECIPIENTS", 100_000)
	ctx := context.Background()
	dir := b.TempDir()
	clk := clock.NewManual(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	st, err := store.Open(store.Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"), Clock: clk, GCInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ms := members.NewService(st, clk, nil)
	cs := consent.NewService(st, clk, nil)
	svc := NewService(st, ms, nil, Options{Zone: paris, Consent: cs})
	if err := svc.Warm(ctx); err != nil {
		b.Fatal(err)
	}
	sentAt := time.Date(2026, 3, 10, 14, 0, 0, 0, paris)
	ids := make([]string, n)
	var batch []activity.Change
	flush := func() {
		svc.Begin()
		err := st.Update(ctx, func(tx *store.Tx) error { return svc.Apply(tx, batch) })
		svc.End(batch)
		if err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	kinds := []activity.Kind{activity.Post, activity.Reply, activity.Message, activity.Goal}
	var grants, withdrawals []consent.Input
	for i := range ids {
		ids[i] = fmt.Sprintf("m%07d", i)
		for j := range 3 {
			at := sentAt.Add(time.Duration((i*7+j*13)%40-10) * 24 * time.Hour)
			batch = append(batch, activity.Change{Record: activity.Record{MemberID: ids[i], Kind: kinds[(i+j)%len(kinds)], At: at,
				Channel: "forum", Platform: "discourse"}, Delta: 1})
		}
		if len(batch) >= 999 {
			flush()
		}
		grants = append(grants, consent.Input{MemberID: ids[i], Purpose: "newsletter", By: "bench", At: sentAt.AddDate(0, -2, 0)})
		if i%10 == 0 {
			withdrawals = append(withdrawals, consent.Input{MemberID: ids[i], Purpose: "newsletter", By: "bench", At: sentAt.Add(48 * time.Hour)})
		}
	}
	flush()
	if err := cs.RecordMany(ctx, consent.Granted, grants, nil); err != nil {
		b.Fatal(err)
	}
	if err := cs.RecordMany(ctx, consent.Withdrawn, withdrawals, nil); err != nil {
		b.Fatal(err)
	}
	send := []CampaignSend{{ID: "n", Subject: "Big", SentAt: sentAt, Recipients: n, Delivered: n, Members: ids}}
	r := Range{From: sentAt.Add(-time.Hour), To: sentAt.Add(time.Hour)}
	for _, withConsent := range []bool{false, true} {
		name := "activity"
		if withConsent {
			name = "with-consent"
		}
		b.Run(name, func(b *testing.B) {
			svc.o.Consent = nil
			if withConsent {
				svc.o.Consent = cs
			}
			for b.Loop() {
				got, err := svc.CampaignResults(ctx, r, send)
				if err != nil {
					b.Fatal(err)
				}
				if res := got.Newsletters[0]; res.Engaged == 0 || (withConsent && res.Unsubscribed != len(withdrawals)) {
					b.Fatalf("%+v", res)
				}
			}
		})
	}
}
