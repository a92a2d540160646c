package mailchimp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/clock"
	"hearth/sync/mailchimp/mailchimptest"
)

// sink records what a pull reports; failPeople makes the n-th People call fail.
type sink struct {
	mu         sync.Mutex
	people     []activity.Person
	cursors    []string
	calls      int
	failPeople int
	onPeople   func(call int)
}

func (s *sink) People(_ context.Context, p []activity.Person) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	if s.onPeople != nil {
		s.onPeople(s.calls)
	}
	if s.calls == s.failPeople {
		return errors.New("disk full")
	}
	s.people = append(s.people, p...)
	return nil
}

func (s *sink) Activities(context.Context, []activity.Incoming) error { return nil }

func (s *sink) Cursor(_ context.Context, c string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cursors = append(s.cursors, c)
	return nil
}

func (s *sink) emails() map[string]int {
	out := map[string]int{}
	for _, p := range s.people {
		out[p.Email]++
	}
	return out
}

// seed adds n members changed one minute apart, the newest a minute before the clock.
func seed(fake *mailchimptest.Server, clk *clock.Manual, n int) {
	for i := range n {
		fake.AddMember(mailchimptest.Member{Email: fmt.Sprintf("p%04d@example.org", i), FirstName: "Ana",
			LastName: fmt.Sprintf("N%d", i), LastChanged: clk.Now().Add(-time.Duration(n-i) * time.Minute)})
	}
}

func memberRequests(fake *mailchimptest.Server) []mailchimptest.Recorded {
	var out []mailchimptest.Recorded
	for _, r := range fake.Requests() {
		if r.Path == "/3.0/lists/"+mailchimptest.DefaultList+"/members" {
			out = append(out, r)
		}
	}
	return out
}

func TestPullWalksEveryPageAndTheNextPullBringsOnlyChanges(t *testing.T) {
	clk := newClock()
	fake, c := start(t, mailchimptest.Options{Now: clk.Now})
	seed(fake, clk, 2500)
	s := &sink{}
	cur, err := c.Pull(context.Background(), "", s)
	if err != nil {
		t.Fatalf("Pull: %v", err)
	}
	if got := s.emails(); len(got) != 2500 || len(s.people) != 2500 {
		t.Fatalf("%d people (%d distinct), want 2500", len(s.people), len(got))
	}
	reqs := memberRequests(fake)
	if len(reqs) != 3 {
		t.Fatalf("%d page requests, want 3", len(reqs))
	}
	for i, r := range reqs {
		if r.Query.Get("count") != "1000" || r.Query.Get("offset") != fmt.Sprint(i*1000) ||
			r.Query.Get("sort_field") != "last_changed" || r.Query.Get("since_last_changed") != "" {
			t.Fatalf("page %d query %v", i, r.Query)
		}
	}
	var final cursor
	if err := json.Unmarshal([]byte(cur), &final); err != nil || final.Offset != 0 ||
		final.Since != clk.Now().Add(-time.Minute).Format(stampLayout) {
		t.Fatalf("final cursor %q", cur)
	}
	if s.cursors[len(s.cursors)-1] != cur {
		t.Fatalf("the final cursor was not given to the sink")
	}

	clk.Advance(time.Minute)
	fake.AddMember(mailchimptest.Member{Email: "new@example.org", FirstName: "Nouvelle"})
	fake.AddMember(mailchimptest.Member{Email: "p0003@example.org", FirstName: "Renamed"})
	s2 := &sink{}
	cur2, err := c.Pull(context.Background(), cur, s2)
	if err != nil {
		t.Fatalf("second Pull: %v", err)
	}
	if got := s2.emails(); len(got) != 2 || got["new@example.org"] != 1 || got["p0003@example.org"] != 1 {
		t.Fatalf("second pull brought %v", got)
	}
	if last := memberRequests(fake); last[len(last)-1].Query.Get("since_last_changed") != final.Since {
		t.Fatalf("second pull query %v", last[len(last)-1].Query)
	}
	s3 := &sink{}
	if _, err := c.Pull(context.Background(), cur2, s3); err != nil || len(s3.people) != 0 {
		t.Fatalf("third pull: %v, %d people", err, len(s3.people))
	}
}

