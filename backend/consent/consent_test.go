package consent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hearth/backend/internal/storetest"
	"slices"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/store"
)

var t0 = time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)

type fixture struct {
	svc   *Service
	st    *store.Store
	dir   string
	clock *clock.Manual
	rec   *notify.Recorder
	opts  []Option
}

// newTestService runs the consent service on a real Badger in a temporary directory.
func newTestService(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: clock.NewManual(t0), rec: &notify.Recorder{}, opts: opts}
	f.open(t)
	return f
}

func (f *fixture) open(t *testing.T) {
	t.Helper()
	st := storetest.Open(t, f.dir, f.clock)
	f.st = st
	f.svc = NewService(st, f.clock, f.rec, f.opts...)
}

func (f *fixture) reopen(t *testing.T) {
	t.Helper()
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	f.open(t)
}

// record writes one event and fails the test if it is refused.
func (f *fixture) record(t *testing.T, kind Kind, in Input) Status {
	t.Helper()
	if in.By == "" {
		in.By = "test"
	}
	write := f.svc.Grant
	if kind == Withdrawn {
		write = f.svc.Withdraw
	}
	st, err := write(context.Background(), in)
	if err != nil {
		t.Fatalf("%s %+v: %v", kind, in, err)
	}
	return st
}

func (f *fixture) state(t *testing.T, member, purpose string, at time.Time) Status {
	t.Helper()
	st, err := f.svc.State(context.Background(), member, purpose, at)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func months(n int) *int { return &n }

func fieldCodes(err error) map[string]string {
	out := map[string]string{}
	for _, f := range errs.From(err).Fields {
		out[f.Field] = f.Code
	}
	return out
}

func TestStateIsDecidedByTheLatestEventAtOrBeforeT(t *testing.T) {
	type step struct {
		kind Kind
		at   time.Time
	}
	day := 24 * time.Hour
	cases := []struct {
		name      string
		expiry    *int // nil: never
		steps     []step
		at        time.Time
		want      State
		wantSince time.Time
	}{
		{name: "no events is none", at: t0, want: StateNone},
		{name: "a grant is granted", steps: []step{{Granted, t0}}, at: t0.Add(day), want: StateGranted, wantSince: t0},
		{name: "a grant then a withdrawal is withdrawn",
			steps: []step{{Granted, t0}, {Withdrawn, t0.Add(day)}}, at: t0.Add(2 * day), want: StateWithdrawn, wantSince: t0.Add(day)},
		{name: "a withdrawal then a new grant is granted",
			steps: []step{{Granted, t0}, {Withdrawn, t0.Add(day)}, {Granted, t0.Add(2 * day)}}, at: t0.Add(3 * day), want: StateGranted, wantSince: t0.Add(2 * day)},
		{name: "events after T are ignored",
			steps: []step{{Granted, t0}, {Withdrawn, t0.Add(2 * day)}}, at: t0.Add(day), want: StateGranted, wantSince: t0},
		{name: "a grant recorded after T is ignored", steps: []step{{Granted, t0}}, at: t0.Add(-time.Nanosecond), want: StateNone},
		{name: "an event exactly at T counts", steps: []step{{Granted, t0}}, at: t0, want: StateGranted, wantSince: t0},
		{name: "a grant is still valid one second before it expires", expiry: months(24),
			steps: []step{{Granted, t0}}, at: t0.AddDate(2, 0, 0).Add(-time.Second), want: StateGranted, wantSince: t0},
		{name: "a grant expires at exactly the boundary", expiry: months(24),
			steps: []step{{Granted, t0}}, at: t0.AddDate(2, 0, 0), want: StateExpired, wantSince: t0.AddDate(2, 0, 0)},
		{name: "a purpose's own expiry applies", expiry: months(6),
			steps: []step{{Granted, t0}}, at: t0.AddDate(0, 6, 0), want: StateExpired, wantSince: t0.AddDate(0, 6, 0)},
		{name: "a purpose that never expires keeps a grant forever", expiry: months(0),
			steps: []step{{Granted, t0}}, at: t0.AddDate(30, 0, 0), want: StateGranted, wantSince: t0},
		{name: "a withdrawal after expiry is withdrawn", expiry: months(24),
			steps: []step{{Granted, t0}, {Withdrawn, t0.AddDate(3, 0, 0)}}, at: t0.AddDate(4, 0, 0), want: StateWithdrawn, wantSince: t0.AddDate(3, 0, 0)},
		{name: "a new grant after expiry is granted again", expiry: months(24),
			steps: []step{{Granted, t0}, {Granted, t0.AddDate(3, 0, 0)}}, at: t0.AddDate(4, 0, 0), want: StateGranted, wantSince: t0.AddDate(3, 0, 0)},
		{name: "at the same instant the event recorded last wins",
			steps: []step{{Granted, t0}, {Withdrawn, t0}}, at: t0, want: StateWithdrawn, wantSince: t0},
		{name: "a backdated event recorded last does not beat a later one",
			steps: []step{{Withdrawn, t0.Add(day)}, {Granted, t0}}, at: t0.Add(2 * day), want: StateWithdrawn, wantSince: t0.Add(day)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newTestService(t)
			f.clock.Set(t0.AddDate(40, 0, 0)) // every step is in the past
			if _, err := f.svc.SavePurpose(context.Background(), PurposeInput{ID: "newsletter", ExpiryMonths: c.expiry}); err != nil {
				t.Fatal(err)
			}
			for _, s := range c.steps {
				f.record(t, s.kind, Input{MemberID: "M1", Purpose: "newsletter", At: s.at})
			}
			f.record(t, Granted, Input{MemberID: "M1", Purpose: "analytics", At: c.at}) // another purpose never counts
			f.record(t, Withdrawn, Input{MemberID: "M2", Purpose: "newsletter", At: c.at})
			got := f.state(t, "M1", "newsletter", c.at)
			if got.State != c.want || !got.Since.Equal(c.wantSince) || got.Purpose != "newsletter" {
				t.Fatalf("got %s since %s, want %s since %s", got.State, got.Since, c.want, c.wantSince)
			}
			allowed, err := f.svc.Allowed(context.Background(), "M1", "newsletter", c.at)
			if err != nil || allowed != (c.want == StateGranted) {
				t.Fatalf("Allowed = %v, %v", allowed, err)
			}
		})
	}
}

