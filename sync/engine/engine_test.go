package engine_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/outbox"
	"hearth/backend/syncstate"
	"hearth/sync/connector"
	"hearth/sync/engine"
)

func unreachable() error {
	return &connector.Error{Kind: connector.Unreachable, Message: "could not reach forum.example.org: connection refused"}
}

func TestARunPublishesAnEntryOnEveryConnectionItsChannelsName(t *testing.T) {
	e := newEnv(t)
	forum, ff := e.connect("Forum")
	disc, fd := e.connect("discord-annonces")
	en := e.enqueue("item1@2026-03-02T09:00:00Z", "hello", "forum", "Discord-Annonces")

	rep := e.run()

	for _, f := range []*fakeConnector{ff, fd} {
		if got := count(f.created(), "hello"); got != 1 {
			t.Fatalf("published %d times, want 1", got)
		}
	}
	ds := e.deliveries(en.ID)
	if len(ds) != 2 {
		t.Fatalf("%d deliveries, want 2", len(ds))
	}
	for _, d := range ds {
		if d.State != syncstate.Sent || d.RemoteID == "" || d.URL == "" {
			t.Fatalf("delivery %+v, want sent with a remote id and URL", d)
		}
	}
	got := e.entry(en.ID)
	if got.Status != outbox.Sent || strings.Count(got.RemoteID, ",") != 1 {
		t.Fatalf("entry %s remote %q, want sent with two remote ids", got.Status, got.RemoteID)
	}
	if report(rep, forum.ID).Pushed != 1 || report(rep, disc.ID).Pushed != 1 || !report(rep, forum.ID).Online {
		t.Fatalf("report %+v", rep)
	}
	if e.status(forum.ID).Pushed != 1 {
		t.Fatalf("status %+v", e.status(forum.ID))
	}

	e.run()
	if ff.attempts() != 1 {
		t.Fatalf("a second run attempted again: %d attempts", ff.attempts())
	}
}

func TestAnEffectWhoseAnswerWasLostTakesEffectOnceOnRetry(t *testing.T) {
	e := newEnv(t)
	c, f := e.connect("forum")
	f.set(func(f *fakeConnector) {
		f.publish = func(call int, _ connector.Post) (stage, error) {
			if call == 1 {
				return afterEffect, unreachable()
			}
			return 0, nil
		}
	})
	en := e.enqueue("k1", "token-1", "forum")

	rep := e.run()
	d := e.only(en.ID)
	if d.State != syncstate.Queued || d.Attempts != 0 || d.ReasonCode != syncstate.ReasonUnreachable {
		t.Fatalf("after a lost answer: %+v, want queued without a counted attempt", d)
	}
	if st := e.status(c.ID); st.Online || report(rep, c.ID).Online {
		t.Fatalf("status %+v: want offline", st)
	}

	e.run()
	if got := count(f.created(), "token-1"); got != 1 {
		t.Fatalf("took effect %d times, want 1", got)
	}
	f.mu.Lock()
	keys := []string{f.posts[0].Key, f.posts[1].Key}
	f.mu.Unlock()
	if keys[0] != keys[1] || keys[0] != engine.PostKey("k1", c.ID) {
		t.Fatalf("keys %q, want the same stable key", keys)
	}
	if e.entry(en.ID).Status != outbox.Sent {
		t.Fatalf("entry %+v", e.entry(en.ID))
	}
}

func TestTheNextAttemptIsToldWhenTheEarlierOneBegan(t *testing.T) {
	e := newEnv(t)
	_, f := e.connect("forum")
	f.set(func(f *fakeConnector) {
		f.publish = func(call int, _ connector.Post) (stage, error) {
			if call == 1 {
				return afterEffect, unreachable()
			}
			return 0, nil
		}
	})
	e.enqueue("k1", "token-1", "forum")
	first := e.clock.Now()
	e.run()
	e.clock.Advance(2 * time.Hour)
	e.run()
	f.mu.Lock()
	posts := append([]connector.Post(nil), f.posts...)
	f.mu.Unlock()
	if len(posts) != 2 || !posts[0].TriedAt.IsZero() || !posts[1].TriedAt.Equal(first) {
		t.Fatalf("attempts %+v: want the second told the first began at %v", posts, first)
	}
}

