package imap_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
	"hearth/sync/imap"
	"hearth/sync/imap/dovecottest"
	"hearth/sync/smtp"
	"hearth/sync/smtp/smtptest"
)

var ctx = context.Background()

const (
	smtpUser = "hearth"
	smtpPass = "s3cr3t-Pa55word-never-shown"
)

// loop is a workspace that sends through a real SMTP server and reads replies from a real
// Dovecot, with Zoé and Bob subscribed.
type loop struct {
	e         *newslettertest.Env
	smtp      *smtptest.Server
	imap      *dovecottest.Server
	zoe, bob  members.Member
	sent      newsletter.Newsletter
	zoeUnsub  string // the List-Unsubscribe header Zoé received
	bobUnsub  string
	bobMsgID  string // the Message-ID of Bob's newsletter
	zoeHeader mail.Header
}

func newLoop(t *testing.T) *loop {
	t.Helper()
	l := &loop{imap: dovecottest.Start(t)}
	l.smtp = smtptest.New(t, smtptest.Options{User: smtpUser, Pass: smtpPass, Record: true})
	l.e = newslettertest.New(t, smtp.Dialer{TLSConfig: l.smtp.TLSConfig(), Timeout: 5 * time.Second},
		newsletter.Options{MaxAttempts: 2, Backoff: time.Millisecond, Mailboxes: imap.Dialer{Timeout: 10 * time.Second}})
	ms := l.e.Add(t,
		newslettertest.Person{Name: "Zoé Durand", Email: "zoe@example.org", Consent: true},
		newslettertest.Person{Name: "Bob Martin", Email: "bob@example.org", Consent: true},
	)
	l.zoe, l.bob = ms[0], ms[1]
	l.e.Configure(t, "127.0.0.1", l.smtp.Port, newsletter.TLSStartTLS, smtpUser, smtpPass, 0)
	pw := l.imap.Password
	if _, err := l.e.News.SaveIMAPSettings(ctx, newsletter.IMAPInput{Host: "127.0.0.1", Port: l.imap.Port,
		TLS: newsletter.TLSNone, Username: l.imap.User, Password: &pw}); err != nil {
		t.Fatal(err)
	}
	l.sent = l.e.Draft(t, newsletter.Input{Subject: "May news", BodyMarkdown: "Hello {{first_name}}"})
	n, err := l.e.News.Send(ctx, l.sent.ID, nil)
	if err != nil || n.Counts.Sent != 2 {
		t.Fatalf("send: %+v %v", n.Counts, err)
	}
	for _, m := range l.smtp.Received() {
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
		if err != nil {
			t.Fatal(err)
		}
		switch m.To[0] {
		case "zoe@example.org":
			l.zoeUnsub, l.zoeHeader = msg.Header.Get("List-Unsubscribe"), msg.Header
		case "bob@example.org":
			l.bobUnsub, l.bobMsgID = msg.Header.Get("List-Unsubscribe"), msg.Header.Get("Message-ID")
		}
	}
	return l
}

// subjectOf is the subject a mail client puts in a message to a List-Unsubscribe mailto.
func subjectOf(t *testing.T, header string) string {
	t.Helper()
	u, err := url.Parse(strings.Trim(header, "<>"))
	if err != nil || u.Scheme != "mailto" || u.Opaque != "news@hearth.example" {
		t.Fatalf("List-Unsubscribe %q is not a mailto to the sender: %v", header, err)
	}
	return u.Query().Get("subject")
}

func (l *loop) process(t *testing.T) newsletter.ReplySummary {
	t.Helper()
	sum, err := l.e.News.ProcessReplies(ctx)
	if err != nil {
		t.Fatalf("process replies: %v\n%s", err, l.imap.Log())
	}
	return sum
}

