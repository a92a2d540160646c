package cli

import (
	"fmt"
	"maps"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"hearth/backend/errs"
)

// LangFromEnv picks the CLI's language from the POSIX locale variables: French when the first
// one set says so, English otherwise.
func LangFromEnv(getenv func(string) string) string {
	if getenv == nil {
		getenv = os.Getenv
	}
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
		if v := getenv(k); v != "" && v != "C" && v != "POSIX" {
			if strings.HasPrefix(strings.ToLower(v), "fr") {
				return "fr"
			}
			return "en"
		}
	}
	return "en"
}

type tr struct {
	lang    string
	catalog map[string]string
	printer *message.Printer
}

func translator(lang string) tr {
	if lang == "fr" {
		return tr{lang: "fr", catalog: catalogs()["fr"], printer: message.NewPrinter(language.French)}
	}
	return tr{lang: "en", catalog: catalogs()["en"], printer: message.NewPrinter(language.English)}
}

// catalogs merges the core messages with each command group's own, once.
var catalogs = sync.OnceValue(func() map[string]map[string]string {
	out := map[string]map[string]string{"en": maps.Clone(en), "fr": maps.Clone(fr)}
	for _, extra := range []map[string]map[string]string{consentMessages, gdprMessages, importMessages, automationsMessages, calendarMessages, newsletterMessages, schedulerMessages, connectorMessages, syncMessages, activityMessages, reportMessages, statsMessages, statsROIMessages, statsCampaignMessages} {
		for lang, msgs := range extra {
			maps.Copy(out[lang], msgs)
		}
	}
	return out
})

func (t tr) msg(key string) string {
	if s, ok := t.catalog[key]; ok {
		return s
	}
	return catalogs()["en"][key]
}

func (t tr) msgf(key string, args ...any) string { return fmt.Sprintf(t.msg(key), args...) }

// count renders "shown of total" with localised numbers.
func (t tr) count(key string, shown, total int) string {
	return fmt.Sprintf(t.msg(key), t.printer.Sprint(shown), t.printer.Sprint(total))
}

// explain renders an error as one line: the reason, then each field at fault.
func (t tr) explain(err error) string {
	e := errs.From(err)
	head := t.msg("err_" + e.Code)
	if head == "" {
		head = t.msg("err_" + string(e.Kind))
	}
	for k, v := range e.Params {
		head = strings.ReplaceAll(head, "{"+k+"}", v)
	}
	if len(e.Fields) == 0 {
		return head
	}
	parts := make([]string, 0, len(e.Fields))
	for _, f := range e.Fields {
		parts = append(parts, t.field(f))
	}
	return head + " " + strings.Join(parts, "; ")
}

var fieldPath = regexp.MustCompile(`^(?:\[(\d+)\]\.)?([A-Za-z]+)(?:\[(\d+)\])?(?:\.([A-Za-z]+))?`)

// field renders "E-mail 2: not a valid address (“x”)".
func (t tr) field(f errs.FieldError) string {
	label := f.Field
	if m := fieldPath.FindStringSubmatch(f.Field); m != nil {
		label = t.msg("field_" + m[2])
		if label == "" {
			label = m[2]
		}
		if m[4] != "" {
			label += " (" + t.msg("field_"+m[4]) + ")"
		}
		if m[3] != "" {
			n, _ := strconv.Atoi(m[3])
			label += " " + strconv.Itoa(n+1)
		}
		if m[1] != "" {
			n, _ := strconv.Atoi(m[1])
			label = fmt.Sprintf(t.msg("row"), n+1) + " " + label
		}
	}
	reason := t.msg("code_" + f.Code)
	if reason == "" {
		reason = f.Code
	}
	for k, v := range f.Params {
		reason = strings.ReplaceAll(reason, "{"+k+"}", v)
	}
	return label + t.msg("colon") + reason
}

