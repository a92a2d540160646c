package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"hearth/backend/errs"
	"hearth/backend/exports"
	"hearth/backend/members"
	"hearth/backend/segments"
	"hearth/backend/wiring"
)

// segmentCommands are "hearth segment …": saved, live segments (docs/SEGMENTS.md).
var segmentCommands = map[string]command{
	"create": segmentCreate,
	"list":   segmentList,
	"show":   segmentShow,
	"update": segmentUpdate,
	"delete": segmentDelete,
	"count":  segmentCount,
}

// segmentJSON is what --json prints for one segment.
type segmentJSON struct {
	segments.Segment
	Count int `json:"count"`
}

// segmentError prints a segment's expression error with a caret under the place it names, or
// an unknown segment by its name, and leaves other errors to Report.
func segmentError(env Env, t tr, name, where string, err error) error {
	var se *segments.SyntaxError
	switch {
	case errors.As(err, &se):
		detail := t.msg("segment_err_" + se.Code)
		if se.Found == "" {
			detail += t.msg("segment_found_end")
		} else {
			detail += t.msgf("segment_found", se.Found)
		}
		fmt.Fprintf(env.Stderr, "hearth: %s\n", t.msgf("segment_syntax", se.Pos, detail))
		if where != "" && utf8.RuneCountInString(where) < 200 {
			fmt.Fprintf(env.Stderr, "  %s\n  %s^\n", where, strings.Repeat(" ", max(se.Pos-1, 0)))
		}
		return quietError{err}
	case errors.Is(err, errs.NotFound) && name != "":
		fmt.Fprintf(env.Stderr, "hearth: %s\n", t.msgf("segment_not_found", name))
		return quietError{err}
	}
	return err
}

func segmentCreate(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("segment create", flag.ContinueOnError)
	name := fs.String("name", "", "")
	where := fs.String("where", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" || strings.TrimSpace(*where) == "" {
		return usageError{t.msg("segment_create_usage")}
	}
	if _, err := segments.Parse(*where); err != nil { // before opening the workspace
		return segmentError(env, t, "", *where, err)
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		seg, err := b.Segments.Create(ctx, segments.Input{Name: *name, Where: *where})
		if err != nil {
			return segmentError(env, t, "", *where, err)
		}
		n, err := b.Segments.Count(ctx, seg.Where)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, segmentJSON{seg, n})
		}
		fmt.Fprintln(env.Stdout, t.msgf("segment_created", seg.Name, t.printer.Sprint(n)))
		return nil
	})
}

func segmentList(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("segment list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		list, err := b.Segments.List(ctx)
		if err != nil {
			return err
		}
		out := make([]segmentJSON, 0, len(list))
		for _, seg := range list {
			n, err := b.Segments.Count(ctx, seg.Where)
			if err != nil {
				return segmentError(env, t, seg.Name, seg.Where, err)
			}
			out = append(out, segmentJSON{seg, n})
		}
		if *asJSON {
			return writeJSON(env.Stdout, out)
		}
		if len(out) == 0 {
			fmt.Fprintln(env.Stdout, t.msg("segment_none"))
			return nil
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("segment_list_header"))
		for _, s := range out {
			fmt.Fprintf(w, "%s\t%s\t%s\n", s.Name, t.printer.Sprint(s.Count), s.Where)
		}
		return w.Flush()
	})
}

// oneSegment reads the one segment name or id a command takes.
func oneSegment(fs *flag.FlagSet, args []string, t tr) (string, error) {
	rest, err := parse(fs, args)
	if err != nil {
		return "", err
	}
	if len(rest) != 1 {
		return "", usageError{t.msg("segment_needs_name")}
	}
	return rest[0], nil
}

func segmentShow(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("segment show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	name, err := oneSegment(fs, args, t)
	if err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		seg, err := b.Segments.Get(ctx, name)
		if err != nil {
			return segmentError(env, t, name, "", err)
		}
		n, err := b.Segments.Count(ctx, seg.Where)
		if err != nil {
			return segmentError(env, t, "", seg.Where, err)
		}
		if *asJSON {
			return writeJSON(env.Stdout, segmentJSON{seg, n})
		}
		fmt.Fprint(env.Stdout, t.msgf("segment_show", seg.Name, seg.ID, seg.Where, t.printer.Sprint(n)))
		return nil
	})
}

