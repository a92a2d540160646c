package app

import (
	"encoding/json"
	"errors"
	"net"
	"net/mail"
	"net/url"
	"strings"
	"testing"
	"time"

	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/newsletter"
	"hearth/sync/imap/dovecottest"
)

// unsubscribeSubject is the subject a mail client writes to the List-Unsubscribe address of the
// newsletter the loopback server passed to the address to.
func (w *newsletterWorld) unsubscribeSubject(t *testing.T, to string) string {
	t.Helper()
	for _, m := range w.smtp.Received() {
		if m.To[0] != to {
			continue
		}
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
		if err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(strings.Trim(msg.Header.Get("List-Unsubscribe"), "<>"))
		if err != nil || u.Scheme != "mailto" {
			t.Fatalf("List-Unsubscribe of the message to %s: %q, %v", to, msg.Header.Get("List-Unsubscribe"), err)
		}
		return u.Query().Get("subject")
	}
	t.Fatalf("nothing was sent to %s", to)
	return ""
}

// replies delivers to the mailbox Hélène Dupont's request to leave, written to the
// List-Unsubscribe address of the newsletter she got three days ago, and an out-of-office.
func (w *newsletterWorld) replies(t *testing.T, box *dovecottest.Server) {
	t.Helper()
	date := recordedNow.Add(-time.Hour).Format(time.RFC1123Z)
	msg := func(from, subject, id, extra, body string) string {
		return "From: " + from + "\nTo: Hearth <news@hearth.example>\nSubject: " + subject + "\nMessage-ID: " + id +
			"\nDate: " + date + "\nMIME-Version: 1.0\n" + extra + "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n"
	}
	box.Append(t,
		msg("Hélène Dupont <helene@example.org>", w.unsubscribeSubject(t, "helene@example.org"), "<leave-1@example.org>", "", "Merci, mais je préfère arrêter."),
		msg("Bruno Petit <bruno@example.org>", "Absence : Cut-off news", "<away-1@example.org>", "Auto-Submitted: auto-replied\n", "Je suis absent."),
	)
}

func TestNewsletterServiceSavesTheMailboxNeverShowsItsPasswordAndChecksIt(t *testing.T) {
	w := seedNewsletterWorkspace(t, "community")
	box := dovecottest.Start(t)
	if _, err := w.a.CheckMailbox(); !errors.Is(err, errs.Invalid) || errs.From(err).Code != "imap_not_configured" {
		t.Fatalf("a check with no mailbox set: %v, want imap_not_configured", err)
	}
	got, err := w.a.MailboxSettings()
	if err != nil || got.Configured || got.Port != 993 || got.TLS != newsletter.TLSImplicit || got.Mailbox != "INBOX" {
		t.Fatalf("the settings before any save %+v, %v; want IMAPS on 993, INBOX, not configured", got, err)
	}
	// A remote server without encryption is refused, the field named.
	_, err = w.a.SaveMailboxSettings(newsletter.IMAPInput{Host: "imap.example.org", Port: 143, TLS: newsletter.TLSNone, Username: "news"})
	if fe := errs.From(err); fe == nil || len(fe.Fields) != 1 || fe.Fields[0].Field != "tls" {
		t.Fatalf("plain IMAP to a remote host: %v, want a tls field error", err)
	}
	pw := box.Password
	got, err = w.a.SaveMailboxSettings(newsletter.IMAPInput{Host: "127.0.0.1", Port: box.Port, TLS: newsletter.TLSNone,
		Username: box.User, Password: &pw, Mailbox: "INBOX"})
	if err != nil || !got.Configured || !got.PasswordSet {
		t.Fatalf("save: %+v, %v", got, err)
	}
	// A save that sends no password keeps the stored one; no answer ever carries it.
	got, err = w.a.SaveMailboxSettings(newsletter.IMAPInput{Host: "127.0.0.1", Port: box.Port, TLS: newsletter.TLSNone, Username: box.User})
	if err != nil || !got.PasswordSet {
		t.Fatalf("a save without a password: %+v, %v; want it kept", got, err)
	}
	read, err := w.a.MailboxSettings()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{got, read} {
		if b, _ := json.Marshal(v); strings.Contains(string(b), pw) {
			t.Fatalf("the window was shown the password: %s", b)
		}
	}

	w.replies(t, box)
	sum, err := w.a.CheckMailbox()
	if want := (newsletter.ReplySummary{Read: 2, Unsubscribed: 1, AutoReplies: 1}); err != nil || sum != want {
		t.Fatalf("check: %+v, %v; want %+v\n%s", sum, err, want, box.Log())
	}
	helene := w.names["member-01"]
	st, err := w.b.Consent.State(windowCtx(), helene, newsletter.Purpose, w.b.Clock.Now())
	if err != nil || st.State != consent.StateWithdrawn || st.Method != consent.MethodEmailUnsubscribe {
		t.Fatalf("Hélène's newsletter consent %+v, %v; want withdrawn by an e-mail unsubscribe request", st, err)
	}
	if sum, err := w.a.CheckMailbox(); err != nil || sum != (newsletter.ReplySummary{}) {
		t.Fatalf("a second check: %+v, %v; want nothing new", sum, err)
	}

	// The scheduler reads it by itself; the window is told when it last did, and how it went:
	// here, a mailbox that cannot be reached.
	last, err := w.a.MailboxLastCheck()
	if err != nil || !last.At.IsZero() || last.Error != nil {
		t.Fatalf("before the scheduler ran: %+v, %v; want no reading yet", last, err)
	}
	if _, err := w.a.SaveMailboxSettings(newsletter.IMAPInput{Host: "127.0.0.1", Port: closedPort(t), TLS: newsletter.TLSNone,
		Username: box.User}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.b.Scheduler.RunDue(windowCtx()); err != nil {
		t.Fatal(err)
	}
	last, err = w.a.MailboxLastCheck()
	if err != nil || last.At.IsZero() || last.Error == nil || last.Error.Code != "imap_unavailable" {
		t.Fatalf("after a reading that could not reach the server: %+v, %v; want when, and its error", last, err)
	}
}

// closedPort is a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}
