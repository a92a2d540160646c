package cli

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/wiring"
)

// activityCommands are "hearth activity …": activity entered by hand or loaded from a file,
// for communities (or parts of them) that no platform connection reports.
var activityCommands = map[string]command{
	"add":    activityAdd,
	"import": activityImport,
}

// activityAdd stores one activity of one member.
func activityAdd(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("activity add", flag.ContinueOnError)
	member := fs.String("member", "", "")
	kind := fs.String("kind", "", "")
	atText := fs.String("at", "", "")
	channel := fs.String("channel", "", "")
	title := fs.String("title", "", "")
	id := fs.String("id", "", "")
	thread := fs.String("thread", "", "")
	text := fs.String("text", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	if strings.TrimSpace(*member) == "" || strings.TrimSpace(*kind) == "" || strings.TrimSpace(*atText) == "" {
		return usageError{t.msg("activity_add_usage")}
	}
	at, err := time.Parse(time.RFC3339, strings.TrimSpace(*atText))
	if err != nil {
		return usageError{t.msgf("activity_bad_at", *atText)}
	}
	in := activity.ManualInput{Member: *member, Kind: activity.Kind(*kind), At: at, Channel: *channel, Title: *title, Text: *text,
		ID: *id, Thread: *thread}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		res, err := b.Activity.AddManual(ctx, []activity.ManualInput{in})
		if err != nil {
			return err
		}
		r := res[0]
		if r.Outcome == activity.ManualRejected {
			return errs.Fields("activity: invalid entry", r.Errors...)
		}
		if *asJSON {
			return writeJSON(env.Stdout, r)
		}
		who := r.MemberID
		if m, err := b.Members.Get(ctx, r.MemberID); err == nil {
			who = cmp.Or(display(m), firstHandle(m), r.MemberID)
		}
		key := "activity_stored"
		if r.Outcome == activity.ManualUnchanged {
			key = "activity_unchanged"
		}
		fmt.Fprintln(env.Stdout, t.msgf(key, strings.ToLower(strings.TrimSpace(*kind)), who, at.Local().Format("2006-01-02 15:04"), r.ID))
		return nil
	})
}

// activityImport stores the activity of a CSV file and accounts for every line.
func activityImport(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("activity import", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("activity_import_usage")}
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return errs.Wrap(errs.NotFound, "activity_file", err, "cli: open "+rest[0]).With("path", rest[0])
	}
	defer f.Close()
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		sum, err := b.Activity.ImportManualCSV(ctx, f)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, sum)
		}
		fmt.Fprintln(env.Stdout, t.msgf("activity_import_summary", t.printer.Sprint(sum.Stored), t.printer.Sprint(sum.Unchanged), t.printer.Sprint(sum.Rejected)))
		if len(sum.Errors) == 0 {
			return nil
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("import_errors_header"))
		for _, e := range sum.Errors {
			fmt.Fprintf(w, "%d\t%s\t%s\n", e.Line, e.Column, t.reason(e.Reason, e.Params))
		}
		return w.Flush()
	})
}

// reason renders a field error code with its parameters in the user's language.
func (t tr) reason(code string, params map[string]string) string {
	reason := t.msg("code_" + code)
	if reason == "" {
		reason = code
	}
	for k, v := range params {
		reason = strings.ReplaceAll(reason, "{"+k+"}", v)
	}
	return reason
}

// firstHandle is a member's first handle as "platform:handle", or "".
func firstHandle(m members.Member) string {
	if len(m.Handles) == 0 {
		return ""
	}
	return m.Handles[0].Platform + ":" + m.Handles[0].Handle
}