var en = map[string]string{
	"usage": `Usage: hearth [--workspace DIR] [command]

With no command, Hearth opens its window on the workspace.

Commands:
  version                                   print the version
  members add --email E [--email E2] [--name N] [--tag T]... [--notes TEXT] [--json]
  members list [--search Q] [--tag T] [--limit N | --all] [--json]
                                            --all: every match, oldest first, read page by page;
                                            with --json one JSON array written as it is read
                                            (100,000 members are fine)
  members get ID|EMAIL [--json]
  members delete ID|EMAIL
  members import FILE.csv|FILE.xlsx [--map "Header=field"]... [--sheet NAME] [--dry-run] [--enrol] [--rejected FILE] [--json]
                                            --enrol: the new members enter automations (welcome
                                            sequence) as if they had signed up; off by default
  members export FILE.xlsx|FILE.csv [--tag T] [--search Q]
  consent grant|withdraw EMAIL --purpose P [--source S] [--notice-version V] [--at TIME]
  consent show|history EMAIL [--json]
  consent purposes
  gdpr export EMAIL --out DIR
  gdpr erase EMAIL --yes
  tasks list [--due] [--all] [--json]
  tasks add --title T [--due 2026-05-04|RFC3339] [--member EMAIL] [--notes TEXT] [--json]
  tasks done ID
  automations list [--json]
  automations enable|disable ID
  calendar add --title T --at 2026-03-29T09:00:00+02:00 [--tz ZONE] [--channel NAME]... [--repeat RRULE [--except DATE]... [--also DATE]...] [--draft] [--json]
  calendar list [--from 2026-03-01] [--to 2026-04-01] [--channel NAME] [--json]
  smtp set --host H --port P [--tls starttls|implicit|none] [--username U --password-file F] --from ADDR [--from-name N] [--rate MSGS_PER_S]
  smtp show [--json]
  newsletter create --subject S --body-file F.md [--tag T]... [--search Q] [--lang en|fr] [--json]
  newsletter list [--json]
  newsletter send ID [--dry-run] [--json]
  newsletter test ID --to ADDR
  scheduler run-due [--json]                run the background jobs that are due now, then exit
  scheduler status [--json]
  connector add discourse --name N --url U --api-key K --username U [--category ID] [--json]
  connector add discord --name N --token T --channel ID [--guild ID] [--api-url U]
  connector add discord --name N --webhook URL
  connector add mastodon --name N --url U --token T
  connector add mailchimp --name N --api-key K --list ID [--api-url U]
  connector add rss --name N --url U [--keyword K]...
                                            a secret given as - (--api-key -) is read from standard
                                            input, out of the shell's history; it is kept in the
                                            system keychain or an encrypted file, never in the workspace
  connector list [--json]
  connector remove NAME
  connector test NAME [--json]
  sync run --once [--json]                  publish the queue to every reachable connection and
                                            pull each one, then exit (without --once: every
                                            --every 1m until interrupted)
  sync status [--json]                      online/offline per connection, queue, parked entries
  sync retry ID                             put a parked entry back in the queue
  activity add --member EMAIL|[PLATFORM:]HANDLE --kind K --at 2026-04-20T18:30:00+02:00 [--channel C] [--title T] [--text T] [--id ID] [--thread ID] [--json]
                                            record one activity by hand (K: post reply message
                                            reaction join follow mention event goal)
  activity import FILE.csv [--json]         columns member, kind, at (RFC 3339), channel; a header
                                            row; comma or semicolon; importing twice stores nothing new
  stats [--from 2026-03-01] [--to 2026-03-31] [--json]
                                            KPIs of a period (days in the local zone, both included;
                                            by default the last 30 days) beside the period before;
                                            --json fields: docs/STATS.md
  stats roi [--cost-per-month 500] [--value-per-conversion 120] [--currency EUR] [--json]
                                            save what the community costs a month and what one
                                            conversion (a "goal" activity) is worth; shows them
  report kpi [--from 2026-03-01] [--to 2026-03-31] --out FILE.xlsx [--lang fr|en]
                                            KPI workbook (summary with charts, cohorts, levels, super
                                            users, members); days in the local zone, both included;
                                            by default the last 30 days
  report members --out FILE.xlsx [--lang fr|en]
  report schedule [--weekday monday --at 08:00 --folder DIR [--lang fr|en]] [--off] [--json]
                                            show or set the weekly KPI workbook, written as
                                            hearth-kpi-YYYY-MM-DD.xlsx into DIR by the background jobs

Exit status: 0 success, 1 error, 2 wrong usage.
`,
	"needs_sub":       "%s needs a subcommand (see usage)",
	"unknown_command": "unknown command %q",
	"unexpected_args": "unexpected arguments: %s",
	"add_needs_email": "members add needs --email",
	"bad_limit":       "--limit must be between 1 and %s",
	"all_and_limit":   "--all lists every member: leave out --limit",
	"needs_one_ref":   "give exactly one member id or e-mail",
	"added":           "Added %s (%s)",
	"deleted":         "Deleted %s (%s)",
	"list_header":     "ID\tNAME\tE-MAIL\tTAGS",
	"list_count":      "%s shown of %s matching",
	"row":             "item %d,",
	"colon":           ": ",
	"f_id":            "ID", "f_name": "Name", "f_emails": "E-mails", "f_handles": "Handles", "f_tags": "Tags",
	"f_notes": "Notes", "f_created": "Created", "f_updated": "Updated",

	"err_invalid_input":         "Some fields are not valid:",
	"err_email_taken":           "This e-mail already belongs to another member:",
	"err_member_not_found":      "No such member.",
	"err_workspace_locked":      "The workspace {dir} is already open in another Hearth window or command; close it and try again.",
	"err_workspace_too_new":     "This workspace was written by a newer Hearth (schema {found}, this one knows {known}); update Hearth.",
	"err_workspace_unavailable": "The workspace cannot be opened.",
	"err_workspace_corrupt":     "The workspace's manifest is damaged.",
	"err_migration_failed":      "The workspace could not be upgraded; it was left as it was.",
	"err_not_found":             "Not found.",
	"err_invalid":               "Not valid.",
	"err_conflict":              "This conflicts with existing data.",
	"err_unavailable":           "Not available right now.",
	"err_internal":              "Something went wrong inside Hearth.",

	"field_name": "Name", "field_emails": "E-mail", "field_handles": "Handle", "field_platform": "platform",
	"field_handle": "name", "field_tags": "Tag", "field_customFields": "Custom field", "field_notes": "Notes",
	"field_sort": "Sort", "field_offset": "Offset", "field_limit": "Limit",

	"code_required":  "required",
	"code_email":     "not a valid e-mail address",
	"code_max":       "too long (at most {max})",
	"code_min":       "too short (at least {min})",
	"code_unique":    "{email} is already used by member {member}",
	"code_duplicate": "given twice",
	"code_platform":  "unknown platform (discourse, discord, mastodon, mailchimp or other)",
	"code_oneof":     "not one of the allowed values",
}