func TestACheckpointedRemoteIDIsHandedToTheNextAttempt(t *testing.T) {
	e := newEnv(t)
	_, f := e.connect("mail")
	f.set(func(f *fakeConnector) {
		f.publish = func(call int, _ connector.Post) (stage, error) {
			if call == 1 {
				return afterCheckpoint, connector.Errorf(connector.Temporary, "HTTP 502")
			}
			return 0, nil
		}
	})
	en := e.enqueue("k1", "campaign", "mail")
	e.run()
	d := e.only(en.ID)
	if d.RemoteID == "" || d.Attempts != 1 || d.State != syncstate.Queued {
		t.Fatalf("delivery %+v: want the checkpointed remote id and one attempt", d)
	}
	e.clock.Advance(time.Hour)
	e.run()
	f.mu.Lock()
	second := f.posts[1]
	f.mu.Unlock()
	if second.RemoteID != d.RemoteID {
		t.Fatalf("second attempt got remote id %q, want %q", second.RemoteID, d.RemoteID)
	}
}

func TestTemporaryFailuresBackOffAndParkAfterMaxAttempts(t *testing.T) {
	e := newEnv(t)
	c, f := e.connect("forum")
	f.set(func(f *fakeConnector) {
		f.publish = func(int, connector.Post) (stage, error) {
			return 0, &connector.Error{Kind: connector.Temporary, Status: 503, Message: "service unavailable"}
		}
	})
	en := e.enqueue("k1", "x", "forum")

	e.run()
	d := e.only(en.ID)
	if d.Attempts != 1 || d.State != syncstate.Queued || d.NextAt.Before(e.clock.Now()) || d.NextAt.After(e.clock.Now().Add(30*time.Second)) {
		t.Fatalf("after one failure: %+v, want attempt 1, next within the 30 s backoff", d)
	}
	e.clock.Advance(time.Minute)
	e.run()
	if d = e.only(en.ID); d.Attempts != 2 || d.NextAt.After(e.clock.Now().Add(time.Minute)) {
		t.Fatalf("after two failures: %+v", d)
	}
	e.clock.Advance(2 * time.Minute)
	rep := e.run()
	d = e.only(en.ID)
	if d.State != syncstate.Parked || d.ReasonCode != syncstate.ReasonTooManyFailures || !strings.Contains(d.Reason, "service unavailable") ||
		d.Attempts != 3 || !strings.Contains(d.Reason, "after 3 attempts") {
		t.Fatalf("after MaxAttempts: %+v, want parked with the last failure, 3 attempts counted and said", d)
	}
	if r := report(rep, c.ID); r.Parked != 1 || r.Failed != 1 {
		t.Fatalf("report %+v", r)
	}
	if got := e.entry(en.ID); got.Status != outbox.Failed || got.Reason == "" || !got.RetryAt.IsZero() {
		t.Fatalf("entry %+v, want failed for good", got)
	}
	e.clock.Advance(time.Hour)
	e.run()
	if f.attempts() != 3 {
		t.Fatalf("%d attempts, want 3 (a parked delivery waits for a person)", f.attempts())
	}
	if st := e.status(c.ID); st.Parked != 1 || st.Queued != 0 {
		t.Fatalf("status counts %+v", st)
	}
}

