package cli

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"hearth/backend/newsletter"
	"hearth/backend/wiring"
)

// imapCommands are "hearth imap …": the mailbox newsletter replies and bounces arrive in.
var imapCommands = map[string]command{
	"set":  imapSet,
	"show": imapShow,
}

func imapSet(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("imap set", flag.ContinueOnError)
	host := fs.String("host", "", "")
	port := fs.Int("port", 0, "")
	mode := fs.String("tls", string(newsletter.TLSImplicit), "")
	username := fs.String("username", "", "")
	passwordFile := fs.String("password-file", "", "")
	mailbox := fs.String("mailbox", newsletter.DefaultMailbox, "")
	off := fs.Bool("off", false, "")
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	in := newsletter.IMAPInput{Host: *host, Port: *port, TLS: newsletter.TLSMode(*mode), Username: *username, Mailbox: *mailbox}
	switch {
	case *off:
		in = newsletter.IMAPInput{}
	case *host == "" || *username == "":
		return usageError{t.msg("imap_set_needs")}
	}
	switch in.TLS {
	case "", newsletter.TLSStartTLS, newsletter.TLSImplicit, newsletter.TLSNone:
	default:
		return usageError{t.msgf("imap_bad_tls", *mode)}
	}
	if *passwordFile != "" && !*off {
		// From a file, never the command line (other users and shell history would see it).
		b, err := os.ReadFile(*passwordFile)
		if err != nil {
			return usageError{t.msgf("smtp_password_unreadable", *passwordFile)}
		}
		pw := strings.TrimRight(string(b), "\r\n")
		in.Password = &pw
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		st, err := b.Newsletters.SaveIMAPSettings(ctx, in)
		if err != nil {
			return err
		}
		switch {
		case *asJSON:
			return writeJSON(env.Stdout, st)
		case !st.Configured:
			fmt.Fprintln(env.Stdout, t.msg("imap_off"))
		default:
			fmt.Fprintln(env.Stdout, t.msgf("imap_saved", st.Host, st.Port, st.TLS, st.Mailbox))
		}
		return nil
	})
}

func imapShow(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("imap show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		st, err := b.Newsletters.IMAPSettings(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, st)
		}
		if !st.Configured {
			fmt.Fprintln(env.Stdout, t.msg("imap_not_set"))
			return nil
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
		row("imap_f_mailbox", st.Mailbox)
		return w.Flush()
	})
}

// newsletterReplies is "hearth newsletter replies": read the reply mailbox once.
func newsletterReplies(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("newsletter replies", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		sum, err := b.Newsletters.ProcessReplies(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, sum)
		}
		p := t.printer.Sprint
		fmt.Fprintln(env.Stdout, t.msgf("newsletter_replies", p(sum.Read), p(sum.Unsubscribed), p(sum.Bounced),
			p(sum.AutoReplies), p(sum.Ignored), p(sum.Malformed)))
		if sum.AlreadyProcessed > 0 {
			fmt.Fprintln(env.Stdout, t.msgf("newsletter_replies_again", p(sum.AlreadyProcessed)))
		}
		return nil
	})
}
