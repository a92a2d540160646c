// Package scheduler runs Hearth's periodic background jobs inside the desktop process.
//
// The contract:
//
//   - Jobs are named, periodic (Job.Every) and registered in one place before Start. Handlers
//     must be idempotent: the scheduler may run a job again after a crash, never less.
//   - At most one run of a job at a time, in this process: gocron's singleton mode for the
//     timers, and a per-job lock shared by every trigger (timer, patrol, RunDue).
//   - gocron keeps nothing across restarts, so each job's state lives in the workspace (store
//     collection "scheduler_job", id = job name) and is written durably when a run starts and
//     when it finishes. "Due" is computed from that state and the wall clock, never from timers.
//   - Timers do not tick while a laptop sleeps (Go timers follow the monotonic clock, which
//     stops during suspend). A patrol ticks every minute, compares wall-clock readings and runs
//     every overdue job once: on Start, on wake (a gap between two patrol ticks much longer than
//     the tick) and whenever a job is late. Missed intervals collapse into one run; what to do
//     about each missed item (publish late, or mark missed) is the job's own business.
//   - A run that started but never finished (crash, power cut, shutdown that had to cancel it)
//     is reported as interrupted and runs again at the next opportunity, once.
//   - Shutdown stops the timers, lets running jobs finish for a bounded time, then cancels
//     their context.
//
// The workspace lock makes the window and the CLI (hearth scheduler run-due) mutually
// exclusive, so two processes never run the same job at once.
package scheduler

import (
	"context"
	"log/slog"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-co-op/gocron/v2"
	"github.com/jonboulle/clockwork"

	"hearth/backend/errs"
	"hearth/backend/notify"
	"hearth/backend/store"
)

// EventRun is emitted with a RunResult after every run (not after skipped evaluations).
const EventRun = "scheduler:run"

// Defaults for the options.
const (
	DefaultPatrolEvery = time.Minute
	DefaultStopTimeout = 10 * time.Second
	// MinEvery is the shortest interval a job may ask for.
	MinEvery = time.Second
)

// Job is a named periodic job.
type Job struct {
	// Name identifies the job in the workspace and in the UI: lower-case letters, digits, ".",
	// "-" and "_". Renaming a job forgets its state.
	Name string
	// Every is the interval from the end of one run to the start of the next (at least
	// MinEvery).
	Every time.Duration
	// Run does the work. now is the wall-clock time the run started. It must be idempotent and
	// should return soon after ctx is cancelled.
	Run func(ctx context.Context, now time.Time) error
}

// Triggers: what made a job run (RunResult.Trigger).
const (
	TriggerStart    = "start"    // first patrol, when the scheduler starts
	TriggerWake     = "wake"     // patrol after the wall clock jumped (sleep, suspend)
	TriggerPatrol   = "patrol"   // patrol found the job overdue
	TriggerSchedule = "schedule" // the job's own timer
	TriggerManual   = "manual"   // RunDue
)

// Reasons a due evaluation did not run the job (RunResult.Skipped).
const (
	SkippedNotDue   = "not_due"
	SkippedRunning  = "running"
	SkippedStopping = "stopping"
)

// RunResult is the outcome of one evaluation of one job.
type RunResult struct {
	Name    string `json:"name"`
	Trigger string `json:"trigger"`
	// Ran is true when the handler was called.
	Ran bool `json:"ran"`
	// Skipped says why it was not: "not_due", "running" or "stopping".
	Skipped string `json:"skipped,omitempty"`
	// OK is true when the handler ran and returned nil.
	OK    bool        `json:"ok"`
	Error *errs.Error `json:"error,omitempty"`
	// Resumed is true when this run replaced an interrupted one.
	Resumed bool `json:"resumed,omitempty"`
	// Interrupted is true when the run was cancelled (shutdown): it will run again.
	Interrupted bool      `json:"interrupted,omitempty"`
	StartedAt   time.Time `json:"startedAt,omitzero"`
	FinishedAt  time.Time `json:"finishedAt,omitzero"`
}

