// Package cli is Hearth's headless command line: the same backend services as the window, for
// scripts and machines without a display.
//
// Exit codes: 0 success, 1 a user error (one line on stderr, in the user's language), 2 a usage
// error (with usage help on stderr).
package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"hearth/backend/connections"
	"hearth/backend/members"
	"hearth/backend/wiring"
)

// Exit codes.
const (
	ExitOK    = 0
	ExitError = 1
	ExitUsage = 2
)

// Version is the program's version, set at build time with -ldflags "-X hearth/app/cli.Version=…".
var Version = "0.1.0-dev"

// Env is what a command run needs from the process.
type Env struct {
	Stdout, Stderr io.Writer
	// Stdin is where a secret given as "-" is read from (os.Stdin when nil).
	Stdin io.Reader
	// Lang is "fr" or "en" (see LangFromEnv).
	Lang string
	// Open opens the workspace; it is called only by commands that need it.
	Open func(ctx context.Context) (*wiring.Backend, error)
	// Dir is the workspace given with --workspace ("" for the default), for the commands that
	// work on its files before opening it (workspace repair).
	Dir string
	// Secrets is the person's credentials store, for the commands that need it without a
	// workspace (workspace identity); nil opens the default one (backend/credentials).
	Secrets connections.SecretStore
}

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// IsCommand reports whether args (after the global flags) name a CLI command rather than the
// window.
func IsCommand(args []string) bool { return len(args) > 0 }

// ParseGlobal reads the flags that come before the command (--workspace DIR) and returns the
// workspace directory ("" for the default) and the command's arguments.
func ParseGlobal(args []string) (dir string, rest []string, err error) {
	fs := flag.NewFlagSet("hearth", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&dir, "workspace", "", "")
	if err := fs.Parse(args); err != nil {
		return "", nil, usageError{err.Error()}
	}
	return dir, fs.Args(), nil
}

// Run runs one command and returns the process exit code.
func Run(ctx context.Context, args []string, env Env) int {
	return Report(env, dispatch(ctx, args, env, translator(env.Lang)))
}

// Report prints err (if any) the CLI's way and returns the matching exit code.
func Report(env Env, err error) int {
	t := translator(env.Lang)
	var ue usageError
	var qe quietError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &qe): // the command wrote its answer already
		return ExitError
	case errors.As(err, &ue):
		fmt.Fprintf(env.Stderr, "hearth: %s\n\n%s", ue.msg, t.msg("usage"))
		return ExitUsage
	default:
		fmt.Fprintf(env.Stderr, "hearth: %s\n", t.explain(err))
		return ExitError
	}
}

func dispatch(ctx context.Context, args []string, env Env, t tr) error {
	switch args[0] {
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, t.msg("usage"))
		return nil
	case "version", "--version":
		fmt.Fprintf(env.Stdout, "hearth %s\n", Version)
		return nil
	}
	group, ok := groups()[args[0]]
	if !ok {
		return usageError{t.msgf("unknown_command", args[0])}
	}
	if cmd, ok := group[""]; ok && (len(args) < 2 || strings.HasPrefix(args[1], "-")) {
		return cmd(ctx, args[1:], env, t) // a command of its own, without subcommands ("stats --json")
	}
	if len(args) < 2 {
		return usageError{t.msgf("needs_sub", args[0])}
	}
	cmd, ok := group[args[1]]
	if !ok {
		return usageError{t.msgf("unknown_command", args[0]+" "+args[1])}
	}
	return cmd(ctx, args[2:], env, t)
}

type command func(ctx context.Context, args []string, env Env, t tr) error

// groups lists the command groups ("hearth members …"), each a set of subcommands.
func groups() map[string]map[string]command {
	return map[string]map[string]command{
		"members":     memberCommands,
		"consent":     consentCommands,
		"gdpr":        gdprCommands,
		"tasks":       tasksCommands,
		"automations": automationsCommands,
		"calendar":    calendarCommands,
		"smtp":        smtpCommands,
		"imap":        imapCommands,
		"newsletter":  newsletterCommands,
		"segment":     segmentCommands,
		"scheduler":   schedulerCommands,
		"sync":        syncCommands,
		"connector":   connectorCommands,
		"activity":    activityCommands,
		"stats":       statsCommands,
		"report":      reportCommands,
		"workspace":   workspaceCommands(), // backup, backups, restore (backup.go); check, repair (workspace.go)
	}
}

