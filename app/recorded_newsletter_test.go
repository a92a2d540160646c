package app

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/wiring"
	"hearth/sync/imap/dovecottest"
	"hearth/sync/smtp/smtptest"
)

// recordedIMAPPort and recordedIMAPPassword are what the recordings show for the loopback IMAP
// server's port and its account's password: the real ones change at each run.
const (
	recordedIMAPPort     = 1143
	recordedIMAPPassword = "imap-s3cret"
)

// recordedSMTPPort is the port the recordings show for the loopback SMTP server the recorded
// workspaces send through: the real one is picked by the system at each run.
const recordedSMTPPort = 2525

// TestRecordAnswersForTheWindowFakeNewsletter records the newsletter screens (the list, the
// composer's saves and Go's rejections, the preview, the send check, a send with the events it
// emits, a test message, deleting a draft, resending to the recipients an interrupted send left
// uncertain, and Settings' outgoing mail) as scenarios: see recorded_scenario_test.go. Each
// scenario starts from a recorded workspace (newsletterWorkspace), whose name is the first
// step of every state. Sends go through a loopback SMTP server.
func TestRecordAnswersForTheWindowFakeNewsletter(t *testing.T) {
	saved := time.Local
	time.Local = time.UTC
	t.Cleanup(func() { time.Local = saved })

	// What the composer sends for a new newsletter in English (lang is the window's language).
	draft := func(subject, body, tags string) string {
		return fmt.Sprintf(`{"id":"","subject":%q,"bodyMarkdown":%q,"lang":"en","tags":%s,"search":"","segment":""}`, subject, body, tags)
	}
	june := draft("June news", "Hello {{name}}", `["en"]`)
	scenarios := []struct {
		workspace string
		steps     []newsletterStep
	}{
		// The composer: Go's rejections, then a draft for the English speakers sent to them.
		{"community", []newsletterStep{
			nlSave("", draft("June news", "Hello {{nickname}}", `[]`)),
			nlSave("", draft(strings.Repeat("x", 301), "", `[]`)),
			nlSave("", draft("Line\nbreak", "", `[]`)),
			nlSave("newsletter-03", june),
			nlSend("newsletter-03"),
			nlSend("newsletter-03"),
			nlSave("", strings.Replace(june, `"id":""`, `"id":"newsletter-03"`, 1)),
			nlDelete("newsletter-03"),
		}},
		// The preview, for nobody in particular and for Hélène Dupont.
		{"community", []newsletterStep{nlSave("newsletter-03", draft("Hi", "Dear **{{first_name|friend}}**", `[]`))}},
		// A test message.
		{"community", []newsletterStep{
			nlSave("newsletter-03", draft("Test me", "", `[]`)),
			nlTestSend("newsletter-03", "me@example.org"),
			nlTestSend("newsletter-03", "not an address"),
			// The composer's autosave once typing settles: the same draft again.
			nlSave("", strings.Replace(draft("Test me", "", `[]`), `"id":""`, `"id":"newsletter-03"`, 1)),
		}},
		// Deleting a draft; a sent newsletter is kept.
		{"community", []newsletterStep{
			nlSave("newsletter-03", draft("Draft news", "Hello", `[]`)),
			nlDelete("newsletter-01"),
			nlDelete("newsletter-03"),
		}},
		// Resending to the recipients the interrupted send left uncertain.
		{"community", []newsletterStep{nlSend("newsletter-02"), nlResendUncertain("newsletter-02"), nlResendUncertain("newsletter-02")}},
		// Settings > Newsletter sending: a bad address, then an account with its password, then
		// a change that keeps the password.
		{"community", []newsletterStep{
			nlSaveSettings(`{"host":"127.0.0.1","port":PORT,"tls":"none","username":"","fromAddress":"bad","fromName":"Hearth","ratePerSecond":0}`),
			nlSaveSettings(`{"host":"smtp.example.org","port":587,"tls":"none","username":"hearth","password":"s3cret","fromAddress":"hello@example.org","fromName":"Hearth","ratePerSecond":0}`),
			nlSaveSettings(`{"host":"127.0.0.1","port":PORT,"tls":"none","username":"hearth","password":"s3cret","fromAddress":"hello@example.org","fromName":"Hearth","ratePerSecond":0}`),
			nlSaveSettings(`{"host":"127.0.0.1","port":PORT,"tls":"none","username":"hearth","fromAddress":"hello@example.org","fromName":"Our community","ratePerSecond":0}`),
		}},
		// Settings > Newsletter's reply mailbox: a check before it is set, plain IMAP to a remote
		// server refused, the loopback Dovecot with its password; then Hélène Dupont's request
		// to leave and an out-of-office arrive, and two checks: the first acts on them, the
		// second finds nothing new.
		{"community", []newsletterStep{
			nlCheckMailbox,
			nlSaveMailbox(`{"host":"imap.example.org","port":143,"tls":"none","username":"news@example.org","mailbox":"INBOX"}`),
			nlSaveMailbox(`{"host":"127.0.0.1","port":IMAPPORT,"tls":"none","username":"test@hearth.example","password":"IMAPPASS","mailbox":"INBOX"}`),
			func(t *testing.T, s *scenario, w *newsletterWorld) { w.replies(t, w.mailbox(t)) },
			nlCheckMailbox,
			nlCheckMailbox,
		}},
		// The send check where consent lapses after 5 months and Dan Roy withdrew, in both
		// languages.
		{"lapsing", []newsletterStep{nlSave("newsletter-03", draft("June news", "", `[]`))}},
		{"lapsing", []newsletterStep{nlSave("newsletter-03", strings.Replace(draft("June news", "", `[]`), `"lang":"en"`, `"lang":"fr"`, 1))}},
		{"community", []newsletterStep{nlSave("newsletter-03", draft("June news", "", `[]`))}},
	}

	all := map[string]json.RawMessage{}
	for _, sc := range scenarios {
		w := seedNewsletterWorkspace(t, sc.workspace)
		s := newScenario(t)
		s.workspace = []string{sc.workspace}
		w.read(s, "")
		for _, st := range sc.steps {
			st(t, s, w)
		}
		port := regexp.MustCompile(fmt.Sprintf(`"port":%d\b`, w.port))
		fixed := fmt.Sprintf(`"port":%d`, recordedSMTPPort)
		answers := map[string]json.RawMessage{}
		for k, v := range s.r.answers {
			answers[port.ReplaceAllString(k, fixed)] = json.RawMessage(port.ReplaceAllString(string(v), fixed))
		}
		if w.box != nil {
			imapPort := regexp.MustCompile(fmt.Sprintf(`"port":%d\b`, w.box.Port))
			fixed := fmt.Sprintf(`"port":%d`, recordedIMAPPort)
			for k, v := range answers {
				delete(answers, k)
				k = strings.ReplaceAll(imapPort.ReplaceAllString(k, fixed), w.box.Password, recordedIMAPPassword)
				answers[k] = json.RawMessage(strings.ReplaceAll(imapPort.ReplaceAllString(string(v), fixed), w.box.Password, recordedIMAPPassword))
			}
		}
		s.r.answers = answers
		scenarioAnswers(t, all, w.ids, s)
	}
	holdRecording(t, "newsletter", all)
}

