package members_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/internal/storetest"
	"hearth/backend/members"
)

// eachFixture is a member service with a few people whose names, e-mails, handles and tags
// the filters tell apart, one of them deleted.
func eachFixture(t *testing.T) *members.Service {
	t.Helper()
	c := clock.NewManual(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	svc := members.NewService(storetest.Open(t, t.TempDir(), c), c, nil)
	ctx := context.Background()
	ins := []members.CreateInput{
		{Name: "Hélène Dupont", Emails: []string{"helene@example.org"}, Tags: []string{"Paris", "bénévole"}},
		{Name: "Marc Dupond", Emails: []string{"marc@example.org", "m.dupond@asso.fr"}, Tags: []string{"lyon"}},
		{Name: "Zoë", Handles: []members.Handle{{Platform: "discord", Handle: "zoe_dupont"}}, Tags: []string{"PARIS"}},
		{Name: "Gone Dupont", Emails: []string{"gone@example.org"}, Tags: []string{"paris"}},
		{Name: "Noël Martin", Emails: []string{"noel@example.org"}, Tags: []string{"Bénévole", "lyon"},
			CustomFields: map[string]string{"ville": "Lyon"}},
	}
	for _, in := range ins {
		if _, err := svc.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Second)
	}
	gone, err := svc.Find(ctx, "gone@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Delete(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestEachReadsTheMembersListWouldFindOldestFirst(t *testing.T) {
	svc := eachFixture(t)
	ctx := context.Background()
	for _, q := range []members.ListQuery{
		{},
		{Tag: "paris"},
		{Tag: " BENEVOLE "},
		{Search: "dupont"},
		{Search: "DUPON paris"},
		{Search: "asso.fr"},
		{Search: "zoe_"},
		{Search: "noel", Tag: "lyon"},
		{Search: "nobody"},
		{Tag: "nowhere"},
	} {
		var got []members.Member
		if err := svc.Each(ctx, q, func(m members.Member) error { got = append(got, m); return nil }); err != nil {
			t.Fatal(err)
		}
		ids := make([]string, len(got))
		for i, m := range got {
			ids[i] = m.ID
		}
		if !slices.IsSorted(ids) {
			t.Errorf("%+v: not oldest first: %q", q, ids)
		}
		q.Limit = members.MaxLimit
		page, err := svc.List(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, m := range page.Items {
			want = append(want, m.ID)
		}
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("%+v: Each read %q, List finds %q", q, ids, want)
		}
		for _, m := range got {
			if full, err := svc.Get(ctx, m.ID); err != nil || full.Name != m.Name || len(full.CustomFields) != len(m.CustomFields) {
				t.Errorf("%+v: %+v is not the record %+v (%v)", q, m, full, err)
			}
		}
	}
}

func TestEachStopsAtTheCallersErrorAndAtCancellation(t *testing.T) {
	svc := eachFixture(t)
	boom := errors.New("boom")
	calls := 0
	err := svc.Each(context.Background(), members.ListQuery{}, func(members.Member) error { calls++; return boom })
	if !errors.Is(err, boom) || calls != 1 {
		t.Fatalf("%d calls, %v", calls, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls = 0
	err = svc.Each(ctx, members.ListQuery{}, func(members.Member) error { calls++; return nil })
	if !errors.Is(err, errs.Unavailable) || calls != 0 {
		t.Fatalf("%d calls after cancellation, %v", calls, err)
	}
}

func TestEachFromBothEndsGivesEveryMatchingMemberToExactlyOneEnd(t *testing.T) {
	c := clock.NewManual(time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC))
	svc := members.NewService(storetest.Open(t, t.TempDir(), c), c, nil)
	ctx := context.Background()
	ins := make([]members.CreateInput, 2600)
	for i := range ins {
		ins[i] = members.CreateInput{Name: fmt.Sprintf("Membre %d", i), Emails: []string{fmt.Sprintf("m%d@example.org", i)}}
		if i%3 == 0 {
			ins[i].Tags = append(ins[i].Tags, "Lyon")
		}
		if i%5 == 0 {
			ins[i].Tags = append(ins[i].Tags, "Rare")
		}
	}
	if _, err := svc.CreateMany(ctx, ins, nil); err != nil {
		t.Fatal(err)
	}
	var everyone []members.Member
	if err := svc.Each(ctx, members.ListQuery{}, func(m members.Member) error { everyone = append(everyone, m); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(everyone) != len(ins) {
		t.Fatalf("%d members", len(everyone))
	}
	for _, tc := range []struct {
		q    members.ListQuery
		keep func(m members.Member) bool
	}{
		{members.ListQuery{}, func(members.Member) bool { return true }},
		// a third of the members: both ends walk the records
		{members.ListQuery{Tag: "lyon"}, func(m members.Member) bool { return slices.Contains(m.Tags, "Lyon") }},
		// a fifth, over two list pages, and a few: read through the list
		{members.ListQuery{Tag: "RARE"}, func(m members.Member) bool { return slices.Contains(m.Tags, "Rare") }},
		{members.ListQuery{Search: "membre 14"}, func(m members.Member) bool {
			return strings.Contains(m.Name, "14") || strings.Contains(m.Emails[0], "14") // every word, anywhere
		}},
		{members.ListQuery{Search: "nobody"}, func(members.Member) bool { return false }},
	} {
		var want []string
		for _, m := range everyone {
			if tc.keep(m) {
				want = append(want, m.ID)
			}
		}
		for range 5 { // where the two walks meet depends on how the goroutines run
			var oldest, newest []string
			err := svc.EachFromBothEnds(ctx, tc.q,
				func(m members.Member) error { oldest = append(oldest, m.ID); return nil },
				func(m members.Member) error { newest = append(newest, m.ID); return nil })
			if err != nil {
				t.Fatal(err)
			}
			if !slices.IsSorted(oldest) || !slices.IsSortedFunc(newest, func(a, b string) int { return strings.Compare(b, a) }) {
				t.Fatalf("%+v: out of order", tc.q)
			}
			slices.Reverse(newest)
			if got := slices.Concat(oldest, newest); !slices.Equal(got, want) {
				t.Fatalf("%+v: %d+%d members, want %d", tc.q, len(oldest), len(newest), len(want))
			}
		}
		var each []string
		if err := svc.Each(ctx, tc.q, func(m members.Member) error { each = append(each, m.ID); return nil }); err != nil || !slices.Equal(each, want) {
			t.Fatalf("%+v: Each read %d members, want %d (%v)", tc.q, len(each), len(want), err)
		}
	}
}

func TestEachFromBothEndsStopsBothWalksAtTheFirstError(t *testing.T) {
	svc := eachFixture(t)
	boom := errors.New("boom")
	var mu sync.Mutex
	calls := 0
	fail := func(members.Member) error {
		mu.Lock()
		defer mu.Unlock()
		calls++
		return boom
	}
	err := svc.EachFromBothEnds(context.Background(), members.ListQuery{}, fail, fail)
	if !errors.Is(err, boom) || calls > 2 {
		t.Fatalf("%d calls, %v", calls, err)
	}
}
