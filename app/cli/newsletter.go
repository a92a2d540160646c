package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"hearth/app"
	"hearth/backend/audit"
	"hearth/backend/newsletter"
)

// smtpCommands are "hearth smtp …": the outgoing mail settings.
var smtpCommands = map[string]command{
	"set":  smtpSet,
	"show": smtpShow,
}

// newsletterCommands are "hearth newsletter …": compose and send newsletters.
var newsletterCommands = map[string]command{
	"create": newsletterCreate,
	"list":   newsletterList,
	"send":   newsletterSend,
	"test":   newsletterTest,
}

func smtpSet(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("smtp set", flag.ContinueOnError)
	host := fs.String("host", "", "")
	port := fs.Int("port", 0, "")
	mode := fs.String("tls", string(newsletter.TLSStartTLS), "")
	username := fs.String("username", "", "")
	passwordFile := fs.String("password-file", "", "")
	from := fs.String("from", "", "")
	fromName := fs.String("from-name", "", "")
	rate := fs.Float64("rate", newsletter.DefaultRate, "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	if *host == "" || *port == 0 || *from == "" {
		return usageError{t.msg("smtp_set_needs")}
	}
	switch newsletter.TLSMode(*mode) {
	case newsletter.TLSStartTLS, newsletter.TLSImplicit, newsletter.TLSNone:
	default:
		return usageError{t.msgf("smtp_bad_tls", *mode)}
	}
	if *passwordFile != "" && *username == "" {
		return usageError{t.msg("smtp_password_needs_username")}
	}
	in := newsletter.SMTPInput{Host: *host, Port: *port, TLS: newsletter.TLSMode(*mode), Username: *username,
		FromAddress: *from, FromName: *fromName, RatePerSecond: *rate}
	if *passwordFile != "" {
		// The password comes from a file, never from the command line, where other users and
		// shell history would see it. Only the path appears in messages.
		b, err := os.ReadFile(*passwordFile)
		if err != nil {
			return usageError{t.msgf("smtp_password_unreadable", *passwordFile)}
		}
		pw := strings.TrimRight(string(b), "\r\n")
		in.Password = &pw
	}
	return withBackend(ctx, env, func(b *app.Backend) error {
		st, err := b.Newsletters.SaveSettings(ctx, in)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, st)
		}
		fmt.Fprintln(env.Stdout, t.msgf("smtp_saved", st.Host, st.Port, st.TLS))
		return nil
	})
}

func smtpShow(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("smtp show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *app.Backend) error {
		st, err := b.Newsletters.Settings(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, st)
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		row := func(k, v string) { fmt.Fprintf(w, "%s\t%s\n", t.msg(k), v) }
		row("smtp_f_server", fmt.Sprintf("%s:%d (%s)", st.Host, st.Port, st.TLS))
		row("smtp_f_username", st.Username)
		pw := t.msg("smtp_password_unset")
		if st.PasswordSet {
			pw = t.msg("smtp_password_set")
		}
		row("smtp_f_password", pw)
		row("smtp_f_from", strings.TrimSpace(st.FromName+" <"+st.FromAddress+">"))
		row("smtp_f_rate", t.printer.Sprint(st.RatePerSecond))
		return w.Flush()
	})
}

func newsletterCreate(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("newsletter create", flag.ContinueOnError)
	subject := fs.String("subject", "", "")
	bodyFile := fs.String("body-file", "", "")
	var tags repeated
	fs.Var(&tags, "tag", "")
	search := fs.String("search", "", "")
	lang := fs.String("lang", t.lang, "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	if *subject == "" || *bodyFile == "" {
		return usageError{t.msg("newsletter_create_needs")}
	}
	body, err := os.ReadFile(*bodyFile)
	if err != nil {
		return usageError{t.msgf("newsletter_body_unreadable", *bodyFile)}
	}
	return withBackend(ctx, env, func(b *app.Backend) error {
		n, err := b.Newsletters.Save(ctx, newsletter.Input{Subject: *subject, BodyMarkdown: string(body), Tags: tags,
			Search: *search, Lang: *lang})
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, n)
		}
		fmt.Fprintln(env.Stdout, n.ID)
		return nil
	})
}

