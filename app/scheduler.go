package app

import (
	"hearth/backend/scheduler"
)

// SchedulerService is the settings screen's view of the background jobs.
type SchedulerService struct {
	calls
	s *scheduler.Scheduler
}

// NewSchedulerService binds s for the window.
func NewSchedulerService(s *scheduler.Scheduler) *SchedulerService { return &SchedulerService{s: s} }

// Jobs returns the state of every background job (last run, last error, next run).
func (s *SchedulerService) Jobs() ([]scheduler.JobState, error) { return s.s.Jobs(s.ctx()) }

// RunDue runs the jobs that are due now and waits for them ("catch up now"); a job already
// running is reported skipped.
func (s *SchedulerService) RunDue() ([]scheduler.RunResult, error) { return s.s.RunDue(s.ctx()) }
