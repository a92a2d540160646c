// Package exports writes members out as spreadsheets for people who work in Excel or
// LibreOffice: XLSX (bold frozen header, autofilter, real dates, numbers as numbers, one column
// per custom field) and CSV (UTF-8 with a byte-order mark so that Excel reads accents right).
// Exports stream: memory stays flat whatever the number of members.
package exports

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/privatefile"
)

// Request selects what to export and how.
type Request struct {
	Format string `json:"format"` // "xlsx" or "csv"
	Tag    string `json:"tag"`
	Search string `json:"search"`
	// Lang is the language of the header row: "fr" or "en".
	Lang string `json:"lang"`
}

// Lister is what an export needs from the member service.
type Lister interface {
	List(ctx context.Context, q members.ListQuery) (members.Page, error)
}

const page = members.MaxLimit

var headers = map[string][]string{
	"en": {"ID", "Name", "E-mail", "Other e-mails", "Handles", "Tags", "Notes", "Created", "Updated"},
	"fr": {"ID", "Nom", "E-mail", "Autres e-mails", "Identifiants", "Étiquettes", "Notes", "Créé le", "Modifié le"},
}

// ToFile exports to path, readable by its owner only, through a temporary file renamed into
// place (privatefile), so that a failed or cancelled export never leaves half a spreadsheet
// where the person expects a whole one.
func ToFile(ctx context.Context, src Lister, path string, req Request) (int, error) {
	var n int
	err := privatefile.Write(path, func(w io.Writer) (err error) {
		n, err = Members(ctx, src, w, req)
		return err
	})
	var fe *privatefile.Error
	if errors.As(err, &fe) {
		err = errs.Wrap(errs.Unavailable, "export_write", err, "exports: write "+path)
	}
	return n, err
}

