package exports

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/csvcell"
	"hearth/backend/errs"
)

// RowsPerSheet is the number of data rows one member sheet holds before the list continues on
// the next sheet: Excel's 1,048,576 rows minus the header. A variable so tests can lower it.
var RowsPerSheet = 1_048_575

// PrintLayout makes a sheet print on A4 landscape, fitted to the page's width (as many pages
// down as needed), with the rows up to titleRows (0: none) repeated at the top of every
// page. Streamed sheets take it before their stream writer is made.
func PrintLayout(f *excelize.File, sheet string, titleRows int) error {
	size, landscape, one, unbounded := 9, "landscape", 1, 0 // 9: A4
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &landscape, FitToWidth: &one, FitToHeight: &unbounded})
	if err != nil || titleRows == 0 {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", Scope: sheet,
		RefersTo: fmt.Sprintf("'%s'!$1:$%d", quote(sheet), titleRows)})
}

func quote(sheet string) string {
	out := make([]rune, 0, len(sheet))
	for _, r := range sheet {
		if r == '\'' {
			out = append(out, r)
		}
		out = append(out, r)
	}
	return string(out)
}

// Sheets say how WriteSheets adds sheets to a workbook.
type Sheets struct {
	// New adds an empty sheet named name to the workbook (a workbook may rename its
	// placeholder sheet for the first one).
	New func(name string) error
	// Header is the style of the header cells (0: bold).
	Header int
}

// WriteSheets streams the members of ms onto sheets of f named "Members", "Members (2)"… (in
// o.Lang), RowsPerSheet data rows each, each with its frozen, filtered header repeated on
// every printed page, and returns how many members it wrote. The KPI workbook's member list
// and the members export are written by it, the same columns in the same way.
func WriteSheets(ctx context.Context, f *excelize.File, ms MemberSeq, o Options, sh Sheets) (int, error) {
	keys, err := customKeys(ms)
	if err != nil {
		return 0, err
	}
	cols := columns(o, keys)
	if sh.Header == 0 {
		if sh.Header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
			return 0, internal(err, "style")
		}
	}
	dayFmt, momentFmt := DateFormats(o.Lang)
	dayStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dayFmt})
	if err != nil {
		return 0, internal(err, "style")
	}
	momentStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &momentFmt})
	if err != nil {
		return 0, internal(err, "style")
	}
	head := make([]any, len(cols))
	for i, c := range cols {
		head[i] = excelize.Cell{StyleID: sh.Header, Value: c.header}
	}
	base := SheetName(o.Lang)
	var sw *excelize.StreamWriter
	sheets, rows, n := 0, 0, 0
	finish := func() error {
		if sw == nil {
			return nil
		}
		// A table without a style is the streaming writer's way to give the header autofilters.
		last := cell(len(cols), max(rows+1, 2))
		noStripes := false
		name := "Members"
		if sheets > 1 {
			name = fmt.Sprintf("Members%d", sheets)
		}
		if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: name, ShowRowStripes: &noStripes}); err != nil {
			return internal(err, "autofilter")
		}
		if err := sw.Flush(); err != nil {
			return internal(err, "flush")
		}
		return nil
	}
	next := func() error {
		if err := finish(); err != nil {
			return err
		}
		sheets++
		name := base
		if sheets > 1 {
			name = fmt.Sprintf("%s (%d)", base, sheets)
		}
		if err := sh.New(name); err != nil {
			return err
		}
		if err := PrintLayout(f, name, 1); err != nil {
			return internal(err, "page setup")
		}
		var err error
		if sw, err = f.NewStreamWriter(name); err != nil {
			return internal(err, "stream")
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return internal(err, "freeze")
		}
		for i, c := range cols {
			if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
				return internal(err, "width")
			}
		}
		rows = 0
		if err := sw.SetRow("A1", head, excelize.RowOpts{Height: 20}); err != nil {
			return internal(err, "header")
		}
		return nil
	}
	if err := next(); err != nil {
		return 0, err
	}
	row, zone := make([]any, len(cols)), o.zone()
	for m, err := range ms {
		if err != nil {
			return n, err
		}
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return n, cancelled(err)
			}
		}
		if rows >= RowsPerSheet {
			if err := next(); err != nil {
				return n, err
			}
		}
		for i, c := range cols {
			switch v := c.value(m).(type) {
			case day:
				row[i] = excelize.Cell{StyleID: dayStyle, Value: time.Time(v)}
			case moment:
				row[i] = excelize.Cell{StyleID: momentStyle, Value: wall(time.Time(v), zone)}
			default:
				row[i] = v
			}
		}
		rows++
		if err := sw.SetRow(cell(1, rows+1), row); err != nil {
			return n, internal(err, "row")
		}
		n++
		if o.Progress != nil && n%ProgressEvery == 0 {
			o.Progress(n)
		}
	}
	if err := finish(); err != nil {
		return n, err
	}
	if o.Progress != nil {
		o.Progress(n)
	}
	return n, nil
}

func writeXLSX(ctx context.Context, w io.Writer, ms MemberSeq, o Options) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	placeholder := f.GetSheetName(0)
	n, err := WriteSheets(ctx, f, ms, o, Sheets{New: func(name string) error {
		if placeholder != "" {
			err := f.SetSheetName(placeholder, name)
			placeholder = ""
			return err
		}
		_, err := f.NewSheet(name)
		return err
	}})
	if err != nil {
		return n, err
	}
	_ = f.SetDocProps(&excelize.DocProperties{Title: SheetName(o.Lang), Creator: "Hearth", Language: Lang(o.Lang)})
	f.SetActiveSheet(0)
	if _, err := f.WriteTo(w); err != nil {
		return n, errs.Wrap(errs.Unavailable, "export_write", err, "exports: write xlsx")
	}
	return n, nil
}

// writeCSV writes the same columns as the sheets; custom fields keep their text as typed, and
// moments are RFC 3339 in the zone, offset included, for the programs that read CSV. Every
// cell, headers included, goes through csvcell: one that a spreadsheet would run as a formula
// ("=cmd|...", "@SUM(...)") is written with a leading quote; plain numbers are left as they are.
func writeCSV(ctx context.Context, w io.Writer, ms MemberSeq, o Options) (int, error) {
	keys, err := customKeys(ms)
	if err != nil {
		return 0, err
	}
	cols := columns(o, keys)
	custom := len(cols) - len(keys)
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return 0, errs.Wrap(errs.Unavailable, "export_write", err, "exports: write")
	}
	cw := csvcell.NewWriter(w)
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.header
	}
	_ = cw.Write(rec)
	n := 0
	for m, err := range ms {
		if err != nil {
			return n, err
		}
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return n, cancelled(err)
			}
		}
		for i, c := range cols {
			if i >= custom {
				rec[i] = m.CustomFields[keys[i-custom]]
				continue
			}
			switch v := c.value(m).(type) {
			case nil:
				rec[i] = ""
			case moment:
				rec[i] = time.Time(v).In(o.zone()).Format(time.RFC3339)
			case float64:
				rec[i] = strconv.FormatFloat(v, 'f', -1, 64)
			default:
				rec[i] = fmt.Sprint(v)
			}
		}
		if err := cw.Write(rec); err != nil {
			break
		}
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, errs.Wrap(errs.Unavailable, "export_write", err, "exports: write csv")
	}
	return n, nil
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

func internal(err error, what string) error {
	return errs.Wrap(errs.Internal, "internal", err, "exports: "+what)
}

func cancelled(err error) error {
	return errs.Wrap(errs.Unavailable, "cancelled", err, "exports: cancelled")
}
