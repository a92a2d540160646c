package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"hearth/backend/audit"
	"hearth/backend/newsletter"
	"hearth/backend/wiring"
)

// smtpCommands are "hearth smtp …": the outgoing mail settings.
var smtpCommands = map[string]command{
	"set":  smtpSet,
	"show": smtpShow,
}

// newsletterCommands are "hearth newsletter …": compose and send newsletters.
var newsletterCommands = map[string]command{
	"create":  newsletterCreate,
	"list":    newsletterList,
	"send":    newsletterSend,
	"test":    newsletterTest,
	"replies": newsletterReplies, // imap.go
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
	return withBackend(ctx, env, func(b *wiring.Backend) error {
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
	return withBackend(ctx, env, func(b *wiring.Backend) error {
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
	segment := fs.String("segment", "", "")
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
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		segID := ""
		if *segment != "" { // kept by id: renaming the segment does not change the audience
			seg, err := b.Segments.Get(ctx, *segment)
			if err != nil {
				return segmentError(env, t, *segment, "", err)
			}
			segID = seg.ID
		}
		n, err := b.Newsletters.Save(ctx, newsletter.Input{Subject: *subject, BodyMarkdown: string(body), Tags: tags,
			Search: *search, Segment: segID, Lang: *lang})
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
	return withBackend(ctx, env, func(b *wiring.Backend) error {
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

// sendReport is the JSON of "newsletter send"; its keys are the issue's. excluded_not_asked,
// excluded_withdrawn and excluded_expired split excluded_no_consent as the plan counted it.
type sendReport struct {
	ID                 string            `json:"id"`
	DryRun             bool              `json:"dry_run"`
	Status             newsletter.Status `json:"status"`
	Recipients         int               `json:"recipients"`
	ExcludedNoConsent  int               `json:"excluded_no_consent"`
	ExcludedNotAsked   int               `json:"excluded_not_asked"`
	ExcludedWithdrawn  int               `json:"excluded_withdrawn"`
	ExcludedExpired    int               `json:"excluded_expired"`
	ExcludedSuppressed int               `json:"excluded_suppressed"`
	ExcludedNoEmail    int               `json:"excluded_no_email"`
	AlreadySent        int               `json:"already_sent"`
	Sent               int               `json:"sent"`
	FailedTemp         int               `json:"failed_temp"`
	FailedPerm         int               `json:"failed_perm"`
	Pending            int               `json:"pending"`
	// Uncertain counts recipients a send was cut off while sending to (see newsletter.Counts).
	Uncertain int `json:"uncertain"`
}

func newsletterSend(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("newsletter send", flag.ContinueOnError)
	dryRun := fs.Bool("dry-run", false, "")
	asJSON := fs.Bool("json", false, "")
	resend := fs.Bool("resend-uncertain", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("newsletter_needs_id")}
	}
	id := rest[0]
	ctx = audit.WithActor(ctx, "cli")
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		p, err := b.Newsletters.Plan(ctx, id)
		if err != nil {
			return err
		}
		rep := sendReport{ID: id, DryRun: *dryRun, Status: newsletter.StatusDraft, Recipients: p.Recipients,
			ExcludedNoConsent: p.ExcludedNoConsent, ExcludedSuppressed: p.ExcludedSuppressed,
			ExcludedNoEmail: p.ExcludedNoEmail, AlreadySent: p.AlreadySent,
			ExcludedNotAsked: p.ExcludedNotAsked, ExcludedWithdrawn: p.ExcludedWithdrawn, ExcludedExpired: p.Expired.Count,
			Uncertain: p.Uncertain}
		// A newsletter sent already can only have its uncertain recipients sent again.
		sentAlready := false
		if n, err := b.Newsletters.Get(ctx, id); err == nil && n.Status == newsletter.StatusSent {
			sentAlready = true
		}
		if !*asJSON && sentAlready {
			t.printUncertain(env.Stdout, p.Uncertain, *resend)
		} else if !*asJSON {
			fmt.Fprintln(env.Stdout, t.plural("newsletter_plan", p.Recipients))
			fmt.Fprintln(env.Stdout, t.msgf("newsletter_excluded", t.printer.Sprint(p.ExcludedNoConsent),
				t.printer.Sprint(p.ExcludedSuppressed), t.printer.Sprint(p.ExcludedNoEmail)))
			t.printNoConsent(env.Stdout, p)
			if p.AlreadySent > 0 {
				fmt.Fprintln(env.Stdout, t.msgf("newsletter_already", t.printer.Sprint(p.AlreadySent)))
			}
			t.printUncertain(env.Stdout, p.Uncertain, *resend)
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
		n, sendErr := b.Newsletters.SendWith(ctx, id, newsletter.SendOptions{ResendUncertain: *resend}, nil)
		rep.Status, rep.Sent, rep.FailedTemp, rep.FailedPerm, rep.Pending, rep.Uncertain = n.Status, n.Counts.Sent,
			n.Counts.FailedTemp, n.Counts.FailedPerm, n.Counts.Pending, n.Counts.Uncertain
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
		t.printUncertain(env.Stdout, rep.Uncertain, false)
		return nil
	})
}

// printUncertain says how many recipients may or may not have the newsletter (a send was cut off
// while their message was going out) and what --resend-uncertain does about them.
func (t tr) printUncertain(w io.Writer, uncertain int, resending bool) {
	switch {
	case uncertain == 0:
	case resending:
		fmt.Fprintln(w, t.plural("newsletter_uncertain_resend", uncertain))
	default:
		fmt.Fprintln(w, t.plural("newsletter_uncertain", uncertain))
	}
}

// printNoConsent breaks "without consent" down as the window's send check does: no consent
// recorded, withdrawn, and expired with the rule applied and when the consents lapsed.
func (t tr) printNoConsent(w io.Writer, p newsletter.Plan) {
	if p.ExcludedNoConsent == 0 {
		return
	}
	fmt.Fprintln(w, t.msgf("newsletter_excluded_not_asked", t.num(p.ExcludedNotAsked)))
	fmt.Fprintln(w, t.msgf("newsletter_excluded_withdrawn", t.num(p.ExcludedWithdrawn)))
	e := p.Expired
	if e.Count == 0 {
		fmt.Fprintln(w, t.msgf("newsletter_excluded_expired", t.num(0)))
		return
	}
	purpose := e.PurposeName
	if purpose == "" {
		purpose = t.msg("consent_purpose_" + e.Purpose)
	}
	if purpose == "" {
		purpose = e.Purpose
	}
	rule := t.msgf("newsletter_expiry_rule", t.plural("newsletter_rule_months", e.ExpiryMonths), purpose)
	first, last := calendarDate(t, e.First.Local()), calendarDate(t, e.Last.Local())
	if first == last {
		fmt.Fprintln(w, t.msgf("newsletter_expired_on", t.num(e.Count), first, rule))
		return
	}
	fmt.Fprintln(w, t.msgf("newsletter_expired_between", t.num(e.Count), first, last, rule))
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
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		if err := b.Newsletters.TestSend(ctx, rest[0], *to); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("newsletter_test_sent", *to))
		return nil
	})
}
