package newsletter_test

import (
	"context"
	"errors"
	"testing"

	"hearth/backend/errs"
	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
)

func TestAMessageWhoseAnswerWasLostIsUncertainAndResentOnlyWhenAsked(t *testing.T) {
	lost := &newsletter.SendError{Temporary: true, Stage: newsletter.StageData, Reply: "connection reset", Uncertain: true}
	f := &newslettertest.FakeSender{Script: map[string][]error{"b@example.org": {lost}}}
	e := newslettertest.New(t, f, fastOptions())
	e.Add(t,
		newslettertest.Person{Name: "A", Email: "a@example.org", Consent: true},
		newslettertest.Person{Name: "B", Email: "b@example.org", Consent: true},
		newslettertest.Person{Name: "C", Email: "c@example.org", Consent: true},
	)
	e.Configure(t, "127.0.0.1", 2525, newsletter.TLSNone, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "S"})

	got, err := e.News.Send(ctx, n.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != newsletter.StatusSent || got.Counts.Sent != 2 || got.Counts.Uncertain != 1 || f.Attempts("b@example.org") != 1 {
		t.Fatalf("after the lost answer: %s %+v, b tried %d times", got.Status, got.Counts, f.Attempts("b@example.org"))
	}
	if p, err := e.News.Plan(ctx, n.ID); err != nil || p.Uncertain != 1 || p.AlreadySent != 2 {
		t.Errorf("plan %+v, %v", p, err)
	}
	if _, err := e.News.Send(ctx, n.ID, nil); !errors.Is(err, errs.Conflict) {
		t.Fatalf("a plain send again: %v", err)
	}
	if f.Attempts("b@example.org") != 1 {
		t.Fatal("resent without being asked")
	}

	got, err = e.News.SendWith(ctx, n.ID, newsletter.SendOptions{ResendUncertain: true}, nil)
	if err != nil || got.Counts.Sent != 3 || got.Counts.Uncertain != 0 || got.Counts.Recipients != 3 {
		t.Fatalf("resend: %v %+v", err, got.Counts)
	}
	if f.Attempts("a@example.org") != 1 || f.Attempts("b@example.org") != 2 || f.Attempts("c@example.org") != 1 {
		t.Errorf("attempts a %d, b %d, c %d", f.Attempts("a@example.org"), f.Attempts("b@example.org"), f.Attempts("c@example.org"))
	}
	if _, err := e.News.SendWith(ctx, n.ID, newsletter.SendOptions{ResendUncertain: true}, nil); !errors.Is(err, errs.Conflict) {
		t.Errorf("nothing uncertain left, yet: %v", err)
	}
}

func TestASendCancelledMidMessageLeavesThatRecipientUncertainNotPending(t *testing.T) {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	f := &newslettertest.FakeSender{Script: map[string][]error{"b@example.org": {errors.New("connection closed")}}}
	f.OnSend = func(_ int, m newsletter.Message) {
		if m.To == "b@example.org" {
			cancel()
		}
	}
	e := newslettertest.New(t, f, fastOptions())
	e.Add(t,
		newslettertest.Person{Name: "A", Email: "a@example.org", Consent: true},
		newslettertest.Person{Name: "B", Email: "b@example.org", Consent: true},
		newslettertest.Person{Name: "C", Email: "c@example.org", Consent: true},
	)
	e.Configure(t, "127.0.0.1", 2525, newsletter.TLSNone, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "S"})
	if _, err := e.News.Send(cctx, n.ID, nil); errs.From(err).Code != "cancelled" {
		t.Fatalf("cancelled send: %v", err)
	}
	got, err := e.News.Send(ctx, n.ID, nil)
	if err != nil || got.Counts.Sent != 2 || got.Counts.Uncertain != 1 || f.Attempts("b@example.org") != 1 {
		t.Fatalf("resumed: %v %+v, b tried %d times", err, got.Counts, f.Attempts("b@example.org"))
	}
}
