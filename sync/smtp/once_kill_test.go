package smtp_test

import (
	"bytes"
	"net/mail"
	"os"
	"testing"
	"time"

	"hearth/backend/automations"
	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
	"hearth/sync/smtp"
)

// The child half of TestAKilledAutomationNeverMailsAMemberTwice: it sends every member their
// welcome e-mail, as an automation's step does (SendOnce under the step's key), until the parent
// kills it or it ends.
const onceChildDir = "HEARTH_ONCE_CHILD_DIR"

func TestKilledOnceChild(t *testing.T) {
	e := newslettertest.Open(t, os.Getenv(onceChildDir), clock.System{}, smtp.Dialer{Timeout: 5 * time.Second}, fast())
	page, err := e.Members.List(ctx, members.ListQuery{Sort: members.SortCreated, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range page.Items {
		err := e.News.SendOnce(ctx, "welcome/"+m.ID, m, "Bienvenue", "Bonjour {{first_name}}")
		if err != nil && errs.From(err).Code != automations.MailUncertain {
			t.Fatal(err)
		}
	}
}

// TestAKilledAutomationNeverMailsAMemberTwice kills (SIGKILL) a process sending automation
// e-mails at random points, resumes each time in a new process, and checks with the server,
// which outlives every kill, that no member got their e-mail twice, and that every member
// either got it once and is marked sent, or is reported uncertain (never resent).
func TestAKilledAutomationNeverMailsAMemberTwice(t *testing.T) {
	const recipients, kills = 300, 8
	srv, e := consentingWorkspace(t, recipients)
	e.Close(t)

	rng := seeded(t, 11)
	killed := 0
	for range kills {
		if runChild(t, "TestKilledOnceChild", time.Duration(150+rng.IntN(500))*time.Millisecond, onceChildDir+"="+e.Dir) {
			killed++
		}
	}
	runChild(t, "TestKilledOnceChild", 0, onceChildDir+"="+e.Dir) // to the end
	if killed < kills/2 {
		t.Fatalf("only %d of %d runs were killed mid-send: the machine is too fast for this test's timings", killed, kills)
	}

	byID, byRcpt := map[string]int{}, map[string]int{}
	for _, m := range srv.Received() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		byID[msg.Header.Get("Message-ID")]++
		byRcpt[m.To[0]]++
	}
	if len(byID) != len(byRcpt) {
		t.Errorf("%d Message-IDs for %d recipients: each e-mail has its own", len(byID), len(byRcpt))
	}

	e2 := newslettertest.Open(t, e.Dir, clock.System{}, smtp.Dialer{Timeout: 5 * time.Second}, fast())
	page, err := e2.Members.List(ctx, members.ListQuery{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	uncertain := 0
	for _, m := range page.Items {
		ds, err := e2.News.MemberMails(ctx, m.ID)
		if err != nil || len(ds) != 1 {
			t.Fatalf("%s: %v, %+v", m.Emails[0], err, ds)
		}
		got := byRcpt[m.Emails[0]]
		switch ds[0].Status {
		case newsletter.DeliverySent:
			if got != 1 {
				t.Errorf("%s is marked sent and got %d messages", m.Emails[0], got)
			}
		case newsletter.DeliveryUncertain:
			uncertain++
			if got > 1 {
				t.Errorf("%s is uncertain and got %d messages", m.Emails[0], got)
			}
			// Asked again (the automation's step replayed), it is still not sent.
			err := e2.News.SendOnce(ctx, "welcome/"+m.ID, m, "Bienvenue", "Bonjour")
			if err == nil || errs.From(err).Code != automations.MailUncertain {
				t.Errorf("%s: an uncertain e-mail asked again answered %v", m.Emails[0], err)
			}
		default:
			t.Errorf("%s is left %s", m.Emails[0], ds[0].Status)
		}
	}
	if uncertain > killed {
		t.Errorf("%d uncertain after %d kills: at most one per kill", uncertain, killed)
	}
	if n := srv.Count.Load(); int(n) != len(srv.Received()) {
		t.Errorf("the server counted %d messages and kept %d", n, len(srv.Received()))
	}
	t.Logf("%d kills, %d messages, %d uncertain", killed, len(byID), uncertain)
}
