package imports

import (
	"errors"
	"io"

	"hearth/backend/importer"
)

// PreviewRow is one row as read, for showing the file before importing it.
type PreviewRow struct {
	Line  int      `json:"line"`
	Cells []string `json:"cells"`
}

// Preview shows how a file will be read: its detected format, source, encoding, delimiter and
// sheets, the column mapping, the first rows, and the fields a column can be mapped to.
type Preview struct {
	Format    string            `json:"format"`
	Source    importer.Source   `json:"source"`
	Encoding  string            `json:"encoding"`
	Delimiter string            `json:"delimiter"`
	Sheets    []string          `json:"sheets"`
	Sheet     string            `json:"sheet"`
	Header    []string          `json:"header"`
	Columns   []importer.Column `json:"columns"`
	Rows      []PreviewRow      `json:"rows"`
	Fields    []string          `json:"fields"`
}

// RejectedFile is how to write the rejected rows of the previewed file: in its format,
// delimiter and encoding, the reason column named in lang.
func (p Preview) RejectedFile(lang string) importer.RejectedFile {
	return importer.RejectedFile{Format: p.Format, Delimiter: p.Delimiter, Encoding: p.Encoding, Lang: lang}
}

// previewRows is how many rows a preview shows.
const previewRows = 20

// Preview reads the start of the file in req.
func (s *Service) Preview(req Request) (Preview, error) {
	r, err := importer.Open(req.Path, importer.Options{Sheet: req.Sheet, Mapping: req.Mapping})
	if err != nil {
		return Preview{}, err
	}
	defer r.Close()
	info := r.Info()
	p := Preview{Format: info.Format, Source: info.Source, Encoding: info.Encoding, Delimiter: info.Delimiter,
		Sheets: info.Sheets, Sheet: info.Sheet, Header: info.Header, Columns: info.Columns,
		Rows: []PreviewRow{}, Fields: importer.Fields()}
	if p.Sheets == nil { // a CSV file has no sheets: an empty list, never null
		p.Sheets = []string{}
	}
	for len(p.Rows) < previewRows {
		row, err := r.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Preview{}, err
		}
		p.Rows = append(p.Rows, PreviewRow{Line: row.Line, Cells: row.Raw})
	}
	return p, nil
}