// JobState is what the settings screen shows about a registered job.
type JobState struct {
	Name           string      `json:"name"`
	EverySeconds   int64       `json:"everySeconds"`
	LastStartedAt  time.Time   `json:"lastStartedAt,omitzero"`
	LastFinishedAt time.Time   `json:"lastFinishedAt,omitzero"`
	LastError      *errs.Error `json:"lastError,omitempty"`
	// Runs counts finished runs, successful or not.
	Runs int `json:"runs"`
	// Running is true while a run is in progress in this process.
	Running bool `json:"running"`
	// Interrupted is true when the last run started and never finished (crash, power cut,
	// cancelled at shutdown); it runs again at the next opportunity.
	Interrupted bool `json:"interrupted"`
	// Interruptions counts the runs found interrupted so far, the last one at LastInterruptedAt.
	Interruptions     int       `json:"interruptions"`
	LastInterruptedAt time.Time `json:"lastInterruptedAt,omitzero"`
	// Due is true when the job would run now; NextRunAt is when it is due (the end of the last
	// run plus the interval, or now).
	Due       bool      `json:"due"`
	NextRunAt time.Time `json:"nextRunAt"`
}

// Option configures a Scheduler.
type Option func(*Scheduler)

// WithPatrolEvery sets how often the patrol compares the wall clock with the jobs' state.
func WithPatrolEvery(d time.Duration) Option {
	return func(s *Scheduler) {
		if d > 0 {
			s.patrolEvery = d
		}
	}
}

// WithStopTimeout bounds how long Shutdown lets running jobs finish before cancelling them.
func WithStopTimeout(d time.Duration) Option {
	return func(s *Scheduler) {
		if d > 0 {
			s.stopTimeout = d
		}
	}
}

// Scheduler runs registered jobs. Safe for concurrent use.
type Scheduler struct {
	st          *store.Store
	clock       clockwork.Clock
	log         *slog.Logger
	notifier    notify.Notifier
	patrolEvery time.Duration
	stopTimeout time.Duration

	// stop is cancelled when Shutdown gives up waiting: every run's context derives from it.
	stop       context.Context
	cancelStop context.CancelFunc

	mu       sync.Mutex
	jobs     []*entry // registration order
	byName   map[string]*entry
	cron     gocron.Scheduler // nil until Start
	runCtx   context.Context  // Start's context
	closing  bool
	inflight sync.WaitGroup // runs in progress, whatever triggered them
	// abandoned is set when Shutdown gave up on a job: the workspace may be closed under it,
	// so it must not write its end.
	abandoned atomic.Bool

	lastPatrol time.Time // wall clock at the previous patrol; only the patrol touches it

	// observe, when set (tests), sees every evaluation, skipped or not.
	observe func(RunResult)
}

// entry is a registered job and its in-process lock.
type entry struct {
	job     Job
	lock    sync.Mutex // held for a whole evaluation: at most one run at a time
	running atomic.Bool
}

// New returns a scheduler that keeps job state in st and reads the time from c (gocron's
// clock too, so tests drive both with a clockwork.FakeClock).
func New(st *store.Store, c clockwork.Clock, logger *slog.Logger, n notify.Notifier, opts ...Option) *Scheduler {
	if c == nil {
		c = clockwork.NewRealClock()
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if n == nil {
		n = notify.Discard{}
	}
	s := &Scheduler{
		st: st, clock: c, log: logger, notifier: n,
		patrolEvery: DefaultPatrolEvery, stopTimeout: DefaultStopTimeout,
		byName: map[string]*entry{},
	}
	s.stop, s.cancelStop = context.WithCancel(context.Background())
	for _, o := range opts {
		o(s)
	}
	return s
}

var namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// Register adds jobs. It must be called before Start; a job list is checked as a whole and
// nothing is registered when one job is invalid.
func (s *Scheduler) Register(jobs ...Job) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cron != nil || s.closing {
		return errs.New(errs.Conflict, "scheduler_started", "scheduler: register after start")
	}
	var fields []errs.FieldError
	seen := map[string]bool{}
	for i, j := range jobs {
		var fe []errs.FieldError
		switch {
		case j.Name == "":
			fe = append(fe, errs.Field("name", "required"))
		case !namePattern.MatchString(j.Name):
			fe = append(fe, errs.Field("name", "slug"))
		case seen[j.Name] || s.byName[j.Name] != nil:
			fe = append(fe, errs.Field("name", "duplicate"))
		}
		seen[j.Name] = true
		if j.Every < MinEvery {
			fe = append(fe, errs.Field("every", "min", "min", MinEvery.String()))
		}
		if j.Run == nil {
			fe = append(fe, errs.Field("run", "required"))
		}
		fields = append(fields, errs.Prefixed(i, len(jobs), fe)...)
	}
	if len(fields) > 0 {
		return errs.Fields("scheduler: invalid job", fields...)
	}
	for _, j := range jobs {
		e := &entry{job: j}
		s.jobs = append(s.jobs, e)
		s.byName[j.Name] = e
	}
	return nil
}