// newsletterWorld is a recorded workspace with the newsletter window service over it.
type newsletterWorld struct {
	b      *wiring.Backend
	a      *NewsletterService
	events *eventLog
	port   int
	ids    []idName
	names  map[string]string   // ids by recorded name
	smtp   *smtptest.Server    // the loopback server it sends through, which keeps what it got
	box    *dovecottest.Server // the reply mailbox, once a step set it up
}

// newsletterStep is one thing a person does on the newsletter screens.
type newsletterStep func(t *testing.T, s *scenario, w *newsletterWorld)

// seedNewsletterWorkspace is the active recorded workspace (seedRecordedWorkspace: newsletter-01
// sent a fortnight ago, which bounced at Jack Smith's address and suppressed it) sending through
// a loopback server of its own, with Olivia Brown, an English speaker known only by her Discord
// handle (no e-mail), and "Cut-off news" sent three days ago to the French speakers, whose
// connection cut out after Bruno Petit's and Chloé Martin's messages: they are uncertain.
// "lapsing" is the same where the newsletter consent lapses after 5 months (Hélène Dupont's and
// Ana Lima's have) and Dan Roy withdrew his.
func seedNewsletterWorkspace(t *testing.T, workspace string) *newsletterWorld {
	t.Helper()
	ctx := windowCtx()
	b, ids := seedRecordedWorkspace(t, true)
	names := map[string]string{}
	for _, id := range ids {
		names[id.name] = id.id
	}
	clk := b.Clock.(*clock.Manual)
	srv := smtptest.New(t, smtptest.Options{NoTLS: true, Record: true})
	clk.Set(recordedNow.AddDate(0, 0, -3).Add(-time.Hour))
	if _, err := b.Newsletters.SaveSettings(ctx, newsletter.SMTPInput{Host: "127.0.0.1", Port: srv.Port, TLS: newsletter.TLSNone,
		FromAddress: "news@hearth.example", FromName: "Hearth"}); err != nil {
		t.Fatal(err)
	}
	olivia, err := b.Members.Create(ctx, members.CreateInput{Name: "Olivia Brown", Tags: []string{"en"},
		Handles: []members.Handle{{Platform: "discord", Handle: "olivia"}}})
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, idName{olivia.ID, "member-13"})
	cut, err := b.Newsletters.Save(ctx, newsletter.Input{Subject: "Cut-off news", BodyMarkdown: "Hello {{first_name}}", Tags: []string{"fr"}})
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, idName{cut.ID, "newsletter-02"})
	clk.Set(recordedNow.AddDate(0, 0, -3))
	srv.DropReply("bruno@example.org")
	srv.DropReply("chloe@example.org")
	if n, err := b.Newsletters.Send(ctx, cut.ID, nil); n.Counts.Uncertain != 2 {
		t.Fatalf("cut-off send: %+v %v", n.Counts, err)
	}
	clk.Set(recordedNow)
	switch workspace {
	case "community":
	case "lapsing":
		if _, err := b.Consent.SavePurpose(ctx, consent.PurposeInput{ID: newsletter.Purpose, ExpiryMonths: ptr(5)}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Consent.Withdraw(ctx, consent.Input{MemberID: names["member-05"], Purpose: newsletter.Purpose, By: "window"}); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("no recorded workspace %q", workspace)
	}
	for _, id := range ids {
		names[id.name] = id.id
	}
	events := &eventLog{done: make(chan struct{}, 1)}
	a := &NewsletterService{news: b.Newsletters, sched: b.Scheduler, events: events, jobs: map[string]context.CancelFunc{}}
	return &newsletterWorld{b: b, a: a, events: events, port: srv.Port, ids: ids, names: names, smtp: srv}
}

