package wiring

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/automations"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/credentials"
	"hearth/backend/internal/bytescan"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
	"hearth/backend/tasks"
	"hearth/backend/workspace"
)

// person is everything one member wrote or is known by, each a string found nowhere else.
var person = struct {
	name, email, email2, handle, notes, custom, consentSource, ip, title, post, question, taskTitle, taskNotes, earlyNotes string
}{
	name:          "Maëlenn Quillivic",
	email:         "maelenn.quillivic@example.org",
	email2:        "mq.perso@example.net",
	handle:        "@maelennq@piaille.example",
	notes:         "préfère être appelée le mardi",
	custom:        "Plouzévédé",
	consentSource: "bulletin papier de Maëlenn",
	ip:            "198.51.100.203",
	title:         "Compte rendu de Landerneau",
	post:          "Zorglubian xylophonique Zorglubian", // rising topics count its words
	question:      "Quelqu'un connait le bagad Kerfeunteun ?",
	taskTitle:     "Rapporter le parapluie orange",
	taskNotes:     "allergique aux arachides",
	earlyNotes:    "sa fille entre à Pont-Aven",
}

// everyKind is a workspace holding every kind of record about one person (see seedEveryKind).
type everyKind struct {
	dir   string
	b     *Backend
	clk   *clock.Manual
	mail  *newslettertest.FakeSender
	m     members.Member
	early tasks.Task // a task first written about nobody, then about them
}

