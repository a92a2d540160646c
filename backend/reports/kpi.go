package reports

import (
	"context"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"hearth/backend/analytics"
	"hearth/backend/exports"
)

// WriteKPIWorkbook writes the KPI workbook of k to w: the Summary sheet (the period and the
// previous one, each KPI with its previous value and change, native line, bar and pie charts),
// Cohorts (retention with a colour scale), Levels, Super users, Gone quiet, and the members
// of ms on streamed Members sheets (backend/exports'). It returns the number of members
// written. It writes to w only: Service.SaveKPIWorkbook saves and audits.
func WriteKPIWorkbook(ctx context.Context, w io.Writer, k analytics.KPIs, ms exports.MemberSeq, o Options) (int, error) {
	b, err := newBook(o)
	if err != nil {
		return 0, err
	}
	defer b.f.Close()
	if err := b.summary(k); err != nil {
		return 0, err
	}
	if err := b.cohorts(k.Cohorts); err != nil {
		return 0, err
	}
	if err := b.levels(k.Levels); err != nil {
		return 0, err
	}
	days := int(k.To.Sub(k.From).Round(24*time.Hour) / (24 * time.Hour))
	if err := b.people(b.w.get("sheet_super"), k.SuperUsers, days, time.Time{}); err != nil {
		return 0, err
	}
	if err := b.people(b.w.get("sheet_quiet"), k.GoneQuiet, 0, k.To); err != nil {
		return 0, err
	}
	n, err := b.members(ctx, ms)
	if err != nil {
		return n, err
	}
	return n, b.write(w, b.w.get("title"))
}

// SaveKPIWorkbook writes the KPI workbook to path (replaced whole, or left as it was; its
// owner's only), its dates in the workspace's zone, and records the export in the audit log.
func (s *Service) SaveKPIWorkbook(ctx context.Context, path string, k analytics.KPIs, ms exports.MemberSeq, o Options) (int, error) {
	o.Zone = s.zone
	return s.exports.Save(ctx, path, func(w io.Writer) (int, error) { return WriteKPIWorkbook(ctx, w, k, ms, o) })
}

// SaveMembersWorkbook writes the members of ms to the workbook path (backend/exports' member
// sheets, with their level when o.LevelOf is set) and records the export in the audit log.
func (s *Service) SaveMembersWorkbook(ctx context.Context, path string, ms exports.MemberSeq, o Options) (int, error) {
	return s.exports.ToFile(ctx, path, ms, exports.Options{Format: "xlsx", Lang: o.lang(),
		Level: o.levelNames(wordsFor(o.lang())), Progress: o.Progress})
}

// book is a workbook being written, with its styles.
type book struct {
	f     *excelize.File
	o     Options
	w     words
	first string // the placeholder sheet a new file starts with, until renamed
	st    styles
}

type styles struct {
	title, section, header, integer, decimal, percent, change, date, dateTime int
	// day is a day written as text: aligned right, as dates are.
	day int
}

func newBook(o Options) (*book, error) {
	f := excelize.NewFile()
	b := &book{f: f, o: o, w: wordsFor(o.lang()), first: f.GetSheetName(0)}
	dateFmt, dateTimeFmt := exports.DateFormats(o.lang())
	custom := func(code string) *excelize.Style { return &excelize.Style{CustomNumFmt: &code} }
	border := []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}}
	for _, s := range []struct {
		id *int
		st *excelize.Style
	}{
		{&b.st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: "1F3864"}}},
		{&b.st.section, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12, Color: "1F3864"}}},
		{&b.st.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&b.st.integer, custom("#,##0")},
		{&b.st.decimal, custom("#,##0.0")},
		{&b.st.percent, custom("0.0%")},
		{&b.st.change, custom("+0.0%;-0.0%;0.0%")},
		{&b.st.date, custom(dateFmt)},
		{&b.st.dateTime, custom(dateTimeFmt)},
		{&b.st.day, &excelize.Style{Alignment: &excelize.Alignment{Horizontal: "right"}}},
	} {
		id, err := f.NewStyle(s.st)
		if err != nil {
			_ = f.Close()
			return nil, internal(err, "style")
		}
		*s.id = id
	}
	return b, nil
}

