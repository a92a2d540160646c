package importer

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"hearth/backend/errs"
)

// xlsxOptions makes excelize render the built-in date formats as ISO dates (instead of the
// US "mm-dd-yy") so date cells come back unambiguous, and bounds what unzipping may cost:
// worksheets over 16 MiB are spooled to a temporary file rather than held in memory, and no
// more than 1 GiB is unzipped.
func xlsxOptions() excelize.Options {
	return excelize.Options{
		ShortDatePattern:  "yyyy-mm-dd",
		LongTimePattern:   "hh:mm:ss",
		UnzipSizeLimit:    1 << 30,
		UnzipXMLSizeLimit: xlsxSpoolSize,
	}
}

const (
	// xlsxSpoolSize is the size above which excelize spools a worksheet or the shared strings
	// to a temporary file instead of memory.
	xlsxSpoolSize = 16 << 20
	// maxXLSXMemory bounds the parts of a workbook excelize holds in memory. It reads every
	// other part whole, allocating the size the zip declares before reading a byte, so a
	// 200-byte file declaring a 4 GiB styles.xml would otherwise exhaust memory.
	maxXLSXMemory = 128 << 20
	// maxXMLPart bounds each XML part excelize reads and parses whole (styles, workbook,
	// relationships...): parsing takes several times a part's size (200 MB of styles took
	// 1.3 GB).
	maxXMLPart = 16 << 20
)

// checkZip refuses a workbook whose parts excelize would hold in memory declare more than
// maxXLSXMemory bytes, or one such XML part more than maxXMLPart.
func checkZip(zr *zip.Reader) error {
	var total uint64
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		size := f.UncompressedSize64
		spooled := size > xlsxSpoolSize && !f.FileInfo().IsDir() &&
			(strings.HasPrefix(name, "xl/worksheets/sheet") || name == "xl/sharedstrings.xml")
		if !spooled {
			total += min(size, maxXLSXMemory+1)
		}
		if total > maxXLSXMemory {
			return errs.New(errs.Invalid, "import_unreadable", "importer: the workbook is too large (images or other parts over 128 MiB)").With("format", "xlsx")
		}
		if xmlPart := strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") || strings.HasSuffix(name, ".vml"); xmlPart && !spooled && size > maxXMLPart {
			return errs.New(errs.Invalid, "import_unreadable", "importer: the workbook's "+f.Name+" is over 16 MiB").With("format", "xlsx")
		}
	}
	return nil
}

// xlsxReader streams one sheet of a workbook.
type xlsxReader struct {
	info   Info
	f      *excelize.File
	rows   *excelize.Rows
	build  rowBuilder
	rowNum int
	err    error
}

// NewXLSXReader reads a workbook from r. excelize needs random access to the zip, so r is read
// into memory first: prefer Open for files on disk.
func NewXLSXReader(r io.Reader, opts Options) (rd Reader, err error) {
	defer recoverInto(&err)
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, unreadable(err, "cannot read the file")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, unreadableXLSX(err)
	}
	if err := checkZip(zr); err != nil {
		return nil, err
	}
	if err := checkParts(zr); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), xlsxOptions())
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		return nil, unreadableXLSX(err)
	}
	return newXLSXReader(f, opts)
}

func openXLSXFile(path string, opts Options) (rd Reader, err error) {
	defer recoverInto(&err)
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, unreadableXLSX(err)
	}
	err = checkZip(&zr.Reader)
	if err == nil {
		err = checkParts(&zr.Reader)
	}
	zr.Close()
	if err != nil {
		return nil, err
	}
	f, err := excelize.OpenFile(path, xlsxOptions())
	if err != nil {
		if f != nil {
			_ = f.Close()
		}
		return nil, unreadableXLSX(err)
	}
	return newXLSXReader(f, opts)
}

func unreadableXLSX(err error) *errs.Error {
	return errs.Wrap(errs.Invalid, "import_unreadable", err, "importer: the file is not a readable .xlsx workbook").With("format", "xlsx")
}

// recoverInto turns a panic of the workbook parser on a malformed file into an error: a file
// a person picked must not take the app down.
func recoverInto(err *error) {
	if p := recover(); p != nil {
		*err = unreadableXLSX(fmt.Errorf("panic: %v", p))
	}
}

func newXLSXReader(f *excelize.File, opts Options) (rd Reader, err error) {
	x := &xlsxReader{f: f, info: Info{Format: "xlsx"}}
	defer func() {
		if err != nil {
			x.Close()
		}
	}()
	x.info.Sheets = f.GetSheetList()
	if len(x.info.Sheets) == 0 {
		return nil, unreadableXLSX(errors.New("no sheet"))
	}
	x.info.Sheet = x.info.Sheets[0]
	if opts.Sheet != "" {
		x.info.Sheet = ""
		for _, s := range x.info.Sheets {
			if s == opts.Sheet || (x.info.Sheet == "" && strings.EqualFold(s, opts.Sheet)) {
				x.info.Sheet = s
			}
		}
		if x.info.Sheet == "" {
			return nil, errs.New(errs.NotFound, "import_sheet_not_found", "importer: no sheet named "+opts.Sheet).With("sheet", opts.Sheet)
		}
	}
	if x.rows, err = f.Rows(x.info.Sheet); err != nil {
		return nil, unreadableXLSX(err)
	}
	header, _, err := x.next()
	for err == nil && isBlank(header) {
		header, _, err = x.next()
	}
	if errors.Is(err, io.EOF) {
		return nil, errs.New(errs.Invalid, "import_no_header", "importer: the sheet has no header row").With("sheet", x.info.Sheet)
	}
	if err != nil {
		return nil, err
	}
	if err := x.info.setHeader(header, opts); err != nil {
		return nil, err
	}
	x.build = rowBuilder{cols: x.info.Columns, order: opts.DateOrder, identities: opts.IdentitiesOnly}
	return x, nil
}

// next reads the cells of the next row and its number.
func (x *xlsxReader) next() (cells []string, num int, err error) {
	defer recoverInto(&err)
	if !x.rows.Next() {
		if err := x.rows.Error(); err != nil {
			return nil, 0, unreadableXLSX(err)
		}
		return nil, 0, io.EOF
	}
	x.rowNum++
	if x.rowNum > MaxRows+1 { // the header and MaxRows rows
		return nil, 0, tooManyRows()
	}
	cells, err = x.rows.Columns()
	if err != nil {
		return nil, 0, unreadableXLSX(err)
	}
	return cells, x.rowNum, nil
}

func (x *xlsxReader) Info() Info { return x.info }

func (x *xlsxReader) Next() (Row, error) {
	if x.err != nil {
		return Row{}, x.err
	}
	for {
		cells, num, err := x.next()
		if err != nil {
			x.err = err
			return Row{}, err
		}
		if !isBlank(cells) {
			return x.build.build(num, cells), nil
		}
	}
}

func (x *xlsxReader) Close() error {
	if x.err == nil {
		x.err = errors.New("importer: reader closed")
	}
	var err error
	if x.rows != nil {
		_ = x.rows.Close() // reports the iteration error again, already returned by Next
		x.rows = nil
	}
	if x.f != nil {
		err = x.f.Close()
		x.f = nil
	}
	return err
}
