package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"hearth/app"
	"hearth/backend/consent"
	"hearth/backend/members"
)

// consentCommands are "hearth consent …": record and read the consent ledger.
var consentCommands = map[string]command{
	"grant":    consentGrant,
	"withdraw": consentWithdraw,
	"show":     consentShow,
	"history":  consentHistory,
	"purposes": consentPurposes,
}

// consentBy is what the ledger records as the author of events written from the command line.
const consentBy = "cli"

func consentGrant(ctx context.Context, args []string, env Env, t tr) error {
	return consentRecord(ctx, "consent grant", consent.Granted, args, env, t)
}

func consentWithdraw(ctx context.Context, args []string, env Env, t tr) error {
	return consentRecord(ctx, "consent withdraw", consent.Withdrawn, args, env, t)
}

// consentRecord records one grant or withdrawal for the member named by id or e-mail.
func consentRecord(ctx context.Context, name string, kind consent.Kind, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	purpose := fs.String("purpose", "", "")
	source := fs.String("source", "", "")
	method := fs.String("method", string(consent.MethodManual), "")
	at := fs.String("at", "", "")
	asJSON := fs.Bool("json", false, "")
	var notice *string
	if kind == consent.Granted {
		notice = fs.String("notice-version", "", "")
	}
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("needs_one_ref")}
	}
	if strings.TrimSpace(*purpose) == "" {
		return usageError{t.msgf("consent_needs_purpose", name)}
	}
	in := consent.Input{Purpose: *purpose, Source: *source, Method: consent.Method(*method), By: consentBy}
	if notice != nil {
		in.NoticeVersion = *notice
	}
	if *at != "" {
		if in.At, err = time.Parse(time.RFC3339, *at); err != nil {
			return usageError{t.msgf("consent_bad_at", *at)}
		}
	}
	return withBackend(ctx, env, func(b *app.Backend) error {
		m, err := b.Members.Find(ctx, rest[0])
		if err != nil {
			return err
		}
		in.MemberID = m.ID
		write := b.Consent.Grant
		if kind == consent.Withdrawn {
			write = b.Consent.Withdraw
		}
		st, err := write(ctx, in)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, st)
		}
		fmt.Fprintln(env.Stdout, t.msgf("consent_recorded", display(m), st.Purpose, t.msg("consent_state_"+string(st.State))))
		return nil
	})
}

func consentShow(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("consent show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	return forMember(ctx, fs, args, env, t, func(b *app.Backend, m members.Member) error {
		sum, err := b.Consent.Summary(ctx, m.ID, time.Time{})
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, sum)
		}
		fmt.Fprintln(env.Stdout, display(m))
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("consent_show_header"))
		for _, s := range sum {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", s.Purpose, t.msg("consent_state_"+string(s.State)), localTime(s.Since),
				t.method(s.Method), s.Source)
		}
		return w.Flush()
	})
}

func consentHistory(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("consent history", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	return forMember(ctx, fs, args, env, t, func(b *app.Backend, m members.Member) error {
		evs, err := b.Consent.History(ctx, m.ID)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, evs)
		}
		fmt.Fprintln(env.Stdout, display(m))
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("consent_history_header"))
		for _, e := range evs {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", localTime(e.At), e.Purpose, t.msg("consent_kind_"+string(e.Kind)),
				t.method(e.Method), e.By, e.Source, e.NoticeVersion)
		}
		return w.Flush()
	})
}

func consentPurposes(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("consent purposes", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *app.Backend) error {
		ps, err := b.Consent.Purposes(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, ps)
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("consent_purposes_header"))
		for _, p := range ps {
			name := p.Name
			if name == "" {
				name = t.msg("consent_purpose_" + p.ID)
			}
			status := ""
			if p.Archived {
				status = t.msg("consent_archived")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", p.ID, name, t.months(p.Expiry()), status)
		}
		return w.Flush()
	})
}

// months renders an expiry: "24 months", or "never" for 0.
func (t tr) months(n int) string {
	if n == 0 {
		return t.msg("consent_never")
	}
	return t.msgf("consent_months", t.printer.Sprint(n))
}

func (t tr) method(m consent.Method) string {
	if m == "" {
		return ""
	}
	return t.msg("consent_method_" + string(m))
}

func localTime(at time.Time) string {
	if at.IsZero() {
		return ""
	}
	return at.Local().Format("2006-01-02 15:04")
}

