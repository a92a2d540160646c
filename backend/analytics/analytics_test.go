package analytics

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/audit"
	"hearth/backend/clock"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/gdpr"
	"hearth/backend/internal/storetest"
	"hearth/backend/members"
	"hearth/backend/store"
)

type fixture struct {
	dir      string
	st       *store.Store
	clock    *clock.Manual
	members  *members.Service
	activity *activity.Service
	svc      *Service
	gdpr     *gdpr.Service
	consent  *consent.Service
	opts     Options
}

var paris = func() *time.Location {
	z, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return z
}()

// newFixture runs analytics over real Badger, wired as the app wires it.
func newFixture(t testing.TB, o Options) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), clock: clock.NewManual(time.Date(2026, 1, 10, 9, 0, 0, 0, time.UTC)), opts: o}
	f.open(t)
	return f
}

func (f *fixture) open(t testing.TB) {
	t.Helper()
	f.st = storetest.Open(t, f.dir, f.clock)
	f.members = members.NewService(f.st, f.clock, nil)
	f.activity = activity.NewService(f.st, f.members, f.clock, nil)
	c := consent.NewService(f.st, f.clock, nil, consent.WithMemberCheck(members.Exists))
	f.consent = c
	o := f.opts
	if o.Consent == nil {
		o.Consent = c
	}
	f.svc = NewService(f.st, f.members, f.activity, o)
	f.gdpr = gdpr.NewService(f.st, f.members, c, audit.NewLog(f.st), f.clock, activity.ForgetMember, f.svc.ForgetMember)
}

// reopen closes the workspace and opens it again, as a new process would.
func (f *fixture) reopen(t testing.TB) {
	t.Helper()
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	f.open(t)
}