// Members writes the members matching req to w and returns how many it wrote. It reads the
// members twice, a page at a time: once to learn the custom field names, once to write.
func Members(ctx context.Context, src Lister, w io.Writer, req Request) (int, error) {
	if req.Format != "xlsx" && req.Format != "csv" {
		return 0, errs.Fields("exports: unknown format", errs.Field("format", "oneof", "value", "xlsx csv"))
	}
	custom := map[string]bool{}
	if err := each(ctx, src, req, func(m members.Member) error {
		for k := range m.CustomFields {
			custom[k] = true
		}
		return nil
	}); err != nil {
		return 0, err
	}
	keys := make([]string, 0, len(custom))
	for k := range custom {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	header := slices.Clone(headerFor(req.Lang))
	for _, k := range keys {
		// Spreadsheet tables need unique column names.
		for slices.Contains(header, k) {
			k += " (+)"
		}
		header = append(header, k)
	}
	if req.Format == "csv" {
		return writeCSV(ctx, src, w, req, header, keys)
	}
	return writeXLSX(ctx, src, w, req, header, keys)
}

func headerFor(lang string) []string {
	if h, ok := headers[lang]; ok {
		return h
	}
	return headers["en"]
}

// each calls fn for every member matching req, in name order, a page at a time.
func each(ctx context.Context, src Lister, req Request, fn func(members.Member) error) error {
	for offset := 0; ; offset += page {
		if err := ctx.Err(); err != nil {
			return errs.Wrap(errs.Unavailable, "cancelled", err, "exports: cancelled")
		}
		p, err := src.List(ctx, members.ListQuery{Search: req.Search, Tag: req.Tag, Offset: offset, Limit: page})
		if err != nil {
			return err
		}
		for _, m := range p.Items {
			if err := fn(m); err != nil {
				return err
			}
		}
		if offset+page >= p.Total {
			return nil
		}
	}
}

// cells is one member's row: text, dates and numbers as Go values.
func cells(m members.Member, keys []string) []any {
	var primary string
	if len(m.Emails) > 0 {
		primary = m.Emails[0]
	}
	others := ""
	if len(m.Emails) > 1 {
		others = strings.Join(m.Emails[1:], "; ")
	}
	handles := make([]string, 0, len(m.Handles))
	for _, h := range m.Handles {
		handles = append(handles, h.Platform+": "+h.Handle)
	}
	row := []any{m.ID, m.Name, primary, others, strings.Join(handles, "; "), strings.Join(m.Tags, "; "), m.Notes, m.CreatedAt, m.UpdatedAt}
	for _, k := range keys {
		row = append(row, typed(m.CustomFields[k]))
	}
	return row
}

// typed turns a custom field's text into a number or a date when it plainly is one, so that
// spreadsheets can sort and sum it.
func typed(s string) any {
	if s == "" {
		return ""
	}
	// Leading zeros (postcodes, phone numbers) and plus signs are text, not numbers.
	if s[0] != '0' && s[0] != '+' || s == "0" || strings.HasPrefix(s, "0.") {
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return n
		}
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	return s
}

func writeCSV(ctx context.Context, src Lister, w io.Writer, req Request, header, keys []string) (int, error) {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return 0, errs.Wrap(errs.Unavailable, "export_write", err, "exports: write")
	}
	cw := csv.NewWriter(w)
	_ = cw.Write(header)
	n := 0
	err := each(ctx, src, req, func(m members.Member) error {
		row := cells(m, keys)
		rec := make([]string, len(row))
		for i, c := range row {
			switch v := c.(type) {
			case time.Time:
				rec[i] = v.UTC().Format(time.RFC3339)
			case float64:
				rec[i] = strconv.FormatFloat(v, 'f', -1, 64)
			default:
				rec[i] = fmt.Sprint(v)
			}
		}
		n++
		return cw.Write(rec)
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err != nil {
		return n, errs.Wrap(errs.Unavailable, "export_write", err, "exports: write csv")
	}
	return n, nil
}

func writeXLSX(ctx context.Context, src Lister, w io.Writer, req Request, header, keys []string) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	name := "Members"
	if req.Lang == "fr" {
		name = "Membres"
	}
	if err := f.SetSheetName(sheet, name); err != nil {
		return 0, errs.Wrap(errs.Internal, "internal", err, "exports: sheet")
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return 0, errs.Wrap(errs.Internal, "internal", err, "exports: stream")
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	date, _ := f.NewStyle(&excelize.Style{NumFmt: 22}) // m/d/yy h:mm, localised by the spreadsheet
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, errs.Wrap(errs.Internal, "internal", err, "exports: freeze header")
	}
	widths := []float64{28, 24, 30, 30, 24, 24, 30, 18, 18}
	for i := range header {
		wd := 18.0
		if i < len(widths) {
			wd = widths[i]
		}
		_ = sw.SetColWidth(i+1, i+1, wd)
	}
	head := make([]any, len(header))
	for i, h := range header {
		head[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return 0, errs.Wrap(errs.Internal, "internal", err, "exports: header")
	}
	n := 0
	err = each(ctx, src, req, func(m members.Member) error {
		row := cells(m, keys)
		for i, c := range row {
			if t, ok := c.(time.Time); ok {
				row[i] = excelize.Cell{StyleID: date, Value: t.UTC()}
			}
		}
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		return sw.SetRow(cell, row)
	})
	if err != nil {
		return n, err
	}
	// A table without a style is the streaming writer's way to give the header autofilters.
	last, _ := excelize.CoordinatesToCellName(len(header), max(n+1, 2))
	noStripes := false
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Members", ShowRowStripes: &noStripes}); err != nil {
		return n, errs.Wrap(errs.Internal, "internal", err, "exports: autofilter")
	}
	if err := sw.Flush(); err != nil {
		return n, errs.Wrap(errs.Internal, "internal", err, "exports: flush")
	}
	if _, err := f.WriteTo(w); err != nil {
		return n, errs.Wrap(errs.Unavailable, "export_write", err, "exports: write xlsx")
	}
	return n, nil
}