// consentMessages are the consent commands' messages, merged into the en and fr catalogs by
// tr.msg. Field and code keys name errs.FieldError fields and codes from backend/consent.
var consentMessages = map[string]map[string]string{
	"en": {
		"consent_needs_purpose":   "%s needs --purpose (see hearth consent purposes)",
		"consent_bad_at":          "--at %q is not a date and time like 2026-05-04T18:30:00+02:00",
		"consent_recorded":        "Recorded for %s: %s is now %s.",
		"consent_show_header":     "PURPOSE\tSTATE\tSINCE\tMETHOD\tSOURCE",
		"consent_history_header":  "WHEN\tPURPOSE\tEVENT\tMETHOD\tRECORDED BY\tSOURCE\tNOTICE",
		"consent_purposes_header": "ID\tNAME\tEXPIRES AFTER\t",
		"consent_state_granted":   "granted",
		"consent_state_withdrawn": "withdrawn",
		"consent_state_expired":   "expired",
		"consent_state_none":      "not asked",
		"consent_kind_granted":    "granted",
		"consent_kind_withdrawn":  "withdrawn",
		"consent_method_form":     "form",
		"consent_method_import":   "import",
		"consent_method_platform": "platform",
		"consent_method_manual":   "by hand",
		"consent_months":          "%s months",
		"consent_never":           "never",
		"consent_archived":        "archived",

		"consent_purpose_newsletter":      "Newsletter",
		"consent_purpose_event_reminders": "Event reminders",
		"consent_purpose_analytics":       "Analytics (profiling)",
		"consent_purpose_partner_sharing": "Sharing with partners",

		"err_notice_version_taken": "This notice version already exists:",

		"field_purpose": "Purpose", "field_memberId": "Member", "field_at": "Date", "field_method": "Method",
		"field_by": "Recorded by", "field_source": "Source", "field_noticeVersion": "Notice version", "field_proof": "Proof",
		"field_ip": "IP address", "field_file": "file", "field_row": "row", "field_formData": "form data",
		"field_version": "Version", "field_text": "Text", "field_description": "Description", "field_id": "Identifier",
		"field_expiryMonths": "Expiry",

		"code_unknown_purpose":        "unknown purpose “{value}” (known: {known})",
		"code_archived":               "the purpose {value} is archived",
		"code_unknown_notice_version": "{purpose} has no notice version “{value}”",
		"code_not_yet_published":      "notice {value} was only published on {published}",
		"code_future":                 "in the future",
		"code_ip":                     "not an IP address",
		"code_slug":                   "only lower-case letters, digits, - and _",
		"code_label":                  "must not contain control characters",
		"code_version_taken":          "{value} is already used for this purpose",
		"code_member_not_found":       "no member {value}",
	},
	"fr": {
		"consent_needs_purpose":   "%s attend --purpose (voir hearth consent purposes)",
		"consent_bad_at":          "--at %q n'est pas une date et heure comme 2026-05-04T18:30:00+02:00",
		"consent_recorded":        "Enregistré pour %s : consentement « %s » désormais %s.",
		"consent_show_header":     "FINALITÉ\tÉTAT\tDEPUIS\tMÉTHODE\tSOURCE",
		"consent_history_header":  "QUAND\tFINALITÉ\tÉVÉNEMENT\tMÉTHODE\tENREGISTRÉ PAR\tSOURCE\tMENTION",
		"consent_purposes_header": "ID\tNOM\tEXPIRE APRÈS\t",
		"consent_state_granted":   "accordé",
		"consent_state_withdrawn": "retiré",
		"consent_state_expired":   "expiré",
		"consent_state_none":      "non demandé",
		"consent_kind_granted":    "accordé",
		"consent_kind_withdrawn":  "retiré",
		"consent_method_form":     "formulaire",
		"consent_method_import":   "import",
		"consent_method_platform": "plateforme",
		"consent_method_manual":   "à la main",
		"consent_months":          "%s mois",
		"consent_never":           "jamais",
		"consent_archived":        "archivée",

		"consent_purpose_newsletter":      "Lettre d'information",
		"consent_purpose_event_reminders": "Rappels d'événements",
		"consent_purpose_analytics":       "Statistiques (profilage)",
		"consent_purpose_partner_sharing": "Partage avec des partenaires",

		"err_notice_version_taken": "Cette version de mention existe déjà :",

		"field_purpose": "Finalité", "field_memberId": "Membre", "field_at": "Date", "field_method": "Méthode",
		"field_by": "Enregistré par", "field_source": "Source", "field_noticeVersion": "Version de la mention", "field_proof": "Preuve",
		"field_ip": "adresse IP", "field_file": "fichier", "field_row": "ligne", "field_formData": "données du formulaire",
		"field_version": "Version", "field_text": "Texte", "field_description": "Description", "field_id": "Identifiant",
		"field_expiryMonths": "Expiration",

		"code_unknown_purpose":        "finalité inconnue « {value} » (connues : {known})",
		"code_archived":               "la finalité {value} est archivée",
		"code_unknown_notice_version": "{purpose} n'a pas de version de mention « {value} »",
		"code_not_yet_published":      "la mention {value} n'a été publiée que le {published}",
		"code_future":                 "dans le futur",
		"code_ip":                     "pas une adresse IP",
		"code_slug":                   "seulement des minuscules, des chiffres, - et _",
		"code_label":                  "ne doit pas contenir de caractères de contrôle",
		"code_version_taken":          "{value} est déjà utilisée pour cette finalité",
		"code_member_not_found":       "aucun membre {value}",
	},
}
