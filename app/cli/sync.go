package cli

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"hearth/app"
	"hearth/backend/audit"
	"hearth/backend/errs"
	"hearth/backend/syncstate"
	"hearth/backend/wiring"
)

// syncCommands are "hearth sync …": publishing the outbox and pulling the platforms from a
// headless machine.
var syncCommands = map[string]command{
	"run":    syncRun,
	"status": syncStatus,
	"retry":  syncRetry,
}

// syncRun drains the outbox and pulls every connection: once with --once, else every minute
// until interrupted (a headless machine's sync loop). It fails (exit 1) when a connection could
// not be reached or refused its credentials, so a cron job's mail says so.
func syncRun(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("sync run", flag.ContinueOnError)
	once := fs.Bool("once", false, "")
	asJSON := fs.Bool("json", false, "")
	every := fs.Duration("every", time.Minute, "")
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	if *every < 10*time.Second {
		return usageError{t.msg("sync_every_too_short")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		ctx := audit.WithActor(ctx, "sync")
		for {
			rep, err := b.Sync.RunOnce(ctx)
			if err != nil {
				return err
			}
			if *asJSON {
				if err := writeJSON(env.Stdout, rep); err != nil {
					return err
				}
			} else if err := t.printSyncRun(env, rep); err != nil {
				return err
			}
			if *once {
				return runProblems(rep)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(*every):
			}
		}
	})
}

// runProblems is the error a run's report amounts to: nil when every connection was reached.
func runProblems(rep syncstate.RunReport) error {
	failed := 0
	for _, c := range rep.Connections {
		if c.Error != "" {
			failed++
		}
	}
	if failed == 0 {
		return nil
	}
	return errs.New(errs.Unavailable, "sync_connections_failed", fmt.Sprintf("sync: %d connection(s) failed", failed)).
		With("count", strconv.Itoa(failed))
}

func (t tr) printSyncRun(env Env, rep syncstate.RunReport) error {
	if len(rep.Connections) == 0 {
		fmt.Fprintln(env.Stdout, t.msg("sync_no_connections"))
		return nil
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, t.msg("sync_run_header"))
	for _, c := range rep.Connections {
		state := t.msg("sync_online")
		if !c.Online {
			state = t.msg("sync_offline")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Platform, state,
			t.printer.Sprint(c.Pushed), t.printer.Sprint(c.Failed), t.printer.Sprint(c.Parked),
			t.printer.Sprint(c.Pulled), c.Error)
	}
	return w.Flush()
}

// syncStatusView is `sync status --json`.
type syncStatusView struct {
	Queued      int                    `json:"queued"`
	Parked      int                    `json:"parked"`
	Connections []app.ConnectionStatus `json:"connections"`
	ParkedItems []syncstate.Delivery   `json:"parkedItems"`
}

func syncStatus(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("sync status", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		ov, err := app.NewSyncService(app.SyncDeps{Connections: b.Connections, State: b.SyncState, Activity: b.Activity, Engine: b.Sync}).Overview()
		if err != nil {
			return err
		}
		parked, err := b.SyncState.Deliveries(ctx, syncstate.DeliveryQuery{State: syncstate.Parked, Limit: 100})
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, syncStatusView{Queued: ov.Queued, Parked: ov.Parked, Connections: ov.Connections, ParkedItems: parked})
		}
		fmt.Fprintln(env.Stdout, t.msgf("sync_queue_line", t.printer.Sprint(ov.Queued), t.printer.Sprint(ov.Parked)))
		if len(ov.Connections) == 0 {
			fmt.Fprintln(env.Stdout, t.msg("sync_no_connections"))
			return nil
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("sync_status_header"))
		for _, c := range ov.Connections {
			state := t.msg("sync_online")
			switch {
			case c.CheckedAt.IsZero():
				state = t.msg("sync_unknown")
			case c.AuthFailed:
				state = t.msg("sync_auth_failed")
			case !c.Online:
				state = t.msg("sync_offline")
			}
			last := t.msg("scheduler_never")
			if !c.LastPullAt.IsZero() {
				last = localTime(c.LastPullAt)
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.Platform, state,
				t.printer.Sprint(c.Queued), t.printer.Sprint(c.Parked), last, c.LastError)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if err := t.printPulled(env, ov.Connections); err != nil {
			return err
		}
		if len(parked) > 0 {
			fmt.Fprintln(env.Stdout)
			w = tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, t.msg("sync_parked_header"))
			for _, d := range parked {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", d.ID, d.Channel, d.Title, d.Reason)
			}
			return w.Flush()
		}
		return nil
	})
}

// printPulled writes what each connection's pulls brought in so far, every run and replica
// together: activity stored, members created, and when something new last came in.
func (t tr) printPulled(env Env, conns []app.ConnectionStatus) error {
	fmt.Fprintln(env.Stdout)
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, t.msg("sync_pulled_header"))
	for _, c := range conns {
		last := t.msg("scheduler_never")
		if !c.LastNewAt.IsZero() {
			last = localTime(c.LastNewAt)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", c.Name, t.num(c.TotalActivity), t.num(c.TotalNewMembers), last)
	}
	return w.Flush()
}

func syncRetry(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("sync retry", flag.ContinueOnError)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("sync_retry_needs_id")}
	}
	id := rest[0]
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		d, err := b.SyncState.Retry(audit.WithActor(ctx, "cli"), id)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("sync_retried", d.Title, d.Channel))
		return nil
	})
}