func (f *fixture) member(t testing.TB, in members.CreateInput) members.Member {
	t.Helper()
	m, err := f.members.Create(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// event is one activity of the fixtures: who (an e-mail), what, when, where.
type event struct {
	who, kind, at, channel string
}

func (f *fixture) add(t testing.TB, evs ...event) {
	t.Helper()
	ins := make([]activity.ManualInput, len(evs))
	for i, e := range evs {
		at, err := time.Parse(time.RFC3339, e.at)
		if err != nil {
			t.Fatal(err)
		}
		ins[i] = activity.ManualInput{Member: e.who, Kind: activity.Kind(e.kind), At: at, Channel: e.channel}
	}
	res, err := f.activity.AddManual(context.Background(), ins)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Outcome != activity.ManualStored {
			t.Fatalf("event %d: %+v", i, r)
		}
	}
}

func (f *fixture) kpis(t testing.TB, from, to time.Time) KPIs {
	t.Helper()
	k, err := f.svc.KPIs(context.Background(), Range{From: from, To: to})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func mustEqual[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %+v, want %+v", what, got, want)
	}
}

func mustNear(t *testing.T, what string, got, want float64) {
	t.Helper()
	if !near(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// community is a small community with answers worked out by hand (see the test below).
type community struct {
	alice, bob, chloe, dan, eve, gus members.Member
}

// newCommunity: alice (member since 2025-12-01 by import), bob (joined on 5 March), eve
// (member since 15 March), created 10 January; chloe, dan (a teammate) and gus, created
// 2 February. March 2026 in Paris has 31 days and a DST change on the 29th.
func newCommunity(t *testing.T, f *fixture) community {
	var c community
	c.alice = f.member(t, members.CreateInput{Name: "Alice", Emails: []string{"alice@example.org"}, CustomFields: map[string]string{"member_since": "2025-12-01"}})
	c.bob = f.member(t, members.CreateInput{Name: "Bob", Emails: []string{"bob@example.org"}})
	c.eve = f.member(t, members.CreateInput{Name: "Eve", Emails: []string{"eve@example.org"}, CustomFields: map[string]string{"member_since": "2026-03-15T10:00:00Z"}})
	f.clock.Set(time.Date(2026, 2, 2, 9, 0, 0, 0, time.UTC))
	c.chloe = f.member(t, members.CreateInput{Name: "Chloé", Emails: []string{"chloe@example.org"}})
	c.dan = f.member(t, members.CreateInput{Name: "Dan", Emails: []string{"dan@example.org"}, Tags: []string{"Équipe"}})
	c.gus = f.member(t, members.CreateInput{Name: "Gus", Emails: []string{"gus@example.org"}})
	f.add(t,
		event{"alice@example.org", "reply", "2026-02-10T10:00:00+01:00", "forum"},
		event{"alice@example.org", "post", "2026-03-01T00:00:00+01:00", "forum"}, // first instant of March
		event{"alice@example.org", "reply", "2026-03-10T12:00:00+01:00", "forum"},
		event{"alice@example.org", "reply", "2026-03-10T13:00:00+01:00", "forum"},
		event{"alice@example.org", "post", "2026-03-31T23:59:59+02:00", "blog"},      // last instant of March (summer time)
		event{"alice@example.org", "post", "2026-04-01T00:00:00+02:00", "forum"},     // April
		event{"bob@example.org", "reaction", "2026-02-28T23:59:59+01:00", "discord"}, // last instant of February
		event{"bob@example.org", "join", "2026-03-05T09:00:00+01:00", "discord"},
		event{"bob@example.org", "message", "2026-03-05T09:05:00+01:00", "discord"},
		event{"bob@example.org", "message", "2026-03-29T02:30:00Z", "discord"}, // 04:30 summer time, 29 March
		event{"chloe@example.org", "message", "2026-02-20T20:00:00+01:00", "discord"},
		event{"dan@example.org", "post", "2026-03-02T10:00:00+01:00", "blog"},
		event{"dan@example.org", "post", "2026-03-03T10:00:00+01:00", "blog"},
		event{"dan@example.org", "post", "2026-03-04T10:00:00+01:00", "blog"},
	)
	for _, d := range []string{"10", "11", "12"} {
		for _, h := range []string{"10", "11", "12"} {
			f.add(t, event{"gus@example.org", "post", "2026-03-" + d + "T" + h + ":00:00+01:00", "forum"})
		}
	}
	return c
}

// fixtureOptions keep the numbers small enough to work out by hand: a 30-day score window,
// Ambassadors at 6 points on 3 days, Contributors at 3 points on 2 days, Participants at anything.
var fixtureOptions = Options{
	Zone:        paris,
	ScoreWindow: 30,
	Milestones:  []Milestone{{Level: 1, MinScore: 6, ActiveDays: 3}, {Level: 2, MinScore: 3, ActiveDays: 2}, {Level: 3, MinScore: 0.5, ActiveDays: 1}},
}

func TestKPIsOfMarchMatchTheHandComputedAnswers(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	c := newCommunity(t, f)
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, paris), time.Date(2026, 4, 1, 0, 0, 0, 0, paris)
	k := f.kpis(t, from, to)

	mustEqual(t, "from", k.From, from)
	mustEqual(t, "to", k.To, to)
	// Members: alice, chloe, dan, gus before March, and bob: he joined on 5 March but reacted
	// on 28 February, and a member counts from their first activity when it comes first; eve
	// (since 15 March) is new.
	mustEqual(t, "members_total", k.MembersTotal, 6)
	mustEqual(t, "members_new", k.MembersNew, 1)
	mustNear(t, "growth_rate", k.GrowthRate, 1.0/5)
	// Active in March: alice, bob, dan, gus; chloe was active in February only.
	mustEqual(t, "members_active", k.MembersActive, 4)
	mustEqual(t, "members_churned", k.MembersChurned, 1)
	mustNear(t, "engagement_rate", k.EngagementRate, 4.0/6)
	mustEqual(t, "activities", k.Activities, 19)
	mustEqual(t, "activities_by_kind", k.ActivitiesByKind, map[string]int{"post": 14, "reply": 2, "join": 1, "message": 2})
	mustEqual(t, "activities_by_channel", k.ActivitiesByChannel, map[string]int{"forum": 12, "blog": 4, "discord": 3})
	// Member-days: alice 1, 10, 31; bob 5, 29; dan 2, 3, 4; gus 10, 11, 12.
	mustNear(t, "dau", k.DAU, 11.0/31)
	wau, mau := trailing(t, f, 20513, 31, 7), trailing(t, f, 20513, 31, 30)
	mustNear(t, "wau", k.WAU, wau)
	mustNear(t, "mau", k.MAU, mau)
	mustNear(t, "stickiness", k.Stickiness, (11.0/31)/mau)

	if len(k.Daily) != 31 {
		t.Fatalf("daily has %d points, want 31", len(k.Daily))
	}
	mustEqual(t, "1 March", k.Daily[0], DayPoint{Day: "2026-03-01", Activities: 1, ActiveMembers: 1, NewMembers: 0, MembersTotal: 5})
	mustEqual(t, "5 March", k.Daily[4], DayPoint{Day: "2026-03-05", Activities: 2, ActiveMembers: 1, NewMembers: 0, MembersTotal: 5})
	mustEqual(t, "10 March", k.Daily[9], DayPoint{Day: "2026-03-10", Activities: 5, ActiveMembers: 2, NewMembers: 0, MembersTotal: 5})
	mustEqual(t, "15 March", k.Daily[14], DayPoint{Day: "2026-03-15", Activities: 0, ActiveMembers: 0, NewMembers: 1, MembersTotal: 6})
	mustEqual(t, "29 March", k.Daily[28], DayPoint{Day: "2026-03-29", Activities: 1, ActiveMembers: 1, NewMembers: 0, MembersTotal: 6})
	mustEqual(t, "31 March", k.Daily[30], DayPoint{Day: "2026-03-31", Activities: 1, ActiveMembers: 1, NewMembers: 0, MembersTotal: 6})

	// March's cohort is eve, not active in March (bob is in February's).
	mustEqual(t, "cohorts", k.Cohorts, []Cohort{{Month: "2026-03", Size: 1, Retention: []float64{0}}})

	// Levels on 1 April (after March's demotions), from those on 1 March: alice 3 -> 2, bob
	// 3 -> 3 (his February reaction made him a participant), gus 4 -> 1, chloe 3 -> 4 (her February message left the window), eve new at 4;
	// dan is a teammate.
	mustEqual(t, "levels", k.Levels, []LevelCount{
		{Level: 1, Name: "ambassadors", Members: 1, Promoted: 1},
		{Level: 2, Name: "contributors", Members: 1, Promoted: 1},
		{Level: 3, Name: "participants", Members: 1},
		{Level: 4, Name: "observers", Members: 2, Demoted: 1},
	})

	// Scores: gus 9 posts = 27, alice 2 posts + 2 replies = 10, bob join + 2 messages = 2.5.
	mustEqual(t, "super users", k.SuperUsers, []SuperUser{
		{MemberID: c.gus.ID, Name: "Gus", Score: 27, Level: 1, Counts: map[string]int{"post": 9}, LastActive: time.Date(2026, 3, 12, 0, 0, 0, 0, paris)},
		{MemberID: c.alice.ID, Name: "Alice", Score: 10, Level: 2, Counts: map[string]int{"post": 2, "reply": 2}, LastActive: time.Date(2026, 3, 31, 0, 0, 0, 0, paris)},
		{MemberID: c.bob.ID, Name: "Bob", Score: 2.5, Level: 3, Counts: map[string]int{"join": 1, "message": 2}, LastActive: time.Date(2026, 3, 29, 0, 0, 0, 0, paris)},
	})
	// gus had the best 30-day score and has been silent for 19 days on 31 March.
	if len(k.GoneQuiet) != 1 || k.GoneQuiet[0].MemberID != c.gus.ID || k.GoneQuiet[0].Score != 27 {
		t.Errorf("gone quiet = %+v, want gus", k.GoneQuiet)
	}

	// The previous period is the 31 days before: 29 January to 28 February.
	p := k.Previous
	if p == nil {
		t.Fatal("no previous period")
	}
	mustEqual(t, "previous from", p.From, time.Date(2026, 1, 29, 0, 0, 0, 0, paris))
	mustEqual(t, "previous to", p.To, from)
	// alice before; chloe, dan and gus created on 2 February, bob active on 28 February.
	mustEqual(t, "previous members_total", p.MembersTotal, 5)
	mustEqual(t, "previous members_new", p.MembersNew, 4)
	mustNear(t, "previous growth_rate", p.GrowthRate, 4)
	mustEqual(t, "previous members_active", p.MembersActive, 3)
	mustEqual(t, "previous members_churned", p.MembersChurned, 0)
	mustNear(t, "previous engagement_rate", p.EngagementRate, 3.0/5)
	mustEqual(t, "previous activities", p.Activities, 3)
	mustEqual(t, "previous activities_by_kind", p.ActivitiesByKind, map[string]int{"reply": 1, "message": 1, "reaction": 1})
	mustEqual(t, "previous activities_by_channel", p.ActivitiesByChannel, map[string]int{"forum": 1, "discord": 2})
	mustNear(t, "previous dau", p.DAU, 3.0/31)
	mustNear(t, "previous wau", p.WAU, trailing(t, f, 20482, 31, 7))
	mustNear(t, "previous mau", p.MAU, trailing(t, f, 20482, 31, 30))
	mustEqual(t, "previous cohorts", p.Cohorts, []Cohort{{Month: "2026-02", Size: 4, Retention: []float64{2.0 / 4}}})
	mustEqual(t, "previous levels", p.Levels, []LevelCount{
		{Level: 1, Name: "ambassadors"},
		{Level: 2, Name: "contributors"},
		{Level: 3, Name: "participants", Members: 3, Promoted: 3}, // alice, chloe, bob
		{Level: 4, Name: "observers", Members: 1},                 // gus
	})
	if p.Previous != nil {
		t.Error("the previous period has a previous period")
	}

	for metric, want := range map[string][]string{
		"new":         {c.eve.ID},
		"active":      sorted(c.alice.ID, c.bob.ID, c.dan.ID, c.gus.ID),
		"churned":     {c.chloe.ID},
		"level:1":     {c.gus.ID},
		"level:4":     sorted(c.chloe.ID, c.eve.ID),
		"gone_quiet":  {c.gus.ID},
		"super_users": {c.gus.ID, c.alice.ID, c.bob.ID},
	} {
		got, err := f.svc.MembersBehind(context.Background(), Range{From: from, To: to}, metric, 0)
		if err != nil {
			t.Fatal(err)
		}
		mustEqual(t, metric, got, want)
	}
}

func sorted(ids ...string) []string {
	slices.Sort(ids)
	return ids
}

// trailing is the reference for WAU and MAU: the mean, over the n days from day first, of the
// distinct members active in the w days ending that day, recomputed from the raw activity.
func trailing(t *testing.T, f *fixture, first int32, n, w int) float64 {
	t.Helper()
	active := map[int32]map[string]bool{}
	err := f.activity.Scan(context.Background(), time.Time{}, func(r activity.Record) error {
		d := dayOf(r.At, paris)
		if active[d] == nil {
			active[d] = map[string]bool{}
		}
		active[d][r.MemberID] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for d := first; d < first+int32(n); d++ {
		seen := map[string]bool{}
		for x := d - int32(w) + 1; x <= d; x++ {
			for m := range active[x] {
				seen[m] = true
			}
		}
		sum += len(seen)
	}
	return float64(sum) / float64(n)
}

func TestADayOfTwentyThreeHoursIsOneDay(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	newCommunity(t, f)
	// 29 March 2026 in Paris runs from 00:00 CET to 00:00 CEST: 23 hours.
	k := f.kpis(t, time.Date(2026, 3, 29, 0, 0, 0, 0, paris), time.Date(2026, 3, 30, 0, 0, 0, 0, paris))
	mustEqual(t, "days", len(k.Daily), 1)
	mustEqual(t, "activities", k.Activities, 1)
	mustEqual(t, "members_active", k.MembersActive, 1)
	mustEqual(t, "previous from", k.Previous.From, time.Date(2026, 3, 28, 0, 0, 0, 0, paris))
	mustEqual(t, "previous activities", k.Previous.Activities, 0)
}

func TestMemberChangesShowInTheNextKPIs(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	c := newCommunity(t, f)
	ctx := context.Background()
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, paris), time.Date(2026, 4, 1, 0, 0, 0, 0, paris)
	f.kpis(t, from, to)
	// gus becomes a teammate: out of the levels and the super users.
	tags := []string{"team"}
	if _, err := f.members.Update(ctx, c.gus.ID, members.Patch{Tags: &tags}); err != nil {
		t.Fatal(err)
	}
	k := f.kpis(t, from, to)
	if len(k.SuperUsers) != 2 || k.SuperUsers[0].MemberID != c.alice.ID {
		t.Errorf("super users = %+v, want alice and bob", k.SuperUsers)
	}
	mustEqual(t, "ambassadors", k.Levels[0].Members, 0)
	// A deleted member is gone from every count; their activity stays in the activity counts.
	if _, err := f.members.Delete(ctx, c.bob.ID); err != nil {
		t.Fatal(err)
	}
	k = f.kpis(t, from, to)
	mustEqual(t, "members_total", k.MembersTotal, 5)
	mustEqual(t, "members_new", k.MembersNew, 1)
	mustEqual(t, "members_active", k.MembersActive, 3)
	mustEqual(t, "activities", k.Activities, 19)
	// A new member with a member-since date in March is new in March.
	f.member(t, members.CreateInput{Name: "Ines", Emails: []string{"ines@example.org"}, CustomFields: map[string]string{"member_since": "2026-03-31"}})
	k = f.kpis(t, from, to)
	mustEqual(t, "members_new", k.MembersNew, 2)
	mustEqual(t, "31 March new", k.Daily[30].NewMembers, 1)
}

func TestBadRangesAndMetricsAreRefusedNamingTheField(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	ctx := context.Background()
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, paris)
	for _, r := range []Range{{}, {From: day, To: day}, {From: day, To: day.Add(-time.Hour)}} {
		if _, err := f.svc.KPIs(ctx, r); !errors.Is(err, errs.Invalid) {
			t.Errorf("KPIs(%v) = %v, want invalid", r, err)
		}
	}
	_, err := f.svc.MembersBehind(ctx, Range{From: day, To: day.AddDate(0, 1, 0)}, "everyone", 10)
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Field != "metric" {
		t.Errorf("unknown metric: %v, want a field error on metric", err)
	}
}

func TestAnEmptyWorkspaceHasZeroKPIs(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	k := f.kpis(t, time.Date(2026, 3, 1, 0, 0, 0, 0, paris), time.Date(2026, 3, 8, 0, 0, 0, 0, paris))
	mustEqual(t, "members_total", k.MembersTotal, 0)
	mustEqual(t, "stickiness", k.Stickiness, 0.0)
	mustEqual(t, "daily", len(k.Daily), 7)
	mustEqual(t, "levels", len(k.Levels), 4)
	if k.SuperUsers == nil || k.GoneQuiet == nil || k.Cohorts == nil {
		t.Error("empty lists should be [] in JSON, not null")
	}
}

func TestAMemberActiveBeforeTheirJoinDayCountsAsAMemberFromTheirFirstActivity(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	// Created on 10 January (the fixture's clock) with no member-since, with history imported
	// from December: the import day is not when they joined, their first activity is.
	f.member(t, members.CreateInput{Name: "Ann", Emails: []string{"ann@example.org"}})
	f.member(t, members.CreateInput{Name: "Bob", Emails: []string{"bob@example.org"}})
	f.member(t, members.CreateInput{Name: "Cleo", Emails: []string{"cleo@example.org"}, CustomFields: map[string]string{"member_since": "2026-01-05"}})
	f.add(t,
		event{"ann@example.org", "post", "2025-12-05T10:00:00+01:00", "general"},
		event{"ann@example.org", "post", "2025-12-20T10:00:00+01:00", "general"},
		event{"cleo@example.org", "reply", "2025-12-24T10:00:00+01:00", "general"},
	)
	dec := f.kpis(t, time.Date(2025, 12, 1, 0, 0, 0, 0, paris), time.Date(2026, 1, 1, 0, 0, 0, 0, paris))
	mustEqual(t, "members active in December", dec.MembersActive, 2)
	mustEqual(t, "members total in December (Ann and Cleo, active then)", dec.MembersTotal, 2)
	mustEqual(t, "members new in December", dec.MembersNew, 2)
	mustEqual(t, "members total at the end of 4 December", dec.Daily[3].MembersTotal, 0)
	mustEqual(t, "members total at the end of 5 December", dec.Daily[4].MembersTotal, 1)
	mustNear(t, "engagement rate in December", dec.EngagementRate, 1)
	lvTotal := 0
	for _, l := range dec.Levels {
		lvTotal += l.Members
	}
	mustEqual(t, "members with a level in December", lvTotal, dec.MembersTotal)
	jan := f.kpis(t, time.Date(2026, 1, 1, 0, 0, 0, 0, paris), time.Date(2026, 2, 1, 0, 0, 0, 0, paris))
	mustEqual(t, "members total in January", jan.MembersTotal, 3)
	mustEqual(t, "members new in January (Bob only)", jan.MembersNew, 1)
	mustNear(t, "growth in January", jan.GrowthRate, 0.5)
}

func TestNoPeriodCountsFewerMembersThanMembersActive(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	// 46 members imported on 10 January with their forum history from the autumn before.
	for i := range 46 {
		email := fmt.Sprintf("m%02d@example.org", i)
		f.member(t, members.CreateInput{Name: email, Emails: []string{email}})
		f.add(t, event{email, "post", fmt.Sprintf("2025-%02d-%02dT10:00:00+01:00", 10+i%3, 1+i%28), "general"})
	}
	for _, r := range [][2]time.Time{
		{time.Date(2025, 9, 1, 0, 0, 0, 0, paris), time.Date(2026, 1, 1, 0, 0, 0, 0, paris)},
		{time.Date(2025, 11, 1, 0, 0, 0, 0, paris), time.Date(2025, 12, 1, 0, 0, 0, 0, paris)},
		{time.Date(2025, 10, 10, 0, 0, 0, 0, paris), time.Date(2025, 10, 11, 0, 0, 0, 0, paris)},
		{time.Date(2026, 1, 1, 0, 0, 0, 0, paris), time.Date(2026, 2, 1, 0, 0, 0, 0, paris)},
	} {
		for _, k := range []KPIs{f.kpis(t, r[0], r[1]), *f.kpis(t, r[0], r[1]).Previous} {
			if k.MembersTotal < k.MembersActive {
				t.Errorf("%s..%s: %d members, %d active", k.From.Format(time.DateOnly), k.To.Format(time.DateOnly), k.MembersTotal, k.MembersActive)
			}
			for _, d := range k.Daily {
				if d.MembersTotal < d.ActiveMembers {
					t.Errorf("%s: %d members, %d active", d.Day, d.MembersTotal, d.ActiveMembers)
				}
			}
		}
	}
}
