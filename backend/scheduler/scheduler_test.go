package scheduler

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"hearth/backend/internal/storetest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/store"
)

// TestMain lets this test binary double as the process the crash test kills mid-run.
func TestMain(m *testing.M) {
	if dir := os.Getenv("HEARTH_SCHEDULER_CRASH_CHILD_DIR"); dir != "" {
		runUntilKilled(dir)
		return
	}
	os.Exit(m.Run())
}

// runUntilKilled starts the job "publish" at t0, says so once the start is on disk (the
// handler is called after the durable write), and blocks until killed.
func runUntilKilled(dir string) {
	st, err := store.Open(store.Options{Dir: filepath.Join(dir, "db"), KeyringPath: filepath.Join(dir, "keyring"), GCInterval: -1})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(3)
	}
	s := New(st, clockwork.NewFakeClockAt(t0), nil, nil)
	err = s.Register(Job{Name: "publish", Every: time.Hour, Run: func(context.Context, time.Time) error {
		fmt.Println("started")
		select {}
	}})
	if err != nil {
		fmt.Println("register:", err)
		os.Exit(3)
	}
	_, _ = s.RunDue(context.Background())
}

// t0 is a Monday morning; the fake clock starts there.
var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st := storetest.Open(t, dir, nil)
	return st
}

// rig is a scheduler on a real store and a fake clock, with every evaluation observable.
type rig struct {
	s       *Scheduler
	clock   *clockwork.FakeClock
	events  *notify.Recorder
	results chan RunResult
}

func newRig(t *testing.T, st *store.Store, clk *clockwork.FakeClock, jobs []Job, opts ...Option) *rig {
	t.Helper()
	r := &rig{clock: clk, events: &notify.Recorder{}, results: make(chan RunResult, 10000)}
	r.s = New(st, clk, nil, r.events, append([]Option{WithPatrolEvery(time.Minute)}, opts...)...)
	r.s.observe = func(res RunResult) {
		select {
		case r.results <- res:
		default: // a test that stopped listening
		}
	}
	if err := r.s.Register(jobs...); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.s.Shutdown() })
	return r
}

// await returns the next evaluation matching match, dropping others.
//
// Tests count runs, not evaluations: with a frozen fake clock gocron sometimes fires a timer
// twice at the same instant (when its bookkeeping of past runs is trimmed before it computes
// the next one, the next one is "now"), which the scheduler must and does absorb.
func (r *rig) await(t *testing.T, match func(RunResult) bool) RunResult {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case res := <-r.results:
			if match(res) {
				return res
			}
		case <-deadline:
			t.Fatal("no matching evaluation")
		}
	}
}

func ran(res RunResult) bool { return res.Ran }

// settle waits until gocron has armed n timers (the patrol's and the jobs'), so that the next
// Advance fires them.
func (r *rig) settle(t *testing.T, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := r.clock.BlockUntilContext(ctx, n); err != nil {
		t.Fatalf("gocron did not arm %d timers: %v", n, err)
	}
}

func (r *rig) state(t *testing.T, name string) JobState {
	t.Helper()
	states, err := r.s.Jobs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		if st.Name == name {
			return st
		}
	}
	t.Fatalf("no job %s in %+v", name, states)
	return JobState{}
}

func named(name string, triggers ...string) func(RunResult) bool {
	return func(r RunResult) bool {
		if r.Name != name {
			return false
		}
		for _, tr := range triggers {
			if r.Trigger == tr {
				return true
			}
		}
		return len(triggers) == 0
	}
}

// counter is a job handler that counts its runs and remembers the times it was given.
type counter struct {
	mu    sync.Mutex
	times []time.Time
}

func (c *counter) run(_ context.Context, now time.Time) error {
	c.mu.Lock()
	c.times = append(c.times, now)
	c.mu.Unlock()
	return nil
}

func (c *counter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.times)
}

