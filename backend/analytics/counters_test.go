package analytics

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/members"
	"hearth/backend/store"
)

// counts are counters as plain maps, for comparing.
type counts struct {
	days    map[dayKey]int
	members map[memberDayKey]int
	// active is the active rollup, without channels and moods.
	active map[memberDayKey]int
}

// recompute counts every activity record from scratch.
func recompute(t *testing.T, f *fixture) counts {
	t.Helper()
	c := counts{days: map[dayKey]int{}, members: map[memberDayKey]int{}}
	err := f.activity.Scan(context.Background(), time.Time{}, func(r activity.Record) error {
		k := dayKey{day: dayOf(r.At, f.svc.o.Zone), channel: channelOf(r), kind: string(r.Kind), mood: MoodOf(r.Title, r.Text)}
		c.days[k]++
		if r.MemberID != "" {
			c.members[memberDayKey{member: r.MemberID, dayKey: k}]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// stored reads the counters the hook wrote.
func stored(t *testing.T, f *fixture) counts {
	t.Helper()
	c := counts{days: map[dayKey]int{}, members: map[memberDayKey]int{}, active: map[memberDayKey]int{}}
	err := f.st.View(func(tx *store.Tx) error {
		err := store.Scan(tx, activeDays, func(id string, r activeRecord, _ store.Meta) error {
			d, _ := time.Parse(time.DateOnly, id[:10])
			for _, m := range r.Members {
				if !isDelta(id) && activeID(civil(d.Date()), m.ID) != id {
					t.Errorf("member %s is in active record %s, not in %s", m.ID, id, activeID(civil(d.Date()), m.ID))
				}
				for i, k := range m.Kinds {
					c.active[memberDayKey{member: m.ID, dayKey: dayKey{day: civil(d.Date()), kind: k}}] += int(m.N[i])
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		// A day's buckets and its deltas add up to what its readers see.
		maps.DeleteFunc(c.active, func(_ memberDayKey, n int) bool { return n == 0 })
		err = store.Scan(tx, dayCounters, func(_ string, r dayRecord, _ store.Meta) error {
			d, _ := time.Parse(time.DateOnly, r.Day)
			for _, x := range r.Counts {
				c.days[dayKey{day: civil(d.Date()), channel: x.Channel, kind: x.Kind, mood: x.Mood}] += x.N
			}
			return nil
		})
		if err != nil {
			return err
		}
		return store.Scan(tx, memberCounters, func(_ string, r memberRecord, _ store.Meta) error {
			for _, x := range r.Counts {
				c.members[memberDayKey{member: r.Member, dayKey: dayKey{day: x.Day, channel: x.Channel, kind: x.Kind, mood: x.Mood}}] += x.N
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// inMemory reads the loaded index, without channels for members.
func inMemory(f *fixture) (map[dayKey]int, map[memberDayKey]int) {
	f.svc.mu.RLock()
	defer f.svc.mu.RUnlock()
	days, mems := map[dayKey]int{}, map[memberDayKey]int{}
	x := f.svc.idx
	for i, cs := range x.days {
		for j, n := range cs {
			if n != 0 {
				days[dayKey{day: x.base + int32(i), channel: x.channels[j/nKinds], kind: string(activity.Kinds[j%nKinds])}] = int(n)
			}
		}
	}
	for _, m := range x.members {
		for _, e := range m.entries {
			mems[memberDayKey{member: m.id, dayKey: dayKey{day: e.day, kind: string(activity.Kinds[e.kind])}}] = int(e.n)
		}
	}
	return days, mems
}

func withoutChannels(c map[memberDayKey]int) map[memberDayKey]int {
	out := map[memberDayKey]int{}
	for k, n := range c {
		k.channel, k.mood = "", Neutral
		out[k] += n
	}
	return out
}

// withoutMoods sums day counts over moods, as the index keeps them.
func withoutMoods(c map[dayKey]int) map[dayKey]int {
	out := map[dayKey]int{}
	for k, n := range c {
		k.mood = Neutral
		out[k] += n
	}
	return out
}

// moodsOf sums day counts by day and mood.
func moodsOf(c map[dayKey]int) map[int32][3]int32 {
	out := map[int32][3]int32{}
	for k, n := range c {
		m := out[k.day]
		m[k.mood] += int32(n)
		out[k.day] = m
	}
	return out
}

// checkCounters compares the stored counters and the in-memory index with a recomputation.
func checkCounters(t *testing.T, f *fixture, when string) {
	t.Helper()
	want := recompute(t, f)
	got := stored(t, f)
	if !reflect.DeepEqual(got.days, want.days) {
		t.Fatalf("%s: day counters differ from a recomputation:\n got %v\nwant %v", when, got.days, want.days)
	}
	if !reflect.DeepEqual(got.members, want.members) {
		t.Fatalf("%s: member counters differ from a recomputation:\n got %v\nwant %v", when, got.members, want.members)
	}
	if err := f.svc.ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The load brought counters of an older version up to date: the rollup is read after it.
	if w := withoutChannels(want.members); !reflect.DeepEqual(stored(t, f).active, w) {
		t.Fatalf("%s: the active rollup differs from a recomputation:\n got %v\nwant %v", when, stored(t, f).active, w)
	}
	days, mems := inMemory(f)
	if w := withoutMoods(want.days); !reflect.DeepEqual(days, w) {
		t.Fatalf("%s: in-memory day counts differ from a recomputation:\n got %v\nwant %v", when, days, w)
	}
	f.svc.mu.RLock()
	moods := maps.Clone(f.svc.idx.moods)
	f.svc.mu.RUnlock()
	if w := moodsOf(want.days); !reflect.DeepEqual(moods, w) {
		t.Fatalf("%s: in-memory sentiment counts differ from a recomputation:\n got %v\nwant %v", when, moods, w)
	}
	if w := withoutChannels(want.members); !reflect.DeepEqual(mems, w) {
		t.Fatalf("%s: in-memory member counts differ from a recomputation:\n got %v\nwant %v", when, mems, w)
	}
}

func TestCountersEqualAFullRecomputationAfterRandomInsertsAndErasures(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(6, 6))
	var people []members.Member
	for i := range 12 {
		people = append(people, f.member(t, members.CreateInput{Name: fmt.Sprint("P", i), Emails: []string{fmt.Sprintf("p%d@example.org", i)}}))
	}
	if err := f.svc.ensure(ctx); err != nil { // counters exist from here on
		t.Fatal(err)
	}
	kinds := []string{"post", "reply", "message", "reaction", "join", "follow", "mention"}
	start := time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC) // around the DST change
	for round := range 8 {
		var evs []event
		for range 20 + rng.IntN(40) {
			p := people[rng.IntN(len(people))]
			at := start.Add(time.Duration(rng.IntN(20*24*60)) * time.Minute)
			evs = append(evs, event{p.Emails[0], kinds[rng.IntN(len(kinds))], at.Format(time.RFC3339), []string{"forum", "chat", ""}[rng.IntN(3)]})
		}
		f.addLive(t, evs)
		if round%3 == 2 { // erase someone (their records are deleted or shredded)
			i := rng.IntN(len(people))
			if err := f.gdpr.Erase(ctx, people[i].ID, people[i].Emails[0]); err != nil {
				t.Fatal(err)
			}
			people = append(people[:i], people[i+1:]...)
		}
		checkCounters(t, f, fmt.Sprint("round ", round))
	}
	// A new process loads the same counters; a rebuild writes the same.
	f.reopen(t)
	checkCounters(t, f, "after reopening")
	if err := f.svc.Rebuild(ctx); err != nil {
		t.Fatal(err)
	}
	checkCounters(t, f, "after a rebuild")
}

// sampleTexts give the live events a mood and keywords.
var sampleTexts = []string{"", "Super atelier, merci !", "This is not good, the export crashed.",
	"Ce n'est pas bien : l'export plante.", "Great meetup about the export", "Question sur l'export CSV"}

// addLive adds events, skipping duplicates of earlier ones (the same entry is stored once).
func (f *fixture) addLive(t *testing.T, evs []event) {
	t.Helper()
	ins := make([]activity.ManualInput, len(evs))
	for i, e := range evs {
		at, _ := time.Parse(time.RFC3339, e.at)
		ins[i] = activity.ManualInput{Member: e.who, Kind: activity.Kind(e.kind), At: at, Channel: e.channel,
			Text: sampleTexts[at.Minute()%len(sampleTexts)]}
	}
	if _, err := f.activity.AddManual(context.Background(), ins); err != nil {
		t.Fatal(err)
	}
}

func TestDeletedRecordsAreCountedOut(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	m := f.member(t, members.CreateInput{Name: "Kim", Emails: []string{"kim@example.org"}})
	if err := f.svc.ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.add(t, event{"kim@example.org", "post", "2026-03-29T01:30:00+01:00", "forum"}, event{"kim@example.org", "post", "2026-03-29T03:30:00+02:00", "forum"})
	var r activity.Record
	err := f.activity.Scan(context.Background(), time.Time{}, func(rec activity.Record) error { r = rec; return nil })
	if err != nil {
		t.Fatal(err)
	}
	// The hook as a deletion would call it.
	f.svc.Begin()
	err = f.st.Update(context.Background(), func(tx *store.Tx) error {
		return f.svc.Apply(tx, []activity.Change{{Record: r, Delta: -1}})
	})
	f.svc.End([]activity.Change{{Record: r, Delta: -1}})
	if err != nil {
		t.Fatal(err)
	}
	day := civil(2026, 3, 29)
	got := stored(t, f)
	want := map[dayKey]int{{day: day, channel: "forum", kind: "post"}: 1}
	if !reflect.DeepEqual(got.days, want) {
		t.Fatalf("day counters = %v, want %v", got.days, want)
	}
	_, mems := inMemory(f)
	if w := map[memberDayKey]int{{member: m.ID, dayKey: dayKey{day: day, kind: "post"}}: 1}; !reflect.DeepEqual(mems, w) {
		t.Fatalf("in memory = %v, want %v", mems, w)
	}
}

func TestErasingAMemberRemovesTheirCounters(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	c := newCommunity(t, f)
	ctx := context.Background()
	from, to := time.Date(2026, 3, 1, 0, 0, 0, 0, paris), time.Date(2026, 4, 1, 0, 0, 0, 0, paris)
	before := f.kpis(t, from, to)
	if err := f.gdpr.Erase(ctx, c.gus.ID, "gus@example.org"); err != nil {
		t.Fatal(err)
	}
	err := f.st.View(func(tx *store.Tx) error {
		ids, err := store.IDsByIndex(tx, memberCounters, "member", c.gus.ID)
		if len(ids) != 0 {
			t.Errorf("gus still has counters %v", ids)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checkCounters(t, f, "after the erasure")
	k := f.kpis(t, from, to)
	mustEqual(t, "activities", k.Activities, before.Activities-9)
	mustEqual(t, "members_total", k.MembersTotal, before.MembersTotal-1)
	mustEqual(t, "members_active", k.MembersActive, before.MembersActive-1)
	for _, u := range append(k.SuperUsers, k.GoneQuiet...) {
		if u.MemberID == c.gus.ID {
			t.Errorf("gus is still listed: %+v", u)
		}
	}
}

func TestCountersAreRebuiltWhenTheZoneChanges(t *testing.T) {
	f := newFixture(t, Options{Zone: time.UTC})
	f.member(t, members.CreateInput{Name: "Kim", Emails: []string{"kim@example.org"}})
	if err := f.svc.ensure(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.add(t, event{"kim@example.org", "post", "2026-03-01T23:30:00Z", "forum"}) // 2 March in Paris
	f.opts = Options{Zone: paris}
	f.reopen(t)
	k := f.kpis(t, time.Date(2026, 3, 2, 0, 0, 0, 0, paris), time.Date(2026, 3, 3, 0, 0, 0, 0, paris))
	mustEqual(t, "activities on 2 March in Paris", k.Activities, 1)
	checkCounters(t, f, "after the zone changed")
}

func TestActivityBeforeTheFirstLoadIsCounted(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	f.member(t, members.CreateInput{Name: "Kim", Emails: []string{"kim@example.org"}})
	f.add(t, event{"kim@example.org", "post", "2026-03-01T12:00:00+01:00", "forum"})
	k := f.kpis(t, time.Date(2026, 3, 1, 0, 0, 0, 0, paris), time.Date(2026, 3, 2, 0, 0, 0, 0, paris))
	mustEqual(t, "activities", k.Activities, 1)
	mustEqual(t, "members_active", k.MembersActive, 1)
	checkCounters(t, f, "after the first load")
}
