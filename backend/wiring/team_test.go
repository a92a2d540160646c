package wiring

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"hearth/backend/bundle"
	"hearth/backend/connections"
	"hearth/backend/credentials"
	"hearth/backend/errs"
	"hearth/backend/internal/bytescan"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
	"hearth/backend/tasks"
	"hearth/backend/workspace"
)

// openTeammate opens a second copy's workspace in dir, with its own credentials store (so its
// own age identity), at the same time as the first.
func openTeammate(t *testing.T, ctx context.Context, dir string, w everyKind) *Backend {
	t.Helper()
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, Options{Dir: dir, Secrets: secrets, Clock: w.clk, Zone: time.UTC, Dialer: w.mail})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

// bundleFor exports from into a bundle encrypted to to's key.
func bundleFor(t *testing.T, ctx context.Context, from, to *Backend) []byte {
	t.Helper()
	key, err := to.Team.PublicKey()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := from.Team.Export(ctx, &buf, bundle.Encrypt{Recipients: []string{key}}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestAnErasureOnOneCopyErasesThePersonFromTheOtherCopysBytes: a teammate's copy joined from a
// workspace holding every kind of record about a person; the person is erased on the first copy;
// once the teammate merges its bundle, no byte of the teammate's workspace holds any field or
// text of theirs, their address cannot come back, and a bundle made before the erasure brings
// nothing of them back either.
func TestAnErasureOnOneCopyErasesThePersonFromTheOtherCopysBytes(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	dirB := t.TempDir()
	b := openTeammate(t, ctx, dirB, w)
	before := bundleFor(t, ctx, w.b, b)
	if _, err := b.Team.Join(ctx, bytes.NewReader(before), ""); err != nil {
		t.Fatal(err)
	}
	d, err := b.GDPR.Dossier(ctx, w.m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Activity) != 4 || len(d.ConsentHistory) != 1 || len(d.Tasks) == 0 {
		t.Fatalf("the joined copy's dossier: %d activity, %d consent events, %d tasks", len(d.Activity), len(d.ConsentHistory), len(d.Tasks))
	}
	if hits := bytescan.FilesContaining(t, dirB, person.name); len(hits) != 0 {
		t.Fatalf("the person's name is in clear in the joined copy's files: %v", hits)
	}
	if k, err := b.Analytics.KPIs(ctx, analyticsRange(w.clk.Now())); err != nil || !hasTopic(k.RisingTopics, "zorglubian") {
		t.Fatalf("the joined copy's rising topics lack the person's words: %+v %v", k.RisingTopics, err)
	}
	mustBeSound(t, ctx, b, "the joined copy")

	if err := w.b.GDPR.Erase(ctx, w.m.ID, person.email); err != nil {
		t.Fatal(err)
	}
	rep, err := b.Team.Merge(ctx, bytes.NewReader(bundleFor(t, ctx, w.b, b)), "")
	if err != nil {
		t.Fatal(err)
	}
	if rep.Erased != 1 {
		t.Errorf("report %+v, want one person erased", rep)
	}
	needles := []string{person.name, "Maëlenn", "Quillivic", person.email, person.email2, person.handle, "maelennq", person.notes,
		person.title, "Landerneau", person.custom, person.consentSource, person.ip, "Zorglubian", "zorglubian", "xylophonique",
		"Kerfeunteun", person.taskTitle, "parapluie", person.taskNotes, person.earlyNotes, "Pont-Aven"}
	for _, needle := range needles {
		if hits := bytescan.FilesContaining(t, dirB, needle); len(hits) > 0 {
			t.Errorf("%q still readable in the teammate's copy: %v", needle, hits)
		}
	}
	if _, err := b.Members.Find(ctx, person.email); errs.KindOf(err) != errs.NotFound {
		t.Errorf("the erased member is still found on the teammate's copy: %v", err)
	}
	// What shreds the sealed records in every version is that no key of theirs is left.
	keyring, err := os.ReadFile(filepath.Join(dirB, workspace.KeyringFile))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(keyring, []byte(w.m.ID)) {
		t.Errorf("the teammate's keyring still holds the erased person's key")
	}
	if k, err := b.Analytics.KPIs(ctx, analyticsRange(w.clk.Now())); err != nil || hasTopic(k.RisingTopics, "zorglubian") {
		t.Errorf("rising topics on the teammate's copy after erasure: %+v %v", k.RisingTopics, err)
	}
	if ts, err := b.Tasks.List(ctx, tasks.FilterAll); err != nil || len(ts) != 0 {
		t.Errorf("tasks on the teammate's copy after erasure: %+v %v", ts, err)
	}
	mustBeSound(t, ctx, b, "the teammate's copy after the merged erasure")
	if _, err := b.Members.Create(ctx, members.CreateInput{Name: "Encore elle", Emails: []string{person.email}}); err == nil {
		t.Errorf("the erased person's address was taken again on the teammate's copy")
	}
	// A bundle from before the erasure (a stale copy in a shared folder) brings nothing back.
	if _, err := b.Team.Merge(ctx, bytes.NewReader(before), ""); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Members.Get(ctx, w.m.ID); errs.KindOf(err) != errs.NotFound {
		t.Errorf("an old bundle brought the erased member back: %v", err)
	}
	for _, needle := range []string{person.name, person.email, person.notes, "Zorglubian"} {
		if hits := bytescan.FilesContaining(t, dirB, needle); len(hits) > 0 {
			t.Errorf("after an old bundle, %q is readable again in %v", needle, hits)
		}
	}
}

// TestNoSecretIsInABundleDecryptedByTheAgeCommand: a workspace with a connection's token and an
// SMTP password exports a bundle; decrypted with the standard age command and gunzip, it holds
// the workspace's records but neither secret.
func TestNoSecretIsInABundleDecryptedByTheAgeCommand(t *testing.T) {
	if _, err := exec.LookPath("age"); err != nil {
		t.Fatal("the age command is needed (Debian package age, installed by .ci/deps)")
	}
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	const token, password = "tok-9Q7wX2-discourse-KEY", "Sm7p-pa55w0rd-Fo7er"
	if _, err := w.b.Connections.Add(ctx, connections.AddInput{Name: "forum", Platform: connections.Discourse,
		Settings: connections.Settings{URL: "https://forum.example.org", Username: "system"}, Secret: token}); err != nil {
		t.Fatal(err)
	}
	pw := password
	if _, err := w.b.Newsletters.SaveSettings(ctx, newsletter.SMTPInput{Host: "smtp.example", Port: 587, TLS: newsletter.TLSStartTLS,
		Username: "news", Password: &pw, FromAddress: "news@hearth.example", FromName: "Le Foyer", RatePerSecond: 100}); err != nil {
		t.Fatal(err)
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyFile, bundleFile := filepath.Join(dir, "key.txt"), filepath.Join(dir, "team.hearth")
	if err := os.WriteFile(keyFile, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.b.Team.Export(ctx, &buf, bundle.Encrypt{Recipients: []string{id.Recipient().String()}}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bundleFile, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("age", "-d", "-i", keyFile, bundleFile).Output()
	if err != nil {
		t.Fatalf("age -d: %v", err)
	}
	z, err := gzip.NewReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(z)
	if err != nil {
		t.Fatal(err)
	}
	text := string(plain)
	if !strings.Contains(text, person.name) || !strings.Contains(text, "forum.example.org") {
		t.Fatalf("the decrypted bundle lacks the workspace's records (%d bytes)", len(plain))
	}
	for _, secret := range []string{token, password} {
		if strings.Contains(text, secret) {
			t.Errorf("secret %q is in the bundle", secret)
		}
	}
}

// TestAMessageOneCopySentIsNotSentAgainByAnother: a newsletter Camille's copy sent, merged into a
// teammate's copy, mails nobody again when the teammate presses Send; and the automation
// Camille's copy enabled runs there only: a member tagged on the teammate's copy gets its e-mail
// once, from Camille's copy, after the copies meet.
func TestAMessageOneCopySentIsNotSentAgainByAnother(t *testing.T) {
	ctx := context.Background()
	w := seedEveryKind(t, ctx, t.TempDir())
	teammateMail := &newslettertest.FakeSender{}
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, Options{Dir: t.TempDir(), Secrets: secrets, Clock: w.clk, Zone: time.UTC, Dialer: teammateMail})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	if _, err := b.Team.Join(ctx, bytes.NewReader(bundleFor(t, ctx, w.b, b)), ""); err != nil {
		t.Fatal(err)
	}
	// The SMTP sender is each copy's own: the teammate sets theirs.
	if _, err := b.Newsletters.SaveSettings(ctx, newsletter.SMTPInput{Host: "smtp.example", Port: 587, TLS: newsletter.TLSStartTLS,
		FromAddress: "news@hearth.example", FromName: "Le Foyer", RatePerSecond: 100}); err != nil {
		t.Fatal(err)
	}
	list, err := b.Newsletters.List(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("newsletters on the teammate's copy: %+v %v", list, err)
	}
	// The newsletter came marked sent, with its deliveries: sending it again is refused, and
	// nobody is mailed twice.
	if _, err := b.Newsletters.Send(ctx, list[0].ID, nil); errs.KindOf(err) != errs.Conflict {
		t.Fatalf("sending again on the teammate's copy: %v, want a refusal", err)
	}
	if len(teammateMail.Sent) != 0 {
		t.Fatalf("the teammate's copy sent %d messages of a newsletter Camille's copy had sent", len(teammateMail.Sent))
	}

	// A member tagged vip on the teammate's copy: the automation is Camille's copy's to run.
	w.clk.Advance(time.Minute)
	_, err = b.Members.Create(ctx, members.CreateInput{Name: "Nolwenn", Emails: []string{"nolwenn@example.org"}, Tags: []string{"vip"}})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		w.clk.Advance(time.Minute)
		if _, err := b.Automations.Tick(ctx, w.clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if len(teammateMail.Sent) != 0 {
		t.Fatalf("the teammate's copy ran Camille's automation: %d messages", len(teammateMail.Sent))
	}
	sentBefore := len(w.mail.Sent)
	if _, err := w.b.Team.Merge(ctx, bytes.NewReader(bundleFor(t, ctx, b, w.b)), ""); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		w.clk.Advance(time.Minute)
		if _, err := w.b.Automations.Tick(ctx, w.clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	got := 0
	for _, m := range w.mail.Sent[sentBefore:] {
		if m.To == "nolwenn@example.org" {
			got++
		}
	}
	if got != 1 {
		t.Errorf("Camille's copy sent %d welcome e-mails to the member tagged on the teammate's copy, want 1", got)
	}
}