func TestStartRunsAJobThatNeverRanThenRunsItOncePerInterval(t *testing.T) {
	st := openStore(t, t.TempDir())
	var c counter
	r := newRig(t, st, clockwork.NewFakeClockAt(t0), []Job{{Name: "digest", Every: 5 * time.Minute, Run: c.run}})
	if err := r.s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := r.await(t, ran); got.Trigger != TriggerStart || !got.OK || !got.StartedAt.Equal(t0) {
		t.Fatalf("start: %+v", got)
	}
	for minute := 1; minute <= 4; minute++ {
		r.settle(t, 2)
		r.clock.Advance(time.Minute)
		if got := r.await(t, named("digest", TriggerPatrol)); got.Ran {
			t.Fatalf("minute %d: %+v", minute, got)
		}
	}
	r.settle(t, 2)
	r.clock.Advance(time.Minute)
	if got := r.await(t, ran); got.Trigger != TriggerPatrol && got.Trigger != TriggerSchedule {
		t.Fatalf("minute 5: %+v", got)
	}
	r.settle(t, 2)
	r.clock.Advance(time.Minute)
	r.await(t, named("digest", TriggerPatrol))
	if c.count() != 2 || !c.times[1].Equal(t0.Add(5*time.Minute)) {
		t.Fatalf("runs at %v", c.times)
	}
	if st := r.state(t, "digest"); st.Runs != 2 || st.Due || !st.NextRunAt.Equal(t0.Add(10*time.Minute)) || st.LastError != nil {
		t.Fatalf("state %+v", st)
	}
	if evs := r.events.Events(); len(evs) != 2 || evs[0].Name != EventRun || !evs[0].Payload.(RunResult).OK {
		t.Fatalf("events %+v", evs)
	}
}

func TestAJobMissedForHoursOfSleepRunsOnceOnWake(t *testing.T) {
	st := openStore(t, t.TempDir())
	var c counter
	r := newRig(t, st, clockwork.NewFakeClockAt(t0), []Job{{Name: "publish", Every: time.Hour, Run: c.run}})
	if err := r.s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	r.await(t, ran)
	r.settle(t, 2)

	// The lid closes for seven hours: no timer ticks, then both the patrol and the job's timer
	// fire at once on wake. Seven missed intervals make one run. (The half minute keeps the
	// wake off gocron's grid, where gocron itself fires a timer twice.)
	r.clock.Advance(7*time.Hour + 30*time.Second)
	if got := r.await(t, ran); got.Trigger != TriggerWake && got.Trigger != TriggerSchedule {
		t.Fatalf("on wake: %+v", got)
	}
	r.settle(t, 2)
	r.clock.Advance(time.Minute)
	if got := r.await(t, named("publish", TriggerPatrol)); got.Ran || got.Skipped != SkippedNotDue {
		t.Fatalf("a minute after wake: %+v", got)
	}
	if c.count() != 2 || !c.times[1].Equal(t0.Add(7*time.Hour+30*time.Second)) {
		t.Fatalf("runs at %v", c.times)
	}
}

