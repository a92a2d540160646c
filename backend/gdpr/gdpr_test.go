package gdpr

import (
	"context"
	"encoding/json"
	"hearth/backend/internal/storetest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/activity"
	"hearth/backend/audit"
	"hearth/backend/automations"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/internal/bytescan"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/tasks"
)

type fixture struct {
	dir     string
	clock   *clock.Manual
	members *members.Service
	consent *consent.Service
	gdpr    *Service
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: clock.NewManual(time.Date(2026, 6, 1, 10, 0, 0, 0, time.UTC))}
	st := storetest.Open(t, f.dir, f.clock)
	f.members = members.NewService(st, f.clock, nil)
	f.consent = consent.NewService(st, f.clock, nil)
	f.gdpr = NewService(st, f.members, f.consent, audit.NewLog(st), f.clock)
	return f
}

func (f *fixture) member(t *testing.T, name, email string) members.Member {
	t.Helper()
	m, err := f.members.Create(context.Background(), members.CreateInput{Name: name, Emails: []string{email},
		CustomFields: map[string]string{"ville": "Quimper"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.consent.Grant(context.Background(), consent.Input{MemberID: m.ID, Purpose: "newsletter", By: "test",
		Method: consent.MethodForm, Source: "Formulaire d'adhésion de Gwendoline", Proof: consent.Proof{IP: "203.0.113.77"}})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEraseShredsTheMemberAndTheirConsentEvidence(t *testing.T) {
	f := newFixture(t)
	m := f.member(t, "Gwendoline Kerjean", "gwendoline@example.org")
	f.member(t, "Other Person", "other@example.org")
	if err := f.gdpr.Erase(context.Background(), m.ID, "GWENDOLINE@example.org "); err != nil {
		t.Fatal(err)
	}
	for _, needle := range []string{"gwendoline@example.org", "Gwendoline", "Kerjean", "203.0.113.77", "Quimper"} {
		if hits := bytescan.FilesContaining(t, f.dir, needle); len(hits) > 0 {
			t.Errorf("%q still in %v", needle, hits)
		}
	}
	if h, err := f.consent.History(context.Background(), m.ID); err != nil || len(h) != 0 {
		t.Errorf("consent history survived: %v %v", h, err)
	}
	_, err := f.members.Create(context.Background(), members.CreateInput{Emails: []string{"gwendoline@example.org"}})
	if errs.From(err).Code != "suppressed" {
		t.Errorf("erased person came back: %v", err)
	}
	entries, _ := audit.NewLog(f.gdpr.st).List(context.Background(), m.ID, 0)
	if len(entries) == 0 || entries[0].Action != audit.MemberErased {
		t.Errorf("erasure not audited: %+v", entries)
	}
}

func TestEraseNeedsTheExactEmailTyped(t *testing.T) {
	f := newFixture(t)
	m := f.member(t, "Ann", "ann@example.org")
	err := f.gdpr.Erase(context.Background(), m.ID, "ann@example.com")
	if e := errs.From(err); e.Kind != errs.Invalid || e.Fields[0].Code != "confirmation_mismatch" {
		t.Fatalf("got %v", err)
	}
	if _, err := f.members.Get(context.Background(), m.ID); err != nil {
		t.Fatal("a refused erasure removed the member")
	}
}

func TestAMemberKnownOnlyByAHandleIsErasedByTypingTheHandle(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	m, err := f.members.Create(ctx, members.CreateInput{Handles: []members.Handle{{Platform: "discord", Handle: "nyx_42"}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.gdpr.Erase(ctx, m.ID, ""); errs.From(err).Kind != errs.Invalid {
		t.Fatalf("an empty confirmation erased a member known by a handle: %v", err)
	}
	if err := f.gdpr.Erase(ctx, m.ID, "NYX_42"); err != nil {
		t.Fatal(err)
	}
	_, err = f.members.Create(ctx, members.CreateInput{Handles: []members.Handle{{Platform: "discord", Handle: "nyx_42"}}})
	if errs.From(err).Code != "suppressed" {
		t.Errorf("erased person came back: %v", err)
	}
}

func TestExportWritesJSONAndAReadableWorkbookWithConsentHistory(t *testing.T) {
	f := newFixture(t)
	m := f.member(t, "Hélène Dupont", "helene@example.org")
	acts := activity.NewService(f.gdpr.st, f.members, f.clock, nil)
	f.gdpr.SetActivity(func(ctx context.Context, id string) ([]Activity, error) {
		recs, err := acts.ForMember(ctx, id, 0)
		out := make([]Activity, 0, len(recs))
		for _, r := range recs {
			out = append(out, Activity{At: r.At, Platform: string(r.Platform), Kind: string(r.Kind), Channel: r.Channel, Text: r.Text})
		}
		return out, err
	})
	conn := connections.Connection{ID: "c1", Name: "forum", Platform: connections.Discourse}
	err := acts.Ingest(conn).Activities(context.Background(), []activity.Incoming{{RemoteID: "post:9", Kind: activity.Post,
		At: f.clock.Now(), Channel: "Entraide", Title: "Bonjour", Text: "Merci pour l'atelier",
		Author: &activity.Person{Handle: "helene", Email: "helene@example.org"}}})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "export")
	paths, err := f.gdpr.Export(context.Background(), m.ID, out, "fr")
	if err != nil || len(paths) != 2 {
		t.Fatalf("%v %v", paths, err)
	}
	var d Dossier
	b, _ := os.ReadFile(paths[0])
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if d.Member.Name != "Hélène Dupont" || len(d.ConsentHistory) != 1 || d.ConsentHistory[0].Proof.IP != "203.0.113.77" ||
		len(d.Consent) == 0 || len(d.Audit) == 0 || len(d.Activity) != 1 || d.Activity[0].Text != "Merci pour l'atelier" {
		t.Fatalf("dossier %+v", d)
	}
	wb, err := excelize.OpenFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if got := strings.Join(wb.GetSheetList(), "|"); got != "Membre|Consentement|Historique du consentement|Journal d'audit|Activité|Tâches|Automatisations|E-mails envoyés|Membres fusionnés" {
		t.Fatalf("sheets %q", got)
	}
	if v, _ := wb.GetCellValue("Membre", "B3"); v != "Hélène Dupont" {
		t.Fatalf("name cell %q", v)
	}
	// Dates read the French way, and every sheet prints on A4 landscape fitted to the width.
	style, _ := wb.GetCellStyle("Membre", "B8")
	if st, _ := wb.GetStyle(style); st == nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "dd/mm/yyyy hh:mm" {
		t.Errorf("created's format %+v", st)
	}
	for _, sheet := range wb.GetSheetList() {
		if pl, err := wb.GetPageLayout(sheet); err != nil || pl.Size == nil || *pl.Size != 9 || *pl.Orientation != "landscape" {
			t.Errorf("%s: page layout %+v %v", sheet, pl, err)
		}
	}
	entries, _ := audit.NewLog(f.gdpr.st).List(context.Background(), m.ID, 1)
	if entries[0].Action != audit.MemberExported {
		t.Fatalf("export not audited: %+v", entries)
	}
}

func TestInactiveMembersAreListedAndAnonymised(t *testing.T) {
	f := newFixture(t)
	old := f.member(t, "Old Timer", "old@example.org")
	f.clock.Advance(400 * 24 * time.Hour)
	f.member(t, "Newcomer", "new@example.org")
	idle, err := f.gdpr.Inactive(context.Background(), 12)
	if err != nil || len(idle) != 1 || idle[0].ID != old.ID {
		t.Fatalf("inactive %+v %v", idle, err)
	}
	if n, err := f.gdpr.Anonymise(context.Background(), []string{old.ID}); err != nil || n != 1 {
		t.Fatalf("anonymised %d %v", n, err)
	}
	if left, _ := f.members.Count(context.Background()); left != 1 {
		t.Fatalf("%d members left", left)
	}
	// Anonymised, not suppressed: the person may join again.
	if _, err := f.members.Create(context.Background(), members.CreateInput{Emails: []string{"old@example.org"}}); err != nil {
		t.Fatal(err)
	}
}

func TestADossierGivesItsTimesInTheWorkspaceZone(t *testing.T) {
	f := newFixture(t) // the clock reads 10:00 UTC, noon in Paris
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	f.gdpr.SetZone(paris)
	m := f.member(t, "Hélène Dupont", "helene@example.org")
	paths, err := f.gdpr.Export(context.Background(), m.ID, t.TempDir(), "fr")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(paths[0])
	for _, want := range []string{`"exportedAt": "2026-06-01T12:00:00+02:00"`, `"createdAt": "2026-06-01T12:00:00+02:00"`, `"at": "2026-06-01T12:00:00+02:00"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the dossier's JSON has no %s:\n%s", want, b)
		}
	}
	wb, err := excelize.OpenFile(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	// Created (B8) and exported (B10) on Paris' wall clock, not UTC's.
	for _, cell := range []string{"B8", "B10"} {
		if v, _ := wb.GetCellValue("Membre", cell); v != "01/06/2026 12:00" {
			t.Errorf("%s reads %q, want 01/06/2026 12:00", cell, v)
		}
	}
}

func TestTheAccessExportListsTasksAutomationsAndEmailsInJSONAndTheWorkbookInBothLanguages(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	m := f.member(t, "Hélène Dupont", "helene@example.org")
	ts := tasks.NewService(f.gdpr.st, f.clock, nil)
	if _, err := ts.Create(ctx, tasks.Input{Title: "Rappeler Hélène", Notes: "pour l'atelier vélo", MemberID: m.ID, DueAt: f.clock.Now().Add(48 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	sent := f.clock.Now()
	f.gdpr.SetRecords(Records{
		Tasks: ts.ForMember,
		Automations: func(context.Context, string) ([]automations.Enrolment, error) {
			return []automations.Enrolment{{ID: "e1", AutomationID: "welcome", MemberID: m.ID, Status: "active", Step: 1, EnrolledAt: sent, NextAt: sent}}, nil
		},
		Deliveries: func(context.Context, string) ([]newsletter.Delivery, error) {
			return []newsletter.Delivery{{NewsletterID: "n1", MemberID: m.ID, Email: "helene@example.org", Status: "sent", SentAt: &sent}}, nil
		},
	})
	for _, c := range []struct{ lang, tasks, automations, emails, title string }{
		{"en", "Tasks", "Automations", "E-mails sent", "Title"},
		{"fr", "Tâches", "Automatisations", "E-mails envoyés", "Titre"},
	} {
		paths, err := f.gdpr.Export(ctx, m.ID, t.TempDir(), c.lang)
		if err != nil {
			t.Fatal(err)
		}
		var d Dossier
		b, _ := os.ReadFile(paths[0])
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Tasks) != 1 || d.Tasks[0].Notes != "pour l'atelier vélo" || len(d.Automations) != 1 || len(d.Deliveries) != 1 {
			t.Fatalf("%s: dossier tasks %+v, automations %+v, deliveries %+v", c.lang, d.Tasks, d.Automations, d.Deliveries)
		}
		wb, err := excelize.OpenFile(paths[1])
		if err != nil {
			t.Fatal(err)
		}
		cells := map[string]string{}
		for _, ref := range []struct{ sheet, cell string }{{c.tasks, "A1"}, {c.tasks, "A2"}, {c.tasks, "B2"}, {c.automations, "A2"}, {c.emails, "B2"}} {
			cells[ref.sheet+"!"+ref.cell], _ = wb.GetCellValue(ref.sheet, ref.cell)
		}
		_ = wb.Close()
		want := map[string]string{c.tasks + "!A1": c.title, c.tasks + "!A2": "Rappeler Hélène", c.tasks + "!B2": "pour l'atelier vélo",
			c.automations + "!A2": "welcome", c.emails + "!B2": "helene@example.org"}
		for k, v := range want {
			if cells[k] != v {
				t.Errorf("%s: %s = %q, want %q", c.lang, k, cells[k], v)
			}
		}
	}
}
