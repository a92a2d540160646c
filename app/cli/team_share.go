package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"hearth/backend/team"
	"hearth/backend/wiring"
)

// workspaceShare shows or sets the team's shared folder (team.Service.SetShare); --now shares
// through it once, here (the window does it at start and every few minutes).
func workspaceShare(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("workspace share", flag.ContinueOnError)
	folder := fs.String("folder", "", "")
	off, now, asJSON := fs.Bool("off", false, ""), fs.Bool("now", false, ""), fs.Bool("json", false, "")
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *off && (set["folder"] || *now) {
		return usageError{t.msg("team_share_off_alone")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		sh, err := b.Team.Share(ctx)
		if err != nil {
			return err
		}
		if set["folder"] || *off {
			in := team.ShareInput{On: !*off, Folder: sh.Folder}
			if set["folder"] {
				in.Folder = *folder
				if abs, err := filepath.Abs(*folder); err == nil && *folder != "" {
					in.Folder = abs
				}
			}
			if sh, err = b.Team.SetShare(ctx, in); err != nil {
				return err
			}
		}
		if *now {
			if !sh.On {
				return usageError{t.msg("team_share_is_off")}
			}
			run, err := b.Team.ShareNow(ctx)
			if err != nil {
				return err
			}
			if *asJSON {
				return writeJSON(env.Stdout, run)
			}
			t.printShareRun(env, run)
			return nil
		}
		if *asJSON {
			return writeJSON(env.Stdout, sh)
		}
		return t.printShare(env, sh)
	})
}

// printShare shows the setting as a few labelled lines, then the last run.
func (t tr) printShare(env Env, sh team.ShareSetting) error {
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(w, "%s\t%s\n", t.msg(k), v) }
	if sh.On {
		row("team_share_l_state", t.msg("team_share_on"))
	} else {
		row("team_share_l_state", t.msg("team_share_off"))
	}
	row("team_share_l_folder", sh.Folder)
	row("team_share_l_file", sh.File)
	last := t.msg("team_share_never")
	if sh.LastRun != nil {
		last = localTime(sh.LastRun.At)
	}
	row("team_share_l_last", last)
	if sh.LastError != nil {
		row("team_share_l_error", t.explain(sh.LastError))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if sh.LastRun != nil {
		t.printShareRun(env, *sh.LastRun)
	}
	return nil
}

// printShareRun shows what a run did: each teammate's file, this copy's, the teammates who
// cannot open it yet, and the conflicts (only a run just made has their values).
func (t tr) printShareRun(env Env, run team.ShareRun) {
	p := t.printer
	for _, f := range run.Files {
		who := f.Teammate
		if who == "" {
			who = f.Replica
		}
		if who == "" {
			who = "?"
		}
		switch f.Status {
		case team.ShareMerged:
			fmt.Fprintln(env.Stdout, t.msgf("team_share_file_merged", f.Name, who, p.Sprint(f.Added), p.Sprint(f.Updated),
				p.Sprint(f.Deleted), p.Sprint(f.Erased), p.Sprint(f.Unchanged), p.Sprint(f.Conflicts)))
		case team.ShareUpToDate:
			fmt.Fprintln(env.Stdout, t.msgf("team_share_file_same", f.Name, who))
		default:
			fmt.Fprintln(env.Stdout, t.msgf("team_share_file_failed", f.Name, t.explain(f.Error)))
		}
	}
	if len(run.Files) == 0 {
		fmt.Fprintln(env.Stdout, t.msg("team_share_no_files"))
	}
	if run.Wrote {
		fmt.Fprintln(env.Stdout, t.msgf("team_share_wrote", p.Sprint(run.Records)))
	} else {
		fmt.Fprintln(env.Stdout, t.msg("team_share_not_written"))
	}
	if len(run.NoKey) > 0 {
		fmt.Fprintln(env.Stdout, t.msgf("team_share_no_key", strings.Join(run.NoKey, ", ")))
	}
	if len(run.Conflicts) > 0 {
		fmt.Fprintln(env.Stdout, t.msgf("team_conflicts", p.Sprint(len(run.Conflicts))))
		for _, c := range run.Conflicts {
			fmt.Fprintln(env.Stdout, "  "+t.msgf("team_conflict", c.Collection, c.ID, c.Field, string(c.Kept), c.KeptBy,
				c.KeptAt.Format("2006-01-02 15:04"), string(c.Other), c.OtherBy, c.OtherAt.Format("2006-01-02 15:04")))
		}
	}
}
