package automations

import (
	"context"
	"errors"
	"hearth/backend/internal/storetest"
	"slices"
	"sync"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/notify"
	"hearth/backend/store"
	"hearth/backend/tasks"
)

// fakeMailer keeps what a real sender keeps: the keys it has sent under. A repeated key is
// "already sent" (the Mailer contract); sending under a key twice fails the test.
type fakeMailer struct {
	t         *testing.T
	mu        sync.Mutex
	delivered map[string]int
	calls     map[string]int
	subjects  []string
	// fail, when set, is returned after delivering; crash panics after delivering.
	fail  error
	crash bool
}

var _ Mailer = (*fakeMailer)(nil)

func newFakeMailer(t *testing.T) *fakeMailer {
	return &fakeMailer{t: t, delivered: map[string]int{}, calls: map[string]int{}}
}

func (f *fakeMailer) SendOnce(_ context.Context, key string, to members.Member, subject, _ string) error {
	f.mu.Lock()
	f.calls[key]++
	if f.delivered[key] == 0 {
		f.delivered[key]++
		f.subjects = append(f.subjects, to.Emails[0]+": "+subject)
	} else if f.delivered[key] > 1 {
		f.t.Errorf("key %s delivered twice", key)
	}
	fail, crash := f.fail, f.crash
	f.mu.Unlock()
	if crash {
		panic("killed while sending")
	}
	return fail
}

func (f *fakeMailer) sent() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.subjects)
}

type fixture struct {
	dir     string
	st      *store.Store
	clock   *clock.Manual
	members *members.Service
	tasks   *tasks.Service
	consent *consent.Service
	mailer  *fakeMailer
	svc     *Service
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: clock.NewManual(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)), mailer: newFakeMailer(t)}
	f.open(t)
	return f
}

func (f *fixture) open(t *testing.T) {
	t.Helper()
	st := storetest.Open(t, f.dir, f.clock)
	f.st = st
	f.members = members.NewService(st, f.clock, nil)
	f.tasks = tasks.NewService(st, f.clock, nil, tasks.WithMemberCheck(members.Exists))
	f.consent = consent.NewService(st, f.clock, nil, consent.WithMemberCheck(members.Exists))
	f.svc = NewService(st, f.clock, &notify.Recorder{}, Deps{Members: f.members, Tasks: f.tasks, Consent: f.consent, Mailer: f.mailer, Lang: "en"})
}

// reopen closes the store as a restart would and opens it again.
func (f *fixture) reopen(t *testing.T) {
	t.Helper()
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	f.open(t)
}