func (b *book) write(w io.Writer, title string) error {
	_ = b.f.SetDocProps(&excelize.DocProperties{Title: title, Creator: "Hearth", Language: b.o.lang()})
	// The first sheet is the active one already (NewFile's, renamed): SetActiveSheet would only
	// parse back every sheet excelize still holds, most of the time of a small workbook.
	if _, err := b.f.WriteTo(w); err != nil {
		return writeError(err, "")
	}
	return nil
}

// layout makes a sheet print on A4 landscape fitted to the page's width, its first titleRows
// rows repeated on every page.
func (b *book) layout(sheet string, titleRows int) error {
	if err := exports.PrintLayout(b.f, sheet, titleRows); err != nil {
		return internal(err, "page setup")
	}
	return nil
}

// sheet adds a sheet; the first one takes over the new file's placeholder sheet.
func (b *book) sheet(name string) error {
	if b.first != "" {
		if err := b.f.SetSheetName(b.first, name); err != nil {
			return internal(err, "sheet")
		}
		b.first = ""
		return nil
	}
	if _, err := b.f.NewSheet(name); err != nil {
		return internal(err, "sheet")
	}
	return nil
}

// set writes one cell with a style (0 for none).
func (b *book) set(sheet string, col, row int, v any, style int) error {
	c := cell(col, row)
	if err := b.f.SetCellValue(sheet, c, v); err != nil {
		return internal(err, "cell "+c)
	}
	if style != 0 {
		if err := b.f.SetCellStyle(sheet, c, c, style); err != nil {
			return internal(err, "style "+c)
		}
	}
	return nil
}

// header writes a bold header row.
func (b *book) header(sheet string, row int, names ...string) error {
	for i, n := range names {
		if err := b.set(sheet, i+1, row, n, b.st.header); err != nil {
			return err
		}
	}
	return nil
}

func (b *book) widths(sheet string, ws ...float64) error {
	for i, w := range ws {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := b.f.SetColWidth(sheet, col, col, w); err != nil {
			return internal(err, "width")
		}
	}
	return nil
}

// freeze keeps the first rows and cols in view.
func (b *book) freeze(sheet string, cols, rows int) error {
	pane := "bottomLeft"
	if cols > 0 {
		pane = "bottomRight"
	}
	return b.f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows,
		TopLeftCell: cell(cols+1, rows+1), ActivePane: pane})
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// ref is an absolute reference to a column's rows on a sheet, as charts want it.
func ref(sheet string, col, from, to int) string {
	c, _ := excelize.ColumnNumberToName(col)
	q := "'" + strings.ReplaceAll(sheet, "'", "''") + "'!"
	if from == to {
		return fmt.Sprintf("%s$%s$%d", q, c, from)
	}
	return fmt.Sprintf("%s$%s$%d:$%s$%d", q, c, from, c, to)
}

// day is a calendar day as a spreadsheet date: its wall-clock midnight, read as UTC, which is
// how excelize turns times into serial numbers.
func day(t time.Time, zone *time.Location) time.Time {
	t = t.In(zone)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// wall is a moment as the zone's wall clock, read as UTC (see day).
func wall(t time.Time, zone *time.Location) time.Time {
	t = t.In(zone)
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.UTC)
}

// parseDay reads a YYYY-MM-DD (or YYYY-MM) day as a spreadsheet date; ok is false otherwise.
func parseDay(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "2006-01"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// counted is a label and a count, for the summary's small tables.
type counted struct {
	label string
	n     int
}

// byCount orders a map's entries biggest first (then by key), labelled by name.
func byCount(m map[string]int, name func(string) string) []counted {
	keys := slices.Sorted(maps.Keys(m))
	slices.SortStableFunc(keys, func(a, b string) int { return m[b] - m[a] })
	out := make([]counted, 0, len(keys))
	for _, k := range keys {
		out = append(out, counted{name(k), m[k]})
	}
	return out
}
