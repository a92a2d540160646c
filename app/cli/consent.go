package cli

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"hearth/backend/consent"
	"hearth/backend/members"
	"hearth/backend/wiring"
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
	return withBackend(ctx, env, func(b *wiring.Backend) error {
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
	return forMember(ctx, fs, args, env, t, func(b *wiring.Backend, m members.Member) error {
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
	return forMember(ctx, fs, args, env, t, func(b *wiring.Backend, m members.Member) error {
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
	return withBackend(ctx, env, func(b *wiring.Backend) error {
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
