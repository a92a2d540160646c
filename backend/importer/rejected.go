package importer

import (
	"encoding/csv"
	"errors"
	"io"

	"github.com/xuri/excelize/v2"

	"hearth/backend/errs"
	"hearth/backend/privatefile"
)

// Rejected is a row the import did not take, with the reason to show the person.
type Rejected struct {
	Line   int      `json:"line"`
	Raw    []string `json:"raw"`
	Reason string   `json:"reason"`
}

// RejectedColumn is the header of the reason column WriteRejected appends. Importing the fixed
// file again ignores that column when it is the last one.
const RejectedColumn = "Error"

// SaveRejected writes the rejected rows to path (see WriteRejected) with privatefile: they hold
// personal data, so the file is its owner's only, and replaced whole or not at all.
func SaveRejected(path, format string, header []string, rows []Rejected) error {
	err := privatefile.Write(path, func(w io.Writer) error { return WriteRejected(w, format, header, rows) })
	if fe := (*privatefile.Error)(nil); errors.As(err, &fe) {
		return errs.Wrap(errs.Unavailable, "export_write", err, "importer: cannot write the rejected rows")
	}
	return err
}

// WriteRejected writes the rejected rows as "csv" (UTF-8 with a BOM, so Excel shows accents)
// or "xlsx": the original header and cells, then the reason in a final "Error" column.
func WriteRejected(w io.Writer, format string, header []string, rows []Rejected) error {
	width := len(header)
	for _, r := range rows {
		width = max(width, len(r.Raw))
	}
	line := func(cells []string, last string) []string {
		out := make([]string, width+1)
		copy(out, cells)
		out[width] = last
		return out
	}
	switch format {
	case "csv":
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return errs.Wrap(errs.Unavailable, "import_write_failed", err, "importer: cannot write the rejected rows")
		}
		cw := csv.NewWriter(w)
		_ = cw.Write(line(header, RejectedColumn))
		for _, r := range rows {
			_ = cw.Write(line(r.Raw, r.Reason))
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return errs.Wrap(errs.Unavailable, "import_write_failed", err, "importer: cannot write the rejected rows")
		}
		return nil
	case "xlsx":
		return writeRejectedXLSX(w, width, line(header, RejectedColumn), rows, line)
	}
	return errs.New(errs.Invalid, "import_unknown_format", "importer: rejected rows are written as csv or xlsx").With("format", format)
}

func writeRejectedXLSX(w io.Writer, width int, header []string, rows []Rejected, line func([]string, string) []string) error {
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
	for i, r := range rows {
		if err := write(i+2, line(r.Raw, r.Reason)); err != nil {
			return errs.Wrap(errs.Internal, "import_write_failed", err, "importer: cannot write the rejected rows")
		}
	}
	if err := sw.Flush(); err != nil {
		return errs.Wrap(errs.Internal, "import_write_failed", err, "importer: cannot write the rejected rows")
	}
	if _, err := f.WriteTo(w); err != nil {
		return errs.Wrap(errs.Unavailable, "import_write_failed", err, "importer: cannot write the rejected rows")
	}
	return nil
}
