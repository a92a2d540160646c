package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/calendar"
	"hearth/backend/connections"
	"hearth/backend/credentials"
	"hearth/backend/syncstate"
	"hearth/backend/wiring"
	"hearth/sync/platforms"
	"hearth/sync/rss/rsstest"
)

// openSyncingBackend is openTestBackend with the real sync engine, as main.go wires it.
func openSyncingBackend(t *testing.T) *wiring.Backend {
	t.Helper()
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	b, err := wiring.Open(context.Background(), wiring.Options{Dir: t.TempDir(), Secrets: secrets,
		Sync: func(b *wiring.Backend) wiring.Syncer {
			return platforms.Engine(platforms.Deps{Store: b.Workspace.Store, Outbox: b.Outbox, State: b.SyncState,
				Connections: b.Connections, Activity: b.Activity, Members: b.Members, Consent: b.Consent, Dir: b.Workspace.Dir})
		}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b
}

func TestTheSyncScreenShowsConnectionsTheFeedAndParkedPostsWithRetry(t *testing.T) {
	b := openSyncingBackend(t)
	_, feedURL := rsstest.Start(t, rsstest.Options{})
	conns := connectionsOf(b, Checker(b.Sync))
	c, err := conns.Add(connections.AddInput{Name: "veille", Platform: connections.RSS,
		Settings: connections.Settings{URL: feedURL + "/rss.xml"}})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := conns.Test(c.ID); err != nil || !res.OK {
		t.Fatalf("test: %+v %v", res, err)
	}
	// A post for a channel no connection has: parked, with a reason, until retried.
	_, err = b.Calendar.Create(windowCtx(), calendar.CreateInput{Title: "Annonce", Channels: []string{"forum"},
		Status: calendar.Scheduled, At: time.Now().Add(-time.Minute)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Calendar.PublishDue(windowCtx(), time.Now()); err != nil {
		t.Fatal(err)
	}
	s := syncOf(b)
	rep, err := s.RunNow()
	if err != nil || len(rep.Connections) != 1 || rep.Connections[0].Pulled == 0 {
		t.Fatalf("run: %+v %v", rep, err)
	}
	ov, err := s.Overview()
	if err != nil || len(ov.Connections) != 1 || !ov.Connections[0].Online || ov.Connections[0].Name != "veille" ||
		ov.Parked != 1 || ov.Running || ov.LastRunAt.IsZero() {
		t.Fatalf("overview: %+v %v", ov, err)
	}
	page, err := s.Feed(activity.FeedQuery{Limit: 50})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("feed: %+v %v", page, err)
	}
	for _, it := range page.Items {
		if strings.Contains(it.Text, "<script") || it.Kind != activity.Article {
			t.Fatalf("feed item %+v", it)
		}
	}
	parked, err := s.Deliveries(syncstate.DeliveryQuery{State: syncstate.Parked})
	if err != nil || len(parked) != 1 || parked[0].ReasonCode != syncstate.ReasonNoConnection || parked[0].Channel != "forum" {
		t.Fatalf("parked: %+v %v", parked, err)
	}
	if d, err := s.Retry(parked[0].ID); err != nil || d.State != syncstate.Queued {
		t.Fatalf("retry: %+v %v", d, err)
	}
	// Removing the connection forgets its status.
	if err := conns.Remove(c.ID); err != nil {
		t.Fatal(err)
	}
	if ov, _ := s.Overview(); len(ov.Connections) != 0 {
		t.Fatalf("overview after removal: %+v", ov)
	}
}