func TestStatusCarriesTheDecidingEventsDetails(t *testing.T) {
	f := newTestService(t)
	if _, err := f.svc.PublishNotice(context.Background(), NoticeInput{Purpose: "newsletter", Version: "v1", Text: "We send a monthly letter.", PublishedAt: t0.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	got := f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter", Method: MethodForm, By: "window", Source: "AGM sign-up sheet", NoticeVersion: "v1",
		Proof: Proof{IP: "192.0.2.7", FormData: map[string]string{"newsletter": "yes"}}})
	want := Status{Purpose: "newsletter", State: StateGranted, Since: t0, Method: MethodForm,
		Source: "AGM sign-up sheet", By: "window", NoticeVersion: "v1", EventID: got.EventID}
	if got != want || got.EventID == "" {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	h, err := f.svc.History(context.Background(), "M1")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte("We send a monthly letter."))
	if len(h) != 1 || h[0].NoticeSHA256 != hex.EncodeToString(sum[:]) || h[0].Proof.IP != "192.0.2.7" ||
		h[0].Proof.FormData["newsletter"] != "yes" || !h[0].RecordedAt.Equal(t0) {
		t.Fatalf("history %+v", h)
	}
}

func TestAZeroTimeMeansNowFromTheClock(t *testing.T) {
	f := newTestService(t)
	if _, err := f.svc.SavePurpose(context.Background(), PurposeInput{ID: "newsletter", ExpiryMonths: months(24)}); err != nil {
		t.Fatal(err)
	}
	st := f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter"})
	if !st.Since.Equal(t0) || st.Method != MethodManual {
		t.Fatalf("got %+v, want since %s by the manual method", st, t0)
	}
	f.clock.Advance(25 * 30 * 24 * time.Hour)
	if got := f.state(t, "M1", "newsletter", time.Time{}); got.State != StateExpired {
		t.Fatalf("two years later: %+v", got)
	}
}

