package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"hearth/backend/exports"
	"hearth/backend/members"
	"hearth/backend/reports"
	"hearth/backend/wiring"
)

// reportCommands are "hearth report …": Excel workbooks for managers, and the weekly KPI
// workbook's schedule.
var reportCommands = map[string]command{
	"kpi":      reportKPI,
	"members":  reportMembers,
	"schedule": reportSchedule,
}

// reportFlags are the flags every workbook command takes.
func reportFlags(fs *flag.FlagSet, t tr) (out, lang *string) {
	return fs.String("out", "", ""), fs.String("lang", t.lang, "")
}

func checkReportFlags(out, lang string, t tr) error {
	if out == "" {
		return usageError{t.msg("report_needs_out")}
	}
	if !strings.EqualFold(filepath.Ext(out), ".xlsx") {
		return usageError{t.msg("report_needs_xlsx")}
	}
	if lang != "fr" && lang != "en" {
		return usageError{t.msg("report_bad_lang")}
	}
	return nil
}

func reportKPI(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("report kpi", flag.ContinueOnError)
	from, to := fs.String("from", "", ""), fs.String("to", "", "")
	out, lang := reportFlags(fs, t)
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	if err := checkReportFlags(*out, *lang, t); err != nil {
		return err
	}
	// Dates are checked before the workspace is opened (a typo creates nothing), then the
	// range is reckoned with the workspace's clock and zone.
	if _, err := statsRange(*from, *to, time.Now(), time.Local, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		r, err := statsRange(*from, *to, b.Clock.Now(), b.Zone, t)
		if err != nil {
			return err
		}
		k, err := b.Analytics.KPIs(ctx, r)
		if err != nil {
			return err
		}
		n, err := b.Reports.SaveKPIWorkbook(ctx, *out, k, exports.MembersOf(ctx, b.Members, members.ListQuery{}),
			reports.Options{Lang: *lang})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("report_kpi_written", *out, r.From.Format("2006-01-02"),
			r.To.AddDate(0, 0, -1).Format("2006-01-02"), t.printer.Sprint(n)))
		return nil
	})
}

func reportMembers(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("report members", flag.ContinueOnError)
	out, lang := reportFlags(fs, t)
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	if err := checkReportFlags(*out, *lang, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		n, err := b.Reports.SaveMembersWorkbook(ctx, *out, exports.MembersOf(ctx, b.Members, members.ListQuery{}),
			reports.Options{Lang: *lang})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("report_members_written", *out, t.printer.Sprint(n)))
		return nil
	})
}

func reportSchedule(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("report schedule", flag.ContinueOnError)
	weekday, at, folder := fs.String("weekday", "", ""), fs.String("at", "", ""), fs.String("folder", "", "")
	lang := fs.String("lang", "", "")
	off, asJSON := fs.Bool("off", false, ""), fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	changing := set["weekday"] || set["at"] || set["folder"] || set["lang"]
	if *off && changing {
		return usageError{t.msg("report_off_alone")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		svc := b.Reports
		sc, err := svc.Schedule(ctx)
		if err != nil {
			return err
		}
		if *off || changing {
			in := reports.ScheduleInput{Enabled: !*off, Weekday: sc.Weekday, At: sc.At, Folder: sc.Folder, Lang: sc.Lang}
			if !set["lang"] && !sc.Enabled && sc.Folder == "" {
				in.Lang = t.lang // a first schedule speaks the user's language
			}
			if set["weekday"] {
				in.Weekday = *weekday
			}
			if set["at"] {
				in.At = *at
			}
			if set["lang"] {
				in.Lang = *lang
			}
			if set["folder"] {
				in.Folder = *folder
				if abs, err := filepath.Abs(*folder); err == nil && *folder != "" {
					in.Folder = abs
				}
			}
			if sc, err = svc.SetSchedule(ctx, in); err != nil {
				return err
			}
		}
		if *asJSON {
			return writeJSON(env.Stdout, sc)
		}
		return t.printSchedule(env, sc)
	})
}

// printSchedule shows the schedule as a few labelled lines.
func (t tr) printSchedule(env Env, sc reports.Schedule) error {
	w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(w, "%s\t%s\n", t.msg(k), v) }
	if sc.Enabled {
		row("report_s_state", t.msgf("report_s_every", t.msg("report_day_"+sc.Weekday), sc.At))
	} else {
		row("report_s_state", t.msg("report_s_off"))
	}
	row("report_s_folder", sc.Folder)
	row("report_s_lang", t.msg("report_lang_"+sc.Lang))
	if sc.Enabled {
		row("report_s_next", localTime(sc.NextSlot))
	}
	last := t.msg("report_s_never")
	if !sc.LastSlot.IsZero() {
		last = localTime(sc.LastSlot) + " → " + sc.LastFile
	}
	row("report_s_last", last)
	return w.Flush()
}
