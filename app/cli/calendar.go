package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"hearth/backend/calendar"
	"hearth/backend/wiring"
)

// calendarCommands are "hearth calendar …": plan content and read the calendar.
var calendarCommands = map[string]command{
	"add":  calendarAdd,
	"list": calendarList,
}

// calendarZone reads --tz: the named IANA zone, or the computer's.
func calendarZone(name string, t tr) (string, *time.Location, error) {
	if name == "" {
		name = calendar.LocalZoneName()
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return "", nil, usageError{t.msgf("calendar_bad_tz", name)}
	}
	return name, loc, nil
}

// parseWhen reads RFC 3339 ("2026-03-29T09:00:00+02:00"), or a local date and time in loc
// ("2026-03-29T09:00", "2026-03-29 09:00"), or with dateOnly a date ("2026-03-29", midnight).
func parseWhen(s string, loc *time.Location, dateOnly bool) (time.Time, bool) {
	if at, err := time.Parse(time.RFC3339, s); err == nil {
		return at, true
	}
	layouts := []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04"}
	if dateOnly {
		layouts = append(layouts, time.DateOnly)
	}
	for _, l := range layouts {
		if at, err := time.ParseInLocation(l, s, loc); err == nil {
			return at, true
		}
	}
	return time.Time{}, false
}

// occurrenceAt reads an --except or --also value: a date and time in loc (as --at), or a date,
// meaning that day at the series' time of day.
func occurrenceAt(s string, first time.Time, loc *time.Location) (time.Time, bool) {
	if at, ok := parseWhen(s, loc, false); ok {
		return at, true
	}
	d, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, false
	}
	first = first.In(loc)
	return calendar.WallTime(d.Year(), d.Month(), d.Day(), first.Hour(), first.Minute(), first.Second(), loc), true
}

func calendarAdd(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("calendar add", flag.ContinueOnError)
	var channels repeated
	fs.Var(&channels, "channel", "")
	title := fs.String("title", "", "")
	at := fs.String("at", "", "")
	tz := fs.String("tz", "", "")
	repeat := fs.String("repeat", "", "")
	var except, also repeated
	fs.Var(&except, "except", "")
	fs.Var(&also, "also", "")
	kind := fs.String("kind", string(calendar.KindPost), "")
	body := fs.String("body", "", "")
	draft := fs.Bool("draft", false, "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	if strings.TrimSpace(*title) == "" {
		return usageError{t.msg("calendar_needs_title")}
	}
	if *at == "" {
		return usageError{t.msg("calendar_needs_at")}
	}
	zone, loc, err := calendarZone(*tz, t)
	if err != nil {
		return err
	}
	when, ok := parseWhen(*at, loc, false)
	if !ok {
		return usageError{t.msgf("calendar_bad_at", *at)}
	}
	in := calendar.CreateInput{Kind: calendar.Kind(*kind), Title: *title, Body: *body, Channels: channels, TimeZone: zone,
		At: when, Status: calendar.Scheduled}
	if *draft {
		in.Status = calendar.Draft
	}
	if *repeat == "" && len(except)+len(also) > 0 {
		return usageError{t.msg("calendar_needs_repeat")}
	}
	if *repeat != "" {
		r, err := calendar.ParseRRule(*repeat, loc)
		if err != nil {
			return err
		}
		for _, d := range []struct {
			flag   string
			values []string
			into   *[]time.Time
		}{{"--except", except, &r.ExDates}, {"--also", also, &r.RDates}} {
			for _, v := range d.values {
				at, ok := occurrenceAt(v, when, loc)
				if !ok {
					return usageError{t.msgf("calendar_bad_repeat_date", d.flag, v)}
				}
				*d.into = append(*d.into, at)
			}
		}
		in.Repeat = &r
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		it, err := b.Calendar.Create(ctx, in)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, it)
		}
		fmt.Fprintln(env.Stdout, it.ID)
		if it.Repeat != nil {
			// On stderr, so that scripts still read the id alone on stdout.
			fmt.Fprintln(env.Stderr, t.msgf("calendar_repeats", describeRepeat(*it.Repeat, it.At, t)))
		}
		return nil
	})
}

func calendarList(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("calendar list", flag.ContinueOnError)
	fromFlag := fs.String("from", "", "")
	toFlag := fs.String("to", "", "")
	channel := fs.String("channel", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	_, loc, err := calendarZone("", t)
	if err != nil {
		return err
	}
	// The 30 days from today (the workspace clock's) unless --from and --to say otherwise.
	span := func(now time.Time) (from, to time.Time, err error) {
		now = now.In(loc)
		from = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
		if *fromFlag != "" {
			var ok bool
			if from, ok = parseWhen(*fromFlag, loc, true); !ok {
				return from, to, usageError{t.msgf("calendar_bad_date", "--from", *fromFlag)}
			}
		}
		to = from.AddDate(0, 0, 30)
		if *toFlag != "" {
			var ok bool
			if to, ok = parseWhen(*toFlag, loc, true); !ok {
				return from, to, usageError{t.msgf("calendar_bad_date", "--to", *toFlag)}
			}
		}
		return from, to, nil
	}
	if _, _, err := span(time.Now()); err != nil { // checked before the workspace is opened
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		from, to, err := span(b.Clock.Now())
		if err != nil {
			return err
		}
		occ, err := b.Calendar.List(ctx, calendar.ListQuery{From: from, To: to, Channel: *channel})
		if err != nil {
			return err
		}
		if *asJSON {
			if occ == nil {
				occ = []calendar.Occurrence{}
			}
			return writeJSON(env.Stdout, occ)
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("calendar_list_header"))
		for _, o := range occ {
			status := t.msg("calendar_status_" + string(o.Status))
			if o.Late {
				status += " " + t.msg("calendar_late")
			}
			if o.Recurring {
				status += " ↻"
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", o.At.Format("2006-01-02 15:04 -07:00"), status, o.Title,
				strings.Join(o.Channels, ", "), o.ItemID)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("calendar_count", t.printer.Sprint(len(occ))))
		return nil
	})
}
