package newsletter_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
	"hearth/backend/store"
)

var ctx = context.Background()

func fastOptions() newsletter.Options {
	return newsletter.Options{MaxAttempts: 3, Backoff: time.Millisecond}
}

func TestPreviewFillsMergeFieldsAndFallbacksAndEscapesMemberDataInHTML(t *testing.T) {
	e := newslettertest.New(t, &newslettertest.FakeSender{}, fastOptions())
	ms := e.Add(t,
		newslettertest.Person{Name: "Zoé <b>Durand</b> & co", Email: "zoe@example.org", Custom: map[string]string{"city": "Lyon"}},
		newslettertest.Person{Email: "anon@example.org"},
	)
	n := e.Draft(t, newsletter.Input{Subject: "Bonjour {{first_name|toi}}", Lang: "fr",
		BodyMarkdown: "# Hello {{ first_name | there }}\n\nFrom {{custom.city|your city}}, *{{name}}*. Mail: {{email}}.\n\n[Site](https://hearth.example)\n\n<script>alert(1)</script>"})

	r, err := e.News.Preview(ctx, n.ID, ms[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Subject != "Bonjour Zoé" {
		t.Errorf("subject = %q", r.Subject)
	}
	for _, want := range []string{"Hello Zoé", "From Lyon", "<em>Zoé &lt;b&gt;Durand&lt;/b&gt; &amp; co</em>", "zoe@example.org",
		`max-width:600px`, `name="viewport"`, `href="https://hearth.example"`, "se désinscrire", "mailto:"} {
		if !strings.Contains(r.HTML, want) {
			t.Errorf("html lacks %q:\n%s", want, r.HTML)
		}
	}
	for _, bad := range []string{"<b>Durand", "<script", "HEARTHMERGE", "{{"} {
		if strings.Contains(r.HTML, bad) {
			t.Errorf("html holds %q:\n%s", bad, r.HTML)
		}
	}
	if !strings.Contains(r.Text, "Hello Zoé") || !strings.Contains(r.Text, "Site (https://hearth.example)") ||
		!strings.Contains(r.Text, "Zoé <b>Durand</b> & co") {
		t.Errorf("text = %q", r.Text)
	}

	r, err = e.News.Preview(ctx, n.ID, ms[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Subject != "Bonjour toi" || !strings.Contains(r.HTML, "Hello there") || !strings.Contains(r.HTML, "From your city") {
		t.Errorf("fallbacks not used: %q\n%s", r.Subject, r.HTML)
	}
}

func TestSaveRejectsUnknownMergeFieldsAndEditsOfSentNewsletters(t *testing.T) {
	e := newslettertest.New(t, &newslettertest.FakeSender{}, fastOptions())
	_, err := e.News.Save(ctx, newsletter.Input{Subject: "Hi {{frist_name}}", BodyMarkdown: "{{nickname|x}} {{custom.city}}"})
	var fe *errs.Error
	if !errors.As(err, &fe) || fe.Kind != errs.Invalid || len(fe.Fields) != 2 ||
		fe.Fields[0].Field != "subject" || fe.Fields[0].Params["value"] != "frist_name" ||
		fe.Fields[1].Field != "bodyMarkdown" || fe.Fields[1].Code != "unknown_merge_field" {
		t.Fatalf("err = %#v", err)
	}
	if _, err := e.News.Save(ctx, newsletter.Input{Subject: "", BodyMarkdown: "x"}); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("empty subject: %v", err)
	}

	e.Configure(t, "mail.example", 587, newsletter.TLSStartTLS, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "S", BodyMarkdown: "B"})
	if _, err := e.News.Send(ctx, n.ID, nil); err != nil {
		t.Fatal(err)
	}
	_, err = e.News.Save(ctx, newsletter.Input{ID: n.ID, Subject: "changed"})
	if errs.From(err).Code != "newsletter_not_draft" {
		t.Fatalf("edit of a sent newsletter: %v", err)
	}
	if _, err := e.News.Send(ctx, n.ID, nil); errs.From(err).Code != "newsletter_already_sent" {
		t.Fatalf("second send: %v", err)
	}
}

func TestPlanCountsMembersWithoutConsentSuppressedOrWithoutEmail(t *testing.T) {
	e := newslettertest.New(t, &newslettertest.FakeSender{}, fastOptions())
	e.Add(t,
		newslettertest.Person{Name: "A", Email: "a@example.org", Tags: []string{"Bénévoles"}, Consent: true},
		newslettertest.Person{Name: "B", Email: "b@example.org", Tags: []string{"benevoles"}},
		newslettertest.Person{Name: "C", Email: "c@example.org", Tags: []string{"board"}, Consent: true},
		newslettertest.Person{Name: "D", Email: "d@example.org", Tags: []string{"other"}, Consent: true},
		newslettertest.Person{Name: "E", Tags: []string{"board"}, Consent: true},
	)
	if err := e.News.Suppress(ctx, "C@Example.org"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name                                      string
		tags                                      []string
		recipients, noConsent, suppressed, nomail int
	}{
		{"no tag means every member", nil, 2, 1, 1, 1},
		{"tags select members carrying any of them, ignoring accents", []string{"benevoles", "board"}, 1, 1, 1, 1},
		{"one tag", []string{"other"}, 1, 0, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := e.Draft(t, newsletter.Input{Subject: "S", Tags: tc.tags})
			p, err := e.News.Plan(ctx, n.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Recipients != tc.recipients || p.ExcludedNoConsent != tc.noConsent || p.ExcludedSuppressed != tc.suppressed ||
				p.ExcludedNoEmail != tc.nomail || len(p.Sample) != tc.recipients {
				t.Fatalf("plan = %+v", p)
			}
		})
	}
}

func TestPlanSaysWhyConsentIsMissingWithTheExpiryRuleAndDates(t *testing.T) {
	e := newslettertest.New(t, &newslettertest.FakeSender{}, fastOptions())
	ms := e.Add(t,
		newslettertest.Person{Email: "granted@example.org", Consent: true},
		newslettertest.Person{Email: "old1@example.org"},
		newslettertest.Person{Email: "old2@example.org"},
		newslettertest.Person{Email: "withdrew@example.org", Consent: true},
		newslettertest.Person{Email: "never@example.org"},
	)
	march, may := time.Date(2023, 3, 12, 9, 0, 0, 0, time.UTC), time.Date(2023, 5, 3, 9, 0, 0, 0, time.UTC)
	for i, at := range map[int]time.Time{1: march, 2: may} {
		in := consentInput(ms[i].ID)
		in.At = at
		if _, err := e.Consent.Grant(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.Consent.Withdraw(ctx, consentInput(ms[3].ID)); err != nil {
		t.Fatal(err)
	}
	n := e.Draft(t, newsletter.Input{Subject: "S"})

	// No expiry (the default): the 2023 opt-ins still count.
	p, err := e.News.Plan(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := newsletter.Plan{NewsletterID: n.ID, Recipients: 3, ExcludedNoConsent: 2, ExcludedNotAsked: 1, ExcludedWithdrawn: 1,
		Expired: consent.Lapsed{Purpose: newsletter.Purpose}}
	if p.Sample = nil; fmt.Sprint(p) != fmt.Sprint(want) {
		t.Fatalf("without expiry\ngot  %+v\nwant %+v", p, want)
	}

	// With a 24-month rule the two 2023 opt-ins have expired, on their anniversaries in 2025.
	if _, err := e.Consent.SavePurpose(ctx, consent.PurposeInput{ID: newsletter.Purpose, Name: "Gazette", ExpiryMonths: ptr(24)}); err != nil {
		t.Fatal(err)
	}
	p, err = e.News.Plan(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	want.Recipients, want.ExcludedNoConsent = 1, 4
	want.Expired = consent.Lapsed{Purpose: newsletter.Purpose, PurposeName: "Gazette", ExpiryMonths: 24, Count: 2,
		First: march.AddDate(2, 0, 0), Last: may.AddDate(2, 0, 0)}
	if p.Sample = nil; fmt.Sprint(p) != fmt.Sprint(want) {
		t.Fatalf("with 24 months\ngot  %+v\nwant %+v", p, want)
	}
	js, _ := json.Marshal(p.Expired)
	if !strings.Contains(string(js), `"first":"2025-03-12T09:00:00Z","last":"2025-05-03T09:00:00Z"`) {
		t.Fatalf("json %s", js)
	}
}

func ptr[T any](v T) *T { return &v }

func TestSendRetriesTemporaryFailuresAndSuppressesPermanentRefusals(t *testing.T) {
	fake := &newslettertest.FakeSender{Script: map[string][]error{
		"temp@example.org":  {&newsletter.SendError{Temporary: true, Stage: newsletter.StageRcpt, Code: 451, Reply: "greylisted"}},
		"gone@example.org":  {&newsletter.SendError{Stage: newsletter.StageRcpt, Code: 550, Reply: "no such user"}},
		"spam@example.org":  {&newsletter.SendError{Stage: newsletter.StageData, Code: 554, Reply: "content refused"}},
		"stuck@example.org": {errTemp, errTemp, errTemp, errTemp},
	}}
	e := newslettertest.New(t, fake, fastOptions())
	e.Add(t,
		newslettertest.Person{Email: "ok@example.org", Consent: true},
		newslettertest.Person{Email: "temp@example.org", Consent: true},
		newslettertest.Person{Email: "gone@example.org", Consent: true},
		newslettertest.Person{Email: "spam@example.org", Consent: true},
		newslettertest.Person{Email: "stuck@example.org", Consent: true},
	)
	e.Configure(t, "mail.example", 587, newsletter.TLSStartTLS, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "S", BodyMarkdown: "B"})
	var last newsletter.Progress
	got, err := e.News.Send(ctx, n.ID, func(p newsletter.Progress) { last = p })
	if err != nil {
		t.Fatal(err)
	}
	want := newsletter.Counts{Recipients: 5, Sent: 2, FailedTemp: 1, FailedPerm: 2}
	if got.Counts != want || got.Status != newsletter.StatusSent || got.SentAt == nil {
		t.Fatalf("newsletter = %+v, want counts %+v", got, want)
	}
	if fake.Attempts("temp@example.org") != 2 || fake.Attempts("stuck@example.org") != 3 || fake.Attempts("gone@example.org") != 1 {
		t.Errorf("attempts: temp %d, stuck %d, gone %d", fake.Attempts("temp@example.org"), fake.Attempts("stuck@example.org"), fake.Attempts("gone@example.org"))
	}
	if last.Done != 5 || last.Round != 3 {
		t.Errorf("last progress = %+v", last)
	}
	for addr, want := range map[string]bool{"gone@example.org": true, "spam@example.org": false, "stuck@example.org": false} {
		if s, _ := e.News.Suppressed(ctx, addr); s != want {
			t.Errorf("%s suppressed = %v, want %v", addr, s, want)
		}
	}
	ds, err := e.News.Deliveries(ctx, n.ID)
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]newsletter.DeliveryStatus{}
	for _, d := range ds {
		statuses[d.Email] = d.Status
	}
	if statuses["temp@example.org"] != newsletter.DeliverySent || statuses["gone@example.org"] != newsletter.DeliveryFailedPerm ||
		statuses["stuck@example.org"] != newsletter.DeliveryFailedTemp {
		t.Errorf("deliveries = %v", statuses)
	}

	// The bounced address is excluded from the next newsletter.
	n2 := e.Draft(t, newsletter.Input{Subject: "S2"})
	if p, _ := e.News.Plan(ctx, n2.ID); p.ExcludedSuppressed != 1 || p.Recipients != 4 {
		t.Errorf("next plan = %+v", p)
	}
}

var errTemp = &newsletter.SendError{Temporary: true, Stage: newsletter.StageData, Code: 421, Reply: "try later"}

func TestSendStopsWhenTheAccountIsRefusedAndResumesWithoutResending(t *testing.T) {
	fake := &newslettertest.FakeSender{}
	e := newslettertest.New(t, fake, fastOptions())
	var people []newslettertest.Person
	for i := range 10 {
		people = append(people, newslettertest.Person{Email: fmt.Sprintf("m%d@example.org", i), Consent: true})
	}
	e.Add(t, people...)
	e.Configure(t, "mail.example", 587, newsletter.TLSStartTLS, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "S"})

	authErr := &newsletter.SendError{Stage: newsletter.StageAuth, Code: 535, Reply: "bad credentials"}
	fake.Script = map[string][]error{"m4@example.org": {authErr}}
	got, err := e.News.Send(ctx, n.ID, nil)
	if errs.From(err).Code != "smtp_auth_failed" || got.Status != newsletter.StatusSending || got.Counts.Sent != 4 || got.Counts.Pending != 6 {
		t.Fatalf("first send: %v, %+v", err, got.Counts)
	}

	e.Reopen(t, fake) // a restart
	if p, _ := e.News.Plan(ctx, n.ID); p.AlreadySent != 4 {
		t.Errorf("plan after restart = %+v", p)
	}
	got, err = e.News.Send(ctx, n.ID, nil)
	if err != nil || got.Counts.Sent != 10 || got.Status != newsletter.StatusSent {
		t.Fatalf("resumed send: %v, %+v", err, got)
	}
	seen := map[string]int{}
	for _, m := range fake.Sent {
		seen[m.To]++
	}
	if len(seen) != 10 {
		t.Errorf("received by %d addresses", len(seen))
	}
	for addr, k := range seen {
		if k != 1 {
			t.Errorf("%s got %d copies", addr, k)
		}
	}
}

func TestSendCancelledMidwayResumesWithoutResending(t *testing.T) {
	fake := &newslettertest.FakeSender{}
	e := newslettertest.New(t, fake, fastOptions())
	var people []newslettertest.Person
	for i := range 20 {
		people = append(people, newslettertest.Person{Email: fmt.Sprintf("m%d@example.org", i), Consent: true})
	}
	e.Add(t, people...)
	e.Configure(t, "mail.example", 587, newsletter.TLSStartTLS, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "S"})
	cctx, cancel := context.WithCancel(ctx)
	fake.OnSend = func(k int, _ newsletter.Message) {
		if k == 7 {
			cancel()
		}
	}
	if _, err := e.News.Send(cctx, n.ID, nil); errs.From(err).Code != "cancelled" {
		t.Fatalf("cancelled send: %v", err)
	}
	fake.OnSend = nil
	got, err := e.News.Send(ctx, n.ID, nil)
	if err != nil || got.Counts.Sent != 20 {
		t.Fatalf("resumed: %v %+v", err, got.Counts)
	}
	seen := map[string]int{}
	for _, m := range fake.Sent {
		seen[m.To]++
	}
	// The message in flight when the send was cancelled was accepted: it is recorded as sent.
	for addr, k := range seen {
		if k != 1 {
			t.Errorf("%s got %d copies", addr, k)
		}
	}
	if len(seen) != 20 {
		t.Errorf("%d addresses", len(seen))
	}
}

func TestWithdrawnConsentStopsAResumedSend(t *testing.T) {
	fake := &newslettertest.FakeSender{Script: map[string][]error{}}
	e := newslettertest.New(t, fake, fastOptions())
	ms := e.Add(t,
		newslettertest.Person{Email: "a@example.org", Consent: true},
		newslettertest.Person{Email: "b@example.org", Consent: true},
	)
	e.Configure(t, "mail.example", 587, newsletter.TLSStartTLS, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "S"})
	connErr := &newsletter.SendError{Stage: newsletter.StageConnect, Code: 554, Reply: "no service"}
	fake.Script["a@example.org"] = []error{connErr}
	if _, err := e.News.Send(ctx, n.ID, nil); errs.From(err).Code != "smtp_rejected" {
		t.Fatalf("first: %v", err)
	}
	e.Clock.Advance(time.Minute)
	if _, err := e.Consent.Withdraw(ctx, consentInput(ms[1].ID)); err != nil {
		t.Fatal(err)
	}
	got, err := e.News.Send(ctx, n.ID, nil)
	if err != nil || got.Counts.Sent != 1 || got.Counts.ExcludedNoConsent != 1 {
		t.Fatalf("resumed: %v %+v", err, got.Counts)
	}
	if len(fake.Sent) != 1 || fake.Sent[0].To != "a@example.org" {
		t.Errorf("sent = %v", fake.Sent)
	}
}

func TestTestSendGoesToTheGivenAddressOnly(t *testing.T) {
	fake := &newslettertest.FakeSender{}
	e := newslettertest.New(t, fake, fastOptions())
	e.Add(t, newslettertest.Person{Email: "a@example.org", Consent: true})
	e.Configure(t, "mail.example", 587, newsletter.TLSStartTLS, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "Hi {{first_name|friend}}"})
	if err := e.News.TestSend(ctx, n.ID, "not an address"); errs.KindOf(err) != errs.Invalid {
		t.Fatalf("bad address: %v", err)
	}
	if err := e.News.TestSend(ctx, n.ID, "me@example.net"); err != nil {
		t.Fatal(err)
	}
	if len(fake.Sent) != 1 || fake.Sent[0].To != "me@example.net" || !bytes.Contains(fake.Sent[0].Data, []byte("Subject: [Test] Hi friend")) {
		t.Fatalf("sent = %q", fake.Sent)
	}
	if got, _ := e.News.Get(ctx, n.ID); got.Status != newsletter.StatusDraft {
		t.Errorf("status after a test = %s", got.Status)
	}
}