var memberCommands = map[string]command{
	"add":      membersAdd,
	"list":     membersList,
	"get":      membersGet,
	"timeline": membersTimeline,
	"update":   membersUpdate,
	"delete":   membersDelete,
	"export":   membersExport,
	"import":   membersImport,

	// One person, one member (members_merge.go).
	"suggest-merges": membersSuggestMerges,
	"merge":          membersMerge,
	"unmerge":        membersUnmerge,
	"dismiss-merge":  membersDismissMerge,
	"auto-merge":     membersAutoMerge,
}

// parse parses flags placed anywhere among the positional arguments ("get ID --json").
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// parseFlagsOnly parses fs over args for a command that takes no positional arguments.
func parseFlagsOnly(fs *flag.FlagSet, args []string, t tr) error {
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError{t.msgf("unexpected_args", strings.Join(rest, " "))}
	}
	return nil
}

type repeated []string

func (s *repeated) String() string     { return strings.Join(*s, ",") }
func (s *repeated) Set(v string) error { *s = append(*s, v); return nil }

func withBackend(ctx context.Context, env Env, fn func(b *wiring.Backend) error) (err error) {
	b, err := env.Open(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, b.Close()) }()
	if b.Workspace != nil && b.Workspace.Store.ReadOnly() {
		fmt.Fprintln(env.Stderr, "hearth: "+translator(env.Lang).msg("read_only_disk_full"))
	}
	defer writeHeapProfile()
	return fn(b)
}

// writeHeapProfile writes what the heap holds to HEARTH_MEMPROFILE, when set, at the end of a
// command and before the workspace closes: for looking into a command's memory (go tool pprof).
func writeHeapProfile() {
	if path := os.Getenv("HEARTH_MEMPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil {
			_ = pprof.WriteHeapProfile(f)
			_ = f.Close()
		}
	}
}

func membersAdd(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members add", flag.ContinueOnError)
	var emails, tags repeated
	fs.Var(&emails, "email", "")
	fs.Var(&tags, "tag", "")
	name := fs.String("name", "", "")
	notes := fs.String("notes", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	if len(emails) == 0 {
		return usageError{t.msg("add_needs_email")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		m, err := b.Members.Create(ctx, members.CreateInput{Name: *name, Emails: emails, Tags: tags, Notes: *notes})
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, m)
		}
		fmt.Fprintln(env.Stdout, t.msgf("added", display(m), m.ID))
		return nil
	})
}

func membersList(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members list", flag.ContinueOnError)
	search := fs.String("search", "", "")
	tag := fs.String("tag", "", "")
	segment := fs.String("segment", "", "")
	limit := fs.Int("limit", 50, "")
	all := fs.Bool("all", false, "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	limitSet := false
	fs.Visit(func(f *flag.Flag) { limitSet = limitSet || f.Name == "limit" })
	if *all && limitSet {
		return usageError{t.msg("all_and_limit")}
	}
	if *limit < 1 || *limit > members.MaxLimit {
		return usageError{t.msgf("bad_limit", strconv.Itoa(members.MaxLimit))}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		if *segment != "" { // segment.go
			return listSegmentMembers(ctx, b, *segment, members.ListQuery{Search: *search, Tag: *tag}, *limit, *all, *asJSON, env, t)
		}
		if *all {
			return listAllMembers(ctx, b.Members, members.ListQuery{Search: *search, Tag: *tag}, *asJSON, env.Stdout, t)
		}
		page, err := b.Members.List(ctx, members.ListQuery{Search: *search, Tag: *tag, Limit: *limit})
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, page.Items)
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("list_header"))
		for _, m := range page.Items {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", m.ID, m.Name, primary(m), strings.Join(m.Tags, ", "))
		}
		if err := w.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.count("list_count", len(page.Items), page.Total))
		return nil
	})
}