func TestUnknownPurposeIsRejectedNamingTheField(t *testing.T) {
	f := newTestService(t)
	_, err := f.svc.Grant(context.Background(), Input{MemberID: "M1", Purpose: "telemarketing", By: "test"})
	if !errors.Is(err, errs.Invalid) || fieldCodes(err)["purpose"] != "unknown_purpose" {
		t.Fatalf("grant: %v", err)
	}
	if p := errs.From(err).Fields[0].Params; p["known"] != "newsletter, event_reminders, analytics, partner_sharing" {
		t.Fatalf("params %v", p)
	}
	if _, err := f.svc.State(context.Background(), "M1", "telemarketing", t0); fieldCodes(err)["purpose"] != "unknown_purpose" {
		t.Fatalf("state: %v", err)
	}
	if h, _ := f.svc.History(context.Background(), "M1"); len(h) != 0 {
		t.Fatalf("a refused grant was written: %+v", h)
	}
}

func TestInvalidInputNamesEveryFieldAtFault(t *testing.T) {
	f := newTestService(t)
	_, err := f.svc.Grant(context.Background(), Input{Purpose: "Not A Slug", Method: "telepathy", At: t0.Add(time.Hour),
		Proof: Proof{IP: "999.1.1.1", Row: -1}})
	want := map[string]string{"memberId": "required", "purpose": "slug", "method": "oneof", "by": "required",
		"proof.ip": "ip", "proof.row": "min", "at": "future"}
	if got := fieldCodes(err); !errors.Is(err, errs.Invalid) || len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	} else {
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s: got %q, want %q", k, got[k], v)
			}
		}
	}
	if _, err := f.svc.Grant(context.Background(), Input{MemberID: "M1", Purpose: "newsletter", By: "test", At: t0.Add(maxClockSkew)}); err != nil {
		t.Fatalf("a clock a few minutes fast must be tolerated: %v", err)
	}
}

func TestAWithdrawalWithoutAnyGrantIsStillRecorded(t *testing.T) {
	f := newTestService(t)
	st := f.record(t, Withdrawn, Input{MemberID: "M1", Purpose: "partner_sharing", Source: "phone call"})
	if st.State != StateWithdrawn || st.Source != "phone call" {
		t.Fatalf("got %+v", st)
	}
	if h, _ := f.svc.History(context.Background(), "M1"); len(h) != 1 || h[0].Kind != Withdrawn {
		t.Fatalf("history %+v", h)
	}
}

func TestHistoryIsChronologicalWhateverTheRecordingOrder(t *testing.T) {
	f := newTestService(t)
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter", At: t0.Add(-1 * time.Hour), Source: "c"})
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "analytics", At: t0.Add(-3 * time.Hour), Source: "a"})
	f.record(t, Granted, Input{MemberID: "M2", Purpose: "analytics", At: t0.Add(-4 * time.Hour), Source: "other member"})
	f.record(t, Withdrawn, Input{MemberID: "M1", Purpose: "newsletter", At: t0.Add(-2 * time.Hour), Source: "b"})
	f.record(t, Withdrawn, Input{MemberID: "M1", Purpose: "analytics", At: t0.Add(-1 * time.Hour), Source: "d"})
	h, err := f.svc.History(context.Background(), "M1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range h {
		got = append(got, e.Source)
	}
	if !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Fatalf("history order %v", got)
	}
}

func TestEventsSurviveCloseAndReopen(t *testing.T) {
	f := newTestService(t)
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter", At: t0.Add(-time.Hour)})
	f.record(t, Withdrawn, Input{MemberID: "M1", Purpose: "event_reminders"})
	f.reopen(t)
	sum, err := f.svc.Summary(context.Background(), "M1", t0)
	if err != nil {
		t.Fatal(err)
	}
	var got []State
	for _, s := range sum {
		got = append(got, s.State)
	}
	if !slices.Equal(got, []State{StateGranted, StateWithdrawn, StateNone, StateNone}) {
		t.Fatalf("after reopen: %+v", sum)
	}
}

func TestBuiltinPurposesAreSeededOnceAndStayEdited(t *testing.T) {
	f := newTestService(t)
	ps, err := f.svc.Purposes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range ps {
		ids = append(ids, p.ID)
		if !p.Builtin || p.Name != "" || p.ExpiryMonths != nil || p.Archived {
			t.Errorf("seeded %+v", p)
		}
	}
	if !slices.Equal(ids, BuiltinPurposes) {
		t.Fatalf("seeded %v", ids)
	}
	if _, err := f.svc.SavePurpose(context.Background(), PurposeInput{ID: "partner_sharing", Archived: true}); err != nil {
		t.Fatal(err)
	}
	f.reopen(t)
	ps, _ = f.svc.Purposes(context.Background())
	if len(ps) != 4 || !ps[3].Archived {
		t.Fatalf("an archived built-in came back after reopening: %+v", ps)
	}
}

