package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"hearth/backend/exports"
	"hearth/backend/wiring"
)

// gdprCommands are "hearth gdpr …": a person's rights over their data.
var gdprCommands = map[string]command{
	"export": gdprExport,
	"erase":  gdprErase,
}

func gdprExport(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("gdpr export", flag.ContinueOnError)
	out := fs.String("out", "", "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || *out == "" {
		return usageError{t.msg("gdpr_export_usage")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		m, err := b.Members.Find(ctx, rest[0])
		if err != nil {
			return err
		}
		paths, err := b.GDPR.Export(ctx, m.ID, *out, env.Lang)
		if err != nil {
			return err
		}
		for _, p := range paths {
			fmt.Fprintln(env.Stdout, p)
		}
		return nil
	})
}

func gdprErase(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("gdpr erase", flag.ContinueOnError)
	yes := fs.Bool("yes", false, "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 || !strings.Contains(rest[0], "@") {
		return usageError{t.msg("gdpr_erase_usage")}
	}
	if !*yes {
		return usageError{t.msg("gdpr_erase_needs_yes")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		m, err := b.Members.Find(ctx, rest[0])
		if err != nil {
			return err
		}
		// Naming the member by e-mail on the command line is the typed confirmation.
		if err := b.GDPR.Erase(ctx, m.ID, m.Emails[0]); err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.msgf("gdpr_erased", m.ID))
		return nil
	})
}

func membersExport(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members export", flag.ContinueOnError)
	tag := fs.String("tag", "", "")
	search := fs.String("search", "", "")
	segment := fs.String("segment", "", "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("export_usage")}
	}
	path := rest[0]
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if format != "xlsx" && format != "csv" {
		return usageError{t.msg("export_usage")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		req := exports.Request{Tag: *tag, Search: *search}
		seq := exports.MembersOf(ctx, b.Members, req.Query())
		if *segment != "" { // segment.go
			if seq, err = segmentSeq(ctx, b, *segment, seq, env, t); err != nil {
				return err
			}
		}
		n, err := b.Reports.Exports().ToFile(ctx, path, seq,
			exports.Options{Format: format, Lang: env.Lang})
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, t.count("exported", n, n))
		return nil
	})
}
