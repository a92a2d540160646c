package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"

	"hearth/backend/errs"
	"hearth/backend/store"
	"hearth/backend/wiring"
	"hearth/backend/workspace"
)

// workspaceCommands are "hearth workspace …": the backups (backup.go), check and repair.
func workspaceCommands() map[string]command {
	cmds := maps.Clone(backupCommands)
	cmds["check"] = workspaceCheck
	cmds["repair"] = workspaceRepair
	maps.Copy(cmds, teamCommands)
	return cmds
}

// quietError ends a command with exit status 1 after it wrote its own answer (a JSON report).
type quietError struct{ error }

// checkJSON is what `workspace check --json` prints.
type checkJSON struct {
	OK bool `json:"ok"`
	// Refused is the refusal to open, when the workspace is damaged in a way that keeps it shut.
	Refused *errs.Error `json:"refused,omitempty"`
	// Report is the check of a workspace that opened.
	Report *store.CheckReport `json:"report,omitempty"`
}

// workspaceCheck verifies the whole workspace: what opening checks (the files), then every
// table block, record and index entry. Exit status 1 when anything is wrong.
func workspaceCheck(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("workspace check", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	b, err := env.Open(ctx)
	if err != nil {
		if *asJSON && errs.KindOf(err) != errs.Internal {
			if werr := writeJSON(env.Stdout, checkJSON{Refused: errs.From(err)}); werr != nil {
				return werr
			}
			return quietError{err}
		}
		return err
	}
	rep, err := b.Workspace.Store.Check(ctx)
	err = errors.Join(err, b.Close())
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeJSON(env.Stdout, checkJSON{OK: rep.OK, Report: &rep}); err != nil {
			return err
		}
	} else {
		printCheck(env, t, rep)
	}
	if !rep.OK {
		return quietError{errors.New("cli: the workspace check found problems")}
	}
	return nil
}

func printCheck(env Env, t tr, rep store.CheckReport) {
	var records, entries int
	for _, c := range rep.Collections {
		records += c.Live
		entries += c.IndexEntries
	}
	if rep.OK {
		fmt.Fprintln(env.Stdout, t.msgf("check_ok", t.printer.Sprint(records), t.printer.Sprint(entries)))
		return
	}
	fmt.Fprintln(env.Stdout, t.msgf("check_problems", t.printer.Sprint(len(rep.Findings)+rep.FindingsLeftOut),
		t.printer.Sprint(records), t.printer.Sprint(entries)))
	repairable := 0
	for _, f := range rep.Findings {
		what := t.msg("check_" + f.Code)
		if what == "" {
			what = f.Code
		}
		fmt.Fprintf(env.Stdout, "  %s: %s\n", what, f.Key)
		if f.Repairable {
			repairable++
		}
	}
	if rep.FindingsLeftOut > 0 {
		fmt.Fprintln(env.Stdout, "  "+t.msgf("check_more", t.printer.Sprint(rep.FindingsLeftOut)))
	}
	if repairable > 0 {
		fmt.Fprintln(env.Stdout, t.msg("check_run_repair"))
	}
	if repairable < len(rep.Findings) {
		fmt.Fprintln(env.Stdout, t.msg("check_restore"))
	}
}

// workspaceRepair rebuilds what can be rebuilt: a missing or damaged hearth.json (a new one,
// the damaged one kept beside it), index entries from the records, the analytics counters from
// the activity. Records themselves are never changed: damage to them, or to the files opening
// refuses, is named for a backup to bring back (exit status 1).
func workspaceRepair(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("workspace repair", flag.ContinueOnError)
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	dir := env.Dir
	if dir == "" {
		d, err := workspace.DefaultDir()
		if err != nil {
			return err
		}
		dir = d
	}
	wrote, err := workspace.RepairManifest(dir)
	if err != nil {
		return err
	}
	if wrote {
		fmt.Fprintln(env.Stdout, t.msg("repair_manifest"))
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		rep, err := b.Workspace.Store.Repair(ctx)
		if err != nil {
			return err
		}
		if err := b.Analytics.Rebuild(ctx); err != nil {
			return err
		}
		left := 0
		for _, f := range rep.Findings {
			if !f.Repairable {
				left++
			}
		}
		fmt.Fprintln(env.Stdout, t.msgf("repair_done", t.printer.Sprint(rep.Repaired)))
		if left > 0 {
			printCheck(env, t, rep)
			return quietError{errors.New("cli: problems left after the repair")}
		}
		return nil
	})
}