func TestPurposesCanBeCreatedRenamedDescribedAndArchived(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	p, err := f.svc.SavePurpose(ctx, PurposeInput{Name: "  Ateliers d'été ", Description: "Invitations aux ateliers", ExpiryMonths: months(12)})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != "ateliers_d_ete" || p.Name != "Ateliers d'été" || *p.ExpiryMonths != 12 || p.Builtin || !p.CreatedAt.Equal(t0) {
		t.Fatalf("created %+v", p)
	}
	again, err := f.svc.SavePurpose(ctx, PurposeInput{Name: "Ateliers d’été"})
	if err != nil || again.ID != "ateliers_d_ete_2" {
		t.Fatalf("a second purpose with the same name: %+v %v", again, err)
	}
	f.clock.Advance(time.Hour)
	renamed, err := f.svc.SavePurpose(ctx, PurposeInput{ID: "newsletter", Name: "La Gazette", Description: "Monthly"})
	if err != nil || renamed.Name != "La Gazette" || !renamed.Builtin || !renamed.CreatedAt.Equal(t0) || !renamed.UpdatedAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("renamed %+v %v", renamed, err)
	}
	if _, err := f.svc.SavePurpose(ctx, PurposeInput{ID: "ateliers_d_ete", Name: "Ateliers d'été", Archived: true}); err != nil {
		t.Fatal(err)
	}
	sum, _ := f.svc.Summary(ctx, "M1", t0)
	for _, s := range sum {
		if s.Purpose == "ateliers_d_ete" {
			t.Fatalf("an archived purpose is in the summary: %+v", sum)
		}
	}
	if len(sum) != 5 {
		t.Fatalf("summary %+v, want the 4 built-ins and ateliers_d_ete_2", sum)
	}
	_, err = f.svc.Grant(ctx, Input{MemberID: "M1", Purpose: "ateliers_d_ete", By: "test"})
	if fieldCodes(err)["purpose"] != "archived" {
		t.Fatalf("grant to an archived purpose: %v", err)
	}
	if st := f.record(t, Withdrawn, Input{MemberID: "M1", Purpose: "ateliers_d_ete"}); st.State != StateWithdrawn {
		t.Fatalf("withdrawing from an archived purpose: %+v", st)
	}
	for _, bad := range []PurposeInput{{Name: ""}, {ID: "Bad Id", Name: "x"}, {Name: "x", ExpiryMonths: months(-1)}, {Name: "a\x00b"}} {
		if _, err := f.svc.SavePurpose(ctx, bad); !errors.Is(err, errs.Invalid) {
			t.Errorf("%+v: got %v, want invalid", bad, err)
		}
	}
	if ev := f.rec.Events(); len(ev) == 0 || ev[0].Name != EventPurposesChanged {
		t.Fatalf("events %+v", ev)
	}
}

func TestAPurposesExpiryIsTheRuleTheLedgerApplies(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter"})
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "analytics"})
	p, err := f.svc.SavePurpose(ctx, PurposeInput{ID: "analytics", ExpiryMonths: months(24)})
	if err != nil || p.Expiry() != 24 || !p.ExpiresAt(t0).Equal(t0.AddDate(2, 0, 0)) {
		t.Fatalf("saved %+v %v", p, err)
	}
	at := t0.AddDate(2, 6, 0)
	if got := f.state(t, "M1", "newsletter", at); got.State != StateGranted || !got.ExpiresAt.IsZero() {
		t.Fatalf("newsletter has no expiry: %+v", got)
	}
	if got := f.state(t, "M1", "analytics", at); got.State != StateExpired || !got.Since.Equal(t0.AddDate(2, 0, 0)) {
		t.Fatalf("analytics keeps its own 24 months: %+v", got)
	}
	// Back to never: 0 and null are the same rule, stored one way.
	p, err = f.svc.SavePurpose(ctx, PurposeInput{ID: "analytics", ExpiryMonths: months(0)})
	if err != nil || p.ExpiryMonths != nil || p.Expiry() != 0 || !p.ExpiresAt(t0).IsZero() {
		t.Fatalf("never: %+v %v", p, err)
	}
	if got := f.state(t, "M1", "analytics", at); got.State != StateGranted {
		t.Fatalf("analytics without expiry: %+v", got)
	}
	if got, err := f.svc.Purpose(ctx, "analytics"); err != nil || got.ExpiryMonths != nil {
		t.Fatalf("Purpose: %+v %v", got, err)
	}
	if _, err := f.svc.Purpose(ctx, "telemarketing"); fieldCodes(err)["purpose"] != "unknown_purpose" {
		t.Fatalf("Purpose of an unknown id: %v", err)
	}
}

