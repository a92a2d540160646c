package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hearth/backend/syncstate"
	"hearth/backend/wiring"
	"hearth/sync/mastodon/mastodontest"
	"hearth/sync/platforms"
)

// hearthSyncing runs one CLI command against a workspace whose backend has the real sync engine.
func hearthSyncing(t *testing.T, dir string, args ...string) run {
	t.Helper()
	return hearthSyncingIn(t, dir, "en", args...)
}

func hearthSyncingIn(t *testing.T, dir, lang string, args ...string) run {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errOut, Lang: lang, Open: func(ctx context.Context) (*wiring.Backend, error) {
		return wiring.Open(ctx, wiring.Options{Dir: dir, Sync: func(b *wiring.Backend) wiring.Syncer {
			return platforms.Engine(platforms.Deps{Store: b.Workspace.Store, Outbox: b.Outbox, State: b.SyncState,
				Connections: b.Connections, Activity: b.Activity, Members: b.Members, Consent: b.Consent, Dir: b.Workspace.Dir})
		}})
	}}
	code := Run(context.Background(), args, env)
	return run{code, out.String(), errOut.String()}
}

func TestSyncRunOncePublishesTheCalendarToTheNamedConnectionAndPullsItsFollowers(t *testing.T) {
	privateCredentials(t)
	dir := t.TempDir()
	fake, url := mastodontest.Start(t, mastodontest.Options{})
	fake.AddFollower("lea", "Léa Martin")
	fake.AddNotification("mention", "lea", "Merci pour l'atelier !", time.Now().Add(-time.Hour))

	if r := hearthSyncing(t, dir, "connector", "add", "mastodon", "--name", "masto", "--url", url, "--token", "mastodon-test-token"); r.code != 0 {
		t.Fatalf("add: %+v", r)
	}
	r := hearthSyncing(t, dir, "sync", "run", "--once", "--json")
	if r.code != 0 {
		t.Fatalf("sync run: %+v", r)
	}
	var rep syncstate.RunReport
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("%v: %s", err, r.stdout)
	}
	if len(rep.Connections) != 1 || rep.Connections[0].Name != "masto" || !rep.Connections[0].Online ||
		rep.Connections[0].Failed != 0 || rep.Connections[0].PulledPeople != 1 || rep.Connections[0].Pulled == 0 {
		t.Fatalf("report %+v", rep)
	}
	at := time.Now().Add(-time.Minute).Format(time.RFC3339)
	if r := hearthSyncing(t, dir, "calendar", "add", "--title", "Atelier jeudi", "--body", "On se retrouve jeudi.",
		"--at", at, "--channel", "masto"); r.code != 0 {
		t.Fatalf("calendar add: %+v", r)
	}
	// The headless way: run-due hands the due post to the outbox and runs the sync job.
	if r := hearthSyncing(t, dir, "scheduler", "run-due"); r.code != 0 {
		t.Fatalf("run-due: %+v", r)
	}
	if r := hearthSyncing(t, dir, "sync", "run", "--once", "--json"); r.code != 0 {
		t.Fatalf("sync run: %+v", r)
	}
	// Published once, whichever of the two runs did it.
	if got := fake.Created(); len(got) != 1 || !strings.Contains(got[0], "Atelier jeudi") {
		t.Fatalf("statuses on the instance: %q", got)
	}
	if r := hearthSyncing(t, dir, "sync", "run", "--once", "--json"); r.code != 0 || len(fake.Created()) != 1 {
		t.Fatalf("a second run published again or failed: %+v %q", r, fake.Created())
	}
	r = hearthSyncing(t, dir, "members", "list", "--search", "lea", "--json")
	if !strings.Contains(r.stdout, "Léa Martin") {
		t.Fatalf("follower not a member: %+v", r)
	}
	st := hearthSyncing(t, dir, "sync", "status", "--json")
	var view struct {
		Queued      int `json:"queued"`
		Parked      int `json:"parked"`
		Connections []struct {
			Name   string `json:"name"`
			Online bool   `json:"online"`
		} `json:"connections"`
	}
	if err := json.Unmarshal([]byte(st.stdout), &view); err != nil || view.Queued != 0 || view.Parked != 0 ||
		len(view.Connections) != 1 || !view.Connections[0].Online {
		t.Fatalf("status %v %+v", err, st)
	}
}

func TestSyncRunOnceFailsNamingAnUnreachableConnectionAndKeepsTheEntryQueued(t *testing.T) {
	privateCredentials(t)
	dir := t.TempDir()
	hearthSyncing(t, dir, "connector", "add", "mastodon", "--name", "masto", "--url", "http://127.0.0.1:1", "--token", "tok")
	hearthSyncing(t, dir, "calendar", "add", "--title", "Hors ligne", "--at", time.Now().Add(-time.Minute).Format(time.RFC3339), "--channel", "masto")
	hearthSyncing(t, dir, "scheduler", "run-due")
	r := hearthSyncing(t, dir, "sync", "run", "--once")
	if r.code != ExitError || !strings.Contains(r.stderr, "could not be synced") || !strings.Contains(r.stdout, "offline") {
		t.Fatalf("%+v", r)
	}
	st := hearthSyncing(t, dir, "sync", "status")
	if !strings.Contains(st.stdout, "Queue: 1 waiting, 0 parked.") {
		t.Fatalf("%+v", st)
	}
}

