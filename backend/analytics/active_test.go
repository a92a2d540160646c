package analytics

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"hearth/backend/members"
	"hearth/backend/store"
)

// counterState reads the stored state of the counters.
func (f *fixture) counterState(t *testing.T) (counterState, bool) {
	t.Helper()
	var st counterState
	var found bool
	err := f.st.View(func(tx *store.Tx) (err error) {
		st, found, err = readState(tx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return st, found
}

// marchKPIs are the KPIs of March 2026 in Paris (with its previous period).
func (f *fixture) marchKPIs(t *testing.T) KPIs {
	t.Helper()
	return f.kpis(t, time.Date(2026, 3, 1, 0, 0, 0, 0, paris), time.Date(2026, 4, 1, 0, 0, 0, 0, paris))
}

// namedIn lists the active records that name member.
func namedIn(t *testing.T, f *fixture, member string) []string {
	t.Helper()
	var ids []string
	err := f.st.View(func(tx *store.Tx) error {
		return store.Scan(tx, activeDays, func(id string, r activeRecord, _ store.Meta) error {
			for _, m := range r.Members {
				if m.ID == member {
					ids = append(ids, id)
				}
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestAWorkspaceUsedOnlyFromTheCommandLineKeepsItsCountersFromItsFirstActivity(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	newCommunity(t, f) // members and activity written, no KPI ever asked
	st, found := f.counterState(t)
	if !found || st.Version != counterVersion || st.Epoch != 0 {
		t.Fatalf("counters after the first activity: %+v (found %v), want version %d, epoch 0", st, found, counterVersion)
	}
	f.reopen(t) // a new process, no snapshot of the index saved
	k := f.marchKPIs(t)
	mustEqual(t, "activities in March", k.Activities, 19)
	if st, _ := f.counterState(t); st.Epoch != 0 {
		t.Errorf("the first KPIs rebuilt the counters (epoch %d)", st.Epoch)
	}
	checkCounters(t, f, "after the first KPIs")
}

func TestAfterAProcessKilledWithoutSavingItsIndexTheNextAnswersAsTheOneThatWroteTheActivity(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	newCommunity(t, f)
	want := answersOf(t, f)
	f.add(t, event{"eve@example.org", "reply", "2026-03-20T10:00:00+01:00", "forum"})
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	// A killed process saves no snapshot of its index.
	if err := os.RemoveAll(filepath.Join(f.dir, "cache")); err != nil {
		t.Fatal(err)
	}
	f.open(t)
	got := answersOf(t, f)
	f.reopen(t) // from the snapshot saved at this close: the same answers
	if again := answersOf(t, f); got != again || got == want {
		t.Fatalf("after the kill:\n%s\nfrom the snapshot:\n%s\nbefore the last activity:\n%s", got, again, want)
	}
	checkCounters(t, f, "after the kill")
}

func TestCountersOfVersion5GetTheirActiveRollupAtTheNextLoadEvenAfterACrashHalfway(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	c := newCommunity(t, f)
	ctx := context.Background()
	// Counters as version 5 left them (no active rollup), then an upgrade killed halfway: a
	// few active records written, one of them wrong, the state not yet marked.
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		st, _, err := readState(tx)
		if err != nil {
			return err
		}
		st.Version = upgradableVersions[0]
		if _, err := store.Put(tx, states, stateID, st); err != nil {
			return err
		}
		return store.Scan(tx, activeDays, func(id string, r activeRecord, _ store.Meta) error {
			if id < "2026-03-05" {
				_, err := store.Delete(tx, activeDays, id)
				return err
			}
			r.Members[0].N[0] += 5
			_, err := store.Put(tx, activeDays, id, r)
			return err
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	f.reopen(t)
	// Activity written by a process before any load is kept in the counters of version 5.
	f.add(t, event{"chloe@example.org", "reply", "2026-03-20T10:00:00+01:00", "forum"})
	if st, _ := f.counterState(t); st.Version != upgradableVersions[0] {
		t.Fatalf("a write changed the counters' version to %d", st.Version)
	}
	k := f.marchKPIs(t)
	mustEqual(t, "activities in March", k.Activities, 20)
	if st, _ := f.counterState(t); st.Version != counterVersion {
		t.Errorf("counters still of version %d after the load", st.Version)
	}
	checkCounters(t, f, "after the upgrade")
	ids, err := f.svc.MembersBehind(ctx, Range{From: time.Date(2026, 3, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 1, 0, 0, 0, 0, paris)}, "active", 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := sorted(c.alice.ID, c.bob.ID, c.chloe.ID, c.dan.ID, c.gus.ID); !reflect.DeepEqual(ids, want) {
		t.Errorf("active in March = %v, want %v", ids, want)
	}
}

func TestErasingAMemberLeavesNoActiveRecordNamingThem(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	c := newCommunity(t, f)
	ctx := context.Background()
	if len(namedIn(t, f, c.gus.ID)) == 0 || len(namedIn(t, f, c.alice.ID)) == 0 {
		t.Fatal("the fixture has no active records of gus or alice")
	}
	if err := f.gdpr.Erase(ctx, c.gus.ID, "gus@example.org"); err != nil {
		t.Fatal(err)
	}
	if ids := namedIn(t, f, c.gus.ID); len(ids) > 0 {
		t.Errorf("gus is still in active records %v", ids)
	}
	// An erasure whose data key went first (a backup restored after it, gdpr.ForgetErased):
	// the counters no longer unseal, and the rollup still forgets alice.
	if err := f.st.EraseSubjects(ctx, []string{c.alice.ID}, func(*store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Update(ctx, func(tx *store.Tx) error { return f.svc.ForgetMember(tx, c.alice.ID) }); err != nil {
		t.Fatal(err)
	}
	if ids := namedIn(t, f, c.alice.ID); len(ids) > 0 {
		t.Errorf("alice is still in active records %v", ids)
	}
	f.reopen(t)
	for _, u := range append(f.marchKPIs(t).SuperUsers, f.marchKPIs(t).GoneQuiet...) {
		if u.MemberID == c.gus.ID || u.MemberID == c.alice.ID {
			t.Errorf("an erased member is listed: %+v", u)
		}
	}
}

func TestCheckFindsADamagedActiveRollupAndRepairBuildsItAgain(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	f.member(t, members.CreateInput{Name: "Kim", Emails: []string{"kim@example.org"}})
	f.add(t, event{"kim@example.org", "post", "2026-03-01T12:00:00+01:00", "forum"},
		event{"kim@example.org", "reply", "2026-03-02T12:00:00+01:00", "forum"})
	ctx := context.Background()
	rep, err := f.st.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK {
		t.Fatalf("a sound workspace: %+v", rep.Findings)
	}
	err = f.st.Update(ctx, func(tx *store.Tx) error {
		ids := 0
		err := store.Scan(tx, activeDays, func(id string, r activeRecord, _ store.Meta) error {
			ids++
			if ids == 1 {
				r.Members[0].N[0] = 7
				_, err := store.Put(tx, activeDays, id, r)
				return err
			}
			_, err := store.Delete(tx, activeDays, id)
			return err
		})
		if err != nil {
			return err
		}
		_, err = store.Put(tx, activeDays, "2026-03-09/00", activeRecord{Members: []activeMember{{ID: "nobody", Kinds: []string{"post"}, N: []int32{1}}}})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err = f.st.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	stale := 0
	for _, fd := range rep.Findings {
		if fd.Code == "view_stale" && fd.Repairable {
			stale++
		}
	}
	if rep.OK || stale != 3 {
		t.Fatalf("check of a damaged rollup: %+v, want 3 repairable view_stale findings", rep.Findings)
	}
	if _, err := f.st.Repair(ctx); err != nil {
		t.Fatal(err)
	}
	if rep, err = f.st.Check(ctx); err != nil || !rep.OK {
		t.Fatalf("after repair: %+v, %v", rep.Findings, err)
	}
	checkCounters(t, f, "after repair")
}
