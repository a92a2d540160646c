package newsletter_test

import (
	"fmt"
	"testing"

	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/newsletter/newslettertest"
)

// TestANewsletterReachesAPersonOnceWhenTheirTwoRecordsAreMergedDuringOrBetweenItsRuns: one
// person is two members (two addresses) among the recipients; the two are merged, either way
// round, while the message to the first is going out or between two runs of the send (the
// first stopped by the server). Counted per person, nobody gets the newsletter twice, the
// person's record holds one delivery of it, and the newsletter counts them once.
func TestANewsletterReachesAPersonOnceWhenTheirTwoRecordsAreMergedDuringOrBetweenItsRuns(t *testing.T) {
	stop := &newsletter.SendError{Stage: newsletter.StageConnect, Reply: "server gone"}
	for _, tc := range []struct {
		name          string
		during        bool
		keepFirstSent bool
	}{
		{"merged during the send into the record sent first", true, true},
		{"merged during the send into the record not sent yet", true, false},
		{"merged between runs into the record sent first", false, true},
		{"merged between runs into the record not sent yet", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &newslettertest.FakeSender{}
			e := newslettertest.New(t, f, fastOptions())
			e.Members.SetMovers(members.Mover{Kind: "deliveries", Move: newsletter.MoveMember, PointAt: newsletter.PointAt})
			ms := e.Add(t,
				newslettertest.Person{Name: "Camille Martin", Email: "camille@example.org", Consent: true},
				newslettertest.Person{Name: "Yann", Email: "yann@example.org", Consent: true},
				newslettertest.Person{Name: "Camille", Email: "cm@perso.example", Consent: true},
				newslettertest.Person{Name: "Zoé", Email: "zoe@example.org", Consent: true},
			)
			first, second := ms[0], ms[2]
			keep, other := second, first
			if tc.keepFirstSent {
				keep, other = first, second
			}
			merge := func() {
				if _, err := e.Members.MergePeople(ctx, keep.ID, other.ID, members.PeopleMergeOptions{}); err != nil {
					t.Error(err)
				}
			}
			if tc.during {
				f.OnSend = func(_ int, m newsletter.Message) {
					if m.To == "camille@example.org" {
						merge()
					}
				}
			} else {
				f.Script = map[string][]error{"yann@example.org": {stop}}
			}
			e.Configure(t, "127.0.0.1", 2525, newsletter.TLSNone, "", "", 0)
			n := e.Draft(t, newsletter.Input{Subject: "Lettre"})
			got, err := e.News.Send(ctx, n.ID, nil)
			if !tc.during {
				if err == nil {
					t.Fatal("the first run did not stop at the refused connection")
				}
				merge()
				got, err = e.News.Send(ctx, n.ID, nil)
			}
			if err != nil {
				t.Fatal(err)
			}
			perPerson := map[string]int{}
			for _, m := range f.Sent {
				person := m.To
				if m.To == "cm@perso.example" {
					person = "camille@example.org"
				}
				perPerson[person]++
			}
			if fmt.Sprint(perPerson) != "map[camille@example.org:1 yann@example.org:1 zoe@example.org:1]" {
				t.Fatalf("messages per person: %v", perPerson)
			}
			if got.Status != newsletter.StatusSent || got.Counts.Sent != 3 || got.Counts.Pending != 0 {
				t.Fatalf("newsletter: %s %+v", got.Status, got.Counts)
			}
			ds, err := e.News.MemberDeliveries(ctx, keep.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(ds) != 1 || ds[0].Status != newsletter.DeliverySent || ds[0].MemberID != keep.ID {
				t.Fatalf("the person's deliveries: %+v", ds)
			}
			if ds, _ := e.News.MemberDeliveries(ctx, other.ID); len(ds) != 0 {
				t.Fatalf("deliveries left to the member merged away: %+v", ds)
			}
		})
	}
}
