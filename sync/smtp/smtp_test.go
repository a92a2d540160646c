package smtp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/backend/errs"
	"hearth/backend/exports"
	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
	"hearth/sync/smtp"
	"hearth/sync/smtp/smtptest"
)

var ctx = context.Background()

const (
	user     = "hearth"
	password = "s3cr3t-Pa55word-never-shown"
)

func fast() newsletter.Options {
	return newsletter.Options{MaxAttempts: 3, Backoff: 10 * time.Millisecond}
}

func dialer(s *smtptest.Server) smtp.Dialer {
	return smtp.Dialer{TLSConfig: s.TLSConfig(), Timeout: 5 * time.Second}
}

func TestNewsletterReachesExactlyTheConsentingMembersWithHeadersAndMergeFields(t *testing.T) {
	srv := smtptest.New(t, smtptest.Options{User: user, Pass: password, Record: true})
	e := newslettertest.New(t, dialer(srv), fast())
	e.Add(t,
		newslettertest.Person{Name: "Zoé Durand", Email: "zoe@example.org", Tags: []string{"news"}, Custom: map[string]string{"city": "Lyon"}, Consent: true},
		newslettertest.Person{Name: "Bob", Email: "bob@example.org", Tags: []string{"news"}, Consent: true},
		newslettertest.Person{Email: "anon@example.org", Tags: []string{"news"}, Consent: true},
		newslettertest.Person{Name: "No Consent", Email: "nc@example.org", Tags: []string{"news"}},
		newslettertest.Person{Name: "Suppressed", Email: "sup@example.org", Tags: []string{"news"}, Consent: true},
		newslettertest.Person{Name: "Other tag", Email: "other@example.org", Tags: []string{"board"}, Consent: true},
	)
	if err := e.News.Suppress(ctx, "sup@example.org"); err != nil {
		t.Fatal(err)
	}
	e.Configure(t, "127.0.0.1", srv.Port, newsletter.TLSStartTLS, user, password, 0)
	n := e.Draft(t, newsletter.Input{Subject: "Bonjour {{first_name|à tous}} — été", Lang: "fr", Tags: []string{"news"},
		BodyMarkdown: "# Salut {{first_name|toi}}\n\nÀ {{custom.city|bientôt}} ! Votre adresse : {{email}}"})

	got, err := e.News.Send(ctx, n.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := newsletter.Counts{Recipients: 3, Sent: 3, ExcludedNoConsent: 1, ExcludedSuppressed: 1}
	if got.Counts != want {
		t.Fatalf("counts = %+v, want %+v", got.Counts, want)
	}
	msgs := srv.Received()
	var rcpts []string
	for _, m := range msgs {
		rcpts = append(rcpts, m.To...)
		if m.From != "news@hearth.example" {
			t.Errorf("MAIL FROM %q", m.From)
		}
	}
	slices.Sort(rcpts)
	if !slices.Equal(rcpts, []string{"anon@example.org", "bob@example.org", "zoe@example.org"}) {
		t.Fatalf("recipients = %v", rcpts)
	}
	if conns, tlsSeen, auths := srv.Stats(); conns != 1 || !tlsSeen || auths != 1 {
		t.Errorf("connections %d, tls %v, auth %d: want one authenticated TLS connection for the batch", conns, tlsSeen, auths)
	}

	byTo := map[string]*mail.Message{}
	for _, m := range msgs {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			t.Fatal(err)
		}
		byTo[m.To[0]] = msg
	}
	zoe := byTo["zoe@example.org"]
	dec := new(mime.WordDecoder)
	subject, err := dec.DecodeHeader(zoe.Header.Get("Subject"))
	if err != nil || subject != "Bonjour Zoé — été" || !strings.HasPrefix(zoe.Header.Get("Subject"), "=?utf-8?q?") {
		t.Errorf("subject %q (raw %q): %v", subject, zoe.Header.Get("Subject"), err)
	}
	if anon, _ := dec.DecodeHeader(byTo["anon@example.org"].Header.Get("Subject")); anon != "Bonjour à tous — été" {
		t.Errorf("fallback subject %q", anon)
	}
	// Each recipient's unsubscribe address names them and the newsletter (an authenticated token).
	if u := zoe.Header.Get("List-Unsubscribe"); !strings.HasPrefix(u, "<mailto:news@hearth.example?subject=unsubscribe%20hu-"+n.ID+"-") ||
		!strings.HasSuffix(u, ">") || u == byTo["anon@example.org"].Header.Get("List-Unsubscribe") {
		t.Errorf("List-Unsubscribe = %q, want a per-recipient mailto with a token", u)
	}
	for k, v := range map[string]string{
		"List-Id":      "<newsletter.hearth.example>",
		"MIME-Version": "1.0",
	} {
		if zoe.Header.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, zoe.Header.Get(k), v)
		}
	}
	if zoe.Header.Get("List-Unsubscribe-Post") != "" {
		t.Errorf("List-Unsubscribe-Post set without an https unsubscribe URL")
	}
	if to, _ := mail.ParseAddress(zoe.Header.Get("To")); to == nil || to.Address != "zoe@example.org" || to.Name != "Zoé Durand" {
		t.Errorf("To = %q", zoe.Header.Get("To"))
	}
	if from, _ := mail.ParseAddress(zoe.Header.Get("From")); from == nil || from.Name != "Le Foyer" {
		t.Errorf("From = %q", zoe.Header.Get("From"))
	}
	if _, err := zoe.Header.Date(); err != nil || !strings.HasPrefix(zoe.Header.Get("Message-ID"), "<"+n.ID+".") {
		t.Errorf("Date %q, Message-ID %q", zoe.Header.Get("Date"), zoe.Header.Get("Message-ID"))
	}
	parts := mimeParts(t, zoe)
	if !strings.Contains(parts["text/plain"], "Salut Zoé") || !strings.Contains(parts["text/plain"], "À Lyon !") ||
		!strings.Contains(parts["text/plain"], "zoe@example.org") {
		t.Errorf("text part:\n%s", parts["text/plain"])
	}
	if !strings.Contains(parts["text/html"], "<h1>Salut Zoé</h1>") || !strings.Contains(parts["text/html"], "max-width:600px") {
		t.Errorf("html part:\n%s", parts["text/html"])
	}
	if p := mimeParts(t, byTo["anon@example.org"]); !strings.Contains(p["text/html"], "À bientôt") {
		t.Errorf("fallback html:\n%s", p["text/html"])
	}
}