func TestRateLimitedAttemptsWaitWithoutCounting(t *testing.T) {
	e := newEnv(t)
	c, f := e.connect("forum")
	f.set(func(f *fakeConnector) {
		f.publish = func(call int, _ connector.Post) (stage, error) {
			if call == 1 {
				return 0, &connector.Error{Kind: connector.RateLimited, Status: 429, RetryAfter: 2 * time.Minute}
			}
			return 0, nil
		}
	})
	en := e.enqueue("k1", "x", "forum")
	e.enqueue("k2", "y", "forum")

	e.run()
	d := e.only(en.ID)
	if d.Attempts != 0 || !d.NextAt.Equal(e.clock.Now().Add(2*time.Minute)) || d.ReasonCode != syncstate.ReasonRateLimited {
		t.Fatalf("delivery %+v, want no attempt counted and the platform's wait", d)
	}
	if f.attempts() != 1 {
		t.Fatalf("%d attempts: a long rate limit must stop the connection for the run", f.attempts())
	}
	if st := e.status(c.ID); !st.PausedUntil.Equal(e.clock.Now().Add(2 * time.Minute)) {
		t.Fatalf("status %+v, want paused", st)
	}
	e.clock.Advance(time.Minute)
	e.run()
	if f.attempts() != 1 {
		t.Fatal("a paused connection was tried")
	}
	e.clock.Advance(time.Minute)
	e.run()
	if q, p, _ := e.state.Totals(context.Background()); q != 0 || p != 0 || e.entry(en.ID).Status != outbox.Sent {
		t.Fatalf("queued %d parked %d, entry %s: want all sent", q, p, e.entry(en.ID).Status)
	}
}

func TestAnUnreachablePlatformLeavesItsEntriesQueued(t *testing.T) {
	e := newEnv(t)
	c, f := e.connect("forum")
	f.set(func(f *fakeConnector) { f.checkErr = unreachable() })
	en := e.enqueue("k1", "x", "forum")

	rep := e.run()
	if f.attempts() != 0 {
		t.Fatal("published to a platform whose check failed")
	}
	d := e.only(en.ID)
	if d.State != syncstate.Queued || d.Attempts != 0 {
		t.Fatalf("delivery %+v", d)
	}
	st := e.status(c.ID)
	if st.Online || st.CheckedAt.IsZero() || !strings.Contains(st.LastError, "could not reach") || st.Queued != 1 {
		t.Fatalf("status %+v", st)
	}
	if r := report(rep, c.ID); r.Online || r.Error == "" {
		t.Fatalf("report %+v", r)
	}
	if got := e.entry(en.ID); got.Status != outbox.Pending {
		t.Fatalf("entry %s, want still pending", got.Status)
	}

	f.set(func(f *fakeConnector) { f.checkErr = nil })
	e.run()
	if !e.status(c.ID).Online || e.entry(en.ID).Status != outbox.Sent {
		t.Fatalf("back online: status %+v entry %s", e.status(c.ID), e.entry(en.ID).Status)
	}
}

func TestOneConnectionDownDoesNotStopAnother(t *testing.T) {
	e := newEnv(t)
	down, fdown := e.connect("forum")
	up, fup := e.connect("mastodon")
	fdown.set(func(f *fakeConnector) { f.checkErr = unreachable() })
	for i := range 5 {
		e.enqueue("k"+string(rune('a'+i)), "x", "forum", "mastodon")
	}
	rep := e.run()
	if report(rep, up.ID).Pushed != 5 || len(fup.created()) != 5 {
		t.Fatalf("the reachable connection pushed %d", report(rep, up.ID).Pushed)
	}
	if report(rep, down.ID).Online || e.status(down.ID).Queued != 5 {
		t.Fatalf("down: %+v", e.status(down.ID))
	}
}

func TestRetryRearmsAParkedDelivery(t *testing.T) {
	e := newEnv(t)
	_, f := e.connect("forum")
	f.set(func(f *fakeConnector) {
		f.publish = func(call int, _ connector.Post) (stage, error) {
			if call == 1 {
				return 0, &connector.Error{Kind: connector.Invalid, Status: 422, Message: "title is too short"}
			}
			return 0, nil
		}
	})
	en := e.enqueue("k1", "x", "forum")
	e.run()
	d := e.only(en.ID)
	if d.State != syncstate.Parked || d.ReasonCode != syncstate.ReasonInvalid || e.entry(en.ID).Status != outbox.Failed {
		t.Fatalf("delivery %+v entry %s: want parked at once", d, e.entry(en.ID).Status)
	}
	if _, err := e.state.Retry(context.Background(), e.only(en.ID).ID); err != nil {
		t.Fatal(err)
	}
	if d := e.only(en.ID); d.State != syncstate.Queued || d.Attempts != 0 || d.Reason != "" || e.entry(en.ID).Status != outbox.Pending {
		t.Fatalf("after retry: %+v, entry %s", d, e.entry(en.ID).Status)
	}
	if _, err := e.state.Retry(context.Background(), d.ID); !errors.Is(err, errs.Conflict) {
		t.Fatalf("retrying a queued delivery: %v, want a conflict", err)
	}
	e.run()
	if e.only(en.ID).State != syncstate.Sent || e.entry(en.ID).Status != outbox.Sent {
		t.Fatal("the retried delivery was not sent")
	}
}

