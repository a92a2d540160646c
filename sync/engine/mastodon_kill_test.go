package engine_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"hearth/backend/connections"
	"hearth/backend/outbox"
	"hearth/backend/store"
	"hearth/backend/syncstate"
	"hearth/sync/connector/faults"
	"hearth/sync/engine"
	"hearth/sync/mastodon/mastodontest"
)

// The child of TestKilledMastodonSyncResumedHoursLaterPostsEachStatusOnce: it syncs the
// workspace in mastodonChildDir to the instance at mastodonChildURL, its clock
// mastodonChildOffset ahead of the system's (the hours the sync was interrupted for).
const (
	mastodonChildDir    = "HEARTH_MASTODON_CHILD_DIR"
	mastodonChildURL    = "HEARTH_MASTODON_CHILD_URL"
	mastodonChildOffset = "HEARTH_MASTODON_CHILD_OFFSET"
)

// offsetClock is the system clock moved forward by d.
type offsetClock struct{ d time.Duration }

func (c offsetClock) Now() time.Time { return time.Now().Add(c.d) }

func TestMastodonSyncChildProcess(t *testing.T) {
	dir := os.Getenv(mastodonChildDir)
	offset, err := time.ParseDuration(os.Getenv(mastodonChildOffset))
	if err != nil {
		t.Fatal(err)
	}
	clk := offsetClock{offset}
	conns := &fakeConns{}
	conns.add(connections.Connection{ID: "masto", Name: "Mastodon", Platform: connections.Mastodon, HasSecret: true,
		Settings: connections.Settings{URL: os.Getenv(mastodonChildURL)}}, "mastodon-test-token")
	st := openStore(t, dir, clk)
	ob := outbox.NewService(st, clk)
	e := engine.New(engine.Options{
		Store: st, Outbox: ob, State: syncstate.NewService(st, clk, nil), Connections: conns, Clock: clk,
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

// TestKilledMastodonSyncResumedHoursLaterPostsEachStatusOnce kills the sync (SIGKILL) while it
// posts to a Mastodon instance that loses some answers after acting on them, and resumes it two
// hours later each time, by which time the instance has forgotten every Idempotency-Key: the
// statuses the killed attempts may have created must be found, not posted again.
func TestKilledMastodonSyncResumedHoursLaterPostsEachStatusOnce(t *testing.T) {
	const entries, kills = 80, 4
	var offset atomic.Int64 // how far ahead of the system clock both sides are
	fake := mastodontest.New(mastodontest.Options{Now: func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }})
	h := faults.Wrap(fake, faults.Options{Seed: 11, P5xx: 0.02, PReset: 0.04, After: true})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)

	dir := t.TempDir()
	token := func(i int) string { return fmt.Sprintf("masto%04dz", i) }
	st := openStore(t, dir, nil)
	err := st.UpdateDurable(context.Background(), func(tx *store.Tx) error {
		for i := range entries {
			_, err := outbox.Enqueue(tx, outbox.Entry{Key: fmt.Sprintf("item%d@2026-03-02T09:00:00Z", i), Source: "test",
				Kind: "post", Channels: []string{"Mastodon"}, Title: fmt.Sprintf("Annonce %d", i),
				Body: "Bonjour à toutes et à tous : " + token(i) + ".", CreatedAt: time.Now()})
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

	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 3))
	start := func() (*exec.Cmd, chan error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMastodonSyncChildProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), mastodonChildDir+"="+dir, mastodonChildURL+"="+srv.URL,
			mastodonChildOffset+"="+time.Duration(offset.Load()).String())
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		return cmd, done
	}
	for run := 0; run < kills; run++ {
		cmd, done := start()
		target := len(fake.Created()) + 8 + rng.IntN(10)
		tick := time.NewTicker(time.Millisecond)
	wait:
		for {
			select {
			case err := <-done:
				t.Fatalf("the sync process ended before it was killed: %v", err)
			case <-tick.C:
				if len(fake.Created()) >= target {
					break wait
				}
			}
		}
		tick.Stop()
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		<-done
		offset.Add(int64(2 * time.Hour)) // resumed two hours later: every key is forgotten
	}
	_, done := start()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("the last sync process failed: %v", err)
		}
	case <-time.After(90 * time.Second):
		t.Fatal("the last sync process did not finish")
	}

	created := fake.Created()
	for i := range entries {
		if n := count(created, token(i)); n != 1 {
			t.Errorf("entry %d posted %d times", i, n)
		}
	}
	lookups := 0
	for _, r := range fake.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/statuses") && strings.HasPrefix(r.Path, "/api/v1/accounts/") {
			lookups++
		}
	}
	c := h.Counts()
	t.Logf("%d statuses, %d look-ups of the account's statuses; faults before %v, after %v", len(created), lookups, c.Before, c.After)
	if lookups == 0 {
		t.Fatal("no look-up after the keys were forgotten: the test proves nothing")
	}
}
