package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"hearth/app"
	"hearth/backend/audit"
	"hearth/backend/connections"
	"hearth/backend/errs"
	"hearth/backend/wiring"
)

// connectorCommands are "hearth connector …": the platform connections.
var connectorCommands = map[string]command{
	"add":    connectorAdd,
	"list":   connectorList,
	"remove": connectorRemove,
	"test":   connectorTest,
}

// platformFlags lists the flags each platform takes besides --name and --json.
var platformFlags = map[connections.Platform][]string{
	connections.Discourse: {"url", "api-key", "username", "category"},
	connections.Discord:   {"token", "channel", "guild", "api-url", "webhook"},
	connections.Mastodon:  {"url", "token"},
	connections.Mailchimp: {"api-key", "list", "api-url"},
	connections.RSS:       {"url", "keyword"},
}

// stdinSecret is the flag value that reads a secret from standard input, keeping it out of the
// shell's history and of the process list.
const stdinSecret = "-"

func connectorAdd(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("connector add", flag.ContinueOnError)
	name := fs.String("name", "", "")
	url := fs.String("url", "", "")
	apiKey := fs.String("api-key", "", "")
	username := fs.String("username", "", "")
	category := fs.String("category", "", "")
	token := fs.String("token", "", "")
	channel := fs.String("channel", "", "")
	guild := fs.String("guild", "", "")
	apiURL := fs.String("api-url", "", "")
	webhook := fs.String("webhook", "", "")
	list := fs.String("list", "", "")
	var keywords repeated
	fs.Var(&keywords, "keyword", "")
	asJSON := fs.Bool("json", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("connector_add_needs")}
	}
	platform := connections.Platform(strings.ToLower(rest[0]))
	allowed, ok := platformFlags[platform]
	if !ok {
		return usageError{t.msgf("connector_bad_platform", rest[0])}
	}
	var stray []string
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "name" && f.Name != "json" && !slices.Contains(allowed, f.Name) {
			stray = append(stray, "--"+f.Name)
		}
	})
	if len(stray) > 0 {
		return usageError{t.msgf("connector_stray_flags", strings.Join(stray, " "), platform)}
	}
	if *name == "" {
		return usageError{t.msg("connector_needs_name")}
	}
	in := connections.AddInput{Name: *name, Platform: platform, Settings: connections.Settings{
		URL: *url, Username: *username, Category: *category, Channel: *channel, Guild: *guild, APIURL: *apiURL,
		ListID: *list, Keywords: keywords,
	}}
	switch platform {
	case connections.Discourse, connections.Mailchimp:
		in.Secret = *apiKey
	case connections.Mastodon:
		in.Secret = *token
	case connections.Discord:
		if *webhook != "" {
			if *token != "" || *channel != "" || *guild != "" {
				return usageError{t.msg("connector_discord_either")}
			}
			in.Secret, in.Settings.Webhook = *webhook, true
		} else {
			in.Secret = *token
		}
	}
	if in.Secret == stdinSecret {
		s, err := readSecret(env, t)
		if err != nil {
			return err
		}
		in.Secret = s
	}
	ctx = audit.WithActor(ctx, "cli")
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		c, err := b.Connections.Add(ctx, in)
		if err != nil {
			return flagFields(err, platform, in.Settings.Webhook)
		}
		if *asJSON {
			return writeJSON(env.Stdout, c)
		}
		fmt.Fprintln(env.Stdout, t.msgf("connector_added", c.Name, c.Platform, t.msg("connector_secret_in_"+b.Connections.SecretBackend())))
		return nil
	})
}

// readSecret reads one line from standard input, prompting on stderr when it is a terminal.
func readSecret(env Env, t tr) (string, error) {
	in := env.Stdin
	if in == nil {
		in = os.Stdin
		if fi, err := os.Stdin.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			fmt.Fprint(env.Stderr, t.msg("connector_secret_prompt"))
		}
	}
	line, err := bufio.NewReader(io.LimitReader(in, 64<<10)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", usageError{t.msg("connector_secret_unreadable")}
	}
	line = strings.TrimSpace(line)
	if line == "" {
		return "", usageError{t.msg("connector_secret_empty")}
	}
	return line, nil
}

