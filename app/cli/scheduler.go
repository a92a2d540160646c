package cli

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"

	"hearth/app"
	"hearth/backend/audit"
	"hearth/backend/errs"
	"hearth/backend/scheduler"
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
	return withBackend(ctx, env, func(b *app.Backend) error {
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
	return withBackend(ctx, env, func(b *app.Backend) error {
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

// schedulerMessages are the scheduler commands' messages, merged into the en and fr catalogs.
// Job labels are keyed by job name (app.Jobs).
var schedulerMessages = map[string]map[string]string{
	"en": {
		"scheduler_run_header":        "JOB\tDESCRIPTION\tRESULT\tDETAIL",
		"scheduler_status_header":     "JOB\tDESCRIPTION\tEVERY\tLAST RUN\tNEXT RUN\tLAST RESULT",
		"scheduler_no_jobs":           "No background jobs.",
		"scheduler_ran":               "ran",
		"scheduler_failed":            "failed",
		"scheduler_skipped":           "skipped",
		"scheduler_skipped_not_due":   "not due yet",
		"scheduler_skipped_running":   "already running",
		"scheduler_skipped_stopping":  "stopping",
		"scheduler_resumed":           "(ran again: the previous run was interrupted)",
		"scheduler_state_ok":          "ok",
		"scheduler_state_running":     "running",
		"scheduler_state_interrupted": "interrupted; will run again",
		"scheduler_never":             "never",
		"scheduler_now":               "now",
		"scheduler_hours":             "%s h",
		"scheduler_minutes":           "%s min",
		"scheduler_seconds":           "%s s",

		"scheduler_job_calendar.publish": "Publish the calendar's due posts",
		"scheduler_job_automations.tick": "Run the automations' due steps",
		"scheduler_job_sync.run":         "Publish the queue and pull the connected platforms",
		"scheduler_job_reports.kpi":      "Write the scheduled KPI workbook",

		"err_scheduler_jobs_failed":  "{count} background job(s) failed.",
		"err_scheduler_job_panicked": "The job stopped on an internal error.",
		"err_scheduler_started":      "The background jobs are already running.",
		"err_scheduler_stopped":      "The background jobs are stopped.",
		"err_scheduler_stop_timeout": "A background job did not stop in time.",
	},
	"fr": {
		"scheduler_run_header":        "TÂCHE\tDESCRIPTION\tRÉSULTAT\tDÉTAIL",
		"scheduler_status_header":     "TÂCHE\tDESCRIPTION\tFRÉQUENCE\tDERNIÈRE EXÉCUTION\tPROCHAINE\tDERNIER RÉSULTAT",
		"scheduler_no_jobs":           "Aucune tâche de fond.",
		"scheduler_ran":               "exécutée",
		"scheduler_failed":            "échec",
		"scheduler_skipped":           "ignorée",
		"scheduler_skipped_not_due":   "pas encore due",
		"scheduler_skipped_running":   "déjà en cours",
		"scheduler_skipped_stopping":  "arrêt en cours",
		"scheduler_resumed":           "(relancée : l'exécution précédente a été interrompue)",
		"scheduler_state_ok":          "ok",
		"scheduler_state_running":     "en cours",
		"scheduler_state_interrupted": "interrompue ; sera relancée",
		"scheduler_never":             "jamais",
		"scheduler_now":               "maintenant",
		"scheduler_hours":             "%s h",
		"scheduler_minutes":           "%s min",
		"scheduler_seconds":           "%s s",

		"scheduler_job_calendar.publish": "Publier les contenus du calendrier arrivés à échéance",
		"scheduler_job_automations.tick": "Exécuter les étapes dues des automatisations",
		"scheduler_job_sync.run":         "Publier la file d'attente et lire les plateformes connectées",
		"scheduler_job_reports.kpi":      "Écrire le classeur d'indicateurs programmé",

		"err_scheduler_jobs_failed":  "{count} tâche(s) de fond en échec.",
		"err_scheduler_job_panicked": "La tâche s'est arrêtée sur une erreur interne.",
		"err_scheduler_started":      "Les tâches de fond sont déjà lancées.",
		"err_scheduler_stopped":      "Les tâches de fond sont arrêtées.",
		"err_scheduler_stop_timeout": "Une tâche de fond ne s'est pas arrêtée à temps.",
	},
}
