package cli

import (
	"context"
	"errors"
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
		// The rejected rows go to a temporary file as they come: a file of two million bad rows
		// must not be held in memory.
		var keep func(importer.Rejected)
		var spool *importer.RejectedSpool
		if *rejectedPath != "" {
			var err error
			if spool, err = importer.NewRejectedSpool(); err != nil {
				return err
			}
			defer spool.Close()
			keep = spool.Add
		}
		sum, runErr := b.Imports.Run(audit.WithActor(ctx, "cli"), req, nil, keep)
		if runErr != nil && sum.Created+sum.Updated+sum.Unchanged+sum.Rejected+sum.Merged == 0 {
			return runErr
		}
		// From here on, what was written (whole batches) is reported, even when the import
		// stopped half-way (a full disk): the person must know where it stands.
		if spool != nil && spool.Len() > 0 {
			if err := saveRejected(*rejectedPath, rest[0], *sheet, t.lang, spool); err != nil {
				return errors.Join(runErr, err)
			}
		}
		if *asJSON {
			if err := writeJSON(env.Stdout, sum); err != nil {
				return err
			}
			return runErr
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
			return runErr
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
		if more := sum.Rejected - len(sum.Errors); more > 0 {
			fmt.Fprintln(w, t.msgf("import_more_errors", more))
		}
		if err := w.Flush(); err != nil {
			return err
		}
		return runErr
	})
}

// saveRejected writes the rejected rows, with the source file's header and a last column saying
// why, as CSV or XLSX by the file name; a CSV keeps the source's delimiter and encoding. They
// can be fixed and imported again.
func saveRejected(path, source, sheet, lang string, rows *importer.RejectedSpool) error {
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
	return rows.Save(path, f, info.Header)
}