// flagFields renames the fields of a validation error after the flags that set them, so that
// "settings.url" reads "URL (--url)" and the secret names the flag it came from.
func flagFields(err error, platform connections.Platform, webhook bool) error {
	var e *errs.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	secret := "connectorApiKey"
	switch {
	case platform == connections.Discord && webhook:
		secret = "connectorWebhook"
	case platform == connections.Discord || platform == connections.Mastodon:
		secret = "connectorToken"
	}
	names := map[string]string{
		"name": "connectorName", "secret": secret, "settings.url": "connectorUrl", "settings.username": "connectorUsername",
		"settings.category": "connectorCategory", "settings.channel": "connectorChannel", "settings.guild": "connectorGuild",
		"settings.apiUrl": "connectorApiUrl", "settings.listId": "connectorList", "settings.keywords": "connectorKeyword",
	}
	out := *e
	out.Fields = make([]errs.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		path, index, _ := strings.Cut(f.Field, "[")
		if n, ok := names[path]; ok {
			f.Field = n
			if index != "" {
				f.Field += "[" + index
			}
		}
		out.Fields[i] = f
	}
	return &out
}

func connectorList(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("connector list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseFlagsOnly(fs, args, t); err != nil {
		return err
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		cs, err := b.Connections.List(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return writeJSON(env.Stdout, cs) // records only: secrets never leave the secret store here
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("connector_list_header"))
		for _, c := range cs {
			secret := t.msg("connector_secret_missing")
			switch {
			case c.Platform == connections.RSS:
				secret = "-"
			case c.HasSecret:
				secret = t.msg("connector_secret_saved")
			}
			state := t.msg("connector_active")
			if c.Paused {
				state = t.msg("connector_paused")
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", c.Name, c.Platform, target(c, t), secret, state)
		}
		return w.Flush()
	})
}

// target says in a few words what a connection points at.
func target(c connections.Connection, t tr) string {
	s := c.Settings
	switch c.Platform {
	case connections.Discord:
		if s.Webhook {
			return t.msg("connector_webhook")
		}
		return "#" + s.Channel
	case connections.Mailchimp:
		return s.ListID
	case connections.RSS:
		if len(s.Keywords) > 0 {
			return s.URL + " (" + strings.Join(s.Keywords, ", ") + ")"
		}
	}
	return s.URL
}

// forConnector parses fs over args, which must name exactly one connection, opens the workspace
// and calls fn with it.
func forConnector(ctx context.Context, fs *flag.FlagSet, args []string, env Env, t tr, fn func(b *wiring.Backend, c connections.Connection) error) error {
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("connector_needs_one")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		c, err := b.Connections.ByName(ctx, rest[0])
		if err != nil {
			return err
		}
		return fn(b, c)
	})
}

func connectorRemove(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("connector remove", flag.ContinueOnError)
	ctx = audit.WithActor(ctx, "cli")
	return forConnector(ctx, fs, args, env, t, func(b *wiring.Backend, c connections.Connection) error {
		if err := b.Connections.Remove(ctx, c.ID); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("connector_removed", c.Name))
		return nil
	})
}

func connectorTest(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("connector test", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	return forConnector(ctx, fs, args, env, t, func(b *wiring.Backend, c connections.Connection) error {
		res, err := app.TestConnection(ctx, b.Connections, app.Checker(b.Sync), b.Clock, c.ID)
		if err != nil {
			return err
		}
		if *asJSON {
			if err := writeJSON(env.Stdout, res); err != nil {
				return err
			}
		}
		if !res.OK {
			why := t.msg("connector_kind_" + res.Kind)
			if res.Kind == "" || why == "" {
				why = t.msg("connector_kind_temporary")
			}
			return errs.New(errs.Unavailable, "connection_test_failed", "cli: connection test failed: "+res.Message).
				With("name", c.Name, "why", why, "reason", res.Message)
		}
		if !*asJSON {
			fmt.Fprintln(env.Stdout, t.msgf("connector_test_ok", c.Name))
		}
		return nil
	})
}
