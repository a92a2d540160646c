package analytics

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/members"
	"hearth/backend/store"
)

// activeIDsOf lists the ids of the active records of day: its buckets and its deltas.
func activeIDsOf(t *testing.T, f *fixture, day string) (buckets, deltas []string) {
	t.Helper()
	err := f.st.View(func(tx *store.Tx) error {
		return store.ScanFrom(tx, activeDays, day, func(id string, _ activeRecord, _ store.Meta) error {
			if !strings.HasPrefix(id, day+"/") {
				return store.ErrStop
			}
			if isDelta(id) {
				deltas = append(deltas, id)
			} else {
				buckets = append(buckets, id)
			}
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return buckets, deltas
}

// freshProcess closes the workspace and opens it again without the index's snapshot, so that
// the next answers are read from the rollup itself.
func freshProcess(t *testing.T, f *fixture) {
	t.Helper()
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(f.dir, "cache")); err != nil {
		t.Fatal(err)
	}
	f.open(t)
}

func TestADayWrittenByManyTransactionsCountsAsARecomputationWhateverItsDeltasAndFolds(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ctx := context.Background()
	var people []members.Member
	for i := range 9 {
		people = append(people, f.member(t, members.CreateInput{Name: fmt.Sprint("P", i), Emails: []string{fmt.Sprintf("p%d@example.org", i)}}))
	}
	if err := f.svc.ensure(ctx); err != nil {
		t.Fatal(err)
	}
	kinds := []string{"post", "reply", "message", "reaction"}
	// One transaction a call, each touching 2026-03-10 and, every third, the day after:
	// more than two folds' worth of deltas.
	for i := range 2*foldAfter + 5 {
		p := people[i%len(people)]
		evs := []event{{p.Emails[0], kinds[i%len(kinds)], fmt.Sprintf("2026-03-10T%02d:%02d:00+01:00", 8+i/60, i%60), "forum"}}
		if i%3 == 0 {
			evs = append(evs, event{p.Emails[0], "post", fmt.Sprintf("2026-03-11T09:%02d:00+01:00", i%60), "chat"})
		}
		f.addLive(t, evs)
		if _, deltas := activeIDsOf(t, f, "2026-03-10"); len(deltas) >= foldAfter {
			t.Fatalf("after %d transactions the day has %d deltas, want fewer than %d", i+1, len(deltas), foldAfter)
		}
		if i == foldAfter+2 { // erased between folds: in buckets and in deltas
			if err := f.gdpr.Erase(ctx, people[1].ID, people[1].Emails[0]); err != nil {
				t.Fatal(err)
			}
			if ids := namedIn(t, f, people[1].ID); len(ids) > 0 {
				t.Fatalf("the erased member is still in active records %v", ids)
			}
		}
		if i%7 == 0 {
			checkCounters(t, f, fmt.Sprint("transaction ", i+1))
		}
	}
	if buckets, deltas := activeIDsOf(t, f, "2026-03-10"); len(buckets) == 0 || len(deltas) == 0 {
		t.Fatalf("the day has buckets %v and deltas %v: the test wants both", buckets, deltas)
	}
	checkCounters(t, f, "after the writes")
	want := answersOf(t, f)
	freshProcess(t, f)
	if got := answersOf(t, f); got != want {
		t.Fatalf("a new process reading buckets and deltas:\n%s\nthe process that wrote them:\n%s", got, want)
	}
	checkCounters(t, f, "in a new process")
	if rep, err := f.st.Check(ctx); err != nil || !rep.OK {
		t.Fatalf("check: %+v, %v", rep.Findings, err)
	}
}

func TestActivityCountedOutInADeltaIsNotActiveBeforeOrAfterTheFold(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ctx := context.Background()
	kim := f.member(t, members.CreateInput{Name: "Kim", Emails: []string{"kim@example.org"}})
	lou := f.member(t, members.CreateInput{Name: "Lou", Emails: []string{"lou@example.org"}})
	if err := f.svc.ensure(ctx); err != nil {
		t.Fatal(err)
	}
	f.add(t, event{"kim@example.org", "post", "2026-03-10T09:00:00+01:00", "forum"})
	var kims activity.Record
	err := f.activity.Scan(ctx, time.Time{}, func(r activity.Record) error {
		if r.MemberID == kim.ID {
			kims = r
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Lou's activity folds Kim's post into the day's buckets.
	for i := range foldAfter {
		f.add(t, event{"lou@example.org", "reply", fmt.Sprintf("2026-03-10T10:%02d:00+01:00", i), "forum"})
	}
	if buckets, _ := activeIDsOf(t, f, "2026-03-10"); len(buckets) == 0 {
		t.Fatal("no fold happened")
	}
	// The post goes, as the hook tells it: a delta of -1 over a bucket of +1.
	f.svc.Begin()
	err = f.st.Update(ctx, func(tx *store.Tx) error {
		return f.svc.Apply(tx, []activity.Change{{Record: kims, Delta: -1}})
	})
	f.svc.End([]activity.Change{{Record: kims, Delta: -1}})
	if err != nil {
		t.Fatal(err)
	}
	march10 := Range{From: time.Date(2026, 3, 10, 0, 0, 0, 0, paris), To: time.Date(2026, 3, 11, 0, 0, 0, 0, paris)}
	activeThatDay := func(when string) {
		t.Helper()
		ids, err := f.svc.MembersBehind(ctx, march10, "active", 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids, []string{lou.ID}) {
			t.Errorf("%s: active on March 10 = %v, want only Lou %s", when, ids, lou.ID)
		}
		if got := stored(t, f).active; len(got) != 1 {
			t.Errorf("%s: the rollup holds %v, want Lou's replies only", when, got)
		}
	}
	activeThatDay("the process that wrote it")
	freshProcess(t, f)
	activeThatDay("a new process, the delta not folded")
	for i := range foldAfter {
		f.add(t, event{"lou@example.org", "reply", fmt.Sprintf("2026-03-10T11:%02d:00+01:00", i), "forum"})
	}
	if named := namedIn(t, f, kim.ID); len(named) > 0 {
		t.Errorf("after the fold Kim is still in active records %v", named)
	}
	freshProcess(t, f)
	activeThatDay("a new process after the fold")
}
