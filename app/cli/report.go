package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"hearth/app"
	"hearth/backend/exports"
	"hearth/backend/members"
	"hearth/backend/reports"
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
	// The range is checked before the workspace is opened; the laptop's zone is the
	// workspace's (app.OpenBackend).
	r, err := statsRange(*from, *to, time.Now(), time.Local, t)
	if err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *app.Backend) error {
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
	return withBackend(ctx, env, func(b *app.Backend) error {
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
	return withBackend(ctx, env, func(b *app.Backend) error {
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

// reportMessages are the report commands' messages, merged into the en and fr catalogs.
var reportMessages = map[string]map[string]string{
	"en": {
		"report_needs_out":       "give the workbook to write with --out FILE.xlsx",
		"report_needs_xlsx":      "--out must name an .xlsx file",
		"report_bad_lang":        "--lang must be fr or en",
		"report_off_alone":       "--off turns the schedule off; give it alone",
		"report_kpi_written":     "Wrote %s: KPIs from %s to %s, %s members.",
		"report_members_written": "Wrote %s: %s members.",
		"report_s_state":         "Weekly KPI report",
		"report_s_every":         "on, every %s at %s",
		"report_s_off":           "off",
		"report_s_folder":        "Folder",
		"report_s_lang":          "Language",
		"report_s_next":          "Next",
		"report_s_last":          "Last written",
		"report_s_never":         "never",
		"report_lang_en":         "English",
		"report_lang_fr":         "French",
		"report_day_monday":      "Monday", "report_day_tuesday": "Tuesday", "report_day_wednesday": "Wednesday",
		"report_day_thursday": "Thursday", "report_day_friday": "Friday", "report_day_saturday": "Saturday",
		"report_day_sunday": "Sunday",

		"err_report_write":   "The report could not be written to {path}.",
		"field_folder":       "Folder",
		"code_time_of_day":   "not a time of day like 08:00",
		"code_absolute_path": "must be a full path",
	},
	"fr": {
		"report_needs_out":       "indiquez le classeur à écrire avec --out FICHIER.xlsx",
		"report_needs_xlsx":      "--out doit désigner un fichier .xlsx",
		"report_bad_lang":        "--lang doit valoir fr ou en",
		"report_off_alone":       "--off désactive l'envoi programmé ; indiquez-le seul",
		"report_kpi_written":     "Écrit : %s, indicateurs du %s au %s, %s membres.",
		"report_members_written": "Écrit : %s, %s membres.",
		"report_s_state":         "Rapport hebdomadaire des indicateurs",
		"report_s_every":         "activé, chaque %s à %s",
		"report_s_off":           "désactivé",
		"report_s_folder":        "Dossier",
		"report_s_lang":          "Langue",
		"report_s_next":          "Prochain",
		"report_s_last":          "Dernier écrit",
		"report_s_never":         "jamais",
		"report_lang_en":         "anglais",
		"report_lang_fr":         "français",
		"report_day_monday":      "lundi", "report_day_tuesday": "mardi", "report_day_wednesday": "mercredi",
		"report_day_thursday": "jeudi", "report_day_friday": "vendredi", "report_day_saturday": "samedi",
		"report_day_sunday": "dimanche",

		"err_report_write":   "Le rapport n'a pas pu être écrit dans {path}.",
		"field_folder":       "Dossier",
		"code_time_of_day":   "pas une heure comme 08:00",
		"code_absolute_path": "doit être un chemin complet",
	},
}
