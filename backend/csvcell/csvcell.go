// Package csvcell makes the cells of the CSV files Hearth writes safe to open in a spreadsheet
// program (CSV or formula injection, as OWASP describes it): a cell that begins with "=", "+",
// "-", "@", a tab or a carriage return would be read by Excel, LibreOffice or Google Sheets as
// a formula, which can run commands (=cmd|' /C calc'!A0), call out to the network
// (=HYPERLINK(...), =WEBSERVICE(...)) or leak other cells. Such a cell gets a single quote in
// front, which those programs show as text and do not evaluate.
//
// A cell that is only a decimal number ("-12", "+33612345678", "-3.5", "-1,5", "1e-3") is left
// as it is: a number is not a formula, and negative amounts and international phone numbers
// keep reading as they were typed. Every other CSV writer of Hearth (members export, rejected
// import rows) writes its cells through Writer, headers included, so no code path forgets one.
package csvcell

import (
	"encoding/csv"
	"io"
	"regexp"
)

// number matches a cell that is a plain decimal number, signed or not, with a point or a
// comma, and an optional exponent: no spreadsheet reads one as a formula.
var number = regexp.MustCompile(`^[+-]?(?:[0-9]+(?:[.,][0-9]*)?|[.,][0-9]+)(?:[eE][+-]?[0-9]+)?$`)

// Neutralise returns s made safe to open in a spreadsheet: prefixed with a single quote when
// it begins with a character that starts a formula and is not a plain number.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if number.MatchString(s) {
			return s
		}
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer whose every cell goes through Neutralise. Set its Comma and UseCRLF as
// a csv.Writer's.
type Writer struct {
	*csv.Writer
	rec []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{Writer: csv.NewWriter(w)} }

// Write writes one record, each cell neutralised; record itself is not modified.
func (w *Writer) Write(record []string) error {
	w.rec = w.rec[:0]
	for _, c := range record {
		w.rec = append(w.rec, Neutralise(c))
	}
	return w.Writer.Write(w.rec)
}

// WriteAll writes records, each cell neutralised, and flushes.
func (w *Writer) WriteAll(records [][]string) error {
	for _, r := range records {
		if err := w.Write(r); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