// real is js with the recorded names of records in place of their ids, and the loopback
// server's port for PORT.
func (w *newsletterWorld) real(js string) string {
	for n, id := range w.names {
		js = strings.ReplaceAll(js, `"`+n+`"`, `"`+id+`"`)
	}
	return strings.ReplaceAll(js, "PORT", fmt.Sprint(w.port))
}

// read records what the screens read in the scenario's state: the list, the outgoing mail
// settings, each newsletter and its send check, and the preview (for nobody in particular and
// for Hélène Dupont) of the newsletter id, or of every newsletter when id is "".
func (w *newsletterWorld) read(s *scenario, id string) {
	list, err := w.a.List()
	s.read("", "list", []any{}, list, err)
	settings, err := w.a.Settings()
	s.read("", "settings", []any{}, settings, err)
	mailbox, err := w.a.MailboxSettings()
	s.read("", "mailboxSettings", []any{}, mailbox, err)
	last, err := w.a.MailboxLastCheck()
	s.read("", "mailboxLastCheck", []any{}, last, err)
	for _, n := range list {
		got, err := w.a.Get(n.ID)
		s.read("", "get", []any{n.ID}, got, err)
		plan, err := w.a.Plan(n.ID)
		s.read("", "plan", []any{n.ID}, plan, err)
		if id != "" && n.ID != id {
			continue
		}
		for _, m := range []string{"", w.names["member-01"]} {
			r, err := w.a.Preview(n.ID, m)
			s.read("", "preview", []any{n.ID, m}, r, err)
		}
	}
}

// nlSave saves what the composer sends; a newsletter it creates is called name.
func nlSave(name, js string) newsletterStep {
	return func(t *testing.T, s *scenario, w *newsletterWorld) {
		in, args := argsAs[newsletter.Input](t, w.real(js))
		v, err := w.a.Save(in)
		s.step("", "save", []any{args}, v, err)
		if err != nil {
			return
		}
		if name != "" && in.ID == "" {
			w.names[name] = v.ID
			s.named = append(s.named, idName{v.ID, name})
		}
		w.read(s, v.ID)
	}
}

// nlSend sends the newsletter name and records, with the state it was sent in, the events the
// window got until it was done.
func nlSend(name string) newsletterStep {
	return func(t *testing.T, s *scenario, w *newsletterWorld) { w.send(t, s, "send", name, w.a.Send) }
}

// nlResendUncertain resends newsletter name to the recipients left uncertain, as nlSend.
func nlResendUncertain(name string) newsletterStep {
	return func(t *testing.T, s *scenario, w *newsletterWorld) {
		w.send(t, s, "resendUncertain", name, w.a.ResendUncertain)
	}
}