// mimeParts decodes a multipart/alternative message into its parts by media type.
func mimeParts(t *testing.T, m *mail.Message) map[string]string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", m.Header.Get("Content-Type"), err)
	}
	out := map[string]string{}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var order []string
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		pt, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		if p.Header.Get("Content-Transfer-Encoding") != "quoted-printable" {
			t.Errorf("%s encoding %q", pt, p.Header.Get("Content-Transfer-Encoding"))
		}
		b, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		out[pt] = string(b)
		order = append(order, pt)
	}
	if !slices.Equal(order, []string{"text/plain", "text/html"}) {
		t.Errorf("parts in order %v; the richest alternative must come last", order)
	}
	return out
}

func TestTemporaryRefusalIsRetriedAndPermanentRefusalSuppressesTheAddress(t *testing.T) {
	srv := smtptest.New(t, smtptest.Options{Record: true})
	srv.ScriptRcpt("grey@example.org", 451)
	srv.ScriptRcpt("gone@example.org", 550)
	srv.ScriptRcpt("full@example.org", 452, 452, 452, 452)
	e := newslettertest.New(t, dialer(srv), fast())
	e.Add(t,
		newslettertest.Person{Email: "ok@example.org", Consent: true},
		newslettertest.Person{Email: "grey@example.org", Consent: true},
		newslettertest.Person{Email: "gone@example.org", Consent: true},
		newslettertest.Person{Email: "full@example.org", Consent: true},
	)
	e.Configure(t, "127.0.0.1", srv.Port, newsletter.TLSStartTLS, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "S", BodyMarkdown: "B"})
	got, err := e.News.Send(ctx, n.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (newsletter.Counts{Recipients: 4, Sent: 2, FailedTemp: 1, FailedPerm: 1}); got.Counts != want {
		t.Fatalf("counts = %+v, want %+v", got.Counts, want)
	}
	counts := map[string]int{}
	for _, m := range srv.Received() {
		counts[m.To[0]]++
	}
	if counts["ok@example.org"] != 1 || counts["grey@example.org"] != 1 || counts["gone@example.org"] != 0 || counts["full@example.org"] != 0 {
		t.Errorf("received: %v", counts)
	}
	if a, b, c := srv.RcptAttempts("grey@example.org"), srv.RcptAttempts("full@example.org"), srv.RcptAttempts("gone@example.org"); a != 2 || b != 3 || c != 1 {
		t.Errorf("RCPT attempts: grey %d, full %d, gone %d", a, b, c)
	}
	if s, _ := e.News.Suppressed(ctx, "gone@example.org"); !s {
		t.Errorf("hard bounce not suppressed")
	}
	if s, _ := e.News.Suppressed(ctx, "full@example.org"); s {
		t.Errorf("temporary failure suppressed")
	}
	ds, _ := e.News.Deliveries(ctx, n.ID)
	for _, d := range ds {
		if d.Email == "gone@example.org" && (d.Status != newsletter.DeliveryFailedPerm || !strings.Contains(d.LastError, "550")) {
			t.Errorf("bounce delivery = %+v", d)
		}
	}
}

