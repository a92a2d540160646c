package wiring

import (
	"context"
	"log/slog"
	"time"

	"github.com/jonboulle/clockwork"

	"hearth/backend/audit"
	"hearth/backend/notify"
	"hearth/backend/reports"
	"hearth/backend/scheduler"
	"hearth/backend/team"
)

// JobNewsletterReplies is the job that reads the newsletter reply mailbox every 15 minutes.
const JobNewsletterReplies = "newsletter.replies"

// Jobs is the one list of the app's periodic background jobs. The window runs them with
// Backend.Scheduler (StartScheduler); `hearth scheduler run-due` runs the due ones and exits.
// Every handler is idempotent: a job may run again after a crash.
func Jobs(b *Backend) []scheduler.Job {
	jobs := []scheduler.Job{
		{
			// Hands due calendar occurrences to the outbox; after a sleep, each missed item is
			// published late or marked missed by its own policy (the calendar's decision).
			Name: "calendar.publish", Every: time.Minute,
			Run: func(ctx context.Context, now time.Time) error {
				_, err := b.Calendar.PublishDue(ctx, now)
				return err
			},
		},
		{
			// Enrols members whose automation trigger fired and runs the steps that are due.
			Name: "automations.tick", Every: time.Minute,
			Run: func(ctx context.Context, now time.Time) error {
				_, err := b.Automations.Tick(ctx, now)
				return err
			},
		},
		{
			// Writes the weekly KPI workbook into its folder when its slot has come (once per
			// slot, also after a crash or a sleep through it).
			Name: "reports.kpi", Every: time.Minute,
			Run: func(ctx context.Context, now time.Time) error {
				_, err := b.Reports.RunScheduled(ctx, now, reports.Sources{KPIs: b.Analytics.KPIs, Members: b.Members,
					LevelOf: b.Analytics.LevelOfToday(ctx, now)})
				return err
			},
		},
		{
			// Takes the day's backup (and prunes old ones) once the last daily one is a day old.
			Name: "backup.daily", Every: time.Hour,
			Run: func(ctx context.Context, now time.Time) error {
				_, err := b.Backups.Daily(ctx, now)
				return err
			},
		},
		{
			// Shares through the team's shared folder when it is on: merges the teammates'
			// files that changed, then writes this copy's if it changed. A file that cannot
			// be merged is reported in the run, which the setting keeps with its error.
			Name: "team.share", Every: team.ShareEvery,
			Run: func(ctx context.Context, _ time.Time) error {
				_, err := b.Team.ShareDue(ctx)
				return err
			},
		},
	}
	jobs = append(jobs, scheduler.Job{
		// Reads the newsletter reply mailbox, when one is set (hearth imap set): unsubscribe
		// replies withdraw consent, hard bounces suppress addresses. Off without settings; an
		// offline laptop fails to reach the server and tries again at the next run.
		Name: JobNewsletterReplies, Every: 15 * time.Minute,
		Run: func(ctx context.Context, _ time.Time) error {
			if on, err := b.Newsletters.IMAPConfigured(ctx); err != nil || !on {
				return err
			}
			_, err := b.Newsletters.ProcessReplies(ctx)
			return err
		},
	})
	if b.Sync != nil {
		jobs = append(jobs, scheduler.Job{
			// Publishes the outbox to every reachable connection and, every quarter of an hour,
			// pulls what is new; an offline laptop just finds every connection unreachable and
			// tries again next minute.
			Name: "sync.run", Every: time.Minute,
			Run: func(ctx context.Context, _ time.Time) error {
				_, err := b.Sync.RunDue(ctx)
				return err
			},
		})
	}
	return jobs
}

// newScheduler builds the workspace's scheduler with the app's jobs registered, not started:
// the CLI must not run background jobs, the window starts it.
func newScheduler(b *Backend, logger *slog.Logger, n notify.Notifier) *scheduler.Scheduler {
	s := scheduler.New(b.Workspace.Store, clockwork.NewRealClock(), logger, n)
	if err := s.Register(Jobs(b)...); err != nil {
		// Jobs is a fixed list: an invalid one is a programming error, which
		// TestTheAppsJobsAreRegisteredAndRunDueRunsThemOnce catches.
		panic(err)
	}
	return s
}

// windowJobs run only while the window is open: announcing due tasks marks them announced, which
// only makes sense when someone can see the announcement.
func windowJobs(b *Backend) []scheduler.Job {
	return []scheduler.Job{{
		Name: "tasks.notify", Every: time.Minute,
		Run: func(ctx context.Context, now time.Time) error {
			_, err := b.Tasks.Notify(ctx, now) // emits "tasks:due", shown by the window
			return err
		},
	}}
}

// StartScheduler starts the background jobs, for the window; what they write is audited as
// done by "scheduler". Stop them with b.Scheduler.Shutdown before closing the workspace.
func (b *Backend) StartScheduler() error {
	if err := b.Scheduler.Register(windowJobs(b)...); err != nil {
		return err
	}
	return b.Scheduler.Start(audit.WithActor(context.Background(), "scheduler"))
}