func TestAnExpiryOutsideZeroToAHundredYearsIsRefusedNamingTheField(t *testing.T) {
	f := newTestService(t)
	for n, code := range map[int]string{-1: "expiry_range", 1201: "expiry_range"} {
		_, err := f.svc.SavePurpose(context.Background(), PurposeInput{ID: "newsletter", ExpiryMonths: months(n)})
		if !errors.Is(err, errs.Invalid) || fieldCodes(err)["expiryMonths"] != code {
			t.Errorf("%d months: %v, want expiryMonths %s", n, err, code)
		}
	}
	_, err := f.svc.SavePurpose(context.Background(), PurposeInput{ID: "Bad Id", Name: "x", ExpiryMonths: months(-3)})
	if got := fieldCodes(err); got["id"] != "slug" || got["expiryMonths"] != "expiry_range" {
		t.Fatalf("every field at fault is named: %v", got)
	}
}

func TestNoticesAreHashedAppendOnlyAndCheckedOnGrant(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	text := "Nous vous écrivons une fois par mois.\r\nDésinscription en un clic.\n"
	n, err := f.svc.PublishNotice(ctx, NoticeInput{Purpose: "newsletter", Version: "2026-05", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(text))
	if n.SHA256 != hex.EncodeToString(sum[:]) || n.Text != text || !n.PublishedAt.Equal(t0) || n.ID == "" {
		t.Fatalf("published %+v", n)
	}
	_, err = f.svc.PublishNotice(ctx, NoticeInput{Purpose: "newsletter", Version: "2026-05", Text: "changed"})
	if !errors.Is(err, errs.Conflict) || fieldCodes(err)["version"] != "version_taken" {
		t.Fatalf("republishing a version: %v", err)
	}
	if _, err := f.svc.PublishNotice(ctx, NoticeInput{Purpose: "analytics", Version: "2026-05", Text: "other purpose, same label"}); err != nil {
		t.Fatalf("the same label for another purpose: %v", err)
	}
	old, err := f.svc.PublishNotice(ctx, NoticeInput{Purpose: "newsletter", Version: "2025", Text: "old text", PublishedAt: t0.AddDate(-1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := f.svc.Notices(ctx, "newsletter")
	if err != nil || len(ns) != 2 || ns[0].ID != old.ID || ns[1].ID != n.ID {
		t.Fatalf("notices %+v %v", ns, err)
	}
	for _, c := range []struct {
		in    NoticeInput
		field string
		code  string
	}{
		{NoticeInput{Purpose: "telemarketing", Version: "1", Text: "x"}, "purpose", "unknown_purpose"},
		{NoticeInput{Purpose: "newsletter", Version: "", Text: "x"}, "version", "required"},
		{NoticeInput{Purpose: "newsletter", Version: "3", Text: "  \n"}, "text", "required"},
	} {
		if _, err := f.svc.PublishNotice(ctx, c.in); fieldCodes(err)[c.field] != c.code {
			t.Errorf("%+v: got %v, want %s %s", c.in, err, c.field, c.code)
		}
	}

	_, err = f.svc.Grant(ctx, Input{MemberID: "M1", Purpose: "newsletter", By: "test", NoticeVersion: "v9"})
	if fieldCodes(err)["noticeVersion"] != "unknown_notice_version" {
		t.Fatalf("unknown notice version: %v", err)
	}
	_, err = f.svc.Grant(ctx, Input{MemberID: "M1", Purpose: "newsletter", By: "test", NoticeVersion: "2026-05", At: t0.AddDate(0, -1, 0)})
	if fieldCodes(err)["noticeVersion"] != "not_yet_published" {
		t.Fatalf("consent under a notice published later: %v", err)
	}
	st := f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter", NoticeVersion: "2025", At: t0.AddDate(0, -1, 0)})
	if st.NoticeVersion != "2025" {
		t.Fatalf("got %+v", st)
	}
}

func TestForgetMemberDeletesOnlyThatMembersEvents(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter"})
	f.record(t, Withdrawn, Input{MemberID: "M1", Purpose: "analytics"})
	f.record(t, Granted, Input{MemberID: "M2", Purpose: "newsletter"})
	if err := f.st.UpdateDurable(ctx, func(tx *store.Tx) error { return ForgetMember(tx, "M1") }); err != nil {
		t.Fatal(err)
	}
	if h, err := f.svc.History(ctx, "M1"); err != nil || len(h) != 0 {
		t.Fatalf("M1 history after forgetting: %+v %v", h, err)
	}
	if got := f.state(t, "M1", "newsletter", time.Time{}); got.State != StateNone {
		t.Fatalf("M1 state after forgetting: %+v", got)
	}
	if h, _ := f.svc.History(ctx, "M2"); len(h) != 1 {
		t.Fatalf("M2 lost evidence: %+v", h)
	}
	var left int
	_ = f.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, events, func(string, Event, store.Meta) error { left++; return nil })
	})
	if left != 1 {
		t.Fatalf("%d live events, want 1", left)
	}
}

func TestErasureLeavesNoReadableEvidenceAndTheLedgerStillReads(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter", Source: "sign-up sheet"})
	f.record(t, Granted, Input{MemberID: "M2", Purpose: "newsletter"})
	err := f.st.EraseSubjects(ctx, []string{"M1"}, func(tx *store.Tx) error { return ForgetMember(tx, "M1") })
	if err != nil {
		t.Fatal(err)
	}
	f.reopen(t)
	if h, err := f.svc.History(ctx, "M1"); err != nil || len(h) != 0 {
		t.Fatalf("M1 after erasure: %+v %v", h, err)
	}
	if got := f.state(t, "M2", "newsletter", time.Time{}); got.State != StateGranted {
		t.Fatalf("M2 after M1's erasure: %+v", got)
	}
}

func TestEventsWhoseKeyWasDestroyedAreSkippedNotFatal(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter"})
	// An erasure that shredded the key without deleting the events (or raced with a grant).
	if err := f.st.EraseSubjects(ctx, []string{"M1"}, func(*store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if got := f.state(t, "M1", "newsletter", time.Time{}); got.State != StateNone {
		t.Fatalf("got %+v", got)
	}
}

func TestRecordManyWritesNothingIfAnyRowIsInvalid(t *testing.T) {
	f := newTestService(t, WithMemberCheck(func(_ *store.Tx, id string) error {
		if id == "ghost" {
			return errs.New(errs.NotFound, "member_not_found", "members: no member "+id)
		}
		return nil
	}))
	ins := []Input{
		{MemberID: "M1", Purpose: "newsletter", By: "list.csv"},
		{MemberID: "M2", Purpose: "newsletter", By: "list.csv", Proof: Proof{IP: "nope"}},
		{MemberID: "M3", Purpose: "telemarketing", By: "list.csv"},
		{MemberID: "ghost", Purpose: "newsletter", By: "list.csv"},
	}
	err := f.svc.RecordMany(context.Background(), Granted, ins, nil)
	if got := fieldCodes(err); got["[1].proof.ip"] != "ip" || len(got) != 1 {
		t.Fatalf("per-row validation: %v", got)
	}
	ins[1].Proof.IP = "2001:db8::1"
	err = f.svc.RecordMany(context.Background(), Granted, ins, nil)
	if got := fieldCodes(err); got["[2].purpose"] != "unknown_purpose" || got["[3].memberId"] != "member_not_found" || len(got) != 2 {
		t.Fatalf("checks against the workspace: %v", got)
	}
	if h, _ := f.svc.History(context.Background(), "M1"); len(h) != 0 {
		t.Fatalf("row 0 was written although row 2 is invalid: %+v", h)
	}
	if len(f.rec.Events()) != 0 {
		t.Fatalf("events %+v", f.rec.Events())
	}
}

func TestRecordManyCommitsInChunksAndReportsProgress(t *testing.T) {
	f := newTestService(t)
	ins := make([]Input, 600)
	for i := range ins {
		ins[i] = Input{MemberID: fmt.Sprintf("M%03d", i), Purpose: "newsletter", Method: MethodImport, By: "audience.csv",
			At: t0.Add(-time.Duration(i) * time.Minute), Proof: Proof{File: "audience.csv", Row: i + 2}}
	}
	var done []int
	if err := f.svc.RecordMany(context.Background(), Granted, ins, func(n int) { done = append(done, n) }); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(done, []int{256, 512, 600}) {
		t.Fatalf("progress %v", done)
	}
	f.reopen(t)
	if got := f.state(t, "M599", "newsletter", time.Time{}); got.State != StateGranted || got.Method != MethodImport {
		t.Fatalf("last row %+v", got)
	}
	if h, _ := f.svc.History(context.Background(), "M010"); len(h) != 1 || h[0].Proof.Row != 12 {
		t.Fatalf("row 10 %+v", h)
	}
	if ev := f.rec.Events(); len(ev) != 1 || ev[0].Payload != (ChangedEvent{}) {
		t.Fatalf("want one batch announcement, got %+v", ev)
	}
}

func TestWritesAnnounceTheMemberWhoseConsentChanged(t *testing.T) {
	f := newTestService(t)
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter"})
	ev := f.rec.Events()
	if len(ev) != 1 || ev[0].Name != EventChanged || ev[0].Payload != (ChangedEvent{MemberID: "M1"}) {
		t.Fatalf("events %+v", ev)
	}
}

func TestAMemberCheckRefusesUnknownMembersInsideTheTransaction(t *testing.T) {
	live := map[string]bool{"M1": true}
	f := newTestService(t, WithMemberCheck(func(_ *store.Tx, id string) error {
		if !live[id] {
			return errs.New(errs.NotFound, "member_not_found", "members: no member "+id)
		}
		return nil
	}))
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter"})
	_, err := f.svc.Withdraw(context.Background(), Input{MemberID: "ghost", Purpose: "newsletter", By: "test"})
	if !errors.Is(err, errs.NotFound) || errs.From(err).Code != "member_not_found" {
		t.Fatalf("withdraw for nobody: %v", err)
	}
	if len(f.rec.Events()) != 1 {
		t.Fatalf("a refused write was announced: %+v", f.rec.Events())
	}
}

func TestDeriveIsIndependentOfTheSliceOrder(t *testing.T) {
	evs := []Event{
		{ID: "02", Purpose: "p", Kind: Withdrawn, At: t0},
		{ID: "01", Purpose: "p", Kind: Granted, At: t0},
		{ID: "03", Purpose: "p", Kind: Granted, At: t0.Add(-time.Hour)},
	}
	for i := 0; i < 3; i++ {
		if got := derive(evs, Purpose{ID: "p"}, t0); got.State != StateWithdrawn || got.EventID != "02" {
			t.Fatalf("rotation %d: %+v", i, got)
		}
		evs = append(evs[1:], evs[0])
	}
}

// mailchimpOptIn is a 2023 opt-in, as a Mailchimp audience export carries it.
var mailchimpOptIn = time.Date(2023, 3, 12, 9, 30, 0, 0, time.UTC)

func TestAGrantNeverExpiresWhenItsPurposeSetsNoExpiry(t *testing.T) {
	f := newTestService(t)
	f.clock.Set(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter", At: mailchimpOptIn, Method: MethodImport})
	got := f.state(t, "M1", "newsletter", time.Time{})
	if got.State != StateGranted || !got.ExpiresAt.IsZero() {
		t.Fatalf("a 2023 opt-in under a purpose with no expiry: %+v", got)
	}
}

func TestAWorkspaceSeededWithTheOld24MonthDefaultDoesNotExpireItsGrants(t *testing.T) {
	f := newTestService(t)
	// The settings record every workspace was seeded with before the purpose's own expiry
	// became the only rule.
	legacy := &store.Collection[struct {
		DefaultExpiryMonths int `json:"defaultExpiryMonths"`
	}]{Name: "consent_settings"}
	if _, err := f.svc.Purposes(context.Background()); err != nil { // the built-ins are seeded
		t.Fatal(err)
	}
	err := f.st.Update(context.Background(), func(tx *store.Tx) error {
		_, err := store.Put(tx, legacy, "workspace", struct {
			DefaultExpiryMonths int `json:"defaultExpiryMonths"`
		}{24})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.reopen(t)
	f.record(t, Granted, Input{MemberID: "M1", Purpose: "newsletter", At: mailchimpOptIn, Method: MethodImport})
	f.clock.Set(time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
	if got := f.state(t, "M1", "newsletter", time.Time{}); got.State != StateGranted {
		t.Fatalf("the old workspace default expired a grant: %+v", got)
	}
	ps, err := f.svc.Purposes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != len(BuiltinPurposes) || ps[0].ExpiryMonths != nil {
		t.Fatalf("purposes of a workspace seeded before: %+v", ps)
	}
}

func TestAnExpiryCheckCountsGrantsExpiredUnderEachPurposesRuleWithTheirDates(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	if _, err := f.svc.SavePurpose(ctx, PurposeInput{ID: "newsletter", ExpiryMonths: months(24)}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	c, err := f.svc.ExpiryCheck(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	march, may := time.Date(2023, 3, 12, 9, 0, 0, 0, time.UTC), time.Date(2023, 5, 3, 9, 0, 0, 0, time.UTC)
	for _, g := range []struct {
		purpose string
		at      time.Time
		want    bool
	}{
		{"newsletter", may, true},
		{"newsletter", march, true},
		{"newsletter", time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), true}, // the boundary instant is expired
		{"newsletter", time.Date(2023, 7, 1, 0, 0, 0, 0, time.UTC), false},
		{"analytics", march, false}, // no expiry
		{"telemarketing", march, false},
	} {
		if got := c.Grant(g.purpose, g.at); got != g.want {
			t.Errorf("%s granted %s: expired = %v, want %v", g.purpose, g.at, got, g.want)
		}
	}
	want := []Lapsed{{Purpose: "newsletter", ExpiryMonths: 24, Count: 3, First: march.AddDate(2, 0, 0), Last: now}}
	if l := c.Lapsed(); !slices.Equal(l, want) {
		t.Fatalf("lapsed %+v\nwant   %+v", l, want)
	}
}

// TestGrantedAmongCountsWhatAllowedAnswers builds a ledger of 60 members with grants,
// withdrawals, re-grants, a grant recorded after the instant asked, another purpose and an
// expiring purpose, and expects GrantedAmong to count, at several instants and over several
// sets of members, exactly the members Allowed says yes for.
func TestGrantedAmongCountsWhatAllowedAnswers(t *testing.T) {
	f := newTestService(t)
	ctx := context.Background()
	if _, err := f.svc.SavePurpose(ctx, PurposeInput{ID: "newsletter", ExpiryMonths: months(6)}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 60 {
		m := fmt.Sprintf("M%02d", i)
		ids = append(ids, m)
		at := t0.Add(-time.Duration(i) * 24 * time.Hour * 7)
		switch i % 6 {
		case 0:
			f.record(t, Granted, Input{MemberID: m, Purpose: "newsletter", At: at})
		case 1:
			f.record(t, Granted, Input{MemberID: m, Purpose: "newsletter", At: at})
			f.record(t, Withdrawn, Input{MemberID: m, Purpose: "newsletter", At: at.Add(time.Hour)})
		case 2:
			f.record(t, Withdrawn, Input{MemberID: m, Purpose: "newsletter", At: at})
			f.record(t, Granted, Input{MemberID: m, Purpose: "newsletter", At: at.Add(48 * time.Hour)})
		case 3:
			f.record(t, Granted, Input{MemberID: m, Purpose: "analytics", At: at})
		case 4:
			f.record(t, Granted, Input{MemberID: m, Purpose: "newsletter", At: t0.Add(-time.Hour)})
		}
	}
	for _, at := range []time.Time{t0, t0.Add(-30 * 24 * time.Hour), t0.Add(-200 * 24 * time.Hour), t0.Add(365 * 24 * time.Hour)} {
		for _, set := range [][]string{ids, ids[:17], ids[40:], {"M00", "nobody"}, nil} {
			want := 0
			for _, id := range set {
				ok, err := f.svc.Allowed(ctx, id, "newsletter", at)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					want++
				}
			}
			got, err := f.svc.GrantedAmong(ctx, set, "newsletter", at)
			if err != nil || got != want {
				t.Fatalf("at %v over %d members: GrantedAmong %d (%v), Allowed says %d", at, len(set), got, err, want)
			}
		}
	}
}