var fr = map[string]string{
	"usage": `Usage : hearth [--workspace DOSSIER] [commande]

Sans commande, Hearth ouvre sa fenêtre sur l'espace de travail.

Commandes :
  version                                   affiche la version
  members add --email E [--email E2] [--name N] [--tag T]... [--notes TEXTE] [--json]
  members list [--search Q] [--tag T] [--limit N | --all] [--json]
                                            --all : toutes les correspondances, des plus anciennes
                                            aux plus récentes, lues page par page ; avec --json un
                                            seul tableau JSON écrit au fil de la lecture
                                            (100 000 membres ne posent pas de problème)
  members get ID|EMAIL [--json]
  members delete ID|EMAIL
  members import FICHIER.csv|FICHIER.xlsx [--map "En-tête=champ"]... [--sheet NOM] [--dry-run] [--enrol] [--rejected FICHIER] [--json]
                                            --enrol : les nouveaux membres entrent dans les
                                            automatisations (séquence d'accueil) comme s'ils
                                            s'étaient inscrits ; désactivé par défaut
  members export FICHIER.xlsx|FICHIER.csv [--tag T] [--search Q]
  consent grant|withdraw EMAIL --purpose P [--source S] [--notice-version V] [--at DATE]
  consent show|history EMAIL [--json]
  consent purposes
  gdpr export EMAIL --out DOSSIER
  gdpr erase EMAIL --yes
  tasks list [--due] [--all] [--json]
  tasks add --title T [--due 2026-05-04|RFC3339] [--member EMAIL] [--notes TEXTE] [--json]
  tasks done ID
  automations list [--json]
  automations enable|disable ID
  calendar add --title T --at 2026-03-29T09:00:00+02:00 [--tz FUSEAU] [--channel NOM]... [--repeat RRULE [--except DATE]... [--also DATE]...] [--draft] [--json]
  calendar list [--from 2026-03-01] [--to 2026-04-01] [--channel NOM] [--json]
  smtp set --host H --port P [--tls starttls|implicit|none] [--username U --password-file F] --from ADRESSE [--from-name NOM] [--rate MSG_PAR_S]
  smtp show [--json]
  newsletter create --subject S --body-file F.md [--tag T]... [--search Q] [--lang en|fr] [--json]
  newsletter list [--json]
  newsletter send ID [--dry-run] [--json]
  newsletter test ID --to ADRESSE
  scheduler run-due [--json]                exécute les tâches de fond dues maintenant, puis s'arrête
  scheduler status [--json]
  connector add discourse --name N --url U --api-key CLÉ --username U [--category ID] [--json]
  connector add discord --name N --token JETON --channel ID [--guild ID] [--api-url U]
  connector add discord --name N --webhook URL
  connector add mastodon --name N --url U --token JETON
  connector add mailchimp --name N --api-key CLÉ --list ID [--api-url U]
  connector add rss --name N --url U [--keyword MOT]...
                                            un secret donné comme - (--api-key -) est lu sur l'entrée
                                            standard, hors de l'historique du shell ; il est conservé
                                            dans le trousseau du système ou un fichier chiffré, jamais
                                            dans l'espace de travail
  connector list [--json]
  connector remove NOM
  connector test NOM [--json]
  sync run --once [--json]                  publie la file vers chaque connexion joignable et lit
                                            chacune, puis s'arrête (sans --once : toutes les
                                            --every 1m jusqu'à interruption)
  sync status [--json]                      en ligne/hors ligne par connexion, file, envois bloqués
  sync retry ID                             remet un envoi bloqué dans la file
  activity add --member EMAIL|[PLATEFORME:]IDENTIFIANT --kind K --at 2026-04-20T18:30:00+02:00 [--channel C] [--title T] [--text T] [--id ID] [--thread ID] [--json]
                                            enregistre une activité à la main (K : post reply
                                            message reaction join follow mention event goal)
  activity import FICHIER.csv [--json]      colonnes member, kind, at (RFC 3339), channel ; une ligne
                                            d'en-tête ; virgule ou point-virgule ; réimporter
                                            n'enregistre rien de nouveau
  stats [--from 2026-03-01] [--to 2026-03-31] [--json]
                                            indicateurs d'une période (jours du fuseau local, inclus ;
                                            par défaut les 30 derniers jours) face à la précédente ;
                                            champs de --json : docs/STATS.md
  stats roi [--cost-per-month 500] [--value-per-conversion 120] [--currency EUR] [--json]
                                            enregistre le coût mensuel de la communauté et la valeur
                                            d'une conversion (activité « goal ») ; les affiche
  report kpi [--from 2026-03-01] [--to 2026-03-31] --out FICHIER.xlsx [--lang fr|en]
                                            classeur des indicateurs (synthèse avec graphiques,
                                            cohortes, niveaux, super-utilisateurs, membres) ; jours
                                            du fuseau local, inclus ; par défaut les 30 derniers jours
  report members --out FICHIER.xlsx [--lang fr|en]
  report schedule [--weekday monday --at 08:00 --folder DOSSIER [--lang fr|en]] [--off] [--json]
                                            affiche ou règle le classeur hebdomadaire des indicateurs,
                                            écrit sous hearth-kpi-AAAA-MM-JJ.xlsx dans DOSSIER par les
                                            tâches de fond

Code de sortie : 0 succès, 1 erreur, 2 mauvais usage.
`,
	"needs_sub":       "%s attend une sous-commande (voir l'usage)",
	"unknown_command": "commande inconnue %q",
	"unexpected_args": "arguments inattendus : %s",
	"add_needs_email": "members add attend --email",
	"bad_limit":       "--limit doit être compris entre 1 et %s",
	"all_and_limit":   "--all liste tous les membres : retirez --limit",
	"needs_one_ref":   "indiquez exactement un identifiant ou un e-mail de membre",
	"added":           "Ajouté : %s (%s)",
	"deleted":         "Supprimé : %s (%s)",
	"list_header":     "ID\tNOM\tE-MAIL\tÉTIQUETTES",
	"list_count":      "%s affichés sur %s correspondants",
	"row":             "élément %d,",
	"colon":           " : ",
	"f_id":            "ID", "f_name": "Nom", "f_emails": "E-mails", "f_handles": "Identifiants", "f_tags": "Étiquettes",
	"f_notes": "Notes", "f_created": "Créé le", "f_updated": "Modifié le",

	"err_invalid_input":         "Certains champs ne sont pas valides :",
	"err_email_taken":           "Cet e-mail appartient déjà à un autre membre :",
	"err_member_not_found":      "Membre introuvable.",
	"err_workspace_locked":      "L'espace de travail {dir} est déjà ouvert dans une autre fenêtre ou commande Hearth ; fermez-la et réessayez.",
	"err_workspace_too_new":     "Cet espace de travail a été écrit par une version plus récente de Hearth (schéma {found}, celle-ci connaît {known}) ; mettez Hearth à jour.",
	"err_workspace_unavailable": "Impossible d'ouvrir l'espace de travail.",
	"err_workspace_corrupt":     "Le manifeste de l'espace de travail est endommagé.",
	"err_migration_failed":      "L'espace de travail n'a pas pu être mis à niveau ; il a été laissé tel quel.",
	"err_not_found":             "Introuvable.",
	"err_invalid":               "Non valide.",
	"err_conflict":              "Cela entre en conflit avec des données existantes.",
	"err_unavailable":           "Indisponible pour le moment.",
	"err_internal":              "Une erreur interne s'est produite dans Hearth.",

	"field_name": "Nom", "field_emails": "E-mail", "field_handles": "Identifiant", "field_platform": "plateforme",
	"field_handle": "nom", "field_tags": "Étiquette", "field_customFields": "Champ personnalisé", "field_notes": "Notes",
	"field_sort": "Tri", "field_offset": "Décalage", "field_limit": "Limite",

	"code_required":  "obligatoire",
	"code_email":     "adresse e-mail non valide",
	"code_max":       "trop long (au plus {max})",
	"code_min":       "trop court (au moins {min})",
	"code_unique":    "{email} est déjà utilisé par le membre {member}",
	"code_duplicate": "saisi deux fois",
	"code_platform":  "plateforme inconnue (discourse, discord, mastodon, mailchimp ou other)",
	"code_oneof":     "valeur non autorisée",
}