// Start starts the timers and the patrol, whose first tick (right away, in the background)
// runs every job that is due: never run, interrupted, or overdue. ctx is the parent of every
// run's context; cancelling it cancels running jobs, but only Shutdown stops the scheduler.
func (s *Scheduler) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return errs.New(errs.Conflict, "scheduler_stopped", "scheduler: start after shutdown")
	}
	if s.cron != nil {
		return errs.New(errs.Conflict, "scheduler_started", "scheduler: already started")
	}
	cron, err := gocron.NewScheduler(
		gocron.WithClock(s.clock),
		gocron.WithLocation(time.UTC),
		gocron.WithLogger(s.log.With("component", "gocron")),
		// gocron's own wait comes after Shutdown has waited for and cancelled the jobs: by then
		// every task returns at once, and a floor keeps a loaded machine from failing it.
		gocron.WithStopTimeout(max(s.stopTimeout, 2*time.Second)),
	)
	if err != nil {
		return errs.Wrap(errs.Internal, "internal", err, "scheduler: create")
	}
	for _, e := range s.jobs {
		opts := []gocron.JobOption{gocron.WithName(e.job.Name), gocron.WithSingletonMode(gocron.LimitModeReschedule),
			gocron.WithIntervalFromCompletion()}
		// Align the timer with the persisted schedule, so a restart neither runs a job early
		// nor pushes it back by a whole interval. An overdue job is the first patrol's business.
		if rec, found, err := s.load(e.job.Name); err != nil {
			_ = cron.Shutdown()
			return err
		} else if found && !rec.Unfinished {
			// gocron moves a start in the past forward by whole intervals.
			opts = append(opts, gocron.WithStartAt(gocron.WithStartDateTimePast(rec.LastFinishedAt.Add(e.job.Every))))
		}
		task := gocron.NewTask(func() { s.evaluate(s.context(), e, TriggerSchedule, false) })
		if _, err := cron.NewJob(gocron.DurationJob(e.job.Every), task, opts...); err != nil {
			_ = cron.Shutdown()
			return errs.Wrap(errs.Internal, "internal", err, "scheduler: add job "+e.job.Name)
		}
	}
	_, err = cron.NewJob(gocron.DurationJob(s.patrolEvery), gocron.NewTask(s.patrol),
		gocron.WithName("scheduler.patrol"), gocron.WithSingletonMode(gocron.LimitModeReschedule),
		gocron.WithIntervalFromCompletion(), gocron.WithStartAt(gocron.WithStartImmediately()))
	if err != nil {
		_ = cron.Shutdown()
		return errs.Wrap(errs.Internal, "internal", err, "scheduler: add patrol")
	}
	s.runCtx = ctx
	s.cron = cron
	cron.Start()
	return nil
}

// Shutdown stops the timers, waits up to the stop timeout for running jobs, then cancels the
// ones still running and waits a little more. Jobs cancelled this way are recorded as
// interrupted and run again next time. It fails with scheduler_stop_timeout only if a job
// ignored its cancelled context. Safe to call twice, and without Start.
func (s *Scheduler) Shutdown() error {
	s.mu.Lock()
	if s.closing {
		s.mu.Unlock()
		return nil
	}
	s.closing = true
	cron := s.cron
	s.mu.Unlock()

	var stuck error
	if !waitTimeout(&s.inflight, s.stopTimeout) {
		s.log.Warn("scheduler: jobs still running at shutdown, cancelling them", "after", s.stopTimeout)
		s.cancelStop()
		if !waitTimeout(&s.inflight, time.Second) {
			s.abandoned.Store(true)
			stuck = errs.New(errs.Unavailable, "scheduler_stop_timeout", "scheduler: a job did not stop after cancellation")
		}
	}
	s.cancelStop()
	if cron != nil {
		// Every task returns at once now (closing), so gocron's own wait is short.
		if err := cron.Shutdown(); err != nil && stuck == nil {
			stuck = errs.Wrap(errs.Unavailable, "scheduler_stop_timeout", err, "scheduler: stop timers")
		}
	}
	return stuck
}