func TestAChannelNamingNoConnectionParksWithAReason(t *testing.T) {
	e := newEnv(t)
	en := e.enqueue("k1", "x", "Newsletter")
	e.run()
	d := e.only(en.ID)
	if d.State != syncstate.Parked || d.Connection != "" || d.ReasonCode != syncstate.ReasonNoConnection || !strings.Contains(d.Reason, "Newsletter") {
		t.Fatalf("delivery %+v", d)
	}
	if got := e.entry(en.ID); got.Status != outbox.Failed || !strings.Contains(got.Reason, "Newsletter") {
		t.Fatalf("entry %+v", got)
	}
	e.run() // nothing new
	if len(e.deliveries(en.ID)) != 1 {
		t.Fatal("a second run duplicated the parked delivery")
	}

	_, f := e.connect("newsletter")
	if _, err := e.state.Retry(context.Background(), d.ID); err != nil {
		t.Fatal(err)
	}
	e.run()
	d = e.only(en.ID)
	if d.State != syncstate.Sent || len(f.created()) != 1 || e.entry(en.ID).Status != outbox.Sent {
		t.Fatalf("after adding the connection and retrying: %+v", d)
	}
}

func TestRefusedCredentialsStopTheConnectionUntilItIsTestedAgain(t *testing.T) {
	e := newEnv(t)
	c, f := e.connect("forum")
	f.set(func(f *fakeConnector) {
		f.publish = func(int, connector.Post) (stage, error) {
			return 0, &connector.Error{Kind: connector.Auth, Status: 401, Message: "invalid API key"}
		}
	})
	en := e.enqueue("k1", "x", "forum")
	e.run()
	if st := e.status(c.ID); !st.AuthFailed || st.LastError == "" {
		t.Fatalf("status %+v", st)
	}
	if d := e.only(en.ID); d.State != syncstate.Queued || d.Attempts != 0 || d.ReasonCode != syncstate.ReasonAuth {
		t.Fatalf("delivery %+v", d)
	}
	e.clock.Advance(time.Hour)
	e.run()
	if f.attempts() != 1 {
		t.Fatal("a connection with refused credentials was tried again")
	}
	f.set(func(f *fakeConnector) {
		f.publish = nil
		f.checkErr = &connector.Error{Kind: connector.Auth, Status: 401, Message: "bad key"}
	})
	st, err := e.engine.Check(context.Background(), c.ID)
	if !errors.Is(err, errs.Unavailable) || !st.AuthFailed || !strings.Contains(st.LastError, "bad key") {
		t.Fatalf("Check = %+v, %v", st, err)
	}
	f.set(func(f *fakeConnector) { f.checkErr = nil })
	if st, err := e.engine.Check(context.Background(), c.ID); err != nil || st.AuthFailed || !st.Online || st.LastError != "" {
		t.Fatalf("Check = %+v, %v", st, err)
	}
	e.run()
	if e.entry(en.ID).Status != outbox.Sent {
		t.Fatal("not sent after the connection was tested again")
	}
}