func TestSyncRetryOfAnEntryForAnUnknownConnectionNeedsAParkedEntry(t *testing.T) {
	privateCredentials(t)
	dir := t.TempDir()
	hearthSyncing(t, dir, "calendar", "add", "--title", "Nulle part", "--at", time.Now().Add(-time.Minute).Format(time.RFC3339), "--channel", "nowhere")
	hearthSyncing(t, dir, "scheduler", "run-due")
	hearthSyncing(t, dir, "sync", "run", "--once")
	r := hearthSyncing(t, dir, "sync", "status", "--json")
	var view struct {
		ParkedItems []syncstate.Delivery `json:"parkedItems"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &view); err != nil || len(view.ParkedItems) != 1 ||
		view.ParkedItems[0].ReasonCode != syncstate.ReasonNoConnection {
		t.Fatalf("%v %+v", err, r)
	}
	if r := hearthSyncing(t, dir, "sync", "retry", view.ParkedItems[0].ID); r.code != 0 || !strings.Contains(r.stdout, "back in the queue") {
		t.Fatalf("%+v", r)
	}
	if r := hearthSyncing(t, dir, "sync", "retry", view.ParkedItems[0].ID); r.code != ExitError {
		t.Fatalf("retrying a queued entry: %+v", r)
	}
	if r := hearthSyncing(t, dir, "sync", "retry"); r.code != ExitUsage {
		t.Fatalf("%+v", r)
	}
}

func TestConnectorTestSaysWhyItFailedInTheUsersLanguage(t *testing.T) {
	privateCredentials(t)
	dir := t.TempDir()
	hearthSyncing(t, dir, "connector", "add", "mastodon", "--name", "masto", "--url", "http://127.0.0.1:1", "--token", "tok-secret-123")
	r := hearthSyncingIn(t, dir, "fr", "connector", "test", "masto")
	if r.code != ExitError || !strings.Contains(r.stderr, "masto ne fonctionne pas : la plateforme est injoignable") ||
		strings.Contains(r.stderr+r.stdout, "tok-secret-123") {
		t.Fatalf("%+v", r)
	}
	_, url := mastodontest.Start(t, mastodontest.Options{})
	hearthSyncing(t, dir, "connector", "add", "mastodon", "--name", "bad", "--url", url, "--token", "wrong-token")
	r = hearthSyncingIn(t, dir, "en", "connector", "test", "bad")
	if r.code != ExitError || !strings.Contains(r.stderr, "the platform refused the credentials") {
		t.Fatalf("%+v", r)
	}
}

func TestSyncStatusShowsWhatEachConnectionPulledSoFarInTheUsersLanguage(t *testing.T) {
	privateCredentials(t)
	dir := t.TempDir()
	_, url := mastodontest.Start(t, mastodontest.Options{})
	for _, name := range []string{"masto", "quiet"} {
		if r := hearthSyncing(t, dir, "connector", "add", "mastodon", "--name", name, "--url", url, "--token", "mastodon-test-token"); r.code != 0 {
			t.Fatalf("add %s: %+v", name, r)
		}
	}
	ctx := context.Background()
	b, err := wiring.Open(ctx, wiring.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	conns, err := b.Connections.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range conns {
		if _, err := b.SyncState.UpdateStatus(ctx, c.ID, func(*syncstate.Status) {}); err != nil {
			t.Fatal(err)
		}
		if c.Name == "masto" {
			if err := b.SyncState.RecordPull(ctx, c.ID, 12345, 1234); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	today := time.Now().Format("2006-01-02 ")
	for _, tc := range []struct {
		lang   string
		header []string
		masto  []string
		quiet  []string
	}{
		{"en", []string{"PULLED SO FAR", "ACTIVITIES", "NEW MEMBERS", "LAST NEW ARRIVAL"},
			[]string{"masto", "12,345", "1,234", today}, []string{"quiet", "0", "0", "never"}},
		{"fr", []string{"REÇU JUSQU'ICI", "ACTIVITÉS", "NOUVEAUX MEMBRES", "DERNIÈRE NOUVEAUTÉ"},
			[]string{"masto", "12\u00a0345", "1\u00a0234", today}, []string{"quiet", "0", "0", "jamais"}},
	} {
		r := hearthSyncingIn(t, dir, tc.lang, "sync", "status")
		if r.code != 0 {
			t.Fatalf("%s status: %+v", tc.lang, r)
		}
		_, table, ok := strings.Cut(r.stdout, tc.header[0])
		if !ok {
			t.Fatalf("%s: no %q table in\n%s", tc.lang, tc.header[0], r.stdout)
		}
		lines := strings.Split(strings.TrimSpace(tc.header[0]+table), "\n")
		if len(lines) != 3 {
			t.Fatalf("%s: pulled table\n%s", tc.lang, strings.Join(lines, "\n"))
		}
		for i, want := range [][]string{tc.header, tc.masto, tc.quiet} {
			if !containsInOrder(lines[i], want) {
				t.Errorf("%s: line %q, want %q in order", tc.lang, lines[i], want)
			}
		}
	}
}

// containsInOrder reports whether s holds every part, one after the other.
func containsInOrder(s string, parts []string) bool {
	for _, p := range parts {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return true
}