// RunDue runs, once and concurrently, every registered job that is due now, waits for them
// and returns one result per job in registration order. A job already running is skipped. It
// needs no Start: the CLI calls it to run what is due and exit. Errors of the jobs themselves
// are in the results; the error is for the scheduler's own failures.
func (s *Scheduler) RunDue(ctx context.Context) ([]RunResult, error) {
	s.mu.Lock()
	jobs := append([]*entry(nil), s.jobs...)
	closing := s.closing
	s.mu.Unlock()
	if closing {
		return nil, errs.New(errs.Unavailable, "scheduler_stopped", "scheduler: stopped")
	}
	out := make([]RunResult, len(jobs))
	var wg sync.WaitGroup
	for i, e := range jobs {
		wg.Go(func() { out[i] = s.evaluate(ctx, e, TriggerManual, false) })
	}
	wg.Wait()
	for _, r := range out {
		if !r.Ran && r.Error != nil {
			return out, r.Error
		}
	}
	return out, nil
}

// Jobs returns the state of every registered job, in registration order.
func (s *Scheduler) Jobs(ctx context.Context) ([]JobState, error) {
	s.mu.Lock()
	jobs := append([]*entry(nil), s.jobs...)
	s.mu.Unlock()
	now := s.now()
	out := make([]JobState, 0, len(jobs))
	err := s.st.View(func(tx *store.Tx) error {
		for _, e := range jobs {
			rec, _, err := get(tx, e.job.Name)
			if err != nil {
				return err
			}
			running := e.running.Load()
			st := JobState{
				Name:              e.job.Name,
				EverySeconds:      int64(e.job.Every / time.Second),
				LastStartedAt:     rec.LastStartedAt,
				LastFinishedAt:    rec.LastFinishedAt,
				LastError:         rec.LastError,
				Runs:              rec.Runs,
				Running:           running,
				Interrupted:       rec.Unfinished && !running,
				Interruptions:     rec.Interruptions,
				LastInterruptedAt: rec.LastInterruptedAt,
			}
			st.Due = !running && due(rec, e.job.Every, now, slack(e.job.Every))
			st.NextRunAt = now
			if !st.Due && !rec.LastFinishedAt.IsZero() {
				st.NextRunAt = rec.LastFinishedAt.Add(e.job.Every)
			}
			out = append(out, st)
		}
		return nil
	})
	return out, err
}

// patrol is the wall-clock watchdog: it notices sleeps and late jobs and runs each overdue
// job once, in the background, without waiting for them.
func (s *Scheduler) patrol() {
	now := s.now()
	trigger := TriggerPatrol
	switch {
	case s.lastPatrol.IsZero():
		trigger = TriggerStart
	case now.Sub(s.lastPatrol) > 2*s.patrolEvery:
		trigger = TriggerWake
		s.log.Info("scheduler: the wall clock jumped (sleep or suspend); catching up", "gap", now.Sub(s.lastPatrol).Round(time.Second))
	}
	s.lastPatrol = now
	s.mu.Lock()
	jobs := append([]*entry(nil), s.jobs...)
	s.mu.Unlock()
	// In the background, so that a slow job holds up neither the other jobs nor the patrol.
	ctx := s.context()
	for _, e := range jobs {
		go s.evaluate(ctx, e, trigger, true)
	}
}

// context is Start's context, the parent of the runs the timers and the patrol start.
func (s *Scheduler) context() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.runCtx
}

// begin counts a run in progress unless the scheduler is stopping.
func (s *Scheduler) begin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing {
		return false
	}
	s.inflight.Add(1)
	return true
}

// now is the wall-clock time without its monotonic reading: the comparisons that matter here
// are between wall-clock readings, across sleeps and restarts.
func (s *Scheduler) now() time.Time { return s.clock.Now().Round(0).UTC() }

func waitTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}
