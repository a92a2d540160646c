package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"text/tabwriter"

	"hearth/backend/backup"
	"hearth/backend/wiring"
)

// backupCommands are the backup commands of "hearth workspace …".
var backupCommands = map[string]command{
	"backup":  workspaceBackup,
	"backups": workspaceBackups,
	"restore": workspaceRestore,
}

// workspaceBackup takes a backup now ("manual"), then prunes old ones.
func workspaceBackup(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("workspace backup", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		bk, err := b.Backups.Create(ctx, backup.ReasonManual)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, bk)
		}
		fmt.Fprintln(env.Stdout, t.msgf("backup_taken", bk.ID, t.printer.Sprint(bk.Members)))
		return nil
	})
}

// workspaceBackups lists the backups, newest first, with what each holds.
func workspaceBackups(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("workspace backups", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		list, err := b.Backups.List()
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, list)
		}
		if len(list) == 0 {
			fmt.Fprintln(env.Stdout, t.msg("backup_none"))
			return nil
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("backup_list_header"))
		for _, bk := range list {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", bk.ID, localTime(bk.At), t.backupReason(bk.Reason),
				t.printer.Sprint(bk.Members), t.size(bk.Size))
		}
		return w.Flush()
	})
}

// workspaceRestore shows what a backup holds and, with --yes, restores it: the workspace is
// closed, the backup swapped in (keeping every erasure made since) and opened again.
func workspaceRestore(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("workspace restore", flag.ContinueOnError)
	yes := fs.Bool("yes", false, "")
	asJSON := fs.Bool("json", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("restore_needs_id")}
	}
	b, err := env.Open(ctx)
	if err != nil {
		return err
	}
	bk, err := b.Backups.Get(rest[0])
	if err != nil {
		return errors.Join(err, b.Close())
	}
	if !*yes {
		defer b.Close()
		if *asJSON {
			return writeJSON(env.Stdout, bk)
		}
		fmt.Fprintln(env.Stdout, t.msgf("restore_holds", bk.ID, localTime(bk.At), t.backupReason(bk.Reason),
			t.printer.Sprint(bk.Members), bk.SchemaVersion))
		fmt.Fprintln(env.Stdout, t.msgf("restore_confirm", bk.ID))
		return nil
	}
	res, err := b.Backups.Prepare(ctx, bk.ID)
	if err := errors.Join(err, b.Close()); err != nil {
		return err
	}
	// Opening the workspace again swaps the prepared database in.
	b, err = env.Open(ctx)
	if err != nil {
		return err
	}
	if err := b.Close(); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, res)
	}
	fmt.Fprintln(env.Stdout, t.msgf("restore_done", bk.ID, t.printer.Sprint(max(0, bk.Members-res.Erased)), res.Replaced.ID))
	switch {
	case res.Erased == 1:
		fmt.Fprintln(env.Stdout, t.msgf("restore_erased_one", t.printer.Sprint(res.Erased)))
	case res.Erased > 1:
		fmt.Fprintln(env.Stdout, t.msgf("restore_erased", t.printer.Sprint(res.Erased)))
	}
	return nil
}

// backupReason is a backup's reason in the user's words.
func (t tr) backupReason(r backup.Reason) string {
	if s := t.msg("backup_reason_" + string(r)); s != "" {
		return s
	}
	return string(r)
}

// size renders a file size in KB or MB, localised.
func (t tr) size(n int64) string {
	if n >= 1<<20 {
		return t.printer.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return t.printer.Sprintf("%d KB", (n+1023)/1024)
}