func TestEveryConnectionModeDelivers(t *testing.T) {
	tests := []struct {
		name string
		mode newsletter.TLSMode
		opts smtptest.Options
	}{
		{"STARTTLS with AUTH", newsletter.TLSStartTLS, smtptest.Options{User: user, Pass: password, Record: true}},
		{"implicit TLS with AUTH", newsletter.TLSImplicit, smtptest.Options{ImplicitTLS: true, User: user, Pass: password, Record: true}},
		{"no TLS to a relay on this machine", newsletter.TLSNone, smtptest.Options{NoTLS: true, Record: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := smtptest.New(t, tc.opts)
			e := newslettertest.New(t, dialer(srv), fast())
			e.Add(t, newslettertest.Person{Email: "a@example.org", Consent: true})
			e.Configure(t, "127.0.0.1", srv.Port, tc.mode, tc.opts.User, tc.opts.Pass, 0)
			n := e.Draft(t, newsletter.Input{Subject: "S"})
			if err := e.News.TestSend(ctx, n.ID, "me@example.net"); err != nil {
				t.Fatal(err)
			}
			if got, err := e.News.Send(ctx, n.ID, nil); err != nil || got.Counts.Sent != 1 {
				t.Fatalf("send: %v %+v", err, got.Counts)
			}
			if _, tlsSeen, _ := srv.Stats(); len(srv.Received()) != 2 || tlsSeen == (tc.mode == newsletter.TLSNone) {
				t.Errorf("received %d, tls %v", len(srv.Received()), tlsSeen)
			}
		})
	}
}

func TestAnUntrustedCertificateStopsTheSend(t *testing.T) {
	srv := smtptest.New(t, smtptest.Options{Record: true})
	e := newslettertest.New(t, smtp.Dialer{Timeout: 5 * time.Second}, fast()) // system roots only
	e.Add(t, newslettertest.Person{Email: "a@example.org", Consent: true})
	e.Configure(t, "127.0.0.1", srv.Port, newsletter.TLSStartTLS, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "S"})
	got, err := e.News.Send(ctx, n.ID, nil)
	if errs.From(err).Code != "smtp_rejected" || got.Status != newsletter.StatusSending || len(srv.Received()) != 0 {
		t.Fatalf("err %v, status %s, received %d", err, got.Status, len(srv.Received()))
	}
}

