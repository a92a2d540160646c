package exports

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/csvcell"
	"hearth/backend/errs"
	"hearth/backend/internal/leanheap"
	"hearth/backend/members"
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
	defer leanheap.Begin()()
	fixed := fixedColumns(o)
	rs, err := readRows(ctx, ms, fixed)
	if err != nil {
		return 0, err
	}
	defer rs.close()
	keys, _, _ := rs.fields()
	heads := headers(fixed, keys)
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
	head := make([]any, len(heads))
	for i, h := range heads {
		head[i] = excelize.Cell{StyleID: sh.Header, Value: h}
	}
	base := SheetName(o.Lang)
	var sw *excelize.StreamWriter
	sheets, rows, n := 0, 0, 0
	finish := func() error {
		if sw == nil {
			return nil
		}
		// A table without a style is the streaming writer's way to give the header autofilters.
		last := cell(len(heads), max(rows+1, 2))
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
		for i, c := range fixed {
			if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
				return internal(err, "width")
			}
		}
		if len(keys) > 0 {
			if err := sw.SetColWidth(len(fixed)+1, len(heads), customWidth); err != nil {
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
	zone := o.zone()
	// Date cells are the only ones with a style; their Cell values are made once and their
	// Value changed, row after row.
	cellOf := func(c *excelize.Cell, v any) any {
		switch v := v.(type) {
		case day:
			c.StyleID, c.Value = dayStyle, time.Time(v)
		case moment:
			c.StyleID, c.Value = momentStyle, wall(time.Time(v), zone)
		default:
			return v
		}
		return c
	}
	row, dates := make([]any, len(heads)), make([]excelize.Cell, len(heads))
	cells := make([]any, len(fixed))
	var place []int
	custom := func(no int, text string) {
		i := len(fixed) + place[no]
		row[i] = cellOf(&dates[i], typed(text, zone))
	}
	err = rs.each(cells, func(p []int) { place = p }, custom, func() error {
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return cancelled(err)
			}
		}
		if rows >= RowsPerSheet {
			if err := next(); err != nil {
				return err
			}
		}
		for i, v := range cells {
			row[i] = cellOf(&dates[i], v)
		}
		rows++
		if err := sw.SetRow(cell(1, rows+1), row); err != nil {
			return internal(err, "row")
		}
		clear(row[len(fixed):])
		n++
		if o.Progress != nil && n%ProgressEvery == 0 {
			o.Progress(n)
		}
		return nil
	})
	if e := (*errs.Error)(nil); err != nil && !errors.As(err, &e) {
		err = internal(err, "rows") // the rows' file could not be read back
	}
	if err != nil {
		return n, err
	}
	if err := finish(); err != nil {
		return n, err
	}
	if o.Progress != nil {
		o.Progress(n)
	}
	return n, nil
}

// readRows reads the members of ms, once each, into rows of the fixed columns' cells and their
// custom fields.
func readRows(ctx context.Context, ms MemberSeq, fixed []column) (*rowSet, error) {
	rs := &rowSet{front: newRows(), back: newRows()}
	into := func(r *rows) func(members.Member) error {
		cells := make([]any, len(fixed))
		n := 0
		return func(m members.Member) error {
			if n++; n%1000 == 0 {
				if err := ctx.Err(); err != nil {
					return cancelled(err)
				}
			}
			for i, c := range fixed {
				cells[i] = c.value(m)
			}
			if err := r.add(cells, m.CustomFields); err != nil {
				return internal(err, "rows")
			}
			return nil
		}
	}
	if err := ms.read(into(rs.front), into(rs.back)); err != nil {
		rs.close()
		return nil, err
	}
	return rs, nil
}

func writeXLSX(ctx context.Context, w io.Writer, ms MemberSeq, o Options) (int, error) {
	f := excelize.NewFile()
	defer f.Close()
	// Deflate's fastest level: a third of the compressing time for a file a fifth larger
	// (a member list compresses well either way). And the archive goes straight to w: excelize
	// builds it in a buffer of its own (WriteToBuffer, about 200 MB at 1,000,000 members) and
	// copies it to w only at the end, but its zip writer is this one, which ignores that buffer.
	// (excelize patches the buffer afterwards only for a part over 4 GiB, which needs some
	// 8,000,000 members.)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw := zip.NewWriter(w)
		zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
			return flate.NewWriter(out, flate.BestSpeed)
		})
		return zw
	})
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
	// The first sheet, the placeholder the list was streamed into, is the active one already.
	// SetActiveSheet would change nothing in streamed sheets, yet parse each one whose XML is
	// still in memory (up to some 50,000 members): most of a small export's time.
	var rest bytes.Buffer // what excelize would write besides the archive: nothing
	if _, err := f.WriteTo(&rest); err != nil {
		return n, errs.Wrap(errs.Unavailable, "export_write", err, "exports: write xlsx")
	}
	if rest.Len() > 0 {
		return n, internal(fmt.Errorf("excelize wrote %d bytes outside the archive", rest.Len()), "xlsx")
	}
	return n, nil
}

// writeCSV writes the same columns as the sheets; custom fields keep their text as typed, and
// moments are RFC 3339 in the zone, offset included, for the programs that read CSV. Every
// cell, headers included, goes through csvcell: one that a spreadsheet would run as a formula
// ("=cmd|...", "@SUM(...)") is written with a leading quote; plain numbers are left as they are.
func writeCSV(ctx context.Context, w io.Writer, ms MemberSeq, o Options) (int, error) {
	fixed := fixedColumns(o)
	rs, err := readRows(ctx, ms, fixed)
	if err != nil {
		return 0, err
	}
	defer rs.close()
	keys, _, _ := rs.fields()
	rec := headers(fixed, keys)
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return 0, errs.Wrap(errs.Unavailable, "export_write", err, "exports: write")
	}
	cw := csvcell.NewWriter(w)
	_ = cw.Write(rec)
	clear(rec[len(fixed):]) // rec is each row's now: custom fields not set are empty
	zone := o.zone()
	var stamp []byte // a moment's text, formatted in place
	cells := make([]any, len(fixed))
	var place []int
	custom := func(no int, text string) { rec[len(fixed)+place[no]] = text }
	n := 0
	err = rs.each(cells, func(p []int) { place = p }, custom, func() error {
		if n%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return cancelled(err)
			}
		}
		for i, v := range cells {
			switch v := v.(type) {
			case nil:
				rec[i] = ""
			case moment:
				stamp = time.Time(v).In(zone).AppendFormat(stamp[:0], time.RFC3339)
				rec[i] = string(stamp)
			case string:
				rec[i] = v
			}
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
		clear(rec[len(fixed):])
		n++
		return nil
	})
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	if err != nil {
		if e := (*errs.Error)(nil); errors.As(err, &e) {
			return n, err
		}
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
