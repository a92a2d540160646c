package analytics

import (
	"context"
	"testing"
	"time"
)

// TestKPIsOfASegmentCountOnlyItsMembers: the March numbers of the hand-worked community
// (analytics_test.go) restricted to alice and bob, worked out by hand from their activities
// alone; the parts counted from records rather than members are left empty and named.
func TestKPIsOfASegmentCountOnlyItsMembers(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	c := newCommunity(t, f)
	ctx := context.Background()
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, paris), time.Date(2026, 4, 1, 0, 0, 0, 0, paris)
	only := OnlyOf([]string{c.alice.ID, c.bob.ID})
	k, err := f.svc.KPIsOf(ctx, Range{From: from, To: to}, only)
	if err != nil {
		t.Fatal(err)
	}
	// Both were members before March (bob from his 28 February reaction), both active.
	mustEqual(t, "members_total", k.MembersTotal, 2)
	mustEqual(t, "members_new", k.MembersNew, 0)
	mustEqual(t, "members_active", k.MembersActive, 2)
	mustEqual(t, "members_churned", k.MembersChurned, 0)
	mustNear(t, "engagement_rate", k.EngagementRate, 1)
	// alice: post 1 March, 2 replies 10 March, post 31 March; bob: join and message 5 March,
	// message 29 March.
	mustEqual(t, "activities", k.Activities, 7)
	mustEqual(t, "activities_by_kind", k.ActivitiesByKind, map[string]int{"post": 2, "reply": 2, "join": 1, "message": 2})
	mustEqual(t, "1 March", k.Daily[0], DayPoint{Day: "2026-03-01", Activities: 1, ActiveMembers: 1, MembersTotal: 2})
	mustEqual(t, "5 March", k.Daily[4], DayPoint{Day: "2026-03-05", Activities: 2, ActiveMembers: 1, MembersTotal: 2})
	mustEqual(t, "10 March", k.Daily[9], DayPoint{Day: "2026-03-10", Activities: 2, ActiveMembers: 1, MembersTotal: 2})
	mustEqual(t, "12 March", k.Daily[11], DayPoint{Day: "2026-03-12", MembersTotal: 2}) // gus's day, not theirs
	// Member-days: alice 1, 10, 31; bob 5, 29.
	mustNear(t, "dau", k.DAU, 5.0/31)
	mustEqual(t, "levels", k.Levels, []LevelCount{
		{Level: 1, Name: "ambassadors"},
		{Level: 2, Name: "contributors", Members: 1, Promoted: 1},
		{Level: 3, Name: "participants", Members: 1},
		{Level: 4, Name: "observers"},
	})
	if len(k.SuperUsers) != 2 || k.SuperUsers[0].MemberID != c.alice.ID || k.SuperUsers[1].MemberID != c.bob.ID {
		t.Errorf("super users = %+v, want alice then bob", k.SuperUsers)
	}
	mustEqual(t, "gone quiet", len(k.GoneQuiet), 0)
	// Channels, moods and topics are counted per record for everyone: left empty and named.
	mustEqual(t, "by channel", k.ActivitiesByChannel, map[string]int{})
	mustEqual(t, "rising topics", len(k.RisingTopics), 0)
	mustEqual(t, "unfiltered", k.Unfiltered, Unfiltered)
	// The previous period is theirs too: alice's February reply, bob's February reaction.
	mustEqual(t, "previous activities", k.Previous.Activities, 2)
	mustEqual(t, "previous members_active", k.Previous.MembersActive, 2)

	for metric, want := range map[string][]string{
		"active":      sorted(c.alice.ID, c.bob.ID),
		"churned":     {},
		"super_users": {c.alice.ID, c.bob.ID},
	} {
		got, err := f.svc.MembersBehindOf(ctx, Range{From: from, To: to}, metric, 0, only)
		if err != nil {
			t.Fatal(err)
		}
		mustEqual(t, metric, got, want)
	}
	// Everyone's numbers are unchanged by the filter's existence and name nothing unfiltered.
	all := f.kpis(t, from, to)
	mustEqual(t, "everyone's activities", all.Activities, 19)
	mustEqual(t, "everyone's unfiltered", len(all.Unfiltered), 0)
}
