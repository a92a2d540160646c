package campaigns_test

import (
	"context"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/credentials"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
	"hearth/backend/wiring"
)

func TestCampaignsReportWhatANewsletterSentAchieved(t *testing.T) {
	ctx := context.Background()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	mail := &newslettertest.FakeSender{Script: map[string][]error{
		"c@example.org": {&newsletter.SendError{Stage: newsletter.StageRcpt, Code: 550, Reply: "no such user"}},
	}}
	sentAt := time.Date(2026, 3, 10, 12, 0, 0, 0, paris)
	clk := clock.NewManual(sentAt.AddDate(0, 0, -60))
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := wiring.Open(ctx, wiring.Options{Dir: t.TempDir(), Secrets: secrets, Clock: clk, Zone: paris, Dialer: mail})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })

	ids := map[string]string{}
	for _, who := range []string{"a", "b", "c", "d", "e"} {
		m, err := b.Members.Create(ctx, members.CreateInput{Name: who, Emails: []string{who + "@example.org"}})
		if err != nil {
			t.Fatal(err)
		}
		ids[who] = m.ID
		if _, err := b.Consent.Grant(ctx, consent.Input{MemberID: m.ID, Purpose: newsletter.Purpose, By: "test"}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := b.Newsletters.SaveSettings(ctx, newsletter.SMTPInput{Host: "mail.example", Port: 587, TLS: newsletter.TLSStartTLS,
		FromAddress: "news@hearth.example"}); err != nil {
		t.Fatal(err)
	}
	n, err := b.Newsletters.Save(ctx, newsletter.Input{Subject: "Spring <news>", BodyMarkdown: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	clk.Set(sentAt)
	if n, err = b.Newsletters.Send(ctx, n.ID, nil); err != nil || n.Counts.Sent != 4 || n.Counts.FailedPerm != 1 {
		t.Fatalf("send: %+v %v", n.Counts, err)
	}

	// a is active the day after, b only the week before, c (bounced) the day after, d
	// withdraws two days after, e reaches the goal on day 29 and again on day 31.
	clk.Set(sentAt.AddDate(0, 0, 40))
	day := func(n int) time.Time { return sentAt.AddDate(0, 0, n) }
	acts := []activity.ManualInput{
		{Member: "a@example.org", Kind: activity.Reply, At: day(1)},
		{Member: "b@example.org", Kind: activity.Post, At: day(-3)},
		{Member: "c@example.org", Kind: activity.Post, At: day(1)},
		{Member: "e@example.org", Kind: activity.Goal, At: day(29)},
		{Member: "e@example.org", Kind: activity.Goal, At: day(31)},
	}
	if res, err := b.Activity.AddManual(ctx, acts); err != nil || len(res) != len(acts) || res[0].Outcome != activity.ManualStored {
		t.Fatalf("activity: %+v %v", res, err)
	}
	if _, err := b.Consent.Withdraw(ctx, consent.Input{MemberID: ids["d"], Purpose: newsletter.Purpose, By: "test", At: day(2)}); err != nil {
		t.Fatal(err)
	}

	results := func(from, to string) analytics.CampaignReport {
		t.Helper()
		r, err := analytics.DayRange(from, to, clk.Now(), paris)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.Campaigns.Results(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	got := results("2026-03-01", "2026-03-31")
	want := analytics.CampaignResult{ID: n.ID, Subject: "Spring <news>", SentAt: *n.SentAt, CampaignCounts: analytics.CampaignCounts{
		Recipients: 5, Delivered: 4, Bounced: 1, Unsubscribed: 1, Engaged: 1, EngagedRate: 0.25, BaselineEngaged: 1,
		BaselineEngagedRate: 0.25, Conversions: 1}}
	if len(got.Newsletters) != 1 || got.Newsletters[0] != want || got.Totals.Newsletters != 1 || got.Totals.Delivered != 4 {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	// A period without sends is an empty list, not null.
	if none := results("2026-02-01", "2026-02-28"); none.Newsletters == nil || len(none.Newsletters) != 0 {
		t.Fatalf("february: %+v", none)
	}
}