// listAllMembers writes every member matching q, oldest first, one page of members.MaxLimit at
// a time: with asJSON one JSON array (the shape of --json, written as it goes, so that 100,000
// members never sit in memory at once: only their ids do), else the table, aligned page by
// page. The order is by creation, so members added meanwhile come last; a member is written at
// most once, and deletions meanwhile make it read back rather than skip anyone.
func listAllMembers(ctx context.Context, ms *members.Service, q members.ListQuery, asJSON bool, out io.Writer, t tr) error {
	// One walk of the records, oldest first, in one consistent view (members.Service.Each): a
	// member deleted or added meanwhile is either wholly in or wholly out, and nothing is held.
	bw := bufio.NewWriter(out)
	if asJSON {
		bw.WriteString("[")
	} else {
		fmt.Fprintln(bw, t.msg("list_header"))
	}
	n := 0
	w := tabwriter.NewWriter(bw, 0, 4, 2, ' ', 0)
	err := ms.Each(ctx, q, func(m members.Member) error {
		n++
		if !asJSON {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", m.ID, m.Name, primary(m), strings.Join(m.Tags, ", "))
			if n%members.MaxLimit == 0 { // aligned a page at a time, as a page of the list is
				return w.Flush()
			}
			return nil
		}
		if n > 1 {
			bw.WriteString(",")
		}
		bw.WriteString("\n  ")
		item, err := json.MarshalIndent(m, "  ", "  ")
		if err != nil {
			return err
		}
		_, err = bw.Write(item)
		return err
	})
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if asJSON {
		if n > 0 {
			bw.WriteString("\n")
		}
		bw.WriteString("]\n")
	} else {
		fmt.Fprintln(bw, t.count("list_count", n, n))
	}
	return bw.Flush()
}

func membersGet(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members get", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	return forMember(ctx, fs, args, env, t, func(b *wiring.Backend, m members.Member) error {
		return writeMember(env.Stdout, m, *asJSON, t)
	})
}

// writeMember writes one member as members get shows it: with asJSON the member's JSON, else
// one labelled line per field.
func writeMember(out io.Writer, m members.Member, asJSON bool, t tr) error {
	if asJSON {
		return writeJSON(out, m)
	}
	w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(w, "%s\t%s\n", t.msg(k), v) }
	row("f_id", m.ID)
	row("f_name", m.Name)
	row("f_emails", strings.Join(m.Emails, ", "))
	handles := make([]string, 0, len(m.Handles))
	for _, h := range m.Handles {
		handles = append(handles, h.Platform+": "+h.Handle)
	}
	row("f_handles", strings.Join(handles, ", "))
	row("f_tags", strings.Join(m.Tags, ", "))
	for _, k := range slices.Sorted(maps.Keys(m.CustomFields)) {
		fmt.Fprintf(w, "%s\t%s\n", k, m.CustomFields[k])
	}
	row("f_notes", m.Notes)
	row("f_created", m.CreatedAt.Local().Format("2006-01-02 15:04"))
	row("f_updated", m.UpdatedAt.Local().Format("2006-01-02 15:04"))
	return w.Flush()
}

func membersDelete(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members delete", flag.ContinueOnError)
	return forMember(ctx, fs, args, env, t, func(b *wiring.Backend, m members.Member) error {
		if _, err := b.Members.Delete(ctx, m.ID); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("deleted", display(m), m.ID))
		return nil
	})
}

// forMember parses fs over args, which must name exactly one member by id or e-mail, opens the
// workspace and calls fn with that member.
func forMember(ctx context.Context, fs *flag.FlagSet, args []string, env Env, t tr, fn func(b *wiring.Backend, m members.Member) error) error {
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("needs_one_ref")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		m, err := b.Members.Find(ctx, rest[0])
		if err != nil {
			return err
		}
		return fn(b, m)
	})
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func primary(m members.Member) string {
	if len(m.Emails) == 0 {
		return ""
	}
	return m.Emails[0]
}

func display(m members.Member) string {
	switch {
	case m.Name != "" && primary(m) != "":
		return fmt.Sprintf("%s <%s>", m.Name, primary(m))
	case m.Name != "":
		return m.Name
	default:
		return primary(m)
	}
}
