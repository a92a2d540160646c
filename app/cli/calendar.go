package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"hearth/app"
	"hearth/backend/calendar"
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
	return withBackend(ctx, env, func(b *app.Backend) error {
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
	now := time.Now().In(loc)
	from := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	if *fromFlag != "" {
		var ok bool
		if from, ok = parseWhen(*fromFlag, loc, true); !ok {
			return usageError{t.msgf("calendar_bad_date", "--from", *fromFlag)}
		}
	}
	to := from.AddDate(0, 0, 30)
	if *toFlag != "" {
		var ok bool
		if to, ok = parseWhen(*toFlag, loc, true); !ok {
			return usageError{t.msgf("calendar_bad_date", "--to", *toFlag)}
		}
	}
	return withBackend(ctx, env, func(b *app.Backend) error {
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

// calendarMessages are the calendar commands' messages, merged into the en and fr catalogs.
// Error, field and code keys name the codes of backend/calendar and backend/outbox.
var calendarMessages = map[string]map[string]string{
	"en": {
		"calendar_needs_title": "calendar add needs --title",
		"calendar_needs_at":    "calendar add needs --at (a date and time like 2026-03-29T09:00:00+02:00)",
		"calendar_bad_at":      "--at %q is not a date and time like 2026-03-29T09:00:00+02:00 or 2026-03-29T09:00",
		"calendar_bad_date":    "%s %q is not a date like 2026-03-01",
		"calendar_bad_tz":      "--tz %q is not a time zone like Europe/Paris",
		"calendar_list_header": "WHEN\tSTATUS\tTITLE\tCHANNELS\tID",
		"calendar_count":       "%s occurrences",
		"calendar_late":        "(late)",

		"calendar_status_draft":     "draft",
		"calendar_status_in_review": "in review",
		"calendar_status_approved":  "approved",
		"calendar_status_scheduled": "scheduled",
		"calendar_status_queued":    "queued",
		"calendar_status_published": "published",
		"calendar_status_failed":    "failed",
		"calendar_status_missed":    "missed",

		"err_calendar_item_not_found":    "No such calendar item.",
		"err_calendar_bad_transition":    "An item cannot go from {from} to {to}.",
		"err_calendar_item_locked":       "This item is {status}: its content can no longer change.",
		"err_calendar_item_queued":       "This item is being published; wait until it is done.",
		"err_calendar_occurrence_locked": "This occurrence is {status}: it can no longer move.",
		"err_calendar_not_failed":        "Only a failed occurrence can be retried.",
		"err_calendar_not_scheduled":     "The series is not scheduled.",
		"err_calendar_no_slots":          "The channel {channel} has no posting slots yet.",
		"err_calendar_queue_full":        "No free posting slot on {channel} in the coming year.",
		"err_calendar_no_attachments":    "Attachments need a workspace folder.",
		"err_calendar_attachment_failed": "The attachment could not be copied into the workspace.",
		"err_outbox_entry_not_found":     "No such outbox entry.",
		"err_outbox_already_sent":        "This was already sent.",
		"field_kind":                     "Kind",
		"field_body":                     "Text",
		"field_channels":                 "Channel",
		"field_status":                   "Status",
		"field_assignee":                 "Assignee",
		"field_campaign":                 "Campaign",
		"field_timeZone":                 "Time zone",
		"field_repeat":                   "Repeat",
		"field_freq":                     "frequency",
		"field_interval":                 "interval",
		"field_weekdays":                 "weekdays",
		"field_monthDay":                 "day of the month",
		"field_week":                     "week of the month",
		"field_until":                    "until",
		"field_count":                    "count",
		"field_latePolicy":               "If late",
		"field_graceMinutes":             "Grace period",
		"field_attach":                   "Attachment",
		"field_occurrence":               "Occurrence",
		"field_from":                     "From",
		"field_to":                       "To",
		"field_channel":                  "Channel",
		"field_slots":                    "Slot",
		"field_weekday":                  "weekday",
		"field_time":                     "time",
		"code_time_zone":                 "“{value}” is not a time zone like Europe/Paris",
		"code_rrule":                     "“{value}” is not a recurrence rule like FREQ=WEEKLY;BYDAY=MO",
		"code_rrule_unsupported":         "“{value}” uses parts of RRULE the calendar cannot keep",
		"code_count_and_until":           "give a number of times or an end date, not both",
		"code_monthly_only":              "only for monthly or yearly repeats",
		"code_weekly_only":               "only for daily or weekly repeats",
		"code_one_weekday":               "choose exactly one weekday",
		"code_day_or_week":               "choose a day of the month or a week, not both",
		"code_datetime":                  "not in the expected format ({value})",
		"code_after_from":                "must come after the start",
		"code_span":                      "at most {max} days",
		"code_no_occurrence":             "the series has no occurrence then",
		"code_not_recurring":             "the item does not repeat",
		"code_file_unreadable":           "cannot read {value}",
		"code_queue_one_off":             "a repeating item cannot be added to a queue",

		// Recurrence in words (describeRepeat).
		"calendar_repeats":               "Repeats %s",
		"calendar_bad_repeat_date":       "%s %q is not a date and time like 2026-03-29T09:00 or a date like 2026-03-29",
		"calendar_needs_repeat":          "--except and --also need --repeat",
		"code_rrule_conflict":            "“{value}”: {part} cannot go with the rest of the rule (RFC 5545)",
		"code_rule_or_fields":            "give a full rule or the simple fields, not both",
		"code_rrule_empty":               "“{value}” never happens",
		"code_rdate":                     "“{value}” is not an EXDATE or RDATE line like EXDATE;TZID=Europe/Paris:20260309T090000",
		"field_rule":                     "rule",
		"field_exDates":                  "except",
		"field_rDates":                   "also on",
		"calendar_date":                  "{month} {day}, {year}",
		"calendar_day_MO":                "Monday",
		"calendar_day_TU":                "Tuesday",
		"calendar_day_WE":                "Wednesday",
		"calendar_day_TH":                "Thursday",
		"calendar_day_FR":                "Friday",
		"calendar_day_SA":                "Saturday",
		"calendar_day_SU":                "Sunday",
		"calendar_month_1":               "January",
		"calendar_month_short_1":         "Jan",
		"calendar_month_2":               "February",
		"calendar_month_short_2":         "Feb",
		"calendar_month_3":               "March",
		"calendar_month_short_3":         "Mar",
		"calendar_month_4":               "April",
		"calendar_month_short_4":         "Apr",
		"calendar_month_5":               "May",
		"calendar_month_short_5":         "May",
		"calendar_month_6":               "June",
		"calendar_month_short_6":         "Jun",
		"calendar_month_7":               "July",
		"calendar_month_short_7":         "Jul",
		"calendar_month_8":               "August",
		"calendar_month_short_8":         "Aug",
		"calendar_month_9":               "September",
		"calendar_month_short_9":         "Sep",
		"calendar_month_10":              "October",
		"calendar_month_short_10":        "Oct",
		"calendar_month_11":              "November",
		"calendar_month_short_11":        "Nov",
		"calendar_month_12":              "December",
		"calendar_month_short_12":        "Dec",
		"repeat_every_second_one":        "every second",
		"repeat_every_second_other":      "every {count} seconds",
		"repeat_period_second":           "second",
		"repeat_every_minute_one":        "every minute",
		"repeat_every_minute_other":      "every {count} minutes",
		"repeat_period_minute":           "minute",
		"repeat_every_hour_one":          "every hour",
		"repeat_every_hour_other":        "every {count} hours",
		"repeat_period_hour":             "hour",
		"repeat_every_day_one":           "every day",
		"repeat_every_day_other":         "every {count} days",
		"repeat_period_day":              "day",
		"repeat_every_week_one":          "every week",
		"repeat_every_week_other":        "every {count} weeks",
		"repeat_period_week":             "week",
		"repeat_every_month_one":         "every month",
		"repeat_every_month_other":       "every {count} months",
		"repeat_period_month":            "month",
		"repeat_every_year_one":          "every year",
		"repeat_every_year_other":        "every {count} years",
		"repeat_period_year":             "year",
		"repeat_list_sep":                ", ",
		"repeat_list_and":                " and ",
		"repeat_ordinal_one":             "{n}st",
		"repeat_ordinal_two":             "{n}nd",
		"repeat_ordinal_few":             "{n}rd",
		"repeat_ordinal_other":           "{n}th",
		"repeat_day_ordinal_one":         "{n}st",
		"repeat_day_ordinal_two":         "{n}nd",
		"repeat_day_ordinal_few":         "{n}rd",
		"repeat_day_ordinal_other":       "{n}th",
		"repeat_weekday":                 "{day}",
		"repeat_nth_weekday":             "the {nth} {day}",
		"repeat_month_day":               "the {nth}",
		"repeat_position":                "the {nth}",
		"repeat_last_weekday":            "the last {day}",
		"repeat_last_day":                "the last day",
		"repeat_last_position":           "the last",
		"repeat_second_to_last_weekday":  "the second-to-last {day}",
		"repeat_second_to_last_day":      "the second-to-last day",
		"repeat_second_to_last_position": "the second-to-last",
		"repeat_from_end_weekday":        "the {nth}-to-last {day}",
		"repeat_from_end_day":            "the {nth}-to-last day",
		"repeat_from_end_position":       "the {nth}-to-last",
		"repeat_on_days":                 "on {days}",
		"repeat_of_the_year":             " of the year",
		"repeat_on_month_days":           "on {days}",
		"repeat_on_days_falling":         "on {days} falling on {monthDays}",
		"repeat_in_months":               "in {months}",
		"repeat_in_weeks_one":            "in week {weeks}",
		"repeat_in_weeks_other":          "in weeks {weeks}",
		"repeat_on_year_days_one":        "on day {days} of the year",
		"repeat_on_year_days_other":      "on days {days} of the year",
		"repeat_at_times":                "at {times}",
		"repeat_at_hours_one":            "at hour {hours}",
		"repeat_at_hours_other":          "at hours {hours}",
		"repeat_at_minutes_one":          "at minute {minutes}",
		"repeat_at_minutes_other":        "at minutes {minutes}",
		"repeat_at_seconds_one":          "at second {seconds}",
		"repeat_at_seconds_other":        "at seconds {seconds}",
		"repeat_set_pos":                 "(only {positions} of each {period})",
		"repeat_week_start":              "(weeks start on {day})",
		"repeat_times_one":               ", once",
		"repeat_times_other":             ", {count} times",
		"repeat_until":                   ", until {date}",
		"repeat_except_one":              ", except {dates}",
		"repeat_except_other":            ", except on {count} dates: {dates}",
		"repeat_also_one":                ", and also {dates}",
		"repeat_also_other":              ", and also on {dates}",
	},
	"fr": {
		"calendar_needs_title": "calendar add attend --title",
		"calendar_needs_at":    "calendar add attend --at (une date et heure comme 2026-03-29T09:00:00+02:00)",
		"calendar_bad_at":      "--at %q n'est pas une date et heure comme 2026-03-29T09:00:00+02:00 ou 2026-03-29T09:00",
		"calendar_bad_date":    "%s %q n'est pas une date comme 2026-03-01",
		"calendar_bad_tz":      "--tz %q n'est pas un fuseau horaire comme Europe/Paris",
		"calendar_list_header": "QUAND\tÉTAT\tTITRE\tCANAUX\tID",
		"calendar_count":       "%s occurrences",
		"calendar_late":        "(en retard)",

		"calendar_status_draft":     "brouillon",
		"calendar_status_in_review": "en relecture",
		"calendar_status_approved":  "approuvé",
		"calendar_status_scheduled": "programmé",
		"calendar_status_queued":    "en file d'envoi",
		"calendar_status_published": "publié",
		"calendar_status_failed":    "échec",
		"calendar_status_missed":    "manqué",

		"err_calendar_item_not_found":    "Élément du calendrier introuvable.",
		"err_calendar_bad_transition":    "Un élément ne peut pas passer de {from} à {to}.",
		"err_calendar_item_locked":       "Cet élément est {status} : son contenu ne peut plus changer.",
		"err_calendar_item_queued":       "Cet élément est en cours de publication ; attendez qu'elle soit terminée.",
		"err_calendar_occurrence_locked": "Cette occurrence est {status} : elle ne peut plus être déplacée.",
		"err_calendar_not_failed":        "Seule une occurrence en échec peut être relancée.",
		"err_calendar_not_scheduled":     "La série n'est pas programmée.",
		"err_calendar_no_slots":          "Le canal {channel} n'a pas encore de créneaux de publication.",
		"err_calendar_queue_full":        "Aucun créneau libre sur {channel} dans l'année qui vient.",
		"err_calendar_no_attachments":    "Les pièces jointes ont besoin d'un dossier d'espace de travail.",
		"err_calendar_attachment_failed": "La pièce jointe n'a pas pu être copiée dans l'espace de travail.",
		"err_outbox_entry_not_found":     "Envoi introuvable.",
		"err_outbox_already_sent":        "C'est déjà envoyé.",
		"field_kind":                     "Type",
		"field_body":                     "Texte",
		"field_channels":                 "Canal",
		"field_status":                   "État",
		"field_assignee":                 "Responsable",
		"field_campaign":                 "Campagne",
		"field_timeZone":                 "Fuseau horaire",
		"field_repeat":                   "Répétition",
		"field_freq":                     "fréquence",
		"field_interval":                 "intervalle",
		"field_weekdays":                 "jours",
		"field_monthDay":                 "jour du mois",
		"field_week":                     "semaine du mois",
		"field_until":                    "jusqu'au",
		"field_count":                    "nombre de fois",
		"field_latePolicy":               "En cas de retard",
		"field_graceMinutes":             "Délai de grâce",
		"field_attach":                   "Pièce jointe",
		"field_occurrence":               "Occurrence",
		"field_from":                     "Du",
		"field_to":                       "Au",
		"field_channel":                  "Canal",
		"field_slots":                    "Créneau",
		"field_weekday":                  "jour",
		"field_time":                     "heure",
		"code_time_zone":                 "« {value} » n'est pas un fuseau horaire comme Europe/Paris",
		"code_rrule":                     "« {value} » n'est pas une règle de répétition comme FREQ=WEEKLY;BYDAY=MO",
		"code_rrule_unsupported":         "« {value} » utilise des parties de RRULE que le calendrier ne sait pas garder",
		"code_count_and_until":           "indiquez un nombre de fois ou une date de fin, pas les deux",
		"code_monthly_only":              "seulement pour une répétition mensuelle ou annuelle",
		"code_weekly_only":               "seulement pour une répétition quotidienne ou hebdomadaire",
		"code_one_weekday":               "choisissez exactement un jour de la semaine",
		"code_day_or_week":               "choisissez un jour du mois ou une semaine, pas les deux",
		"code_datetime":                  "pas au format attendu ({value})",
		"code_after_from":                "doit venir après le début",
		"code_span":                      "au plus {max} jours",
		"code_no_occurrence":             "la série n'a pas d'occurrence à ce moment",
		"code_not_recurring":             "l'élément ne se répète pas",
		"code_file_unreadable":           "impossible de lire {value}",
		"code_queue_one_off":             "un élément répété ne peut pas être mis en file",

		// Recurrence in words (describeRepeat).
		"calendar_repeats":               "Se répète %s",
		"calendar_bad_repeat_date":       "%s %q n'est pas une date et heure comme 2026-03-29T09:00 ni une date comme 2026-03-29",
		"calendar_needs_repeat":          "--except et --also demandent --repeat",
		"code_rrule_conflict":            "« {value} » : {part} ne peut pas aller avec le reste de la règle (RFC 5545)",
		"code_rule_or_fields":            "indiquez une règle complète ou les champs simples, pas les deux",
		"code_rrule_empty":               "« {value} » n'arrive jamais",
		"code_rdate":                     "« {value} » n'est pas une ligne EXDATE ou RDATE comme EXDATE;TZID=Europe/Paris:20260309T090000",
		"field_rule":                     "règle",
		"field_exDates":                  "sauf",
		"field_rDates":                   "aussi le",
		"calendar_date":                  "{day} {month} {year}",
		"calendar_day_MO":                "lundi",
		"calendar_day_TU":                "mardi",
		"calendar_day_WE":                "mercredi",
		"calendar_day_TH":                "jeudi",
		"calendar_day_FR":                "vendredi",
		"calendar_day_SA":                "samedi",
		"calendar_day_SU":                "dimanche",
		"calendar_month_1":               "janvier",
		"calendar_month_short_1":         "janv.",
		"calendar_month_2":               "février",
		"calendar_month_short_2":         "févr.",
		"calendar_month_3":               "mars",
		"calendar_month_short_3":         "mars",
		"calendar_month_4":               "avril",
		"calendar_month_short_4":         "avr.",
		"calendar_month_5":               "mai",
		"calendar_month_short_5":         "mai",
		"calendar_month_6":               "juin",
		"calendar_month_short_6":         "juin",
		"calendar_month_7":               "juillet",
		"calendar_month_short_7":         "juil.",
		"calendar_month_8":               "août",
		"calendar_month_short_8":         "août",
		"calendar_month_9":               "septembre",
		"calendar_month_short_9":         "sept.",
		"calendar_month_10":              "octobre",
		"calendar_month_short_10":        "oct.",
		"calendar_month_11":              "novembre",
		"calendar_month_short_11":        "nov.",
		"calendar_month_12":              "décembre",
		"calendar_month_short_12":        "déc.",
		"repeat_every_second_one":        "toutes les secondes",
		"repeat_every_second_other":      "toutes les {count} secondes",
		"repeat_period_second":           "seconde",
		"repeat_every_minute_one":        "toutes les minutes",
		"repeat_every_minute_other":      "toutes les {count} minutes",
		"repeat_period_minute":           "minute",
		"repeat_every_hour_one":          "toutes les heures",
		"repeat_every_hour_other":        "toutes les {count} heures",
		"repeat_period_hour":             "heure",
		"repeat_every_day_one":           "tous les jours",
		"repeat_every_day_other":         "tous les {count} jours",
		"repeat_period_day":              "jour",
		"repeat_every_week_one":          "toutes les semaines",
		"repeat_every_week_other":        "toutes les {count} semaines",
		"repeat_period_week":             "semaine",
		"repeat_every_month_one":         "tous les mois",
		"repeat_every_month_other":       "tous les {count} mois",
		"repeat_period_month":            "mois",
		"repeat_every_year_one":          "tous les ans",
		"repeat_every_year_other":        "tous les {count} ans",
		"repeat_period_year":             "année",
		"repeat_list_sep":                ", ",
		"repeat_list_and":                " et ",
		"repeat_ordinal_one":             "{n}er",
		"repeat_ordinal_other":           "{n}e",
		"repeat_day_ordinal_one":         "{n}er",
		"repeat_day_ordinal_other":       "{n}",
		"repeat_weekday":                 "le {day}",
		"repeat_nth_weekday":             "le {nth} {day}",
		"repeat_month_day":               "le {nth}",
		"repeat_position":                "le {nth}",
		"repeat_last_weekday":            "le dernier {day}",
		"repeat_last_day":                "le dernier jour",
		"repeat_last_position":           "le dernier",
		"repeat_second_to_last_weekday":  "l'avant-dernier {day}",
		"repeat_second_to_last_day":      "l'avant-dernier jour",
		"repeat_second_to_last_position": "l'avant-dernier",
		"repeat_from_end_weekday":        "le {nth} {day} avant la fin",
		"repeat_from_end_day":            "le {nth} jour avant la fin",
		"repeat_from_end_position":       "le {nth} avant la fin",
		"repeat_on_days":                 "{days}",
		"repeat_of_the_year":             " de l'année",
		"repeat_on_month_days":           "{days}",
		"repeat_on_days_falling":         "{days} tombant {monthDays}",
		"repeat_in_months":               "en {months}",
		"repeat_in_weeks_one":            "la semaine {weeks}",
		"repeat_in_weeks_other":          "les semaines {weeks}",
		"repeat_on_year_days_one":        "le jour {days} de l'année",
		"repeat_on_year_days_other":      "les jours {days} de l'année",
		"repeat_at_times":                "à {times}",
		"repeat_at_hours_one":            "à {hours} h",
		"repeat_at_hours_other":          "à {hours} h",
		"repeat_at_minutes_one":          "à la minute {minutes}",
		"repeat_at_minutes_other":        "aux minutes {minutes}",
		"repeat_at_seconds_one":          "à la seconde {seconds}",
		"repeat_at_seconds_other":        "aux secondes {seconds}",
		"repeat_set_pos":                 "(seulement {positions} de chaque {period})",
		"repeat_week_start":              "(semaines commençant le {day})",
		"repeat_times_one":               ", une fois",
		"repeat_times_other":             ", {count} fois",
		"repeat_until":                   ", jusqu'au {date}",
		"repeat_except_one":              ", sauf le {dates}",
		"repeat_except_other":            ", sauf à {count} dates : {dates}",
		"repeat_also_one":                ", et aussi le {dates}",
		"repeat_also_other":              ", et aussi les {dates}",
	},
}
