package cli

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"hearth/backend/audit"
	"hearth/backend/importer"
	"hearth/backend/imports"
	"hearth/backend/wiring"
)

// mappings collects repeated --map "Header=field" flags.
type mappings map[string]string

func (m mappings) String() string { return fmt.Sprint(map[string]string(m)) }

func (m mappings) Set(v string) error {
	header, field, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(header) == "" {
		return fmt.Errorf("--map wants Header=field, got %q", v)
	}
	m[strings.TrimSpace(header)] = strings.TrimSpace(field)
	return nil
}

func membersImport(ctx context.Context, args []string, env Env, t tr) error {
	fs := flag.NewFlagSet("members import", flag.ContinueOnError)
	mapping := mappings{}
	fs.Var(mapping, "map", "")
	sheet := fs.String("sheet", "", "")
	dry := fs.Bool("dry-run", false, "")
	enrol := fs.Bool("enrol", false, "")
	asJSON := fs.Bool("json", false, "")
	rejectedPath := fs.String("rejected", "", "")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError{t.msg("import_usage")}
	}
	return withBackend(ctx, env, func(b *wiring.Backend) error {
		req := imports.Request{Path: rest[0], Sheet: *sheet, Mapping: mapping, DryRun: *dry, Enrol: *enrol, Lang: t.lang}
		var rejected []importer.Rejected
		keep := func(r importer.Rejected) { rejected = append(rejected, r) }
		sum, err := b.Imports.Run(audit.WithActor(ctx, "cli"), req, nil, keep)
		if err != nil {
			return err
		}
		if *rejectedPath != "" && len(rejected) > 0 {
			if err := saveRejected(*rejectedPath, rest[0], *sheet, t.lang, rejected); err != nil {
				return err
			}
		}
		if *asJSON {
			return writeJSON(env.Stdout, sum)
		}
		key := "import_summary"
		if sum.DryRun {
			key = "import_summary_dry"
		}
		fmt.Fprintln(env.Stdout, t.msgf(key, sum.Created, sum.Updated, sum.Unchanged, sum.Rejected))
		if sum.Merged > 0 {
			fmt.Fprintln(env.Stdout, t.msgf("import_merged", sum.Merged))
		}
		if sum.JoinDates > 0 {
			fmt.Fprintln(env.Stdout, t.msgf("import_join_dates", sum.JoinDates))
		}
		if len(sum.Errors) == 0 {
			return nil
		}
		w := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, t.msg("import_errors_header"))
		for _, e := range sum.Errors {
			reason := t.msg("code_" + e.Reason)
			if reason == "" {
				reason = e.Message
			}
			for k, v := range e.Params {
				reason = strings.ReplaceAll(reason, "{"+k+"}", v)
			}
			fmt.Fprintf(w, "%d\t%s\t%s\n", e.Line, e.Column, reason)
		}
		return w.Flush()
	})
}

// saveRejected writes the rejected rows, with the source file's header and a last column saying
// why, as CSV or XLSX by the file name; a CSV keeps the source's delimiter and encoding. They
// can be fixed and imported again.
func saveRejected(path, source, sheet, lang string, rows []importer.Rejected) error {
	r, err := importer.Open(source, importer.Options{Sheet: sheet})
	if err != nil {
		return err
	}
	info := r.Info()
	_ = r.Close()
	f := info.ForRejected(lang)
	f.Format = "csv"
	if strings.EqualFold(filepath.Ext(path), ".xlsx") {
		f.Format = "xlsx"
	}
	return importer.SaveRejected(path, f, info.Header, rows)
}
