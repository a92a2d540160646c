package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/credentials"
	"hearth/backend/imports"
	"hearth/backend/newsletter"
	"hearth/backend/wiring"
	"hearth/sync/smtp"
	"hearth/sync/smtp/smtptest"
)

// mailchimpAudience writes a Mailchimp "subscribed" export of 60 people who opted in during
// 2023: 8 on 12 March, the others from April to December.
func mailchimpAudience(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME,CONFIRM_IP,LAST_CHANGED,LEID,EUID,TAGS\n")
	for i := range 60 {
		optin := time.Date(2023, 3, 12, 9, 30, 0, 0, time.UTC)
		if i >= 8 {
			optin = time.Date(2023, time.Month(4+i%9), 1+i%28, 8, 0, 0, 0, time.UTC)
		}
		fmt.Fprintf(&b, "p%02d@example.org,Person,N%02d,3,%s,192.0.2.%d,%s,,%s,%d,e%d,\n", i, i,
			optin.Format(time.DateTime), i+1, optin.Add(5*time.Minute).Format(time.DateTime), optin.Format(time.DateTime), 1000+i, i)
	}
	path := filepath.Join(t.TempDir(), "subscribed_members_export.csv")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestAnImportedMailchimpAudienceGetsTheNewsletterUnlessThePurposeSetsAnExpiryAndThenTheSendCheckSaysWhy(t *testing.T) {
	ctx := context.Background()
	srv := smtptest.New(t, smtptest.Options{NoTLS: true, Record: true})
	now := time.Date(2025, 3, 20, 10, 0, 0, 0, time.UTC)
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := wiring.Open(ctx, wiring.Options{Dir: t.TempDir(), Secrets: secrets, Clock: clock.NewManual(now), Dialer: smtp.Dialer{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	if _, err := b.Newsletters.SaveSettings(ctx, newsletter.SMTPInput{Host: "127.0.0.1", Port: srv.Port, TLS: newsletter.TLSNone,
		FromAddress: "news@hearth.example"}); err != nil {
		t.Fatal(err)
	}
	file := mailchimpAudience(t)

	// No expiry (the default): the import finds nothing expired, and all 60 get the newsletter.
	sum, err := b.Imports.Run(ctx, imports.Request{Path: file}, nil, nil)
	if err != nil || sum.Created != 60 || sum.Rejected != 0 || len(sum.ExpiredConsents) != 0 {
		t.Fatalf("import: %+v %v", sum, err)
	}
	n, err := b.Newsletters.Save(ctx, newsletter.Input{Subject: "March news", BodyMarkdown: "Hello {{first_name}}"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := b.Newsletters.Plan(ctx, n.ID)
	if err != nil || plan.Recipients != 60 || plan.ExcludedNoConsent != 0 || plan.Expired.Count != 0 || plan.Expired.ExpiryMonths != 0 {
		t.Fatalf("plan without expiry: %+v %v", plan, err)
	}
	if n, err = b.Newsletters.Send(ctx, n.ID, nil); err != nil || n.Counts.Sent != 60 || srv.Count.Load() != 60 {
		t.Fatalf("send without expiry: %+v %v, server got %d", n.Counts, err, srv.Count.Load())
	}

	// The manager sets 24 months for the newsletter: the 8 opt-ins of 12 March 2023 (confirmed at
	// 9:35) expired on 12 March 2025. Importing the file again says so; the send check says so before sending.
	if _, err := b.Consent.SavePurpose(ctx, consent.PurposeInput{ID: newsletter.Purpose, ExpiryMonths: ptr(24)}); err != nil {
		t.Fatal(err)
	}
	expiredOn := time.Date(2025, 3, 12, 9, 35, 0, 0, time.UTC)
	want := consent.Lapsed{Purpose: newsletter.Purpose, ExpiryMonths: 24, Count: 8, First: expiredOn, Last: expiredOn}
	for _, dry := range []bool{true, false} {
		sum, err = b.Imports.Run(ctx, imports.Request{Path: file, DryRun: dry}, nil, nil)
		if err != nil || sum.Unchanged != 60 || len(sum.ExpiredConsents) != 1 || sum.ExpiredConsents[0] != want {
			t.Fatalf("import again (dry run %v): %+v %v", dry, sum, err)
		}
	}
	n, err = b.Newsletters.Save(ctx, newsletter.Input{Subject: "April news", BodyMarkdown: "Hello"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err = b.Newsletters.Plan(ctx, n.ID)
	if err != nil || plan.Recipients != 52 || plan.ExcludedNoConsent != 8 || plan.ExcludedNotAsked != 0 || plan.ExcludedWithdrawn != 0 ||
		plan.Expired != want {
		t.Fatalf("send check with 24 months: %+v %v", plan, err)
	}
	if n, err = b.Newsletters.Send(ctx, n.ID, nil); err != nil || n.Counts.Sent != 52 || n.Counts.ExcludedNoConsent != 8 ||
		srv.Count.Load() != 112 {
		t.Fatalf("send with 24 months: %+v %v, server got %d", n.Counts, err, srv.Count.Load())
	}
}

func ptr[T any](v T) *T { return &v }
