package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"hearth/backend/bundle"
	"hearth/backend/errs"
	"hearth/backend/privatefile"
	"hearth/backend/team"
	"hearth/backend/wiring"
	"hearth/backend/workspace"
)

// teamCommands are the "hearth workspace …" commands of teams (backend/team): export, join,
// merge, identity and whoami.
var teamCommands = map[string]command{
	"export":   workspaceExport,
	"join":     workspaceJoin,
	"merge":    workspaceMerge,
	"identity": workspaceIdentity,
	"whoami":   workspaceWhoami,
	"share":    workspaceShare, // team_share.go
}

// bundleArgs reads the arguments of a command that takes one bundle file, an optional
// --passphrase-file and --json (workspace join, workspace merge).
func bundleArgs(name string, args []string, t tr) (file, passphrase string, asJSON bool, err error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	passFile := fs.String("passphrase-file", "", "")
	jsonOut := fs.Bool("json", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return "", "", false, err
	}
	if len(rest) != 1 {
		return "", "", false, usageError{t.msgf("team_needs_bundle", name)}
	}
	passphrase, err = readPassphrase(*passFile, t)
	return rest[0], passphrase, *jsonOut, err
}

// readPassphrase reads a bundle's passphrase from a file (never from the command line, where
// other users and shell history would see it): its first line, without the line ending.
func readPassphrase(path string, t tr) (string, error) {
	if path == "" {
		return "", nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", usageError{t.msgf("team_passphrase_unreadable", path)}
	}
	line, _, _ := strings.Cut(string(b), "\n")
	line = strings.TrimRight(line, "\r")
	if line == "" {
		return "", usageError{t.msgf("team_passphrase_empty", path)}
	}
	return line, nil
}

// workspaceExport writes the workspace as an encrypted bundle for teammates.
func workspaceExport(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("workspace export", flag.ContinueOnError)
	out := fs.String("out", "", "")
	passFile := fs.String("passphrase-file", "", "")
	var recipients repeated
	fs.Var(&recipients, "recipient", "")
	forMate := fs.String("for", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	if *out == "" {
		return usageError{t.msg("team_export_needs_out")}
	}
	if (*passFile == "") == (len(recipients) == 0) {
		return usageError{t.msg("team_export_needs_key")}
	}
	pass, err := readPassphrase(*passFile, t)
	if err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		var sum team.ExportSummary
		err := privatefile.Write(*out, func(w io.Writer) (err error) {
			enc := bundle.Encrypt{Passphrase: pass, Recipients: recipients}
			if *forMate != "" {
				sum, err = b.Team.ExportFor(ctx, w, enc, *forMate)
			} else {
				sum, err = b.Team.Export(ctx, w, enc)
			}
			return err
		})
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, sum)
		}
		fmt.Fprintln(env.Stdout, t.msgf("team_exported", *out, t.printer.Sprint(sum.Records), t.printer.Sprint(sum.Erasures)))
		return nil
	})
}

// workspaceJoin creates a new copy of a workspace from a teammate's bundle, in the folder given
// with --workspace, which must not hold a workspace yet.
func workspaceJoin(ctx context.Context, args []string, env Env, t tr) error {
	file, pass, asJSON, err := bundleArgs("workspace join", args, t)
	if err != nil {
		return err
	}
	dir := env.Dir
	if dir == "" {
		if dir, err = workspace.DefaultDir(); err != nil {
			return err
		}
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return errs.New(errs.Conflict, "join_not_empty", "cli: the folder is not empty").With("path", dir)
	}
	f, err := os.Open(file)
	if err != nil {
		return usageError{t.msgf("team_bundle_unreadable", file)}
	}
	defer f.Close()
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, os.ErrNotExist)
	var rep team.Report
	err = withBackend(ctx, env, func(b *wiring.Backend) (err error) {
		rep, err = b.Team.Join(ctx, f, pass)
		return err
	})
	if err != nil {
		// Nothing is left behind: the folder held nothing before the join.
		if created {
			_ = os.RemoveAll(dir)
		} else {
			removeContents(dir)
		}
		return err
	}
	if asJSON {
		return writeJSON(env.Stdout, rep)
	}
	fmt.Fprintln(env.Stdout, t.msgf("team_joined", dir, orReplica(rep), t.printer.Sprint(rep.Added)))
	return nil
}

// removeContents empties dir (a join that failed in a folder that was empty before it).
func removeContents(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		_ = os.RemoveAll(filepath.Join(dir, e.Name()))
	}
}

func orReplica(rep team.Report) string {
	if rep.From != "" {
		return rep.From
	}
	return rep.FromReplica
}

// workspaceMerge merges a teammate's bundle into the workspace.
func workspaceMerge(ctx context.Context, args []string, env Env, t tr) error {
	file, pass, asJSON, err := bundleArgs("workspace merge", args, t)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return usageError{t.msgf("team_bundle_unreadable", file)}
	}
	defer f.Close()
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		rep, err := b.Team.Merge(ctx, f, pass)
		if err != nil {
			return err
		}
		if asJSON {
			return writeJSON(env.Stdout, rep)
		}
		printMerge(env, t, rep)
		return nil
	})
}

func printMerge(env Env, t tr, rep team.Report) {
	p := t.printer
	fmt.Fprintln(env.Stdout, t.msgf("team_merged", orReplica(rep), p.Sprint(rep.Added), p.Sprint(rep.Updated), p.Sprint(rep.Deleted),
		p.Sprint(rep.Erased), p.Sprint(rep.Unchanged)))
	if rep.Duplicates > 0 {
		fmt.Fprintln(env.Stdout, t.msgf("team_duplicates", p.Sprint(rep.Duplicates)))
	}
	if len(rep.Conflicts) == 0 {
		return
	}
	fmt.Fprintln(env.Stdout, t.msgf("team_conflicts", p.Sprint(len(rep.Conflicts)+rep.ConflictsLeftOut)))
	for _, c := range rep.Conflicts {
		fmt.Fprintln(env.Stdout, "  "+t.msgf("team_conflict", c.Collection, c.ID, c.Field, string(c.Kept), c.KeptBy,
			c.KeptAt.Format("2006-01-02 15:04"), string(c.Other), c.OtherBy, c.OtherAt.Format("2006-01-02 15:04")))
	}
	if rep.ConflictsLeftOut > 0 {
		fmt.Fprintln(env.Stdout, "  "+t.msgf("check_more", p.Sprint(rep.ConflictsLeftOut)))
	}
}

// workspaceIdentity prints the person's public key, which teammates give to export --recipient.
// It opens no workspace: the key is the person's (their credentials store's), so a new teammate
// gives it before their copy exists, and joins the bundle made for it.
func workspaceIdentity(_ context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("workspace identity", flag.ContinueOnError)
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	key, err := team.PublicKeyOf(env.Secrets) // nil: "no credentials store", said in both languages
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, key)
	return nil
}

// workspaceWhoami shows, or with --name sets, the name of the person who keeps this copy.
func workspaceWhoami(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("workspace whoami", flag.ContinueOnError)
	name := fs.String("name", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := noPositional(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		var me team.Teammate
		var err error
		if *name != "" {
			me, err = b.Team.SetName(ctx, *name)
		} else {
			me, err = b.Team.Whoami(ctx)
		}
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, me)
		}
		if me.Name == "" {
			fmt.Fprintln(env.Stdout, t.msgf("team_whoami_unnamed", me.Replica))
			return nil
		}
		fmt.Fprintln(env.Stdout, t.msgf("team_whoami", me.Name, me.Replica))
		return nil
	})
}
