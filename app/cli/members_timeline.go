package cli

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"hearth/backend/analytics"
	"hearth/backend/members"
	"hearth/backend/timeline"
	"hearth/backend/wiring"
)

// membersTimeline shows a member's story, newest first, a page at a time, beside where they
// stand: `members timeline ID|EMAIL [--kind K]... [--platform P] [--limit N] [--after CURSOR] [--json]`.
func membersTimeline(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members timeline", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	var kinds repeated
	fs.Var(&kinds, "kind", "")
	platform := fs.String("platform", "", "")
	limit := fs.Int("limit", 50, "")
	after := fs.String("after", "", "")
	return forMember(ctx, fs, args, env, t, func(b *wiring.Backend, m members.Member) error {
		q := timeline.Query{Platform: strings.ToLower(strings.TrimSpace(*platform)), Limit: *limit, After: *after}
		for _, k := range kinds {
			q.Kinds = append(q.Kinds, timeline.Kind(strings.ToLower(strings.TrimSpace(k))))
		}
		p, err := b.Timeline.Of(ctx, m, q)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, p)
		}
		writeStanding(env, t, m, p.Summary)
		fmt.Fprintln(env.Stdout)
		if len(p.Entries) == 0 {
			fmt.Fprintln(env.Stdout, t.msg("timeline_empty"))
			return nil
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		for _, e := range p.Entries {
			fmt.Fprintf(w, "%s\t%s\t%s\n", e.At.In(b.Zone).Format("2006-01-02 15:04"), t.msg("timeline_kind_"+string(e.Kind)), describeEntry(t, e))
		}
		if err := w.Flush(); err != nil {
			return err
		}
		if p.Next != "" {
			fmt.Fprintln(env.Stdout, t.msgf("timeline_more", t.printer.Sprint(p.Total-len(p.Entries)), p.Next))
		}
		return nil
	})
}

// writeStanding writes where the member stands: level and why, activity by platform.
func writeStanding(env Env, t tr, m members.Member, s timeline.Summary) {
	fmt.Fprintln(env.Stdout, display(m))
	level := t.msg("level_" + s.LevelName)
	switch {
	case !s.Counted:
		fmt.Fprintln(env.Stdout, t.msg("timeline_teammate"))
	case s.Next != nil:
		fmt.Fprintln(env.Stdout, t.msgf("timeline_level_next", level, t.printer.Sprintf("%.1f", s.Score), t.printer.Sprint(s.WindowDays), t.printer.Sprint(s.ActiveDays),
			t.msg("level_"+analytics.LevelNames[s.Next.Level]), t.printer.Sprintf("%.1f", s.Next.MinScore), t.printer.Sprint(s.Next.ActiveDays)))
	default:
		fmt.Fprintln(env.Stdout, t.msgf("timeline_level", level, t.printer.Sprintf("%.1f", s.Score), t.printer.Sprint(s.WindowDays), t.printer.Sprint(s.ActiveDays)))
	}
	if s.Activities == 0 {
		fmt.Fprintln(env.Stdout, t.msg("timeline_no_activity"))
		return
	}
	var by []string
	for _, p := range slices.Sorted(maps.Keys(s.ByPlatform)) {
		by = append(by, p+" "+t.printer.Sprint(s.ByPlatform[p]))
	}
	fmt.Fprintln(env.Stdout, t.msgf("timeline_activity", t.printer.Sprint(s.Activities), strings.Join(by, ", "),
		s.FirstActivity.Local().Format("2006-01-02"), s.LastActivity.Local().Format("2006-01-02")))
}

// describeEntry words one entry: what happened, where, and its title or text.
func describeEntry(t tr, e timeline.Entry) string {
	var parts []string
	switch e.Kind {
	case timeline.Activity, timeline.Question, timeline.Answer:
		parts = append(parts, t.msg("timeline_activity_"+e.What), e.Platform)
		if e.Channel != "" {
			parts = append(parts, "#"+e.Channel)
		}
	case timeline.Consent:
		parts = append(parts, t.msgf("timeline_consent_"+e.What, e.Title))
	case timeline.Mail:
		parts = append(parts, t.msg("timeline_mail_"+e.What))
	case timeline.Task:
		parts = append(parts, t.msg("timeline_task_"+e.What))
	case timeline.Automation:
		parts = append(parts, e.Title, t.msg("timeline_step_"+e.What))
	case timeline.Merge:
		parts = append(parts, t.msgf("timeline_merge_"+e.What, cmp.Or(e.Params["name"], e.Params["other"])))
	case timeline.Log: // an action a later version may add has no words here yet: its code
		parts = append(parts, cmp.Or(t.msg("audit_action_"+e.What), e.What))
	}
	text := e.Title
	if e.Kind == timeline.Consent || e.Kind == timeline.Automation {
		text = e.Text
	}
	if (e.Kind == timeline.Activity || e.Kind == timeline.Question || e.Kind == timeline.Answer) && text == "" {
		text = e.Text
	}
	if text != "" {
		parts = append(parts, strconv.Quote(cutText(text, 80)))
	}
	if e.Link != "" {
		parts = append(parts, e.Link)
	}
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), "  ")
}

// cutText cuts s to n characters on one line.
func cutText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