func TestAnInterruptedPullResumesFromItsSavedCursor(t *testing.T) {
	e := newEnv(t)
	c, f := e.connect("forum")
	var mu sync.Mutex
	var cursors []string
	fail := true
	f.set(func(f *fakeConnector) {
		f.pull = func(ctx context.Context, cursor string, sink connector.Sink) (string, error) {
			mu.Lock()
			cursors = append(cursors, cursor)
			failNow := fail
			fail = false
			mu.Unlock()
			page := 0
			if cursor != "" {
				page = int(cursor[len(cursor)-1] - '0')
			}
			for ; page < 3; page++ {
				if page == 2 && failNow {
					return "", unreachable()
				}
				if err := sink.People(ctx, []activity.Person{{RemoteID: "u", Handle: "ana"}}); err != nil {
					return "", err
				}
				if err := sink.Activities(ctx, []activity.Incoming{{RemoteID: "p" + string(rune('0'+page)), Kind: activity.Post, At: epoch}}); err != nil {
					return "", err
				}
				if err := sink.Cursor(ctx, "page"+string(rune('0'+page+1))); err != nil {
					return "", err
				}
			}
			return "page3", nil
		}
	})
	rep := e.run()
	st := e.status(c.ID)
	if st.Cursor != "page2" || !st.LastPullAt.IsZero() || st.Online {
		t.Fatalf("after an interrupted pull: %+v", st)
	}
	if r := report(rep, c.ID); r.Pulled != 2 || r.PulledPeople != 2 {
		t.Fatalf("report %+v", r)
	}
	e.run()
	st = e.status(c.ID)
	if st.Cursor != "page3" || st.LastPullAt.IsZero() || st.PulledActivity != 1 {
		t.Fatalf("after the resumed pull: %+v", st)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(cursors) != 2 || cursors[0] != "" || cursors[1] != "page2" {
		t.Fatalf("pulls started from %q", cursors)
	}
}

func TestSecretsNeverAppearInReasonsReportsOrLogs(t *testing.T) {
	e := newEnv(t)
	const secret = "https://discord.com/api/webhooks/1/sekret-webhook-token"
	c, f := e.connect("discord")
	e.conns.secrets[c.ID] = secret
	f.set(func(f *fakeConnector) {
		f.publish = func(int, connector.Post) (stage, error) {
			// A careless transport error quoting the URL: the engine must not repeat it.
			return 0, errors.New(`Post "` + secret + `": tls: handshake failure`)
		}
	})
	bad := e.enqueue("k1", "x", "discord")
	// A connection whose factory fails with a message quoting the secret.
	orphan := e.st.NewID()
	oc := c
	oc.ID, oc.Name = orphan, "orphan"
	e.conns.add(oc, secret)
	e.enqueue("k2", "y", "orphan")

	var reps []string
	for range 4 {
		rep := e.run()
		reps = append(reps, strings.Join(func() []string {
			var s []string
			for _, r := range rep.Connections {
				s = append(s, r.Error)
			}
			return s
		}(), "|"))
		e.clock.Advance(time.Hour)
	}
	_, cerr := e.engine.Check(context.Background(), orphan)
	d := e.only(bad.ID)
	texts := append(reps, d.Reason, e.entry(bad.ID).Reason, e.status(c.ID).LastError, e.logs.String(), cerr.Error())
	for _, s := range texts {
		if strings.Contains(s, "sekret") {
			t.Fatalf("a secret leaked: %q", s)
		}
	}
	if d.State != syncstate.Parked || d.Reason == "" {
		t.Fatalf("delivery %+v, want parked with a reason", d)
	}
}

func TestConcurrentRunsShareOneRun(t *testing.T) {
	e := newEnv(t)
	c, f := e.connect("forum")
	f.block = make(chan struct{})
	e.enqueue("k1", "x", "forum")
	var wg sync.WaitGroup
	reps := make([]syncstate.RunReport, 2)
	wg.Go(func() { reps[0] = e.run() })
	for f.attempts() == 0 && len(e.events.Events()) == 0 {
		time.Sleep(time.Millisecond)
	}
	wg.Go(func() { reps[1] = e.run() })
	time.Sleep(20 * time.Millisecond) // let the second call reach the running run
	close(f.block)
	wg.Wait()
	if f.attempts() != 1 || report(reps[0], c.ID).Pushed != 1 || !reps[0].StartedAt.Equal(reps[1].StartedAt) {
		t.Fatalf("attempts %d, reports %+v", f.attempts(), reps)
	}
}

func TestTheAudienceIsPushedToConnectorsThatHoldOne(t *testing.T) {
	members := []connector.AudienceMember{{Email: "ana@example.org", Subscribed: true}, {Email: "bo@example.org", Suppressed: true}}
	e := newEnv(t, func(o *engine.Options) {
		o.Audience = func(context.Context) ([]connector.AudienceMember, error) { return members, nil }
	})
	c, f := e.connect("mailchimp")
	rep := e.run()
	if r := report(rep, c.ID); r.AudienceUpserted != 2 || len(f.audience) != 1 {
		t.Fatalf("report %+v", r)
	}
}

func TestPostKeysAreStableShortAndSafe(t *testing.T) {
	long := strings.Repeat("é/x", 40)
	cases := []struct{ entry, conn string }{
		{"item@2026-03-02T09:00:00Z", "01JNB5ZQ7K4B3M2X8Y9Z0A1B2C"},
		{long, "c1"},
		{"a b", "c1"},
	}
	seen := map[string]bool{}
	for _, c := range cases {
		k := engine.PostKey(c.entry, c.conn)
		if k != engine.PostKey(c.entry, c.conn) || len(k) > 80 || seen[k] {
			t.Fatalf("key %q for %q", k, c.entry)
		}
		seen[k] = true
		for _, r := range k {
			if !strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:@-", r) {
				t.Fatalf("key %q holds %q", k, r)
			}
		}
	}
	if engine.PostKey("a b", "c1") == engine.PostKey("a-b", "c1") {
		t.Fatal("two entries share a key")
	}
}

