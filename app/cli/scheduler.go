package cli

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"hearth/backend/audit"
	"hearth/backend/errs"
	"hearth/backend/scheduler"
	"hearth/backend/wiring"
)

// schedulerCommands are "hearth scheduler …": the background jobs, for headless machines
// (a cron entry running run-due every few minutes does what the open window does).
var schedulerCommands = map[string]command{
	"run-due": schedulerRunDue,
	"status":  schedulerStatus,
}

func schedulerRunDue(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("scheduler run-due", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		res, err := b.Scheduler.RunDue(audit.WithActor(ctx, "scheduler"))
		if err != nil {
			return err
		}
		if *asJSON {
			if err := writeJSON(env.Stdout, res); err != nil {
				return err
			}
		} else if err := t.printRuns(env, res); err != nil {
			return err
		}
		failed := 0
		for _, r := range res {
			if r.Ran && !r.OK {
				failed++
			}
		}
		if failed > 0 {
			return errs.New(errs.Unavailable, "scheduler_jobs_failed", fmt.Sprintf("scheduler: %d jobs failed", failed)).
				With("count", strconv.Itoa(failed))
		}
		return nil
	})
}

func schedulerStatus(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("scheduler status", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		jobs, err := b.Scheduler.Jobs(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, jobs)
		}
		if len(jobs) == 0 {
			fmt.Fprintln(env.Stdout, t.msg("scheduler_no_jobs"))
			return nil
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("scheduler_status_header"))
		for _, j := range jobs {
			last := t.msg("scheduler_never")
			if !j.LastStartedAt.IsZero() {
				last = localTime(j.LastStartedAt)
			}
			var result string
			switch {
			case j.Running:
				result = t.msg("scheduler_state_running")
			case j.Interrupted:
				result = t.msg("scheduler_state_interrupted")
			case j.LastError != nil:
				result = t.msg("scheduler_failed") + t.msg("colon") + t.explain(j.LastError)
			case j.Runs > 0:
				result = t.msg("scheduler_state_ok")
			}
			next := localTime(j.NextRunAt)
			if j.Due {
				next = t.msg("scheduler_now")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", j.Name, t.jobLabel(j.Name), t.every(j.EverySeconds), last, next, result)
		}
		return w.Flush()
	})
}

// printRuns renders run-due's results: one line per job, ran, failed or skipped and why.
func (t tr) printRuns(env Env, res []scheduler.RunResult) error {
	if len(res) == 0 {
		fmt.Fprintln(env.Stdout, t.msg("scheduler_no_jobs"))
		return nil
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, t.msg("scheduler_run_header"))
	for _, r := range res {
		var result, detail string
		switch {
		case r.Ran && r.OK:
			result = t.msg("scheduler_ran")
		case r.Ran && r.Interrupted:
			result, detail = t.msg("scheduler_failed"), t.msg("scheduler_state_interrupted")
		case r.Ran:
			result, detail = t.msg("scheduler_failed"), t.explain(r.Error)
		case r.Error != nil:
			result, detail = t.msg("scheduler_failed"), t.explain(r.Error)
		default:
			result, detail = t.msg("scheduler_skipped"), t.msg("scheduler_skipped_"+r.Skipped)
		}
		if r.Resumed {
			detail = strings.TrimSpace(t.msg("scheduler_resumed") + " " + detail)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", r.Name, t.jobLabel(r.Name), result, detail)
	}
	return w.Flush()
}

// jobLabel is a job's description in the user's language (its name when there is none).
func (t tr) jobLabel(name string) string {
	if s := t.msg("scheduler_job_" + name); s != "" {
		return s
	}
	return name
}

// every renders an interval in the largest whole unit: "1 h", "5 min", "30 s".
func (t tr) every(seconds int64) string {
	switch {
	case seconds >= 3600 && seconds%3600 == 0:
		return t.msgf("scheduler_hours", t.printer.Sprint(seconds/3600))
	case seconds >= 60 && seconds%60 == 0:
		return t.msgf("scheduler_minutes", t.printer.Sprint(seconds/60))
	default:
		return t.msgf("scheduler_seconds", t.printer.Sprint(seconds))
	}
}

// noPositional parses fs over args, which must hold flags only.
func noPositional(fs *flag.FlagSet, args []string, t tr) error {
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	return nil
}