func (w *newsletterWorld) send(t *testing.T, s *scenario, method, name string, start func(string) (string, error)) {
	t.Helper()
	id := w.names[name]
	before := s.prefix("")
	w.events.reset()
	job, err := start(id)
	s.step("", method, []any{id}, job, err)
	if err != nil {
		return
	}
	select {
	case <-w.events.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s %s: no done event", method, name)
	}
	s.r.call(before+method+".events", []any{id}, w.events.recorded(), nil)
	// The job lets go of the newsletter before the done event: what the window does on hearing
	// it (send again, resend the uncertain, cancel) meets no send running.
	w.a.mu.Lock()
	_, running := w.a.jobs[id]
	w.a.mu.Unlock()
	if running {
		t.Fatalf("%s %s: the send's job was still running at its done event", method, name)
	}
	// Go's Cancel once the send is over: nothing to stop.
	s.read("", "cancel", []any{id}, nil, w.a.Cancel(id))
	w.read(s, id)
}

// nlTestSend sends newsletter name once to the address to.
func nlTestSend(name, to string) newsletterStep {
	return func(t *testing.T, s *scenario, w *newsletterWorld) {
		id := w.names[name]
		s.read("", "testSend", []any{id, to}, nil, w.a.TestSend(id, to))
	}
}

// nlDelete deletes newsletter name.
func nlDelete(name string) newsletterStep {
	return func(t *testing.T, s *scenario, w *newsletterWorld) {
		id := w.names[name]
		err := w.a.Delete(id)
		s.step("", "delete", []any{id}, nil, err)
		if err == nil {
			w.read(s, "-")
		}
	}
}

// nlSaveSettings saves what Settings' outgoing mail section sends (PORT: the loopback server's).
func nlSaveSettings(js string) newsletterStep {
	return func(t *testing.T, s *scenario, w *newsletterWorld) {
		in, args := argsAs[newsletter.SMTPInput](t, w.real(js))
		v, err := w.a.SaveSettings(in)
		s.step("", "saveSettings", []any{args}, v, err)
		if err == nil {
			w.read(s, "-")
		}
	}
}

// eventLog is the window's side of a send: the events it was sent, in order.
type eventLog struct {
	mu     sync.Mutex
	events []recordedEvent
	done   chan struct{}
}

// recordedEvent is one event as the fake emits it again.
type recordedEvent struct {
	Event   string `json:"event"`
	Payload any    `json:"payload"`
}

func (l *eventLog) Emit(event string, payload any) {
	l.mu.Lock()
	l.events = append(l.events, recordedEvent{event, payload})
	l.mu.Unlock()
	if strings.HasPrefix(event, EventNewsletterDone) {
		l.done <- struct{}{}
	}
}

func (l *eventLog) reset() {
	l.mu.Lock()
	l.events = nil
	l.mu.Unlock()
}

// recorded are the events of the send: progress is throttled by the wall clock (at most every
// 100 ms), so only the progress events every send emits are kept, the first and the last, then
// the done event.
func (l *eventLog) recorded() []recordedEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []recordedEvent
	for i, e := range l.events {
		p, progress := e.Payload.(newsletter.Progress)
		if !progress || i == 0 || p.Done == p.Total {
			out = append(out, e)
		}
	}
	return out
}

// mailbox is the world's reply mailbox, a loopback Dovecot started at the first call.
func (w *newsletterWorld) mailbox(t *testing.T) *dovecottest.Server {
	t.Helper()
	if w.box == nil {
		w.box = dovecottest.Start(t)
	}
	return w.box
}

// nlSaveMailbox saves what Settings' reply mailbox section sends (IMAPPORT and IMAPPASS: the
// loopback Dovecot's port and password).
func nlSaveMailbox(js string) newsletterStep {
	return func(t *testing.T, s *scenario, w *newsletterWorld) {
		if strings.Contains(js, "IMAPPORT") {
			box := w.mailbox(t)
			js = strings.NewReplacer("IMAPPORT", fmt.Sprint(box.Port), "IMAPPASS", box.Password).Replace(js)
		}
		in, args := argsAs[newsletter.IMAPInput](t, w.real(js))
		v, err := w.a.SaveMailboxSettings(in)
		s.step("", "saveMailboxSettings", []any{args}, v, err)
		if err == nil {
			w.read(s, "-")
		}
	}
}

// nlCheckMailbox reads the reply mailbox once, as its Check button does.
func nlCheckMailbox(t *testing.T, s *scenario, w *newsletterWorld) {
	v, err := w.a.CheckMailbox()
	s.step("", "checkMailbox", []any{}, v, err)
	if err == nil {
		w.read(s, "-")
	}
}