func (l *loop) state(t *testing.T, m members.Member) consent.Status {
	t.Helper()
	st, err := l.e.Consent.State(ctx, m.ID, newsletter.Purpose, l.e.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func message(from, subject, msgID, extra, body string) string {
	return "From: " + from + "\nTo: Le Foyer <news@hearth.example>\nSubject: " + subject + "\nMessage-ID: " + msgID +
		"\nDate: " + newslettertest.T0.Add(-5*time.Minute).Format(time.RFC1123Z) + "\nMIME-Version: 1.0\n" + extra +
		"Content-Type: text/plain; charset=utf-8\n\n" + body + "\n"
}

func TestAnUnsubscribeReplyWithdrawsExactlyThatMembersConsentWithTheMessageAsProofAndTheNextSendExcludesThem(t *testing.T) {
	l := newLoop(t)
	subject := subjectOf(t, l.zoeUnsub)
	if !strings.HasPrefix(subject, "unsubscribe hu-"+l.sent.ID+"-"+l.zoe.ID+"-") || l.zoeUnsub == l.bobUnsub {
		t.Fatalf("Zoé's unsubscribe subject %q must name her and the newsletter, and differ from Bob's %q", subject, l.bobUnsub)
	}
	// Zoé writes half an hour after the newsletter left; Hearth reads it an hour after.
	l.e.Clock.Advance(time.Hour)
	l.imap.Append(t, strings.Replace(message("Zoé Durand <zoe@example.org>", subject, "<unsub-1@example.org>", "", "Please stop."),
		newslettertest.T0.Add(-5*time.Minute).Format(time.RFC1123Z), newslettertest.T0.Add(30*time.Minute).Format(time.RFC1123Z), 1))

	sum := l.process(t)
	if want := (newsletter.ReplySummary{Read: 1, Unsubscribed: 1}); sum != want {
		t.Fatalf("summary %+v, want %+v", sum, want)
	}
	if st := l.state(t, l.zoe); st.State != consent.StateWithdrawn {
		t.Fatalf("Zoé's newsletter consent is %s, want withdrawn", st.State)
	}
	if st := l.state(t, l.bob); st.State != consent.StateGranted {
		t.Fatalf("Bob's newsletter consent is %s: only Zoé asked", st.State)
	}
	hist, err := l.e.Consent.History(ctx, l.zoe.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := hist[len(hist)-1]
	for _, ev := range hist {
		if ev.Kind == consent.Withdrawn {
			last = ev
		}
	}
	proof := last.Proof.FormData
	if last.Kind != consent.Withdrawn || proof["messageId"] != "<unsub-1@example.org>" || proof["from"] != "zoe@example.org" ||
		proof["date"] != newslettertest.T0.Add(30*time.Minute).Format(time.RFC3339) || proof["newsletterId"] != l.sent.ID ||
		!last.At.Equal(newslettertest.T0.Add(30*time.Minute)) {
		t.Fatalf("withdrawal %+v: want the message (id, sender, date) as proof", last)
	}
	if last.Method != consent.MethodEmailUnsubscribe || last.By != "imap" {
		t.Fatalf("withdrawal recorded as %s by %q, want %s by imap", last.Method, last.By, consent.MethodEmailUnsubscribe)
	}
	// The next newsletter does not go to Zoé.
	next := l.e.Draft(t, newsletter.Input{Subject: "June news", BodyMarkdown: "Hi"})
	plan, err := l.e.News.Plan(ctx, next.ID)
	if err != nil {
		t.Fatal(err)
	}
	if plan.Recipients != 1 || plan.ExcludedWithdrawn != 1 || len(plan.Sample) != 1 || plan.Sample[0].MemberID != l.bob.ID {
		t.Fatalf("next plan %+v: want Bob only, Zoé excluded as withdrawn", plan)
	}
	// The message is marked on the server.
	for uid, flags := range l.imap.Flags(t) {
		// Keywords are case-insensitive (RFC 3501); Dovecot answers them as go-imap asked.
		marked := slices.ContainsFunc(flags, func(f string) bool { return strings.EqualFold(f, newsletter.ProcessedKeyword) })
		if !marked || slices.Contains(flags, `\Seen`) {
			t.Errorf("message %d flags %v: want %s, and still unread", uid, flags, newsletter.ProcessedKeyword)
		}
	}
}

func TestAForgedOrForeignTokenChangesNothing(t *testing.T) {
	l := newLoop(t)
	zoeSubject := subjectOf(t, l.zoeUnsub)
	// Zoé's mac with Bob's id, a made-up mac, and a token of another workspace for Bob's ids.
	swapped := strings.Replace(zoeSubject, l.zoe.ID, l.bob.ID, 1)
	madeUp := "unsubscribe hu-" + l.sent.ID + "-" + l.bob.ID + "-AAAAAAAAAAAAAAAA"
	fake := &newslettertest.FakeSender{}
	other := newslettertest.New(t, fake, newsletter.Options{})
	om := other.Add(t, newslettertest.Person{Name: "Bob", Email: "bob@example.org", Consent: true})
	other.Configure(t, "127.0.0.1", 25, newsletter.TLSNone, "", "", 0)
	on := other.Draft(t, newsletter.Input{Subject: "x", BodyMarkdown: "y"})
	if _, err := other.News.Send(ctx, on.ID, nil); err != nil || len(fake.Sent) != 1 {
		t.Fatalf("the other workspace's send: %v", err)
	}
	msg, err := mail.ReadMessage(strings.NewReader(string(fake.Sent[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	foreignTok := strings.TrimPrefix(subjectOf(t, msg.Header.Get("List-Unsubscribe")), "unsubscribe ")
	if !strings.HasPrefix(foreignTok, "hu-"+on.ID+"-"+om[0].ID+"-") {
		t.Fatalf("the other workspace's token %q", foreignTok)
	}
	foreign := "unsubscribe " + strings.Replace(strings.Replace(foreignTok, on.ID, l.sent.ID, 1), om[0].ID, l.bob.ID, 1)
	l.imap.Append(t,
		message("x@example.net", swapped, "<f1@example.net>", "", "bye"),
		message("x@example.net", madeUp, "<f2@example.net>", "", "bye"),
		message("x@example.net", foreign, "<f3@example.net>", "", "bye"),
	)
	sum := l.process(t)
	if want := (newsletter.ReplySummary{Read: 3, Ignored: 3}); sum != want {
		t.Fatalf("summary %+v, want %+v", sum, want)
	}
	for _, m := range []members.Member{l.zoe, l.bob} {
		if st := l.state(t, m); st.State != consent.StateGranted {
			t.Errorf("%s: consent %s after forged tokens", m.Name, st.State)
		}
	}
}

func dsn(msgID, rcpt, action, status string) string {
	return dsnOf(msgID, rcpt, action, status, "<other@hearth.example>")
}

// dsnOf is a delivery report about the message original (its Message-ID).
func dsnOf(msgID, rcpt, action, status, original string) string {
	return "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\nTo: news@hearth.example\n" +
		"Subject: Undelivered Mail Returned to Sender\nMessage-ID: " + msgID + "\nAuto-Submitted: auto-replied\n" +
		"Date: " + newslettertest.T0.Format(time.RFC1123Z) + "\nMIME-Version: 1.0\n" +
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"BOUND\"\n\n" +
		"--BOUND\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n" +
		"--BOUND\nContent-Type: message/delivery-status\n\n" +
		"Reporting-MTA: dns; mx.example.org\nArrival-Date: " + newslettertest.T0.Format(time.RFC1123Z) + "\n\n" +
		"Final-Recipient: rfc822; " + rcpt + "\nOriginal-Recipient: rfc822;" + rcpt + "\nAction: " + action +
		"\nStatus: " + status + "\nDiagnostic-Code: smtp; 550 5.1.1 <" + rcpt + ">: Recipient address rejected\n\n" +
		"--BOUND\nContent-Type: text/rfc822-headers\n\nFrom: news@hearth.example\nTo: " + rcpt + "\nSubject: May news\nMessage-ID: " + original + "\n\n" +
		"--BOUND--\n"
}

func TestAHardBounceSuppressesTheAddressAndASoftOneDoesNot(t *testing.T) {
	l := newLoop(t)
	l.imap.Append(t,
		dsnOf("<dsn-1@mx.example.org>", "bob@example.org", "failed", "5.1.1", l.bobMsgID),
		dsn("<dsn-2@mx.example.org>", "zoe@example.org", "delayed", "4.2.2"),
		dsn("<dsn-3@mx.example.org>", "zoe@example.org", "failed", "4.4.7"),
	)
	sum := l.process(t)
	if want := (newsletter.ReplySummary{Read: 3, Bounced: 1, Ignored: 2}); sum != want {
		t.Fatalf("summary %+v, want %+v", sum, want)
	}
	if s, _ := l.e.News.Suppressed(ctx, "bob@example.org"); !s {
		t.Errorf("bob@example.org bounced with 5.1.1 and is not suppressed")
	}
	if s, _ := l.e.News.Suppressed(ctx, "zoe@example.org"); s {
		t.Errorf("zoe@example.org is suppressed after temporary failures only")
	}
	// The newsletter's results count the bounce: Bob's delivery failed for good.
	n, err := l.e.News.Get(ctx, l.sent.ID)
	if err != nil || n.Counts.Sent != 1 || n.Counts.FailedPerm != 1 {
		t.Errorf("counts after the bounce %+v %v: want 1 sent, 1 failed for good", n.Counts, err)
	}
	ds, _ := l.e.News.Deliveries(ctx, l.sent.ID)
	for _, d := range ds {
		if want := map[string]newsletter.DeliveryStatus{"bob@example.org": newsletter.DeliveryFailedPerm,
			"zoe@example.org": newsletter.DeliverySent}[d.Email]; d.Status != want {
			t.Errorf("%s's delivery is %s, want %s", d.Email, d.Status, want)
		}
	}
	next := l.e.Draft(t, newsletter.Input{Subject: "June news", BodyMarkdown: "Hi"})
	plan, err := l.e.News.Plan(ctx, next.ID)
	if err != nil || plan.Recipients != 1 || plan.ExcludedSuppressed != 1 {
		t.Fatalf("next plan %+v %v: want Zoé only, Bob suppressed", plan, err)
	}
}

func TestAnAutoReplyOrAReplyQuotingTheNewsletterChangesNothingAndAMalformedMessageIsCounted(t *testing.T) {
	l := newLoop(t)
	quoted := "I am away until Monday.\n\n> " + strings.Trim(l.bobUnsub, "<>") // the footer's address, quoted
	l.imap.Append(t,
		message("Bob Martin <bob@example.org>", "Out of Office: May news", "<ooo-1@example.org>", "Auto-Submitted: auto-replied\n", quoted),
		message("Bob Martin <bob@example.org>", "Re: "+subjectOf(t, l.bobUnsub), "<ooo-2@example.org>", "X-Autoreply: yes\n", quoted),
		message("Bob Martin <bob@example.org>", "Absence", "<ooo-3@example.org>", "Precedence: auto_reply\n", quoted),
		// A person's reply quotes the footer too: it is for the manager to read, not an unsubscribe.
		message("Bob Martin <bob@example.org>", "Re: May news", "<thanks@example.org>", "", "Thanks, great issue!\n\n> "+
			strings.Trim(l.bobUnsub, "<>")),
		"this is not an e-mail header\n\nat all\n",
		"From: a@example.org\nSubject: broken\nMessage-ID: <broken@example.org>\nMIME-Version: 1.0\n"+
			"Content-Type: multipart/mixed; boundary=\"zz\"\n\n--zz\nContent-Type: text/plain\n\nno end",
		"From: b@example.org\nSubject: x\nMessage-ID: <badtype@example.org>\nContent-Type: text/plain; charset=\"unterminated\n\nhi\n",
	)
	sum := l.process(t)
	if want := (newsletter.ReplySummary{Read: 7, AutoReplies: 3, Malformed: 3, Ignored: 1}); sum != want {
		t.Fatalf("summary %+v, want %+v", sum, want)
	}
	if st := l.state(t, l.bob); st.State != consent.StateGranted {
		t.Errorf("Bob's consent is %s after auto-replies", st.State)
	}
	if s, _ := l.e.News.Suppressed(ctx, "bob@example.org"); s {
		t.Errorf("an auto-reply suppressed Bob's address")
	}
}

func TestRunningTwiceProcessesNothingTwiceEvenWhenTheServerLosesTheMarks(t *testing.T) {
	l := newLoop(t)
	l.imap.Append(t,
		message("Zoé Durand <zoe@example.org>", subjectOf(t, l.zoeUnsub), "<unsub-1@example.org>", "", "stop"),
		dsn("<dsn-1@mx.example.org>", "bob@example.org", "failed", "5.1.1"),
		"not an e-mail\n\n",
	)
	first := l.process(t)
	if want := (newsletter.ReplySummary{Read: 3, Unsubscribed: 1, Bounced: 1, Malformed: 1}); first != want {
		t.Fatalf("first run %+v, want %+v", first, want)
	}
	events := func() int {
		h, err := l.e.Consent.History(ctx, l.zoe.ID)
		if err != nil {
			t.Fatal(err)
		}
		return len(h)
	}
	before := events()
	if again := l.process(t); again != (newsletter.ReplySummary{}) {
		t.Fatalf("second run %+v: want nothing", again)
	}
	// A mail client or a move between servers drops the keyword: the local record still knows.
	l.imap.RemoveKeyword(t, newsletter.ProcessedKeyword)
	if lost := l.process(t); lost != (newsletter.ReplySummary{AlreadyProcessed: 3}) {
		t.Fatalf("run after the marks were lost %+v: want the 3 messages recognised as processed", lost)
	}
	if events() != before {
		t.Fatalf("Zoé's ledger grew from %d to %d events: a message was processed twice", before, events())
	}
	// Zoé subscribes again the next day; her old message does not unsubscribe her a second time.
	l.e.Clock.Advance(24 * time.Hour)
	if _, err := l.e.Consent.Grant(ctx, consent.Input{MemberID: l.zoe.ID, Purpose: newsletter.Purpose, By: "test"}); err != nil {
		t.Fatal(err)
	}
	l.imap.RemoveKeyword(t, newsletter.ProcessedKeyword)
	l.process(t)
	if st := l.state(t, l.zoe); st.State != consent.StateGranted {
		t.Fatalf("Zoé's new grant was undone by her old message: %s", st.State)
	}
}

func TestTheIMAPPasswordNeverShows(t *testing.T) {
	l := newLoop(t)
	st, err := l.e.News.IMAPSettings(ctx)
	if err != nil || !st.PasswordSet || !st.Configured {
		t.Fatalf("settings %+v %v", st, err)
	}
	b, _ := json.Marshal(st)
	l.imap.Append(t, message("Zoé <zoe@example.org>", subjectOf(t, l.zoeUnsub), "<u@example.org>", "", "stop"))
	sum := l.process(t)
	sb, _ := json.Marshal(sum)
	// A wrong password: the error says the login was refused, not what was tried.
	wrong := "wrong-" + l.imap.Password
	if _, err := l.e.News.SaveIMAPSettings(ctx, newsletter.IMAPInput{Host: "127.0.0.1", Port: l.imap.Port,
		TLS: newsletter.TLSNone, Username: l.imap.User, Password: &wrong}); err != nil {
		t.Fatal(err)
	}
	_, loginErr := l.e.News.ProcessReplies(ctx)
	if errs.From(loginErr).Code != "imap_auth_failed" {
		t.Fatalf("wrong password: %v, want imap_auth_failed", loginErr)
	}
	for what, s := range map[string]string{"settings": string(b), "summary": string(sb), "log": l.e.Log.String(),
		"error": fmt.Sprintf("%v %+v %#v", loginErr, errs.From(loginErr), loginErr)} {
		if strings.Contains(s, l.imap.Password) {
			t.Errorf("the IMAP password appears in the %s: %s", what, s)
		}
	}
}
