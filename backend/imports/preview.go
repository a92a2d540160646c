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
	importer.Info
	Rows   []PreviewRow `json:"rows"`
	Fields []string     `json:"fields"`
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
	p := Preview{Info: r.Info(), Rows: []PreviewRow{}, Fields: importer.Fields()}
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