func newsletterList(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("newsletter list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *app.Backend) error {
		ns, err := b.Newsletters.List(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, ns)
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("newsletter_list_header"))
		for _, n := range ns {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", n.ID, n.Subject, t.msg("newsletter_status_"+string(n.Status)),
				strings.Join(n.Tags, ", "), t.printer.Sprint(n.Counts.Sent))
		}
		return w.Flush()
	})
}

// sendReport is the JSON of "newsletter send"; its keys are the issue's.
type sendReport struct {
	ID                 string            `json:"id"`
	DryRun             bool              `json:"dry_run"`
	Status             newsletter.Status `json:"status"`
	Recipients         int               `json:"recipients"`
	ExcludedNoConsent  int               `json:"excluded_no_consent"`
	ExcludedSuppressed int               `json:"excluded_suppressed"`
	ExcludedNoEmail    int               `json:"excluded_no_email"`
	AlreadySent        int               `json:"already_sent"`
	Sent               int               `json:"sent"`
	FailedTemp         int               `json:"failed_temp"`
	FailedPerm         int               `json:"failed_perm"`
	Pending            int               `json:"pending"`
}

func newsletterSend(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("newsletter send", flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "")
	asJSON := fs.Bool("json", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("newsletter_needs_id")}
	}
	id := rest[0]
	ctx = audit.WithActor(ctx, "cli")
	return withBackend(ctx, env, func(b *app.Backend) error {
		p, err := b.Newsletters.Plan(ctx, id)
		if err != nil {
			return err
		}
		rep := sendReport{ID: id, DryRun: *dryRun, Status: newsletter.StatusDraft, Recipients: p.Recipients,
			ExcludedNoConsent: p.ExcludedNoConsent, ExcludedSuppressed: p.ExcludedSuppressed,
			ExcludedNoEmail: p.ExcludedNoEmail, AlreadySent: p.AlreadySent}
		if !*asJSON {
			fmt.Fprintln(env.Stdout, t.msgf("newsletter_plan", t.printer.Sprint(p.Recipients)))
			fmt.Fprintln(env.Stdout, t.msgf("newsletter_excluded", t.printer.Sprint(p.ExcludedNoConsent),
				t.printer.Sprint(p.ExcludedSuppressed), t.printer.Sprint(p.ExcludedNoEmail)))
			if p.AlreadySent > 0 {
				fmt.Fprintln(env.Stdout, t.msgf("newsletter_already", t.printer.Sprint(p.AlreadySent)))
			}
		}
		if *dryRun {
			if n, err := b.Newsletters.Get(ctx, id); err == nil {
				rep.Status = n.Status
			}
			if *asJSON {
				return writeJSON(env.Stdout, rep)
			}
			return nil
		}
		n, sendErr := b.Newsletters.Send(ctx, id, nil)
		rep.Status, rep.Sent, rep.FailedTemp, rep.FailedPerm, rep.Pending = n.Status, n.Counts.Sent, n.Counts.FailedTemp,
			n.Counts.FailedPerm, n.Counts.Pending
		if n.Counts.Recipients > 0 || sendErr == nil {
			rep.Recipients, rep.ExcludedNoConsent, rep.ExcludedSuppressed, rep.ExcludedNoEmail = n.Counts.Recipients,
				n.Counts.ExcludedNoConsent, n.Counts.ExcludedSuppressed, n.Counts.ExcludedNoEmail
		}
		if sendErr != nil {
			return sendErr
		}
		if *asJSON {
			return writeJSON(env.Stdout, rep)
		}
		fmt.Fprintln(env.Stdout, t.msgf("newsletter_sent", t.printer.Sprint(rep.Sent), t.printer.Sprint(rep.FailedTemp),
			t.printer.Sprint(rep.FailedPerm)))
		return nil
	})
}

