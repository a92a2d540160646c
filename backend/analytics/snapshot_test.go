package analytics

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/members"
)

// answersOf is everything the dashboard shows over a few ranges: KPIs, funnel, levels and the
// members behind every number.
func answersOf(t *testing.T, f *fixture) string {
	t.Helper()
	ctx := context.Background()
	var out string
	for _, r := range []Range{
		{From: time.Date(2026, 3, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 1, 0, 0, 0, 0, paris)},
		{From: time.Date(2026, 2, 1, 0, 0, 0, 0, paris), To: time.Date(2026, 4, 2, 0, 0, 0, 0, paris)},
		{From: time.Date(2026, 3, 10, 0, 0, 0, 0, paris), To: time.Date(2026, 3, 13, 0, 0, 0, 0, paris)},
	} {
		k, err := f.svc.KPIs(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		fu, err := f.svc.Funnel(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		lv, err := f.svc.MemberLevels(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal([]any{k, fu, lv})
		if err != nil {
			t.Fatal(err)
		}
		out += string(b) + "\n"
		for _, m := range Metrics {
			ids, err := f.svc.MembersBehind(ctx, r, m, 0)
			if err != nil {
				t.Fatal(err)
			}
			out += fmt.Sprintln(m, ids)
		}
	}
	return out
}

func TestTheNextOpenAnswersFromTheSavedIndexExactlyAsFromTheCounters(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	c := newCommunity(t, f)
	// Questions and answers, and words with a mood, so that every part of the index is saved.
	at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339, s); return v }
	f.say(t,
		activity.ManualInput{Member: "alice@example.org", Kind: activity.Post, At: at("2026-03-10T09:00:00+01:00"), Channel: "forum", ID: "q1", Title: "Comment exporter les membres ?"},
		activity.ManualInput{Member: "bob@example.org", Kind: activity.Reply, At: at("2026-03-10T09:40:00+01:00"), Channel: "forum", Thread: "q1", Text: "Par le menu Exporter."},
		activity.ManualInput{Member: "chloe@example.org", Kind: activity.Reply, At: at("2026-03-11T08:00:00+01:00"), Channel: "forum", Thread: "q1", Text: "Voilà."},
		activity.ManualInput{Member: "gus@example.org", Kind: activity.Post, At: at("2026-03-12T18:00:00+01:00"), Channel: "forum", ID: "q2", Title: "Où est le guide ?"})
	f.addText(t, textEvent{"alice@example.org", "2026-03-11T10:00:00+01:00", "Super atelier, merci beaucoup, génial !"},
		textEvent{"bob@example.org", "2026-03-11T11:00:00+01:00", "Le site est en panne, c'est nul et décevant."},
		textEvent{"chloe@example.org", "2026-03-12T11:00:00+01:00", "Atelier compostage samedi : atelier complet."})
	want := answersOf(t, f)
	if !strings.Contains(want, `"questions":2`) || !strings.Contains(want, `"positive":1`) {
		t.Fatalf("the fixture has no questions or moods: %s", want)
	}

	f.reopen(t)
	if f.svc.loadSnapshot() == nil {
		t.Fatal("the index saved at close was not usable by the next open")
	}
	if got := answersOf(t, f); got != want {
		t.Fatalf("from the snapshot:\n%s\nfrom the counters:\n%s", got, want)
	}

	// Changes in this process (a member renamed and tagged a teammate, new activity, an
	// erasure), then a new process: its answers are those of an index built from the counters.
	ctx := context.Background()
	if _, err := f.members.Update(ctx, c.chloe.ID, members.Patch{Tags: &[]string{"équipe"}}); err != nil {
		t.Fatal(err)
	}
	f.add(t, event{"eve@example.org", "reply", "2026-03-20T10:00:00+01:00", "forum"},
		event{"bob@example.org", "post", "2026-03-11T10:00:00+01:00", "forum"})
	if err := f.gdpr.Erase(ctx, c.gus.ID, "gus@example.org"); err != nil {
		t.Fatal(err)
	}
	changed := answersOf(t, f)
	f.reopen(t)
	if got := answersOf(t, f); got != changed {
		t.Fatalf("after changes, from the snapshot:\n%s\nin the process that made them:\n%s", got, changed)
	}
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(f.dir, "cache")); err != nil {
		t.Fatal(err)
	}
	f.open(t)
	if got := answersOf(t, f); got != changed {
		t.Fatalf("rebuilt from the counters:\n%s\nfrom the snapshot:\n%s", got, changed)
	}
}

func TestADamagedIndexSnapshotIsRebuiltFromTheCounters(t *testing.T) {
	f := newFixture(t, fixtureOptions)
	newCommunity(t, f)
	want := answersOf(t, f)
	if err := f.st.Close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.dir, "cache", indexSnapshot+".snap")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-3] ^= 0x55
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	f.open(t)
	if got := answersOf(t, f); got != want {
		t.Fatalf("after damage:\n%s\nwant:\n%s", got, want)
	}
}
