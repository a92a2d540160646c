package importer

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"

	"hearth/backend/errs"
)

// A file a person picks may be hostile or broken: a 1 MB workbook can unzip to one 1 GiB
// cell, or declare twenty million rows. Every import stays in bounded memory (aim: under
// 300 MB, whatever the file) through these limits, each refused with a message that says which.
const (
	// MaxRows is the most data rows a file may hold: far beyond any community's member list,
	// and what the first reading (which remembers each row's e-mails and handles to find the
	// rows of one person) can hold in memory.
	MaxRows = 1_000_000
	// MaxColumns is the most columns a file may have: a member keeps at most 50 custom fields,
	// and every row's cells are held while its batch is merged.
	MaxColumns = 1000
	// maxCellBytes bounds one cell of a workbook (a shared string or a cell of the sheet).
	maxCellBytes = 1 << 20
	// maxRowXML bounds one row of a worksheet as XML, cells and markup together.
	maxRowXML = maxRecordBytes
	// maxSharedStrings bounds the shared-string table: the workbook reader keeps an offset
	// pair for each.
	maxSharedStrings = 4 * MaxRows
)

func tooManyRows() *errs.Error {
	return errs.New(errs.Invalid, "import_too_many_rows", "importer: the file has more than "+strconv.Itoa(MaxRows)+" rows").
		With("max", strconv.Itoa(MaxRows))
}

func cellTooLarge(mb int) *errs.Error {
	return errs.New(errs.Invalid, "import_cell_too_large", "importer: a cell holds more than "+strconv.Itoa(mb)+" MB").
		With("max", strconv.Itoa(mb))
}

// checkParts reads the shared strings and the worksheets of a workbook as a stream, before
// the workbook reader parses them whole element by element, and refuses a cell or a row too
// large to hold, or more shared strings than rows could use.
func checkParts(zr *zip.Reader) error {
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		var err error
		switch {
		case name == "xl/sharedstrings.xml":
			err = checkPart(f, "si", maxCellBytes, maxSharedStrings, cellTooLarge(maxCellBytes>>20))
		case strings.HasPrefix(name, "xl/worksheets/sheet") && strings.HasSuffix(name, ".xml"):
			err = checkPart(f, "row", maxRowXML, MaxRows+1, cellTooLarge(maxRowXML>>20))
		default:
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// checkPart fails with tooLarge when an element called tag of the part spans more than limit
// bytes, and with tooManyRows when there are more than most of them.
func checkPart(f *zip.File, tag string, limit int64, most int, tooLarge *errs.Error) error {
	rc, err := f.Open()
	if err != nil {
		return unreadableXLSX(err)
	}
	defer rc.Close()
	count, err := scanElements(rc, tag, limit, most)
	switch {
	case errors.Is(err, errElementTooLarge):
		return tooLarge
	case errors.Is(err, errTooManyElements):
		return tooManyRows()
	case err != nil:
		return unreadableXLSX(err)
	}
	_ = count
	return nil
}

var (
	errElementTooLarge = errors.New("element too large")
	errTooManyElements = errors.New("too many elements")
)

// scanElements counts the elements called tag in the XML text r (which do not nest: <si>,
// <row>), failing as soon as one spans more than limit bytes or there are more than most.
// It looks at tags only, never holding more than its buffer.
func scanElements(r io.Reader, tag string, limit int64, most int) (int, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	var pos, start int64 = 0, -1
	count := 0
	// name returns the local name of the tag p starts (after '<'), and whether it closes.
	name := func(p []byte) ([]byte, bool) {
		closing := len(p) > 0 && p[0] == '/'
		if closing {
			p = p[1:]
		}
		end := bytes.IndexAny(p, " >/\t\n\r")
		if end < 0 {
			return nil, closing
		}
		p = p[:end]
		if i := bytes.IndexByte(p, ':'); i >= 0 { // a namespace prefix: <x:row>
			p = p[i+1:]
		}
		return p, closing
	}
	for {
		chunk, err := br.ReadSlice('<')
		pos += int64(len(chunk))
		if start >= 0 && pos-start > limit {
			return count, errElementTooLarge
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if errors.Is(err, io.EOF) {
			return count, nil
		}
		if err != nil {
			return count, err
		}
		p, _ := br.Peek(64)
		local, closing := name(p)
		if string(local) != tag {
			continue
		}
		if closing {
			start = -1
			continue
		}
		count++
		if count > most {
			return count, errTooManyElements
		}
		start = pos - 1
	}
}
