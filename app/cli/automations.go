package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"hearth/backend/tasks"
	"hearth/backend/wiring"
)

// tasksCommands are "hearth tasks …": the manager's reminders.
var tasksCommands = map[string]command{
	"list": tasksList,
	"add":  tasksAdd,
	"done": tasksDone,
}

// automationsCommands are "hearth automations …": list and switch automations.
var automationsCommands = map[string]command{
	"list": automationsList,
	"enable": func(ctx context.Context, args []string, env Env, t tr) error {
		return automationsSwitch(ctx, args, env, t, true)
	},
	"disable": func(ctx context.Context, args []string, env Env, t tr) error {
		return automationsSwitch(ctx, args, env, t, false)
	},
}

func tasksList(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("tasks list", flag.ContinueOnError)
	due := fs.Bool("due", false, "")
	all := fs.Bool("all", false, "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	filter := tasks.FilterOpen
	switch {
	case *due:
		filter = tasks.FilterDue
	case *all:
		filter = tasks.FilterAll
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		list, err := b.Tasks.List(ctx, filter)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, list)
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("tasks_header"))
		for _, task := range list {
			due, state := "", t.msg("task_open")
			if !task.DueAt.IsZero() {
				due = task.DueAt.Local().Format("2006-01-02 15:04")
			}
			if task.Done {
				state = t.msg("task_done")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", task.ID, due, state, task.Title, task.MemberID)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("tasks_count", t.printer.Sprint(len(list))))
		return nil
	})
}

func tasksAdd(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("tasks add", flag.ContinueOnError)
	title := fs.String("title", "", "")
	notes := fs.String("notes", "", "")
	due := fs.String("due", "", "")
	member := fs.String("member", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	if strings.TrimSpace(*title) == "" {
		return usageError{t.msg("tasks_add_needs_title")}
	}
	in := tasks.Input{Title: *title, Notes: *notes}
	// A due date alone is midnight in the workspace's zone; checked before opening it.
	dueAt := func(loc *time.Location) (time.Time, error) {
		if at, err := time.Parse(time.RFC3339, *due); err == nil {
			return at, nil
		}
		at, err := time.ParseInLocation(time.DateOnly, *due, loc)
		if err != nil {
			return time.Time{}, usageError{t.msgf("tasks_bad_due", *due)}
		}
		return at, nil
	}
	if *due != "" {
		if _, err := dueAt(time.UTC); err != nil {
			return err
		}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		if *due != "" {
			var err error
			if in.DueAt, err = dueAt(b.Zone); err != nil {
				return err
			}
		}
		if *member != "" {
			m, err := b.Members.Find(ctx, *member)
			if err != nil {
				return err
			}
			in.MemberID = m.ID
		}
		task, err := b.Tasks.Create(ctx, in)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, task)
		}
		fmt.Fprintln(env.Stdout, t.msgf("task_added", task.Title, task.ID))
		return nil
	})
}

func tasksDone(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("tasks done", flag.ContinueOnError)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("tasks_done_usage")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		task, err := b.Tasks.Complete(ctx, rest[0], true)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("task_completed", task.Title))
		return nil
	})
}

func automationsList(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("automations list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		list, err := b.Automations.List(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, list)
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("automations_header"))
		for _, a := range list {
			state := t.msg("automation_disabled")
			if a.Enabled {
				state = t.msg("automation_enabled")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\n", a.ID, state, a.Name, t.msg("trigger_"+string(a.Trigger.Kind)), len(a.Steps))
		}
		return w.Flush()
	})
}

func automationsSwitch(ctx context.Context, args []string, env Env, t tr, enabled bool) error {
	fs := flag.NewFlagSet("automations enable", flag.ContinueOnError)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("automations_needs_id")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		a, err := b.Automations.SetEnabled(ctx, rest[0], enabled)
		if err != nil {
			return err
		}
		key := "automation_now_disabled"
		if enabled {
			key = "automation_now_enabled"
		}
		fmt.Fprintln(env.Stdout, t.msgf(key, a.Name))
		return nil
	})
}