func TestPeriodicRunsPublishEveryTimeButPullOnlyWhenPullEveryHasPassed(t *testing.T) {
	e := newEnv(t, func(o *engine.Options) { o.PullEvery = 15 * time.Minute })
	c, f := e.connect("forum")
	pulls := 0
	f.set(func(f *fakeConnector) {
		f.pull = func(ctx context.Context, cursor string, sink connector.Sink) (string, error) {
			pulls++
			return "c", sink.Cursor(ctx, "c")
		}
	})
	due := func() {
		t.Helper()
		if _, err := e.engine.RunDue(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	due()
	e.enqueue("k1", "hello", "forum")
	e.clock.Advance(time.Minute)
	due()
	if pulls != 1 || len(f.created()) != 1 {
		t.Fatalf("after two periodic runs a minute apart: %d pulls, %d posts", pulls, len(f.created()))
	}
	e.clock.Advance(15 * time.Minute)
	due()
	if pulls != 2 {
		t.Fatalf("PullEvery passed but %d pulls", pulls)
	}
	e.run() // asked for by a person: pulls now
	if pulls != 3 || e.status(c.ID).Cursor != "c" {
		t.Fatalf("RunOnce did not pull: %d", pulls)
	}
}

func TestCancelStopsTheRunAndTheNextRunPublishes(t *testing.T) {
	e := newEnv(t)
	_, f := e.connect("forum")
	f.block = make(chan struct{})
	en := e.enqueue("k1", "x", "forum")
	done := make(chan error, 1)
	go func() {
		_, err := e.engine.RunOnce(context.Background())
		done <- err
	}()
	for running, _ := e.engine.Running(); !running; running, _ = e.engine.Running() {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(20 * time.Millisecond) // let the run reach the blocked publish
	e.engine.Cancel()
	if err := <-done; errs.From(err).Code != "cancelled" {
		t.Fatalf("a cancelled run returned %v", err)
	}
	if running, last := e.engine.Running(); running || last.IsZero() {
		t.Fatalf("after cancel: running %v, last run %v", running, last)
	}
	f.block = nil
	e.run()
	if got := e.entry(en.ID); got.Status != outbox.Sent || count(f.created(), "x") != 1 {
		t.Fatalf("after the next run: %s, %q", got.Status, f.created())
	}
}
