package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// record is a job's persisted state (collection scheduler_job, id = job name). It is this
// workspace copy's own bookkeeping: nothing in it is personal data.
type record struct {
	Name           string      `json:"name"`
	EverySeconds   int64       `json:"everySeconds"`
	LastStartedAt  time.Time   `json:"lastStartedAt,omitzero"`
	LastFinishedAt time.Time   `json:"lastFinishedAt,omitzero"`
	LastError      *errs.Error `json:"lastError,omitempty"`
	Runs           int         `json:"runs"`
	// Unfinished is set, durably, before the handler is called and cleared after it returns:
	// found set when the job is not running, the last run was interrupted.
	Unfinished        bool      `json:"unfinished,omitempty"`
	Interruptions     int       `json:"interruptions,omitempty"`
	LastInterruptedAt time.Time `json:"lastInterruptedAt,omitzero"`
}

var collection = &store.Collection[record]{Name: "scheduler_job"}

// evaluate runs e if it is due, under e's lock, and reports what happened. overdueOnly (the
// patrol) runs only jobs whose interval has fully elapsed; the timers and RunDue accept a run
// slightly early (see slack), so a timer firing a hair before the persisted schedule does not
// cost a whole interval.
func (s *Scheduler) evaluate(ctx context.Context, e *entry, trigger string, overdueOnly bool) (res RunResult) {
	res = RunResult{Name: e.job.Name, Trigger: trigger}
	defer func() {
		if s.observe != nil {
			s.observe(res)
		}
	}()
	if !e.lock.TryLock() {
		res.Skipped = SkippedRunning
		return res
	}
	defer e.lock.Unlock()
	if !s.begin() {
		res.Skipped = SkippedStopping
		return res
	}
	defer s.inflight.Done()

	now := s.now()
	rec, _, err := s.load(e.job.Name)
	if err != nil {
		res.Error = errs.From(err)
		s.log.Error("scheduler: read job state", "job", e.job.Name, "err", err)
		return res
	}
	margin := slack(e.job.Every)
	if overdueOnly {
		margin = 0
	}
	if !due(rec, e.job.Every, now, margin) {
		res.Skipped = SkippedNotDue
		return res
	}

	// Started, durably, before the handler runs: a crash from here on leaves Unfinished set.
	res.Resumed = rec.Unfinished
	if rec.Unfinished {
		rec.Interruptions++
		rec.LastInterruptedAt = rec.LastStartedAt
		s.log.Warn("scheduler: the last run did not finish; running it again", "job", e.job.Name, "startedAt", rec.LastStartedAt)
	}
	rec.Name, rec.EverySeconds = e.job.Name, int64(e.job.Every/time.Second)
	rec.LastStartedAt, rec.Unfinished = now, true
	if err := s.save(ctx, rec); err != nil {
		res.Error = errs.From(err)
		s.log.Error("scheduler: record job start", "job", e.job.Name, "err", err)
		return res
	}

	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopRun := context.AfterFunc(s.stop, cancel)
	defer stopRun()

	res.Ran, res.StartedAt = true, now
	e.running.Store(true)
	runErr := call(runCtx, e.job, now)
	e.running.Store(false)
	res.FinishedAt = s.now()
	res.OK = runErr == nil
	res.Error = errs.From(runErr)

	if s.abandoned.Load() {
		s.log.Warn("scheduler: job ended after shutdown gave up on it; its end is not recorded", "job", e.job.Name)
		return res
	}
	if runErr != nil && runCtx.Err() != nil {
		// Cancelled (shutdown, or the caller gave up): leave the run unfinished, so it runs
		// again next time rather than waiting a whole interval with half the work done.
		res.Interrupted = true
		s.log.Warn("scheduler: run cancelled", "job", e.job.Name, "err", runErr)
		s.notifier.Emit(EventRun, res)
		return res
	}
	rec.LastFinishedAt, rec.Unfinished = res.FinishedAt, false
	rec.Runs++
	rec.LastError = storedError(runErr)
	if err := s.save(context.WithoutCancel(ctx), rec); err != nil {
		s.log.Error("scheduler: record job end", "job", e.job.Name, "err", err)
		if res.Error == nil {
			res.OK, res.Error = false, errs.From(err)
		}
	}
	if runErr != nil {
		s.log.Warn("scheduler: job failed", "job", e.job.Name, "trigger", trigger, "err", runErr)
	} else {
		s.log.Debug("scheduler: job ran", "job", e.job.Name, "trigger", trigger, "took", res.FinishedAt.Sub(now))
	}
	s.notifier.Emit(EventRun, res)
	return res
}

// call runs the handler, turning a panic into an error so one bad job cannot take the window
// down with it.
func call(ctx context.Context, j Job, now time.Time) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = errs.New(errs.Internal, "scheduler_job_panicked", fmt.Sprintf("scheduler: job %s panicked: %v", j.Name, p))
		}
	}()
	return j.Run(ctx, now)
}

// due reports whether a job with state rec and interval every should run at now, accepting
// a run up to margin early. The interval counts from the end of the last run, as gocron's
// timers do here (WithIntervalFromCompletion): a slow run is always followed by a full rest.
func due(rec record, every time.Duration, now time.Time, margin time.Duration) bool {
	switch {
	case rec.LastFinishedAt.IsZero() || rec.Unfinished:
		return true
	case now.Before(rec.LastFinishedAt.Add(-every)):
		// The wall clock went back by more than an interval (a clock fixed by hand): waiting
		// for it to catch up with the old reading could stall the job for days.
		return true
	}
	return !now.Before(rec.LastFinishedAt.Add(every - margin))
}

// slack is how early a timer or RunDue may run a job: a tenth of its interval, at most a
// minute.
func slack(every time.Duration) time.Duration { return min(every/10, time.Minute) }

// storedError keeps what the UI needs to explain a failure (kind, code, params, fields) and
// the whole English chain as the message.
func storedError(err error) *errs.Error {
	if err == nil {
		return nil
	}
	e := errs.From(err)
	return &errs.Error{Kind: e.Kind, Code: e.Code, Msg: err.Error(), Params: e.Params, Fields: e.Fields}
}

// load returns a job's state; found is false (and rec zero) for a job that never ran.
func (s *Scheduler) load(name string) (rec record, found bool, err error) {
	err = s.st.View(func(tx *store.Tx) error {
		rec, found, err = get(tx, name)
		return err
	})
	return rec, found, err
}

func get(tx *store.Tx, name string) (record, bool, error) {
	rec, _, err := store.Get(tx, collection, name)
	if errors.Is(err, errs.NotFound) {
		return record{}, false, nil
	}
	return rec, err == nil, err
}

// save writes a job's state durably: a start that is not on disk could not be found
// interrupted after a power cut.
func (s *Scheduler) save(ctx context.Context, rec record) error {
	return s.st.UpdateDurable(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, collection, rec.Name, rec)
		return err
	})
}
