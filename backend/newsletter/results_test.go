package newsletter_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
	"hearth/backend/store"
)

func TestSentBetweenListsTheNewslettersSentInTheRangeWithTheMembersTheyReached(t *testing.T) {
	fake := &newslettertest.FakeSender{Script: map[string][]error{
		"gone@example.org":  {&newsletter.SendError{Stage: newsletter.StageRcpt, Code: 550, Reply: "no such user"}},
		"stuck@example.org": {errTemp, errTemp, errTemp, errTemp, errTemp, errTemp},
	}}
	e := newslettertest.New(t, fake, fastOptions())
	ms := e.Add(t,
		newslettertest.Person{Email: "ok@example.org", Consent: true},
		newslettertest.Person{Email: "gone@example.org", Consent: true},
		newslettertest.Person{Email: "stuck@example.org", Consent: true},
		newslettertest.Person{Email: "erased@example.org", Consent: true},
		newslettertest.Person{Email: "no-consent@example.org"},
	)
	e.Configure(t, "mail.example", 587, newsletter.TLSStartTLS, "", "", 0)
	send := func(subject string) newsletter.Newsletter {
		t.Helper()
		n, err := e.News.Send(ctx, e.Draft(t, newsletter.Input{Subject: subject}).ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	first := send("First")
	e.Clock.Advance(48 * time.Hour)
	second := send("Second")
	e.Draft(t, newsletter.Input{Subject: "Never sent"})
	// Erasing a member makes their deliveries unreadable: they drop out of every list.
	if err := e.Store.EraseSubjects(ctx, []string{ms[3].ID}, func(*store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}

	t0 := *first.SentAt
	tests := []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		{"both, oldest first", t0.Add(-time.Hour), t0.Add(72 * time.Hour), []string{"First", "Second"}},
		{"from is included", t0, t0.Add(time.Hour), []string{"First"}},
		{"to is excluded", t0.Add(time.Hour), *second.SentAt, []string{}},
		{"a range with none", t0.Add(-72 * time.Hour), t0.Add(-time.Hour), []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := e.News.SentBetween(ctx, tc.from, tc.to)
			if err != nil {
				t.Fatal(err)
			}
			if got == nil {
				t.Fatal("nil list")
			}
			subjects := []string{}
			for _, s := range got {
				subjects = append(subjects, s.Newsletter.Subject)
				if !slices.Equal(s.Delivered, []string{ms[0].ID}) {
					t.Errorf("%s delivered to %v, want only %s", s.Newsletter.Subject, s.Delivered, ms[0].ID)
				}
				// The bounced address is suppressed before the second newsletter.
				want := newsletter.Counts{Recipients: 4, Sent: 2, FailedPerm: 1, FailedTemp: 1, ExcludedNoConsent: 1}
				if s.Newsletter.ID == second.ID {
					want = newsletter.Counts{Recipients: 3, Sent: 2, FailedTemp: 1, ExcludedNoConsent: 1, ExcludedSuppressed: 1}
				}
				if c := s.Newsletter.Counts; c != want {
					t.Errorf("%s counts = %+v", s.Newsletter.Subject, c)
				}
			}
			if !slices.Equal(subjects, tc.want) {
				t.Fatalf("subjects = %v, want %v", subjects, tc.want)
			}
		})
	}
}

func TestSentBetweenReadsEveryDeliveryOfABigSend(t *testing.T) {
	e := newslettertest.New(t, &newslettertest.FakeSender{}, fastOptions())
	sentAt := newslettertest.T0
	n := 3*newsletter.DeliveredChunk + 17 // several chunks, the last one partial
	want := make([]string, 0, n)
	ds := make([]newsletter.Delivery, n)
	for i := range ds {
		id := fmt.Sprintf("m%06d", i)
		status := newsletter.DeliverySent
		if i%5 == 0 {
			status = newsletter.DeliveryFailedPerm
		} else {
			want = append(want, id)
		}
		ds[i] = newsletter.Delivery{MemberID: id, Email: id + "@example.org", Status: status}
	}
	id := newsletter.PutSentForTest(t, e.Store, newsletter.Newsletter{Subject: "Big", Status: newsletter.StatusSent, SentAt: &sentAt}, ds)
	got, err := e.News.SentBetween(ctx, sentAt, sentAt.Add(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Newsletter.ID != id || !slices.Equal(got[0].Delivered, want) {
		t.Fatalf("got %d newsletters, delivered %d, want %d", len(got), len(got[0].Delivered), len(want))
	}
}

// BenchmarkSentBetween100k reads a newsletter delivered to 100,000 members.
func BenchmarkSentBetween100k(b *testing.B) {
	e := newslettertest.New(b, &newslettertest.FakeSender{}, fastOptions())
	sentAt := newslettertest.T0
	ds := make([]newsletter.Delivery, 100_000)
	for i := range ds {
		id := fmt.Sprintf("m%06d", i)
		ds[i] = newsletter.Delivery{MemberID: id, Email: id + "@example.org", Status: newsletter.DeliverySent}
	}
	newsletter.PutSentForTest(b, e.Store, newsletter.Newsletter{Subject: "Big", Status: newsletter.StatusSent, SentAt: &sentAt}, ds)
	b.ResetTimer()
	for b.Loop() {
		got, err := e.News.SentBetween(ctx, sentAt, sentAt.Add(time.Second))
		if err != nil || len(got) != 1 || len(got[0].Delivered) != len(ds) {
			b.Fatal(err)
		}
	}
}
