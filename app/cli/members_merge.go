package cli

// hearth members suggest-merges | merge | unmerge | dismiss-merge | auto-merge: one person, one
// member (identity resolution).

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"hearth/backend/members"
	"hearth/backend/wiring"
)

// reasonText words a suggestion's reason with what the members share: for the same handle,
// the platforms it is seen on ("the same handle “camille” on Discourse, Discord and Mastodon").
func (t tr) reasonText(reason, detail string, platforms []string) string {
	if reason == members.ReasonSameHandle && len(platforms) > 1 {
		names := make([]string, len(platforms))
		for i, p := range platforms {
			names[i] = t.msg("merge_platform_" + p)
		}
		last := len(names) - 1
		return t.msgf("merge_reason_same_handle_on", detail, t.msgf("merge_list_and", strings.Join(names[:last], ", "), names[last]))
	}
	return t.msgf("merge_reason_"+reason, detail)
}

// suggestedOther is a candidate as suggest-merges --json writes it: with its reason worded.
type suggestedOther struct {
	members.Candidate
	ReasonText string `json:"reasonText"`
}

// suggested is a suggestion as suggest-merges --json writes it.
type suggested struct {
	A          string           `json:"a"`
	AName      string           `json:"aName"`
	B          string           `json:"b"`
	Reason     string           `json:"reason"`
	ReasonText string           `json:"reasonText"`
	Detail     string           `json:"detail"`
	Platforms  []string         `json:"platforms"`
	Score      float64          `json:"score"`
	Others     []suggestedOther `json:"others"`
}

func membersSuggestMerges(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members suggest-merges", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		got, err := b.Members.SuggestMerges(ctx)
		if err != nil {
			return err
		}
		out := make([]suggested, len(got))
		for i, s := range got {
			out[i] = suggested{A: s.A, AName: s.AName, B: s.B, Reason: s.Reason, ReasonText: t.reasonText(s.Reason, s.Detail, s.Platforms),
				Detail: s.Detail, Platforms: s.Platforms, Score: s.Score, Others: make([]suggestedOther, len(s.Others))}
			for j, c := range s.Others {
				out[i].Others[j] = suggestedOther{Candidate: c, ReasonText: t.reasonText(c.Reason, c.Detail, c.Platforms)}
			}
		}
		if *asJSON {
			return writeJSON(env.Stdout, out)
		}
		writeSuggestions(env.Stdout, out, t)
		return nil
	})
}

func writeSuggestions(w io.Writer, out []suggested, t tr) {
	if len(out) == 0 {
		fmt.Fprintln(w, t.msg("suggest_none"))
		return
	}
	for _, s := range out {
		fmt.Fprintln(w, t.msgf("suggest_keep", s.A, s.AName, score(s.Score), s.ReasonText))
		ids := []string{s.A}
		for _, c := range s.Others {
			fmt.Fprintln(w, t.msgf("suggest_other", c.ID, c.Name, score(c.Score), c.ReasonText))
			ids = append(ids, c.ID)
		}
		fmt.Fprintln(w, t.msgf("suggest_hint", strings.Join(ids, " "), s.A+" "+s.B))
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, t.msgf("suggest_count", t.printer.Sprint(len(out))))
}

// score writes a confidence as a percentage.
func score(s float64) string { return strconv.Itoa(int(s*100+0.5)) + " %" }

func membersMerge(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members merge", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) < 2 {
		return usageError{t.msg("merge_needs_two")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		keep, err := b.Members.FindID(ctx, rest[0])
		if err != nil {
			return err
		}
		done := []members.PeopleMerge{}
		for _, ref := range rest[1:] {
			other, err := b.Members.FindID(ctx, ref)
			if err != nil {
				return err
			}
			rec, err := b.Members.MergePeople(ctx, keep, other, members.PeopleMergeOptions{})
			if err != nil {
				return err
			}
			done = append(done, rec)
			if !*asJSON {
				fmt.Fprintln(env.Stdout, t.msgf("merged", display(rec.OtherBefore), display(rec.KeepAfter), rec.ID))
				for _, c := range rec.Conflicts {
					fmt.Fprintln(env.Stdout, t.msgf("merge_conflict", c.Field, c.Kept, c.Other))
				}
			}
		}
		if *asJSON {
			return writeJSON(env.Stdout, done)
		}
		return nil
	})
}

func membersUnmerge(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members unmerge", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("unmerge_needs_one")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		rec, err := b.Members.UnmergePeople(ctx, rest[0])
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, rec)
		}
		fmt.Fprintln(env.Stdout, t.msgf("unmerged", display(rec.OtherBefore), rec.Other, display(rec.KeepBefore), rec.Keep))
		return nil
	})
}

func membersDismissMerge(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members dismiss-merge", flag.ContinueOnError)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 2 {
		return usageError{t.msg("dismiss_needs_two")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		if err := b.Members.DismissMerge(ctx, rest[0], rest[1]); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("merge_dismissed", rest[0], rest[1]))
		return nil
	})
}

func membersAutoMerge(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members auto-merge", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 1 || (len(rest) == 1 && rest[0] != "on" && rest[0] != "off") {
		return usageError{t.msg("automerge_usage")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		set, err := b.Members.MergeSettings(ctx)
		if err != nil {
			return err
		}
		if len(rest) == 1 {
			if set, err = b.Members.SaveMergeSettings(ctx, members.MergeSettings{Auto: rest[0] == "on"}); err != nil {
				return err
			}
		}
		if *asJSON {
			return writeJSON(env.Stdout, set)
		}
		if set.Auto {
			fmt.Fprintln(env.Stdout, t.msg("automerge_on"))
		} else {
			fmt.Fprintln(env.Stdout, t.msg("automerge_off"))
		}
		return nil
	})
}