// segmentUpdate is "segment update ID|NAME [--name N] [--where EXPR]": a new name, a new
// expression, or both; the rest stays.
func segmentUpdate(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("segment update", flag.ContinueOnError)
	var p segments.Patch
	fs.Func("name", "", func(v string) error { p.Name = &v; return nil })
	fs.Func("where", "", func(v string) error { p.Where = &v; return nil })
	asJSON := fs.Bool("json", false, "")
	name, err := oneSegment(fs, args, t)
	if err != nil {
		return err
	}
	if p.Name == nil && p.Where == nil {
		return usageError{t.msg("segment_update_usage")}
	}
	if p.Where != nil {
		if _, err := segments.Parse(*p.Where); err != nil { // before opening the workspace
			return segmentError(env, t, "", *p.Where, err)
		}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		where := ""
		if p.Where != nil {
			where = *p.Where
		}
		seg, err := b.Segments.Update(ctx, name, p)
		if err != nil {
			return segmentError(env, t, name, where, err)
		}
		n, err := b.Segments.Count(ctx, seg.Where)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, segmentJSON{seg, n})
		}
		fmt.Fprintln(env.Stdout, t.msgf("segment_updated", seg.Name, t.printer.Sprint(n)))
		return nil
	})
}

func segmentDelete(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("segment delete", flag.ContinueOnError)
	name, err := oneSegment(fs, args, t)
	if err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		seg, err := b.Segments.Delete(ctx, name)
		if err != nil {
			return segmentError(env, t, name, "", err)
		}
		fmt.Fprintln(env.Stdout, t.msgf("segment_deleted", seg.Name))
		return nil
	})
}

func segmentCount(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("segment count", flag.ContinueOnError)
	where := fs.String("where", "", "")
	asJSON := fs.Bool("json", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if (len(rest) == 1) == (*where != "") || len(rest) > 1 {
		return usageError{t.msg("segment_count_usage")}
	}
	if *where != "" {
		if _, err := segments.Parse(*where); err != nil {
			return segmentError(env, t, "", *where, err)
		}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		seg := segments.Segment{Where: *where}
		if len(rest) == 1 {
			if seg, err = b.Segments.Get(ctx, rest[0]); err != nil {
				return segmentError(env, t, rest[0], "", err)
			}
		}
		n, err := b.Segments.Count(ctx, seg.Where)
		if err != nil {
			return segmentError(env, t, "", seg.Where, err)
		}
		if *asJSON {
			return writeJSON(env.Stdout, segmentJSON{seg, n})
		}
		fmt.Fprintln(env.Stdout, t.printer.Sprint(n))
		return nil
	})
}

// listSegmentMembers is members list --segment: the segment's members now, in the order they
// were created, also filtered by q's search and tag, limit at a time unless all.
func listSegmentMembers(ctx context.Context, b *wiring.Backend, name string, q members.ListQuery, limit int, all, asJSON bool, env Env, t tr) error {
	ids, err := b.Segments.SegmentIDs(ctx, name)
	if err != nil {
		return segmentError(env, t, name, "", err)
	}
	var items []members.Member
	total := 0
	keep := func(m members.Member) error {
		total++
		if all || len(items) < limit {
			items = append(items, m)
		}
		return nil
	}
	if q.Search == "" && q.Tag == "" {
		total = len(ids)
		if !all && len(ids) > limit {
			ids = ids[:limit]
		}
		for _, id := range ids {
			m, err := b.Members.Get(ctx, id)
			if errors.Is(err, errs.NotFound) { // deleted since the count
				continue
			}
			if err != nil {
				return err
			}
			items = append(items, m)
		}
	} else {
		in := make(map[string]bool, len(ids))
		for _, id := range ids {
			in[id] = true
		}
		err := b.Members.Each(ctx, q, func(m members.Member) error {
			if !in[m.ID] {
				return nil
			}
			return keep(m)
		})
		if err != nil {
			return err
		}
	}
	if items == nil {
		items = []members.Member{}
	}
	if asJSON {
		return writeJSON(env.Stdout, items)
	}
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, t.msg("list_header"))
	for _, m := range items {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", m.ID, m.Name, primary(m), strings.Join(m.Tags, ", "))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, t.count("list_count", len(items), total))
	return nil
}

// segmentSeq is members export --segment: seq's members (q's tag and search) that are in the
// segment now.
func segmentSeq(ctx context.Context, b *wiring.Backend, name string, seq exports.MemberSeq, env Env, t tr) (exports.MemberSeq, error) {
	ids, err := b.Segments.SegmentIDs(ctx, name)
	if err != nil {
		return exports.MemberSeq{}, segmentError(env, t, name, "", err)
	}
	in := make(map[string]bool, len(ids))
	for _, id := range ids {
		in[id] = true
	}
	return seq.Where(func(m members.Member) bool { return in[m.ID] }), nil
}
