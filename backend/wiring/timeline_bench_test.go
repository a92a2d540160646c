package wiring

import (
	"context"
	"fmt"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/clock"
	"hearth/backend/credentials"
	"hearth/backend/members"
	"hearth/backend/timeline"
)

// BenchmarkTimeline10k times the first page of the story of a member with 10,000 activities
// (issue #15's benchmark), in a workspace reopened as a new process would find it: every
// activity record is read and sorted, with the member's consent, mails, tasks, steps and log.
func BenchmarkTimeline10k(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	secrets, err := credentials.Open(credentials.Options{Dir: b.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		b.Fatal(err)
	}
	clk := clock.NewManual(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC))
	open := func() *Backend {
		be, err := Open(ctx, Options{Dir: dir, Secrets: secrets, Clock: clk, Zone: time.UTC})
		if err != nil {
			b.Fatal(err)
		}
		return be
	}
	be := open()
	m, err := be.Members.Create(ctx, members.CreateInput{Name: "Camille Martin", Emails: []string{"camille@exemple.fr"}})
	if err != nil {
		b.Fatal(err)
	}
	kinds := []activity.Kind{activity.Post, activity.Reply, activity.Message, activity.Reaction}
	for batch := range 10 {
		var ins []activity.ManualInput
		for i := range 1000 {
			n := batch*1000 + i
			ins = append(ins, activity.ManualInput{Member: m.ID, Kind: kinds[n%len(kinds)], At: clk.Now().Add(-time.Duration(n) * 37 * time.Minute),
				Channel: fmt.Sprint("salon-", n%7), Text: fmt.Sprint("Message numéro ", n, " sur le salon")})
		}
		if _, err := be.Activity.AddManual(ctx, ins); err != nil {
			b.Fatal(err)
		}
	}
	if err := be.Close(); err != nil {
		b.Fatal(err)
	}
	be = open()
	defer be.Close()
	b.ResetTimer()
	for b.Loop() {
		p, err := be.Timeline.Of(ctx, m, timeline.Query{Limit: 50})
		if err != nil {
			b.Fatal(err)
		}
		if len(p.Entries) != 50 || p.Summary.Activities != 10_000 {
			b.Fatalf("%d entries of %d, %d activities", len(p.Entries), p.Total, p.Summary.Activities)
		}
	}
}
