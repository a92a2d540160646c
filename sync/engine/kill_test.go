package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/outbox"
	"hearth/backend/store"
	"hearth/backend/syncstate"
	"hearth/sync/connector/faults"
	"hearth/sync/engine"
)

// childEnv names the workspace directory of the sync child process; childConnsEnv its
// connections (JSON).
const (
	childEnv      = "HEARTH_SYNC_CHILD_DIR"
	childConnsEnv = "HEARTH_SYNC_CHILD_CONNS"
)

// childConn is a connection as the parent hands it to the child.
type childConn struct {
	Connection connections.Connection `json:"connection"`
	Secret     string                 `json:"secret"`
}

// recorder is a platform fake that lists what took effect on it.
type recorder interface {
	http.Handler
	Created() []string
}

// platformFake is one platform the killed sync publishes to.
type platformFake struct {
	name     string
	platform connections.Platform
	fake     recorder
	secret   string
	settings func(url string) connections.Settings
}

// killFactories are the connectors the child process may use.
var killFactories = map[connections.Platform]engine.Factory{httpPlatform: newPostClient}

// killFakes returns the platforms of the kill test: the real platforms' fakes and a small JSON
// platform of this package.
func killFakes() []platformFake {
	return append(platformFakes(), []platformFake{
		{name: "posts-a", platform: httpPlatform, fake: newPostServer("tok-a"), secret: "tok-a",
			settings: func(u string) connections.Settings { return connections.Settings{URL: u} }},
		{name: "posts-b", platform: httpPlatform, fake: newPostServer("tok-b"), secret: "tok-b",
			settings: func(u string) connections.Settings { return connections.Settings{URL: u} }},
	}...)
}

// TestSyncChildProcess is the sync process of TestKilledSyncTakesEveryEntryExactlyOnce: it does
// nothing unless started by it.
func TestSyncChildProcess(t *testing.T) {
	dir := os.Getenv(childEnv)
	var cs []childConn
	if err := json.Unmarshal([]byte(os.Getenv(childConnsEnv)), &cs); err != nil {
		t.Fatal(err)
	}
	conns := &fakeConns{}
	for _, c := range cs {
		conns.add(c.Connection, c.Secret)
	}
	st := openStore(t, dir, nil)
	ob := outbox.NewService(st, nil)
	e := engine.New(engine.Options{
		Store: st, Outbox: ob, State: syncstate.NewService(st, nil, nil), Connections: conns,
		Factories: killFactories, HTTP: &http.Client{Timeout: 250 * time.Millisecond},
		MaxAttempts: 10000, BackoffBase: time.Millisecond, BackoffMax: 20 * time.Millisecond,
		RateLimitWait: 10 * time.Millisecond, NoLimit: true, Logger: childLogger(),
	})
	ctx := context.Background()
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); {
		if _, err := e.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		pending, err := ob.Pending(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) == 0 {
			return
		}
	}
	t.Fatal("the outbox did not drain")
}

// childLogger logs the child's sync to stderr when HEARTH_SYNC_CHILD_LOG is set (debugging).
func childLogger() *slog.Logger {
	if os.Getenv("HEARTH_SYNC_CHILD_LOG") == "" {
		return nil
	}
	return slog.New(slog.NewTextHandler(os.Stderr, nil))
}

func TestKilledSyncTakesEveryEntryExactlyOnce(t *testing.T) {
	const entries = 1000
	dir := t.TempDir()
	fakes := killFakes()
	var cs []childConn
	var injectors []*faults.Handler
	for i, f := range fakes {
		h := faults.Wrap(f.fake, faults.Options{Seed: int64(i + 1), P5xx: 0.05, P429: 0.03, PTimeout: 0.01, PReset: 0.03,
			After: true, Stall: 400 * time.Millisecond, RetryAfter: "0.05"})
		injectors = append(injectors, h)
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		cs = append(cs, childConn{Secret: f.secret, Connection: connections.Connection{ID: fmt.Sprintf("conn%d", i),
			Name: f.name, Platform: f.platform, Settings: f.settings(srv.URL), HasSecret: true}})
	}
	channels := func(i int) []int {
		if i%4 == 0 && len(fakes) > 1 {
			return []int{i % len(fakes), (i + 1) % len(fakes)}
		}
		return []int{i % len(fakes)}
	}
	token := func(i int) string { return fmt.Sprintf("tkn%04dz", i) }

	st := openStore(t, dir, clock.System{})
	err := st.UpdateDurable(context.Background(), func(tx *store.Tx) error {
		for i := range entries {
			var names []string
			for _, c := range channels(i) {
				names = append(names, fakes[c].name)
			}
			_, err := outbox.Enqueue(tx, outbox.Entry{Key: fmt.Sprintf("item%d@2026-03-02T09:00:00Z", i), Source: "test",
				Kind: "post", Channels: names, Title: fmt.Sprintf("Announcement number %d for everyone", i),
				Body: "Hello everyone, this is entry " + token(i) + " of the fault test.", CreatedAt: time.Now()})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	connsJSON, err := json.Marshal(cs)
	if err != nil {
		t.Fatal(err)
	}
	effects := func() int {
		n := 0
		for _, f := range fakes {
			n += len(f.fake.Created())
		}
		return n
	}
	start := func() (*exec.Cmd, chan error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSyncChildProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+dir, childConnsEnv+"="+string(connsJSON))
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		return cmd, done
	}
	kills := 0
	for run := 0; ; run++ {
		cmd, done := start()
		if run == 3 { // the last run drains the outbox
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("the last sync process failed: %v", err)
				}
			case <-time.After(90 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatal("the last sync process did not finish")
			}
			break
		}
		before := effects()
		tick := time.NewTicker(time.Millisecond)
	wait:
		for {
			select {
			case err := <-done:
				t.Fatalf("the sync process ended before it was killed: %v", err)
			case <-tick.C:
				if effects() >= before+100+37*run {
					break wait
				}
			}
		}
		tick.Stop()
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-done
		kills++
	}
	if kills != 3 {
		t.Fatalf("%d kills", kills)
	}

	after := 0
	for i, h := range injectors {
		c := h.Counts()
		t.Logf("%s: faults before the handler %v, after it %v", fakes[i].name, c.Before, c.After)
		for _, n := range c.After {
			after += n
		}
	}
	if after == 0 {
		t.Fatal("no fault struck after a request took effect: the test proves nothing")
	}

	created := make([][]string, len(fakes))
	for i, f := range fakes {
		created[i] = f.fake.Created()
	}
	for i := range entries {
		want := map[int]bool{}
		for _, c := range channels(i) {
			want[c] = true
		}
		for c := range fakes {
			n := count(created[c], token(i))
			if (want[c] && n != 1) || (!want[c] && n != 0) {
				t.Fatalf("entry %d took effect %d times on %s", i, n, fakes[c].name)
			}
		}
	}

	st = openStore(t, dir, clock.System{})
	ob := outbox.NewService(st, nil)
	if pending, err := ob.Pending(context.Background(), 0); err != nil || len(pending) != 0 {
		t.Fatalf("%d entries still pending (%v)", len(pending), err)
	}
	queued, parked, err := syncstate.NewService(st, nil, nil).Totals(context.Background())
	if err != nil || queued != 0 || parked != 0 {
		t.Fatalf("queued %d parked %d (%v)", queued, parked, err)
	}
}
