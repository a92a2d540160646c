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

func calendarAdd(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("calendar add", flag.ContinueOnError)
	var channels repeated
	fs.Var(&channels, "channel", "")
	title := fs.String("title", "", "")
	at := fs.String("at", "", "")
	tz := fs.String("tz", "", "")
	repeat := fs.String("repeat", "", "")
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
	if *repeat != "" {
		r, err := calendar.ParseRRule(*repeat, loc)
		if err != nil {
			return err
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
	},
}