func (f *fixture) add(t *testing.T, email string, tags ...string) members.Member {
	t.Helper()
	m, err := f.members.Create(context.Background(), members.CreateInput{Name: "N " + email, Emails: []string{email}, Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *fixture) tick(t *testing.T) TickReport {
	t.Helper()
	rep, err := f.svc.Tick(context.Background(), f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func (f *fixture) enable(t *testing.T, id string) {
	t.Helper()
	if _, err := f.svc.SetEnabled(context.Background(), id, true); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) save(t *testing.T, in Input) Automation {
	t.Helper()
	a, err := f.svc.Save(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	f.enable(t, a.ID)
	return a
}

func (f *fixture) progress(t *testing.T, id string) []Enrolment {
	t.Helper()
	es, err := f.svc.Progress(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func (f *fixture) openTasks(t *testing.T) []tasks.Task {
	t.Helper()
	ts, err := f.tasks.List(context.Background(), tasks.FilterOpen)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestTheWelcomeSequenceIsReadyMadeAndDisabled(t *testing.T) {
	for _, tc := range []struct{ lang, name string }{{"en", "Welcome sequence"}, {"fr", "Séquence de bienvenue"}} {
		f := newFixture(t)
		f.svc = NewService(f.st, f.clock, nil, Deps{Members: f.members, Lang: tc.lang})
		list, err := f.svc.List(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 1 || list[0].ID != WelcomeID || list[0].Enabled || list[0].Name != tc.name || len(list[0].Steps) != 5 {
			t.Fatalf("%s: got %+v", tc.lang, list)
		}
	}
}

func TestADisabledAutomationDoesNothing(t *testing.T) {
	f := newFixture(t)
	f.add(t, "a@example.org")
	f.tick(t)
	f.clock.Advance(30 * 24 * time.Hour)
	f.tick(t)
	if got := f.mailer.sent(); len(got) != 0 {
		t.Fatalf("sent %v", got)
	}
	if got := f.progress(t, WelcomeID); len(got) != 0 {
		t.Fatalf("enrolled %v", got)
	}
}

func TestTheWelcomeSequenceRunsEachStepOnceAsTimePasses(t *testing.T) {
	f := newFixture(t)
	old := f.add(t, "old@example.org") // before enabling: not welcomed
	f.clock.Advance(time.Minute)
	f.enable(t, WelcomeID)
	f.clock.Advance(time.Minute)
	m := f.add(t, "new@example.org")

	rep := f.tick(t)
	if rep.Enrolled != 1 {
		t.Fatalf("enrolled %d, want 1", rep.Enrolled)
	}
	if got := f.mailer.sent(); !slices.Equal(got, []string{"new@example.org: Welcome to the community!"}) {
		t.Fatalf("sent %v", got)
	}
	for range 5 { // more ticks the same day change nothing
		f.clock.Advance(time.Minute)
		if rep := f.tick(t); rep.Enrolled != 0 || rep.Steps != 0 {
			t.Fatalf("extra tick did %+v", rep)
		}
	}
	f.clock.Advance(3 * 24 * time.Hour)
	f.tick(t)
	if got := f.mailer.sent(); len(got) != 2 || got[1] != "new@example.org: Getting started in the community" {
		t.Fatalf("sent %v", got)
	}
	f.clock.Advance(7 * 24 * time.Hour)
	f.tick(t)
	ts := f.openTasks(t)
	if len(ts) != 1 || ts[0].MemberID != m.ID || ts[0].Title != "Follow up with the new member" ||
		!ts[0].DueAt.Equal(f.clock.Now().AddDate(0, 0, 2)) || ts[0].Source != "automation:welcome" {
		t.Fatalf("tasks %+v", ts)
	}
	es := f.progress(t, WelcomeID)
	if len(es) != 1 || es[0].MemberID != m.ID || es[0].Status != StatusCompleted || len(es[0].History) != 5 {
		t.Fatalf("progress %+v", es)
	}
	for key, n := range f.mailer.calls {
		if n != 1 {
			t.Errorf("key %s sent %d times", key, n)
		}
	}
	if es, _ := f.svc.ForMember(context.Background(), old.ID); len(es) != 0 {
		t.Fatalf("member created before enabling was enrolled: %+v", es)
	}
}

func TestACrashWhileSendingNeverSendsTheStepTwice(t *testing.T) {
	for _, tc := range []struct {
		name  string
		crash bool
		fail  error
	}{
		{"killed after the mail left", true, nil},
		{"sender failed after the mail left", false, errs.New(errs.Unavailable, "smtp_unavailable", "smtp: timeout")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.enable(t, WelcomeID)
			f.clock.Advance(time.Minute)
			f.add(t, "new@example.org")
			f.mailer.crash, f.mailer.fail = tc.crash, tc.fail
			func() {
				defer func() { _ = recover() }()
				_, _ = f.svc.Tick(context.Background(), f.clock.Now())
			}()
			f.mailer.crash, f.mailer.fail = false, nil
			f.reopen(t)
			for range 3 {
				f.clock.Advance(time.Hour)
				f.tick(t)
			}
			f.clock.Advance(4 * 24 * time.Hour)
			f.tick(t)
			if got := f.mailer.sent(); len(got) != 2 {
				t.Fatalf("sent %v, want the two e-mails once each", got)
			}
			retried := 0
			for key, n := range f.mailer.delivered {
				if n != 1 {
					t.Errorf("key %s delivered %d times", key, n)
				}
				if f.mailer.calls[key] > 1 {
					retried++
				}
			}
			if retried != 1 {
				t.Errorf("%d keys retried, want the interrupted one replayed under its key", retried)
			}
			es := f.progress(t, WelcomeID)
			if len(es) != 1 || es[0].Step != 4 || es[0].History[0].Outcome != OutcomeDone {
				t.Fatalf("progress %+v", es)
			}
		})
	}
}

func TestAFailingStepIsRetriedLaterThenGivenUp(t *testing.T) {
	f := newFixture(t)
	f.enable(t, WelcomeID)
	f.clock.Advance(time.Minute)
	f.add(t, "new@example.org")
	f.svc.SetMailer(nil)
	rep := f.tick(t)
	if rep.Failures != 1 {
		t.Fatalf("report %+v", rep)
	}
	e := f.progress(t, WelcomeID)[0]
	if e.Status != StatusActive || e.LastError != "mailer_unavailable" || !e.NextAt.After(f.clock.Now()) {
		t.Fatalf("after a failure: %+v", e)
	}
	for range maxAttempts {
		f.clock.Advance(maxRetry)
		f.tick(t)
	}
	if e := f.progress(t, WelcomeID)[0]; e.Status != StatusFailed || e.Attempts != maxAttempts {
		t.Fatalf("after %d failures: %+v", maxAttempts, e)
	}
}

func TestTagAddedEnrolsOnlyMembersWhoGainTheTag(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	already := f.add(t, "already@example.org", "Bénévole")
	later := f.add(t, "later@example.org")
	a := f.save(t, Input{Name: "Volunteers", Trigger: Trigger{Kind: TriggerTagAdded, Tag: "benevole"}, Steps: []Step{
		{Kind: StepCreateTask, TaskTitle: "Send the volunteer guide", TaskDueDays: 1},
		{Kind: StepRemoveTag, Tag: "new"},
	}})
	f.tick(t)
	if es := f.progress(t, a.ID); len(es) != 0 {
		t.Fatalf("members already tagged were enrolled: %+v", es)
	}
	tags := []string{"bénévole", "new"}
	if _, err := f.members.Update(ctx, later.ID, members.Patch{Tags: &tags}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	f.tick(t)
	f.clock.Advance(time.Minute)
	f.tick(t)
	es := f.progress(t, a.ID)
	if len(es) != 1 || es[0].MemberID != later.ID || es[0].Status != StatusCompleted {
		t.Fatalf("progress %+v", es)
	}
	if ts := f.openTasks(t); len(ts) != 1 || ts[0].MemberID != later.ID {
		t.Fatalf("tasks %+v", ts)
	}
	if m, _ := f.members.Get(ctx, later.ID); !slices.Equal(m.Tags, []string{"bénévole"}) {
		t.Fatalf("tags %v", m.Tags)
	}
	_ = already
}

func TestAddTagStepTriggersAnotherAutomation(t *testing.T) {
	f := newFixture(t)
	first := f.save(t, Input{Name: "Tag newcomers", Trigger: Trigger{Kind: TriggerMemberCreated}, Steps: []Step{{Kind: StepAddTag, Tag: "newcomer"}}})
	second := f.save(t, Input{Name: "Greet newcomers", Trigger: Trigger{Kind: TriggerTagAdded, Tag: "newcomer"}, Steps: []Step{{Kind: StepCreateTask, TaskTitle: "Say hello"}}})
	f.tick(t) // baseline of the tag trigger
	f.clock.Advance(time.Minute)
	f.add(t, "a@example.org")
	f.tick(t)
	f.clock.Advance(time.Minute)
	f.tick(t)
	if len(f.progress(t, first.ID)) != 1 || len(f.progress(t, second.ID)) != 1 || len(f.openTasks(t)) != 1 {
		t.Fatalf("first %+v second %+v", f.progress(t, first.ID), f.progress(t, second.ID))
	}
}

func TestAnniversaryEnrolsMembersEachYearOnTheShiftedDay(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	in := func(email, since string) {
		if _, err := f.members.Create(ctx, members.CreateInput{Emails: []string{email}, CustomFields: map[string]string{"memberSince": since}}); err != nil {
			t.Fatal(err)
		}
	}
	in("a@example.org", "2024-05-11") // anniversary on 11 May: reminder on 4 May (7 days before)
	in("b@example.org", "12/05/2023") // 12 May: reminder on 5 May
	in("c@example.org", "2026-05-11") // joined this year: no anniversary yet
	in("d@example.org", "not a date") // ignored
	a := f.save(t, Input{Name: "Renewal", Trigger: Trigger{Kind: TriggerDateAnniversary, Field: "memberSince", Days: -7},
		Steps: []Step{{Kind: StepCreateTask, TaskTitle: "Remind about renewal", TaskDueDays: 7}}})
	f.tick(t)
	if got := f.progress(t, a.ID); len(got) != 1 || got[0].Occurrence != "2026" {
		t.Fatalf("4 May: %+v", got)
	}
	f.clock.Advance(time.Hour)
	f.tick(t)
	if got := f.progress(t, a.ID); len(got) != 1 {
		t.Fatalf("same day again: %+v", got)
	}
	// The app stays closed for two days: the missed day is caught up.
	f.clock.Advance(2 * 24 * time.Hour)
	f.tick(t)
	if got := f.progress(t, a.ID); len(got) != 2 {
		t.Fatalf("after catching up: %+v", got)
	}
	f.clock.Set(time.Date(2027, 5, 4, 9, 0, 0, 0, time.UTC))
	f.tick(t)
	// a's second anniversary, and c's first.
	if got := f.progress(t, a.ID); len(got) != 4 || got[0].Occurrence != "2027" || got[1].Occurrence != "2027" {
		t.Fatalf("next year: %+v", got)
	}
}

func TestConsentGrantedEnrolsMembersWhoConsentAfterEnabling(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before := f.add(t, "before@example.org")
	if _, err := f.consent.Grant(ctx, consent.Input{MemberID: before.ID, Purpose: "newsletter", By: "test"}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	a := f.save(t, Input{Name: "Newsletter welcome", Trigger: Trigger{Kind: TriggerConsentGranted, Purpose: "newsletter"},
		Steps: []Step{{Kind: StepSendEmail, Subject: "Thanks {{name}}", BodyMarkdown: "Hello {{name}}", Purpose: "newsletter"}}})
	f.clock.Advance(time.Minute)
	after := f.add(t, "after@example.org")
	if _, err := f.consent.Grant(ctx, consent.Input{MemberID: after.ID, Purpose: "newsletter", By: "test"}); err != nil {
		t.Fatal(err)
	}
	f.tick(t)
	es := f.progress(t, a.ID)
	if len(es) != 1 || es[0].MemberID != after.ID {
		t.Fatalf("progress %+v", es)
	}
	if got := f.mailer.sent(); !slices.Equal(got, []string{`after@example.org: Thanks N after@example.org`}) {
		t.Fatalf("sent %v", got)
	}
}

func TestEmailsNeedingConsentSkipMembersWithout(t *testing.T) {
	f := newFixture(t)
	a := f.save(t, Input{Name: "News", Trigger: Trigger{Kind: TriggerMemberCreated},
		Steps: []Step{{Kind: StepSendEmail, Subject: "News", BodyMarkdown: "…", Purpose: "newsletter"}}})
	f.clock.Advance(time.Minute)
	f.add(t, "a@example.org")
	f.tick(t)
	es := f.progress(t, a.ID)
	if len(f.mailer.sent()) != 0 || len(es) != 1 || es[0].History[0].Outcome != OutcomeSkippedNoConsent || es[0].Status != StatusCompleted {
		t.Fatalf("sent %v, progress %+v", f.mailer.sent(), es)
	}
}

func TestAMemberDeletedMidwayIsCancelled(t *testing.T) {
	f := newFixture(t)
	f.enable(t, WelcomeID)
	f.clock.Advance(time.Minute)
	m := f.add(t, "a@example.org")
	f.tick(t)
	if _, err := f.members.Delete(context.Background(), m.ID); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(4 * 24 * time.Hour)
	f.tick(t)
	if es := f.progress(t, WelcomeID); len(es) != 1 || es[0].Status != StatusCancelled {
		t.Fatalf("progress %+v", es)
	}
}

func TestErasureForgetsEnrolments(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.enable(t, WelcomeID)
	tagged := f.save(t, Input{Name: "VIP", Trigger: Trigger{Kind: TriggerTagAdded, Tag: "vip"}, Steps: []Step{{Kind: StepWait, Days: 1}}})
	f.tick(t)
	f.clock.Advance(time.Minute)
	m := f.add(t, "a@example.org", "vip")
	f.tick(t)
	if len(f.progress(t, WelcomeID)) != 1 || len(f.progress(t, tagged.ID)) != 1 {
		t.Fatal("not enrolled")
	}
	_, err := f.members.Erase(ctx, m.ID, members.EraseOptions{Suppress: true, Also: func(tx *store.Tx) error {
		return errors.Join(ForgetMember(tx, m.ID), tasks.ForgetMember(tx, m.ID))
	}})
	if err != nil {
		t.Fatal(err)
	}
	if es := f.progress(t, WelcomeID); len(es) != 0 {
		t.Fatalf("progress after erasure %+v", es)
	}
	c, err := f.svc.cursor(tagged)
	if err != nil || slices.Contains(c.Tagged, m.ID) {
		t.Fatalf("tag checkpoint still names the member: %+v %v", c, err)
	}
	f.clock.Advance(30 * 24 * time.Hour)
	f.tick(t)
	if len(f.mailer.sent()) != 1 {
		t.Fatalf("sent %v", f.mailer.sent())
	}
}

func TestSaveReportsEveryInvalidFieldByItsPath(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Save(context.Background(), Input{
		Trigger: Trigger{Kind: TriggerTagAdded},
		Steps:   []Step{{Kind: StepWait}, {Kind: StepSendEmail, Subject: "x"}, {Kind: "fly"}},
	})
	e := errs.From(err)
	var got []string
	for _, fe := range e.Fields {
		got = append(got, fe.Field+":"+fe.Code)
	}
	want := []string{"name:required", "trigger.tag:required", "steps[0].days:min", "steps[1].bodyMarkdown:required", "steps[2].kind:oneof"}
	if e.Kind != errs.Invalid || !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestEditingKeepsStepIDsSoSentStepsAreNotResent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.enable(t, WelcomeID)
	f.clock.Advance(time.Minute)
	f.add(t, "a@example.org")
	f.tick(t)
	w, err := f.svc.Get(ctx, WelcomeID)
	if err != nil {
		t.Fatal(err)
	}
	in := Input{ID: w.ID, Name: "Hello", Trigger: w.Trigger, Steps: w.Steps}
	in.Steps[0].Subject = "Edited welcome"
	if _, err := f.svc.Save(ctx, in); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(4 * 24 * time.Hour)
	f.tick(t)
	if got := f.mailer.sent(); len(got) != 2 || got[1] != "a@example.org: Getting started in the community" {
		t.Fatalf("sent %v", got)
	}
}

// An e-mail whose earlier sending was cut off may have arrived: the mailer refuses to send it
// again (MailUncertain), and the sequence goes on with the step marked uncertain rather than
// retrying and failing.
func TestAnUncertainEmailIsNotRetriedAndTheSequenceGoesOn(t *testing.T) {
	f := newFixture(t)
	a := f.save(t, Input{Name: "Welcome", Trigger: Trigger{Kind: TriggerMemberCreated},
		Steps: []Step{
			{Kind: StepSendEmail, Subject: "Welcome", BodyMarkdown: "…"},
			{Kind: StepAddTag, Tag: "welcomed"},
		}})
	f.clock.Advance(time.Minute)
	m := f.add(t, "a@example.org")
	f.mailer.fail = errs.New(errs.Conflict, MailUncertain, "cut off")
	f.tick(t)
	es := f.progress(t, a.ID)
	if len(es) != 1 || es[0].Status != StatusCompleted || es[0].History[0].Outcome != OutcomeUncertain || es[0].Attempts != 0 {
		t.Fatalf("progress %+v", es)
	}
	got, err := f.members.Get(context.Background(), m.ID)
	if err != nil || !slices.Contains(got.Tags, "welcomed") {
		t.Fatalf("the next step did not run: %+v %v", got, err)
	}
}