func TestARestartAfterAPartialSendDoesNotResend(t *testing.T) {
	srv := smtptest.New(t, smtptest.Options{Record: true})
	e := newslettertest.New(t, dialer(srv), fast())
	var people []newslettertest.Person
	for i := range 12 {
		people = append(people, newslettertest.Person{Name: fmt.Sprintf("M%d", i), Email: fmt.Sprintf("m%d@example.org", i), Consent: true})
	}
	e.Add(t, people...)
	e.Configure(t, "127.0.0.1", srv.Port, newsletter.TLSStartTLS, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "S"})

	// The app is stopped after five messages: the server refuses the sixth MAIL while the
	// context is cancelled, so nothing is half-sent.
	cctx, cancel := context.WithCancel(ctx)
	srv.SetOnMail(func(k int) error {
		if k == 5 {
			cancel()
			return fmt.Errorf("421 shutting down")
		}
		return nil
	})
	if _, err := e.News.Send(cctx, n.ID, nil); errs.From(err).Code != "cancelled" {
		t.Fatalf("interrupted send: %v", err)
	}
	srv.SetOnMail(nil)
	if len(srv.Received()) != 5 {
		t.Fatalf("received %d before the stop", len(srv.Received()))
	}

	e.Reopen(t, dialer(srv))
	got, err := e.News.Send(ctx, n.ID, nil)
	if err != nil || got.Counts.Sent != 12 || got.Status != newsletter.StatusSent {
		t.Fatalf("resumed: %v %+v", err, got)
	}
	counts := map[string]int{}
	for _, m := range srv.Received() {
		counts[m.To[0]]++
	}
	if len(counts) != 12 {
		t.Errorf("%d recipients reached", len(counts))
	}
	for addr, k := range counts {
		if k != 1 {
			t.Errorf("%s received %d copies", addr, k)
		}
	}
}

func TestThePasswordNeverAppearsInErrorsLogsExportsOrWorkspaceFiles(t *testing.T) {
	srv := smtptest.New(t, smtptest.Options{User: user, Pass: "the-server-wants-another-one", Record: true})
	e := newslettertest.New(t, dialer(srv), fast())
	e.Add(t, newslettertest.Person{Name: "A", Email: "a@example.org", Consent: true})
	e.Configure(t, "127.0.0.1", srv.Port, newsletter.TLSStartTLS, user, password, 0)
	n := e.Draft(t, newsletter.Input{Subject: "S"})

	_, err := e.News.Send(ctx, n.ID, nil)
	if errs.From(err).Code != "smtp_auth_failed" {
		t.Fatalf("send with a refused login: %v", err)
	}
	terr := e.News.TestSend(ctx, n.ID, "me@example.net")
	jerr, _ := json.Marshal(errs.From(err))
	var export bytes.Buffer
	if _, err := exports.Members(ctx, e.Members, &export, exports.Request{Format: "csv"}); err != nil {
		t.Fatal(err)
	}
	settings, _ := e.News.Settings(ctx)
	jset, _ := json.Marshal(settings)
	for what, s := range map[string]string{
		"error": err.Error(), "error JSON": string(jerr), "test send error": fmt.Sprint(terr),
		"store log": e.Log.String(), "export": export.String(), "settings": string(jset),
	} {
		if strings.Contains(s, password) {
			t.Errorf("the password appears in the %s: %s", what, s)
		}
	}
	if !settings.PasswordSet {
		t.Errorf("passwordSet = false")
	}
	if err := e.Store.Close(); err != nil { // flush everything to the files
		t.Fatal(err)
	}
	_ = filepath.WalkDir(e.Dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if b, _ := os.ReadFile(path); bytes.Contains(b, []byte(password)) {
			t.Errorf("the password is in clear in %s", path)
		}
		return nil
	})
}