func newsletterTest(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("newsletter test", flag.ContinueOnError)
	to := fs.String("to", "", "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || *to == "" {
		return usageError{t.msg("newsletter_test_needs")}
	}
	return withBackend(ctx, env, func(b *app.Backend) error {
		if err := b.Newsletters.TestSend(ctx, rest[0], *to); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("newsletter_test_sent", *to))
		return nil
	})
}

// newsletterMessages are the smtp and newsletter commands' messages, merged into the en and fr
// catalogs by tr.msg. Field and code keys name errs.FieldError fields and codes from
// backend/newsletter.
var newsletterMessages = map[string]map[string]string{
	"en": {
		"smtp_set_needs":               "smtp set needs --host, --port and --from",
		"smtp_bad_tls":                 "--tls %q must be starttls, implicit or none",
		"smtp_password_needs_username": "--password-file needs --username",
		"smtp_password_unreadable":     "cannot read the password file %s",
		"smtp_saved":                   "Outgoing mail settings saved: %s:%d (%s).",
		"smtp_f_server":                "Server",
		"smtp_f_username":              "Username",
		"smtp_f_password":              "Password",
		"smtp_f_from":                  "From",
		"smtp_f_rate":                  "Messages per second (0 = no limit)",
		"smtp_password_set":            "stored (never shown)",
		"smtp_password_unset":          "none",

		"newsletter_create_needs":    "newsletter create needs --subject and --body-file",
		"newsletter_body_unreadable": "cannot read the body file %s",
		"newsletter_needs_id":        "give exactly one newsletter id",
		"newsletter_test_needs":      "newsletter test needs one newsletter id and --to ADDRESS",
		"newsletter_list_header":     "ID\tSUBJECT\tSTATUS\tTAGS\tSENT",
		"newsletter_status_draft":    "draft",
		"newsletter_status_sending":  "sending (interrupted: send again to resume)",
		"newsletter_status_sent":     "sent",
		"newsletter_plan":            "%s members will receive it.",
		"newsletter_excluded":        "Excluded: %s without consent, %s suppressed (bounced or unsubscribed), %s without an e-mail.",
		"newsletter_already":         "%s already received it in an interrupted send and will not get it again.",
		"newsletter_sent":            "Sent: %s; still refused temporarily after every attempt: %s; refused permanently: %s.",
		"newsletter_test_sent":       "Test sent to %s.",

		"err_newsletter_not_found":    "No such newsletter.",
		"err_newsletter_not_draft":    "This newsletter was sent; it can no longer change.",
		"err_newsletter_already_sent": "This newsletter was sent already.",
		"err_newsletter_sending":      "This newsletter is being sent already.",
		"err_smtp_not_configured":     "Outgoing mail is not configured (see hearth smtp set).",
		"err_smtp_password_missing":   "The SMTP password is not on this computer: enter it again (hearth smtp set … --password-file F).",
		"err_smtp_unavailable":        "The mail server cannot be reached ({reply}); what was sent is recorded: send again to resume.",
		"err_smtp_rejected":           "The mail server refused ({reply}); what was sent is recorded: send again to resume.",
		"err_smtp_auth_failed":        "The mail server refused the username or password ({reply}).",
		"err_mail_refused":            "The mail server refused the message ({reply}).",
		"err_cancelled":               "Stopped; what was done is kept: run the command again to resume.",
		"err_invalid_markdown":        "The newsletter's Markdown cannot be read.",

		"field_subject": "Subject", "field_bodyMarkdown": "Body", "field_lang": "Language", "field_search": "Search",
		"field_host": "Server", "field_port": "Port", "field_tls": "TLS", "field_username": "Username",
		"field_password": "Password", "field_fromAddress": "From address", "field_fromName": "From name",
		"field_ratePerSecond": "Messages per second", "field_email": "E-mail",

		"code_unknown_merge_field": "unknown merge field {{{value}}} (first_name, last_name, name, email, custom.NAME)",
		"code_tls_required":        "TLS is required for a server that is not on this machine",
	},
	"fr": {
		"smtp_set_needs":               "smtp set attend --host, --port et --from",
		"smtp_bad_tls":                 "--tls %q doit valoir starttls, implicit ou none",
		"smtp_password_needs_username": "--password-file attend --username",
		"smtp_password_unreadable":     "impossible de lire le fichier de mot de passe %s",
		"smtp_saved":                   "Réglages d'envoi enregistrés : %s:%d (%s).",
		"smtp_f_server":                "Serveur",
		"smtp_f_username":              "Identifiant",
		"smtp_f_password":              "Mot de passe",
		"smtp_f_from":                  "Expéditeur",
		"smtp_f_rate":                  "Messages par seconde (0 = sans limite)",
		"smtp_password_set":            "enregistré (jamais affiché)",
		"smtp_password_unset":          "aucun",

		"newsletter_create_needs":    "newsletter create attend --subject et --body-file",
		"newsletter_body_unreadable": "impossible de lire le fichier du texte %s",
		"newsletter_needs_id":        "indiquez exactement un identifiant de lettre",
		"newsletter_test_needs":      "newsletter test attend un identifiant de lettre et --to ADRESSE",
		"newsletter_list_header":     "ID\tOBJET\tÉTAT\tÉTIQUETTES\tENVOYÉS",
		"newsletter_status_draft":    "brouillon",
		"newsletter_status_sending":  "en cours (interrompu : relancez l'envoi pour le reprendre)",
		"newsletter_status_sent":     "envoyée",
		"newsletter_plan":            "%s membres la recevront.",
		"newsletter_excluded":        "Exclus : %s sans consentement, %s sur liste de suppression (rejet ou désinscription), %s sans e-mail.",
		"newsletter_already":         "%s l'ont déjà reçue lors d'un envoi interrompu et ne la recevront pas de nouveau.",
		"newsletter_sent":            "Envoyés : %s ; refusés temporairement malgré les essais : %s ; refusés définitivement : %s.",
		"newsletter_test_sent":       "Essai envoyé à %s.",

		"err_newsletter_not_found":    "Lettre introuvable.",
		"err_newsletter_not_draft":    "Cette lettre a été envoyée ; elle ne peut plus changer.",
		"err_newsletter_already_sent": "Cette lettre a déjà été envoyée.",
		"err_newsletter_sending":      "Cette lettre est déjà en cours d'envoi.",
		"err_smtp_not_configured":     "L'envoi d'e-mails n'est pas configuré (voir hearth smtp set).",
		"err_smtp_password_missing":   "Le mot de passe SMTP n'est pas sur cet ordinateur : saisissez-le à nouveau (hearth smtp set … --password-file F).",
		"err_smtp_unavailable":        "Le serveur d'envoi est injoignable ({reply}) ; ce qui est parti est noté : relancez l'envoi pour reprendre.",
		"err_smtp_rejected":           "Le serveur d'envoi a refusé ({reply}) ; ce qui est parti est noté : relancez l'envoi pour reprendre.",
		"err_smtp_auth_failed":        "Le serveur d'envoi a refusé l'identifiant ou le mot de passe ({reply}).",
		"err_mail_refused":            "Le serveur d'envoi a refusé le message ({reply}).",
		"err_cancelled":               "Arrêté ; ce qui a été fait est conservé : relancez la commande pour reprendre.",
		"err_invalid_markdown":        "Le Markdown de la lettre est illisible.",

		"field_subject": "Objet", "field_bodyMarkdown": "Texte", "field_lang": "Langue", "field_search": "Recherche",
		"field_host": "Serveur", "field_port": "Port", "field_tls": "TLS", "field_username": "Identifiant",
		"field_password": "Mot de passe", "field_fromAddress": "Adresse d'expédition", "field_fromName": "Nom d'expéditeur",
		"field_ratePerSecond": "Messages par seconde", "field_email": "E-mail",

		"code_unknown_merge_field": "champ de fusion inconnu {{{value}}} (first_name, last_name, name, email, custom.NOM)",
		"code_tls_required":        "TLS est obligatoire pour un serveur qui n'est pas sur cette machine",
	},
}