func TestAJobKilledMidRunIsReportedInterruptedAndRunsAgainOnceAtNextStart(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "HEARTH_SCHEDULER_CRASH_CHILD_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "started\n" {
		_ = cmd.Process.Kill()
		t.Fatalf("child: %q %v", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	clk := clockwork.NewFakeClockAt(t0)
	clk.Advance(10 * time.Minute)
	var c counter
	second := newRig(t, openStore(t, dir), clk, []Job{{Name: "publish", Every: time.Hour, Run: c.run}})
	if st := second.state(t, "publish"); !st.Interrupted || st.Runs != 0 || !st.LastStartedAt.Equal(t0) || !st.Due {
		t.Fatalf("before restart: %+v", st)
	}
	if err := second.s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := second.await(t, ran); got.Trigger != TriggerStart || !got.Resumed {
		t.Fatalf("restart: %+v", got)
	}
	st2 := second.state(t, "publish")
	if st2.Interrupted || st2.Interruptions != 1 || !st2.LastInterruptedAt.Equal(t0) || st2.Runs != 1 || c.count() != 1 {
		t.Fatalf("after restart: %+v", st2)
	}
	second.settle(t, 2)
	second.clock.Advance(time.Minute)
	second.await(t, named("publish", TriggerPatrol))
	if st := second.state(t, "publish"); st.Runs != 1 || c.count() != 1 {
		t.Fatalf("ran twice: %+v", st)
	}
}

func TestARestartRunsAJobAtItsPersistedTimeNeitherEarlierNorTwice(t *testing.T) {
	dir := t.TempDir()
	clk := clockwork.NewFakeClockAt(t0)
	st := openStore(t, dir)
	var c counter
	first := newRig(t, st, clk, []Job{{Name: "publish", Every: time.Hour, Run: c.run}})
	if res, err := first.s.RunDue(context.Background()); err != nil || !res[0].Ran {
		t.Fatalf("%+v %v", res, err)
	}
	_ = first.s.Shutdown()
	_ = st.Close()

	clk.Advance(10 * time.Minute)
	second := newRig(t, openStore(t, dir), clk, []Job{{Name: "publish", Every: time.Hour, Run: c.run}})
	if err := second.s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := second.await(t, named("publish", TriggerStart)); got.Ran {
		t.Fatalf("ran again ten minutes after the last run: %+v", got)
	}
	second.settle(t, 2)
	// The laptop sleeps until a minute before the job is due (off gocron's grid, see above).
	clk.Advance(49*time.Minute + 10*time.Second)
	if got := second.await(t, named("publish", TriggerWake)); got.Ran {
		t.Fatalf("ran early: %+v", got)
	}
	second.settle(t, 2)
	clk.Advance(80 * time.Second)
	got := second.await(t, ran)
	second.settle(t, 2)
	second.clock.Advance(time.Minute)
	second.await(t, named("publish", TriggerPatrol))
	if c.count() != 2 || !c.times[1].Equal(t0.Add(time.Hour+30*time.Second)) {
		t.Fatalf("an hour after the first run: %+v, runs at %v", got, c.times)
	}
}

func TestASlowJobNeverRunsConcurrentlyWithItself(t *testing.T) {
	st := openStore(t, t.TempDir())
	var active, maxActive, runs atomic.Int32
	entered := make(chan struct{}, 10)
	release := make(chan struct{})
	slow := func(ctx context.Context, _ time.Time) error {
		n := active.Add(1)
		defer active.Add(-1)
		if n > maxActive.Load() {
			maxActive.Store(n)
		}
		runs.Add(1)
		entered <- struct{}{}
		select {
		case <-release:
		case <-ctx.Done():
		}
		return nil
	}
	r := newRig(t, st, clockwork.NewFakeClockAt(t0), []Job{{Name: "sync", Every: time.Minute, Run: slow}},
		WithPatrolEvery(10*time.Minute))
	if err := r.s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-entered
	for range 3 {
		r.settle(t, 2)
		r.clock.Advance(time.Minute)
		if got := r.await(t, named("sync", TriggerSchedule)); got.Ran || got.Skipped != SkippedRunning {
			t.Fatalf("timer during a run: %+v", got)
		}
	}
	if res, err := r.s.RunDue(context.Background()); err != nil || res[0].Ran || res[0].Skipped != SkippedRunning {
		t.Fatalf("RunDue during a run: %+v %v", res, err)
	}
	if st := r.state(t, "sync"); !st.Running || st.Interrupted || st.Due {
		t.Fatalf("state during a run: %+v", st)
	}
	close(release)
	r.await(t, ran)
	r.settle(t, 2)
	r.clock.Advance(time.Minute)
	if got := r.await(t, ran); got.Trigger != TriggerSchedule {
		t.Fatalf("timer after the run: %+v", got)
	}
	if maxActive.Load() != 1 || runs.Load() != 2 {
		t.Fatalf("max concurrent runs %d, runs %d", maxActive.Load(), runs.Load())
	}
}

func TestShutdownWaitsForARunningJobToFinish(t *testing.T) {
	st := openStore(t, t.TempDir())
	entered, release := make(chan struct{}), make(chan struct{})
	r := newRig(t, st, clockwork.NewFakeClockAt(t0), []Job{{Name: "report", Every: time.Hour, Run: func(context.Context, time.Time) error {
		close(entered)
		<-release
		return nil
	}}})
	if err := r.s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-entered
	stopped := make(chan error)
	go func() { stopped <- r.s.Shutdown() }()
	select {
	case err := <-stopped:
		t.Fatalf("Shutdown returned during a run: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	if st := r.state(t, "report"); st.Runs != 1 || st.Interrupted || st.Running {
		t.Fatalf("state %+v", st)
	}
	if _, err := r.s.RunDue(context.Background()); !errors.Is(err, errs.Unavailable) {
		t.Fatalf("RunDue after Shutdown: %v", err)
	}
	if err := r.s.Start(context.Background()); !errors.Is(err, errs.Conflict) {
		t.Fatalf("Start after Shutdown: %v", err)
	}
}

func TestShutdownCancelsAJobThatOutlivesTheStopTimeoutAndItRunsAgainNextTime(t *testing.T) {
	st := openStore(t, t.TempDir())
	entered := make(chan struct{})
	r := newRig(t, st, clockwork.NewFakeClockAt(t0), []Job{{Name: "import", Every: time.Hour, Run: func(ctx context.Context, _ time.Time) error {
		close(entered)
		<-ctx.Done()
		return ctx.Err()
	}}}, WithStopTimeout(20*time.Millisecond))
	if err := r.s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	<-entered
	if err := r.s.Shutdown(); err != nil {
		t.Fatal(err)
	}
	if got := r.await(t, ran); !got.Interrupted || got.OK {
		t.Fatalf("cancelled run: %+v", got)
	}
	if st := r.state(t, "import"); !st.Interrupted || st.Runs != 0 || !st.Due {
		t.Fatalf("state %+v", st)
	}
}

func TestShutdownGivesUpOnAJobThatIgnoresCancellation(t *testing.T) {
	st := openStore(t, t.TempDir())
	entered, release := make(chan struct{}), make(chan struct{})
	r := newRig(t, st, clockwork.NewFakeClockAt(t0), []Job{{Name: "stuck", Every: time.Hour, Run: func(context.Context, time.Time) error {
		close(entered)
		<-release
		return nil
	}}}, WithStopTimeout(20*time.Millisecond))
	done := make(chan struct{})
	go func() {
		_, _ = r.s.RunDue(context.Background())
		close(done)
	}()
	<-entered
	if err := r.s.Shutdown(); errs.From(err).Code != "scheduler_stop_timeout" {
		t.Fatalf("Shutdown: %v", err)
	}
	close(release)
	<-done
}

func TestRunDueRunsOnlyTheJobsThatAreDue(t *testing.T) {
	st := openStore(t, t.TempDir())
	clk := clockwork.NewFakeClockAt(t0)
	var hourly, often counter
	r := newRig(t, st, clk, []Job{
		{Name: "hourly", Every: time.Hour, Run: hourly.run},
		{Name: "often", Every: 5 * time.Minute, Run: often.run},
	})
	res, err := r.s.RunDue(context.Background())
	if err != nil || len(res) != 2 || !res[0].Ran || !res[1].Ran || res[0].Trigger != TriggerManual {
		t.Fatalf("first: %+v %v", res, err)
	}
	clk.Advance(10 * time.Minute)
	res, err = r.s.RunDue(context.Background())
	if err != nil || res[0].Name != "hourly" || res[0].Ran || res[0].Skipped != SkippedNotDue || res[1].Name != "often" || !res[1].Ran {
		t.Fatalf("ten minutes later: %+v %v", res, err)
	}
	// A run a few seconds early (a system timer, cron) still counts: within a tenth of the
	// interval.
	clk.Advance(5*time.Minute - 20*time.Second)
	if res, _ = r.s.RunDue(context.Background()); !res[1].Ran {
		t.Fatalf("twenty seconds early: %+v", res)
	}
	if hourly.count() != 1 || often.count() != 3 {
		t.Fatalf("hourly %d, often %d", hourly.count(), often.count())
	}
}

func TestJobStateAndTheLastErrorSurviveReopeningTheWorkspace(t *testing.T) {
	dir := t.TempDir()
	clk := clockwork.NewFakeClockAt(t0)
	st := openStore(t, dir)
	failing := Job{Name: "mail", Every: time.Hour, Run: func(context.Context, time.Time) error {
		return errs.New(errs.Unavailable, "smtp_unreachable", "smtp: connection refused").With("host", "mail.example.org")
	}}
	panicking := Job{Name: "buggy", Every: time.Hour, Run: func(context.Context, time.Time) error { panic("nil map") }}
	r := newRig(t, st, clk, []Job{failing, panicking})
	res, err := r.s.RunDue(context.Background())
	if err != nil || !res[0].Ran || res[0].OK || res[0].Error.Code != "smtp_unreachable" || res[1].Error.Code != "scheduler_job_panicked" {
		t.Fatalf("%+v %v", res, err)
	}
	evs := r.events.Events()
	if len(evs) != 2 || evs[0].Name != EventRun || evs[0].Payload.(RunResult).OK {
		t.Fatalf("events %+v", evs)
	}
	_ = r.s.Shutdown()
	_ = st.Close()

	clk.Advance(time.Minute)
	again := newRig(t, openStore(t, dir), clk, []Job{failing, panicking})
	got := again.state(t, "mail")
	if got.Runs != 1 || !got.LastStartedAt.Equal(t0) || !got.LastFinishedAt.Equal(t0) || got.Interrupted || got.Due ||
		got.LastError == nil || got.LastError.Code != "smtp_unreachable" || got.LastError.Kind != errs.Unavailable ||
		got.LastError.Params["host"] != "mail.example.org" || got.EverySeconds != 3600 || !got.NextRunAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("mail after reopening: %+v", got)
	}
}

func TestRegisterRejectsInvalidJobsAndRegistrationAfterStart(t *testing.T) {
	run := func(context.Context, time.Time) error { return nil }
	cases := []struct {
		name  string
		jobs  []Job
		field string
		code  string
	}{
		{"a job needs a name", []Job{{Every: time.Minute, Run: run}}, "name", "required"},
		{"a name is a slug", []Job{{Name: "Publish Posts", Every: time.Minute, Run: run}}, "name", "slug"},
		{"names are unique", []Job{{Name: "a", Every: time.Minute, Run: run}, {Name: "a", Every: time.Hour, Run: run}}, "[1].name", "duplicate"},
		{"an interval is at least a second", []Job{{Name: "a", Every: time.Millisecond, Run: run}}, "every", "min"},
		{"a job needs a handler", []Job{{Name: "a", Every: time.Minute}}, "run", "required"},
	}
	st := openStore(t, t.TempDir())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New(st, clockwork.NewFakeClockAt(t0), nil, nil)
			err := s.Register(tc.jobs...)
			e := errs.From(err)
			if !errors.Is(err, errs.Invalid) || len(e.Fields) != 1 || e.Fields[0].Field != tc.field || e.Fields[0].Code != tc.code {
				t.Fatalf("%v", err)
			}
			if jobs, _ := s.Jobs(context.Background()); len(jobs) != 0 {
				t.Fatalf("registered %+v", jobs)
			}
		})
	}
	s := New(st, clockwork.NewFakeClockAt(t0), nil, nil)
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown()
	if err := s.Register(Job{Name: "late", Every: time.Minute, Run: run}); !errors.Is(err, errs.Conflict) {
		t.Fatalf("register after start: %v", err)
	}
}