// seedEveryKind opens a workspace in dir with a member about whom every kind of record exists:
// the member, consent evidence, activity and the keyword counts, thread and member counters
// derived from it, tasks, an automation's progress and the task it made, a newsletter and a
// one-off e-mail sent to them, audit entries.
func seedEveryKind(t *testing.T, ctx context.Context, dir string) everyKind {
	t.Helper()
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	mail := &newslettertest.FakeSender{}
	clk := clock.NewManual(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	b, err := Open(ctx, Options{Dir: dir, Secrets: secrets, Clock: clk, Zone: time.UTC, Dialer: mail})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	if err := b.Analytics.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	m, err := b.Members.Create(ctx, members.CreateInput{Name: person.name, Emails: []string{person.email, person.email2},
		Handles: []members.Handle{{Platform: "mastodon", Handle: person.handle}}, Notes: person.notes,
		CustomFields: map[string]string{"commune": person.custom}})
	if err != nil {
		t.Fatal(err)
	}
	other, err := b.Members.Create(ctx, members.CreateInput{Name: "Yann Other", Emails: []string{"yann@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{m.ID, other.ID} {
		_, err = b.Consent.Grant(ctx, consent.Input{MemberID: id, Purpose: newsletter.Purpose, By: "test",
			Method: consent.MethodForm, Source: person.consentSource, Proof: consent.Proof{IP: person.ip}})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Activity, with its derived counts: keywords, mood, a question and its thread.
	_, err = b.Activity.AddManual(ctx, []activity.ManualInput{
		{Member: person.email, Kind: activity.Post, At: clk.Now(), Channel: "forum", Title: person.title, Text: person.post},
		{Member: person.email, Kind: activity.Post, At: clk.Now().Add(time.Minute), Channel: "forum", Text: "Encore " + person.post},
		{Member: person.email, Kind: activity.Post, At: clk.Now().Add(2 * time.Minute), Channel: "forum", Text: "Toujours " + person.post},
		{Member: person.email, Kind: activity.Post, At: clk.Now().Add(time.Hour), Channel: "forum", ID: "q1", Text: person.question},
		{Member: "yann@example.org", Kind: activity.Reply, At: clk.Now().Add(2 * time.Hour), Channel: "forum", ID: "a1", Thread: "q1", Text: "Oui"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Tasks.Create(ctx, tasks.Input{Title: person.taskTitle, Notes: person.taskNotes, MemberID: m.ID}); err != nil {
		t.Fatal(err)
	}
	// A task written about nobody first, then about them: its first version too.
	early, err := b.Tasks.Create(ctx, tasks.Input{Title: "Acheter des crêpes", Notes: person.earlyNotes})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Tasks.Update(ctx, early.ID, tasks.Input{Title: "Acheter des crêpes", Notes: "à voir", MemberID: m.ID}); err != nil {
		t.Fatal(err)
	}
	// An automation that writes to them and makes a task naming them.
	_, err = b.Newsletters.SaveSettings(ctx, newsletter.SMTPInput{Host: "smtp.example", Port: 587, TLS: newsletter.TLSStartTLS,
		FromAddress: "news@hearth.example", FromName: "Le Foyer", RatePerSecond: 100})
	if err != nil {
		t.Fatal(err)
	}
	a, err := b.Automations.Save(ctx, automations.Input{Name: "VIP", Trigger: automations.Trigger{Kind: automations.TriggerTagAdded, Tag: "vip"},
		Steps: []automations.Step{
			{Kind: automations.StepSendEmail, Subject: "Bonjour {{name}}", BodyMarkdown: "Bienvenue {{name}}"},
			{Kind: automations.StepCreateTask, TaskTitle: "Appeler {{name}}"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Automations.SetEnabled(ctx, a.ID, true); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Automations.Tick(ctx, clk.Now()); err != nil { // its first checkpoint
		t.Fatal(err)
	}
	clk.Advance(time.Minute)
	tags := []string{"vip"}
	if _, err := b.Members.Update(ctx, m.ID, members.Patch{Tags: &tags}); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		clk.Advance(time.Minute)
		if _, err := b.Automations.Tick(ctx, clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	nl, err := b.Newsletters.Save(ctx, newsletter.Input{Subject: "Lettre de mars", BodyMarkdown: "Bonjour {{name}}", Lang: "fr"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Newsletters.Send(ctx, nl.ID, nil); err != nil {
		t.Fatal(err)
	}

	return everyKind{dir: dir, b: b, clk: clk, mail: mail, m: m, early: early}
}

// TestErasureLeavesNoTraceOfThePersonInAnyKindOfRecord erases a member about whom every kind of
// record exists (member, consent evidence, activity and the keyword counts, thread and member
// counters derived from it, a task, an automation's progress and the task it made, a newsletter
// and a one-off e-mail sent to them, audit entries), then reads every byte of the workspace,
// right after the erasure: no field and no text of theirs may be left, in any version.
func TestErasureLeavesNoTraceOfThePersonInAnyKindOfRecord(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w := seedEveryKind(t, ctx, dir)
	b, clk, mail, m, early := w.b, w.clk, w.mail, w.m, w.early
	mustBeSound(t, ctx, b, "before the erasure")

	// Everything is there, and the access export lists every kind of record.
	d, err := b.GDPR.Dossier(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Activity) != 4 || len(d.Tasks) != 3 || len(d.Automations) != 1 || len(d.Deliveries) != 2 || len(d.ConsentHistory) != 1 || len(d.Audit) == 0 {
		t.Fatalf("dossier: %d activity, %d tasks, %d automations, %d deliveries, %d consent events, %d audit entries",
			len(d.Activity), len(d.Tasks), len(d.Automations), len(d.Deliveries), len(d.ConsentHistory), len(d.Audit))
	}
	if k, err := b.Analytics.KPIs(ctx, analyticsRange(clk.Now())); err != nil || !hasTopic(k.RisingTopics, "zorglubian") {
		t.Fatalf("rising topics before erasure: %+v %v", k.RisingTopics, err)
	}
	if len(mail.Sent) != 3 {
		t.Fatalf("%d messages sent, want the automation's and the newsletter to both", len(mail.Sent))
	}

	if err := b.GDPR.Erase(ctx, m.ID, person.email); err != nil {
		t.Fatal(err)
	}
	// Right after erasure, before any compaction: every byte of the workspace.
	needles := []string{person.name, "Maëlenn", "Quillivic", person.email, person.email2, person.handle, "maelennq", person.notes,
		person.title, "Landerneau", "landerneau",
		person.custom, person.consentSource, person.ip, "Zorglubian", "zorglubian", "xylophonique", "Kerfeunteun",
		"kerfeunteun", person.taskTitle, "parapluie", person.taskNotes, person.earlyNotes, "Pont-Aven"}
	for _, needle := range needles {
		if hits := bytescan.FilesContaining(t, dir, needle); len(hits) > 0 {
			t.Errorf("%q still readable in %v", needle, hits)
		}
	}
	// Sealed data is ciphertext in the files either way: what shreds it is that no key is left.
	keyring, err := os.ReadFile(filepath.Join(dir, workspace.KeyringFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, subject := range []string{m.ID, "task:" + early.ID} {
		if bytes.Contains(keyring, []byte(subject)) {
			t.Errorf("the keyring still holds a key of %q", subject)
		}
	}
	if k, err := b.Analytics.KPIs(ctx, analyticsRange(clk.Now())); err != nil || hasTopic(k.RisingTopics, "zorglubian") {
		t.Errorf("rising topics after erasure: %+v %v", k.RisingTopics, err)
	}
	if ts, err := b.Tasks.List(ctx, tasks.FilterAll); err != nil || len(ts) != 0 {
		t.Errorf("tasks after erasure: %+v %v", ts, err)
	}
	mustBeSound(t, ctx, b, "after the erasure")
	if es, err := b.Automations.ForMember(ctx, m.ID); err != nil || len(es) != 0 {
		t.Errorf("automation progress after erasure: %+v %v", es, err)
	}
}

// analyticsRange is the week ending with the day of now.
func analyticsRange(now time.Time) analytics.Range {
	end := time.Date(now.Year(), now.Month(), now.Day()+1, 0, 0, 0, 0, time.UTC)
	return analytics.Range{From: end.AddDate(0, 0, -7), To: end}
}

func hasTopic(ts []analytics.RisingTopic, word string) bool {
	for _, t := range ts {
		if t.Word == word {
			return true
		}
	}
	return false
}