func TestSettingsNeverShowThePassword(t *testing.T) {
	e := newslettertest.New(t, &newslettertest.FakeSender{}, fastOptions())
	const password = "correct-horse-battery-staple"
	e.Configure(t, "mail.example", 465, newsletter.TLSImplicit, "user", password, 5)
	st, err := e.News.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(st)
	if !st.PasswordSet || strings.Contains(string(b), password) {
		t.Fatalf("settings = %s", b)
	}
	// Saving without a password keeps it; the Transport carries it but never prints it.
	if _, err := e.News.SaveSettings(ctx, newsletter.SMTPInput{Host: "mail.example", Port: 465, TLS: newsletter.TLSImplicit,
		Username: "user", FromAddress: "news@hearth.example"}); err != nil {
		t.Fatal(err)
	}
	fake := &newslettertest.FakeSender{}
	e.Reopen(t, fake)
	e.Add(t, newslettertest.Person{Email: "a@example.org", Consent: true})
	n := e.Draft(t, newsletter.Input{Subject: "S"})
	if _, err := e.News.Send(ctx, n.ID, nil); err != nil {
		t.Fatal(err)
	}
	tr := fake.Transport
	if tr.Password.Reveal() != password {
		t.Fatalf("transport password lost")
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("transport", "t", tr, "p", tr.Password)
	jb, _ := json.Marshal(tr)
	for _, s := range []string{fmt.Sprint(tr), fmt.Sprintf("%+v %#v %s %q", tr, tr, tr.Password, tr.Password), logged.String(), string(jb), e.Log.String()} {
		if strings.Contains(s, password) {
			t.Errorf("password printed: %s", s)
		}
	}
}

// memorySecrets is a SecretStore in memory (backend/credentials is the real one; it is tested
// on its own).
type memorySecrets map[string]string

func (m memorySecrets) Get(ref string) (string, error) {
	if v, ok := m[ref]; ok {
		return v, nil
	}
	return "", errs.New(errs.NotFound, "credential_not_found", "test: no secret "+ref)
}
func (m memorySecrets) Set(ref, v string) error { m[ref] = v; return nil }
func (m memorySecrets) Delete(ref string) error { delete(m, ref); return nil }

func TestWithASecretStoreThePasswordStaysOutOfTheWorkspace(t *testing.T) {
	const password = "correct-horse-battery-staple"
	secrets := memorySecrets{}
	o := fastOptions()
	o.Secrets, o.SecretRef = secrets, "ws1/smtp"
	// Settings saved before there was a secret store keep the password in the workspace...
	e := newslettertest.New(t, &newslettertest.FakeSender{}, fastOptions())
	e.Configure(t, "mail.example", 465, newsletter.TLSImplicit, "user", password, 5)
	// ...until the first open with one moves it out.
	fake := &newslettertest.FakeSender{}
	e.ReopenWith(t, fake, o)
	if err := e.News.MovePasswordOut(ctx); err != nil {
		t.Fatal(err)
	}
	if secrets["ws1/smtp"] != password {
		t.Fatalf("secret store = %v", secrets)
	}
	e.Reopen(t, fake)
	if st, _ := e.News.Settings(ctx); !st.PasswordSet {
		t.Fatal("the moved password is not shown as set")
	}
	e.Add(t, newslettertest.Person{Email: "a@example.org", Consent: true})
	n := e.Draft(t, newsletter.Input{Subject: "S"})
	if _, err := e.News.Send(ctx, n.ID, nil); err != nil || fake.Transport.Password.Reveal() != password {
		t.Fatalf("send with the stored password: %v", err)
	}
	// On another computer (another secret store) the workspace has no password to give.
	e.ReopenWith(t, &newslettertest.FakeSender{}, newsletter.Options{Secrets: memorySecrets{}, SecretRef: "ws1/smtp"})
	n2 := e.Draft(t, newsletter.Input{Subject: "S2"})
	if _, err := e.News.Send(ctx, n2.ID, nil); errs.From(err).Code != "smtp_password_missing" {
		t.Fatalf("send without the password: %v", err)
	}
	// Removing the account's user name removes the password from the store too.
	e.ReopenWith(t, fake, o)
	if _, err := e.News.SaveSettings(ctx, newsletter.SMTPInput{Host: "127.0.0.1", Port: 25, TLS: newsletter.TLSNone,
		FromAddress: "news@hearth.example"}); err != nil {
		t.Fatal(err)
	}
	if _, ok := secrets["ws1/smtp"]; ok {
		t.Fatal("password left in the secret store")
	}
}

func TestSettingsRefuseUnencryptedConnectionsToOtherMachines(t *testing.T) {
	e := newslettertest.New(t, &newslettertest.FakeSender{}, fastOptions())
	_, err := e.News.SaveSettings(ctx, newsletter.SMTPInput{Host: "mail.example", Port: 25, TLS: newsletter.TLSNone, FromAddress: "a@b.example"})
	if f := errs.From(err).Fields; len(f) != 1 || f[0].Field != "tls" || f[0].Code != "tls_required" {
		t.Fatalf("err = %v", err)
	}
	if _, err := e.News.SaveSettings(ctx, newsletter.SMTPInput{Host: "127.0.0.1", Port: 25, TLS: newsletter.TLSNone, FromAddress: "a@b.example"}); err != nil {
		t.Fatal(err)
	}
	n := e.Draft(t, newsletter.Input{Subject: "S"})
	if _, err := newslettertest.New(t, nil, fastOptions()).News.Send(ctx, n.ID, nil); errs.KindOf(err) != errs.NotFound {
		t.Fatalf("unknown id in another workspace: %v", err)
	}
}

func consentInput(memberID string) consent.Input {
	return consent.Input{MemberID: memberID, Purpose: newsletter.Purpose, By: "test"}
}

func TestSendOnceSendsAKeyOnlyOnce(t *testing.T) {
	fake := &newslettertest.FakeSender{Script: map[string][]error{
		"b@example.org": {errTemp},
		"c@example.org": {&newsletter.SendError{Stage: newsletter.StageRcpt, Code: 550, Reply: "no such user"}},
	}}
	e := newslettertest.New(t, fake, fastOptions())
	ms := e.Add(t,
		newslettertest.Person{Name: "Ana Lopez", Email: "a@example.org"},
		newslettertest.Person{Email: "b@example.org"},
		newslettertest.Person{Email: "c@example.org"},
	)
	e.Configure(t, "mail.example", 587, newsletter.TLSStartTLS, "", "", 0)
	for range 2 {
		if err := e.News.SendOnce(ctx, "welcome/"+ms[0].ID, ms[0], "Welcome {{first_name}}", "Hello"); err != nil {
			t.Fatal(err)
		}
	}
	if len(fake.Sent) != 1 || !bytes.Contains(fake.Sent[0].Data, []byte("Subject: Welcome Ana")) {
		t.Fatalf("sent %d: %q", len(fake.Sent), fake.Sent)
	}
	if err := e.News.SendOnce(ctx, "welcome/"+ms[1].ID, ms[1], "W", "H"); errs.KindOf(err) != errs.Unavailable {
		t.Fatalf("temporary failure: %v", err)
	}
	if err := e.News.SendOnce(ctx, "welcome/"+ms[1].ID, ms[1], "W", "H"); err != nil || len(fake.Sent) != 2 {
		t.Fatalf("retry: %v, sent %d", err, len(fake.Sent))
	}
	if err := e.News.SendOnce(ctx, "welcome/"+ms[2].ID, ms[2], "W", "H"); errs.From(err).Code != "mail_refused" {
		t.Fatalf("refusal: %v", err)
	}
	if err := e.News.SendOnce(ctx, "welcome/"+ms[2].ID, ms[2], "W", "H"); err != nil || fake.Attempts("c@example.org") != 1 {
		t.Fatalf("after refusal: %v, attempts %d", err, fake.Attempts("c@example.org"))
	}
}

func TestForgetMemberDeletesTheMembersDeliveries(t *testing.T) {
	fake := &newslettertest.FakeSender{}
	e := newslettertest.New(t, fake, fastOptions())
	ms := e.Add(t, newslettertest.Person{Email: "a@example.org", Consent: true})
	e.Configure(t, "mail.example", 587, newsletter.TLSStartTLS, "", "", 0)
	n := e.Draft(t, newsletter.Input{Subject: "S"})
	if _, err := e.News.Send(ctx, n.ID, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.News.SendOnce(ctx, "k", ms[0], "S", "B"); err != nil {
		t.Fatal(err)
	}
	if ds, _ := e.News.MemberDeliveries(ctx, ms[0].ID); len(ds) != 1 {
		t.Fatalf("deliveries before = %v", ds)
	}
	if err := e.Store.Update(ctx, func(tx *store.Tx) error { return newsletter.ForgetMember(tx, ms[0].ID) }); err != nil {
		t.Fatal(err)
	}
	if ds, _ := e.News.MemberDeliveries(ctx, ms[0].ID); len(ds) != 0 {
		t.Fatalf("deliveries after = %v", ds)
	}
}