func TestPullMapsMembersToPeople(t *testing.T) {
	clk := newClock()
	fake, c := start(t, mailchimptest.Options{Now: clk.Now})
	opt := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	fake.AddMember(mailchimptest.Member{Email: "Ana@Example.org", FirstName: "Ana", LastName: "Lima",
		OptIn: opt, OpenRate: 0.425, ClickRate: 0.1})
	s := &sink{}
	if _, err := c.Pull(context.Background(), "", s); err != nil {
		t.Fatal(err)
	}
	if len(s.people) != 1 {
		t.Fatalf("people %+v", s.people)
	}
	p := s.people[0]
	if p.Email != "Ana@Example.org" || p.Name != "Ana Lima" || p.Handle != "" || !p.JoinedAt.Equal(opt) ||
		p.RemoteID != mailchimptest.Hash("ana@example.org") || p.Stats["avg_open_rate_pct"] != 43 ||
		p.Stats["avg_click_rate_pct"] != 10 {
		t.Fatalf("person %+v", p)
	}
}

func TestAnInterruptedPullResumesFromItsCursor(t *testing.T) {
	clk := newClock()
	fake, c := start(t, mailchimptest.Options{Now: clk.Now})
	seed(fake, clk, 2500)
	s := &sink{failPeople: 2}
	if _, err := c.Pull(context.Background(), "", s); err == nil {
		t.Fatal("the pull went on after the sink failed")
	}
	if len(s.cursors) != 1 {
		t.Fatalf("cursors %v, want one after the first page", s.cursors)
	}
	s2 := &sink{}
	if _, err := c.Pull(context.Background(), s.cursors[0], s2); err != nil {
		t.Fatalf("resumed Pull: %v", err)
	}
	reqs := memberRequests(fake)
	if got := reqs[2].Query.Get("offset"); got != "1000" {
		t.Fatalf("the resumed pull started at offset %s", got)
	}
	all := s.emails()
	for e, n := range s2.emails() {
		all[e] += n
	}
	if len(all) != 2500 || len(s.people)+len(s2.people) != 2500 {
		t.Fatalf("%d distinct of %d people, want 2500 once each", len(all), len(s.people)+len(s2.people))
	}
}

func TestAMemberChangedDuringAPullIsNeitherSkippedNorLost(t *testing.T) {
	clk := newClock()
	fake, c := start(t, mailchimptest.Options{Now: clk.Now})
	seed(fake, clk, 2500)
	s := &sink{onPeople: func(call int) {
		if call == 1 { // an old member (on the last page) changes after the first page
			fake.AddMember(mailchimptest.Member{Email: "p0000@example.org", FirstName: "Changed",
				LastChanged: clk.Now().Add(time.Second)})
		}
	}}
	cur, err := c.Pull(context.Background(), "", s)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.emails(); len(got) != 2499 {
		// p0000 moved before the pages still to read: everyone else is seen.
		t.Fatalf("%d distinct people, want all 2499 others", len(got))
	}
	clk.Advance(time.Minute)
	s2 := &sink{}
	if _, err := c.Pull(context.Background(), cur, s2); err != nil {
		t.Fatal(err)
	}
	if len(s2.people) != 1 || s2.people[0].Name != "Changed" {
		t.Fatalf("next pull brought %+v, want the changed member", s2.people)
	}
}

func TestAnUnreadableCursorStartsOver(t *testing.T) {
	clk := newClock()
	fake, c := start(t, mailchimptest.Options{Now: clk.Now})
	seed(fake, clk, 3)
	s := &sink{}
	if _, err := c.Pull(context.Background(), "{not json", s); err != nil || len(s.people) != 3 {
		t.Fatalf("Pull: %v, %d people", err, len(s.people))
	}
}
