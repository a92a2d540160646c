package importer

import (
	"errors"
	"io"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"hearth/backend/csvcell"
	"hearth/backend/errs"
	"hearth/backend/locale"
	"hearth/backend/privatefile"
)

// Rejected is a row the import did not take, with the reason to show the person.
type Rejected struct {
	Line   int      `json:"line"`
	Raw    []string `json:"raw"`
	Reason string   `json:"reason"`
}

// RejectedColumn is the header of the reason column WriteRejected appends ("Erreur" in
// French). Importing the fixed file again ignores that column when it is the last one.
const RejectedColumn = "Error"

// SaveRejected writes the rejected rows to path (see WriteRejected) with privatefile: they hold
// personal data, so the file is its owner's only, and replaced whole or not at all.
func SaveRejected(path string, f RejectedFile, header []string, rows []Rejected) error {
	err := privatefile.Write(path, func(w io.Writer) error { return WriteRejected(w, f, header, rows) })
	if e := errs.NoRoomFor(path, err); e != nil {
		return e
	}
	if fe := (*privatefile.Error)(nil); errors.As(err, &fe) {
		return errs.Wrap(errs.Unavailable, "export_write", err, "importer: cannot write the rejected rows")
	}
	return err
}

// RejectedFile says how to write the rejected rows: like the file they came from, so that the
// person fixes them in the program that opened it and imports them again.
type RejectedFile struct {
	// Format is "csv" or "xlsx".
	Format string
	// Delimiter is the source's CSV delimiter (Info.Delimiter); "," when empty.
	Delimiter string
	// Encoding is the source's encoding (Info.Encoding): UTF-8 with or without its BOM, UTF-16
	// (with a BOM, as Excel writes "Unicode text") or Windows-1252; UTF-8 with a BOM when empty,
	// so that Excel shows accents.
	Encoding string
	// Lang names the reason column: "Error", or "Erreur" in French.
	Lang string
}

// ForRejected is how to write the rejected rows of the file info describes.
func (in Info) ForRejected(lang string) RejectedFile {
	return RejectedFile{Format: in.Format, Delimiter: in.Delimiter, Encoding: in.Encoding, Lang: lang}
}

// reasonColumn is the header of the reason column in lang (imports.reason_column in
// backend/locale's catalogs); every language's is ignored on re-import.
func reasonColumn(lang string) string { return locale.For(lang).Text("imports.reason_column") }

// WriteRejected writes the rejected rows as f says: the original header and cells, then the
// reason in a final column. In CSV, a cell a spreadsheet would run as a formula gets a leading
// single quote (csvcell); the workbook writes every cell as a string, which is never a formula.
func WriteRejected(w io.Writer, f RejectedFile, header []string, rows []Rejected) error {
	width := len(header)
	for _, r := range rows {
		width = max(width, len(r.Raw))
	}
	return writeRejectedRows(w, f, header, width, func(yield func(Rejected) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	})
}

// writeRejectedRows is WriteRejected over rows given one at a time by each (see
// RejectedSpool), width being the most cells of the header or any row.
func writeRejectedRows(w io.Writer, f RejectedFile, header []string, width int, each func(yield func(Rejected) error) error) error {
	line := func(cells []string, last string) []string {
		out := make([]string, width+1)
		copy(out, cells)
		out[width] = last
		return out
	}
	switch f.Format {
	case "xlsx":
		return writeRejectedXLSX(w, width, line(header, reasonColumn(f.Lang)), each, line)
	case "csv":
	default:
		return errs.New(errs.Invalid, "import_unknown_format", "importer: rejected rows are written as csv or xlsx").With("format", f.Format)
	}
	failed := func(err error) error {
		return errs.Wrap(errs.Unavailable, "import_write_failed", err, "importer: cannot write the rejected rows")
	}
	var enc *encoding.Encoder
	bom := ""
	switch f.Encoding {
	case EncodingUTF8:
	case EncodingUTF16LE:
		enc = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder()
	case EncodingUTF16BE:
		enc = unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder()
	case EncodingWindows1252:
		// A reason may hold a character the code page lacks: it becomes "?" rather than failing.
		enc = encoding.ReplaceUnsupported(charmap.Windows1252.NewEncoder())
	default:
		bom = "\uFEFF"
	}
	out := w
	var tw *transform.Writer
	if enc != nil {
		tw = transform.NewWriter(w, enc)
		out = tw
	}
	if _, err := io.WriteString(out, bom); err != nil {
		return failed(err)
	}
	cw := csvcell.NewWriter(out) // a cell that would run as a formula is written as text
	if d, size := utf8.DecodeRuneInString(f.Delimiter); size == len(f.Delimiter) && size > 0 && d != '"' && d != '\r' && d != '\n' {
		cw.Comma = d
	}
	_ = cw.Write(line(header, reasonColumn(f.Lang)))
	if err := each(func(r Rejected) error { return cw.Write(line(r.Raw, r.Reason)) }); err != nil {
		return failed(err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return failed(err)
	}
	if tw != nil {
		if err := tw.Close(); err != nil {
			return failed(err)
		}
	}
	return nil
}

func writeRejectedXLSX(w io.Writer, width int, header []string, each func(yield func(Rejected) error) error, line func([]string, string) []string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return errs.Wrap(errs.Internal, "import_write_failed", err, "importer: cannot write the rejected rows")
	}
	cells := make([]any, width+1)
	write := func(n int, values []string) error {
		for i, v := range values {
			cells[i] = v // strings stay text: a phone "0612" keeps its zero, "=1+1" is no formula
		}
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, cells)
	}
	if err := write(1, header); err != nil {
		return errs.Wrap(errs.Internal, "import_write_failed", err, "importer: cannot write the rejected rows")
	}
	n := 1
	if err := each(func(r Rejected) error { n++; return write(n, line(r.Raw, r.Reason)) }); err != nil {
		return errs.Wrap(errs.Internal, "import_write_failed", err, "importer: cannot write the rejected rows")
	}
	if err := sw.Flush(); err != nil {
		return errs.Wrap(errs.Internal, "import_write_failed", err, "importer: cannot write the rejected rows")
	}
	if _, err := f.WriteTo(w); err != nil {
		return errs.Wrap(errs.Unavailable, "import_write_failed", err, "importer: cannot write the rejected rows")
	}
	return nil
}
