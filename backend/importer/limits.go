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
// large to hold, or more rows, or more shared strings than rows could use.
func checkParts(zr *zip.Reader) error {
	cell := cellTooLarge(maxCellBytes >> 20)
	for _, f := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(f.Name, "\\", "/"))
		var limits []elementLimit
		switch {
		case name == "xl/sharedstrings.xml":
			limits = []elementLimit{{tag: "si", bytes: maxCellBytes, most: maxSharedStrings, tooLarge: cell}}
		case strings.HasPrefix(name, "xl/worksheets/sheet") && strings.HasSuffix(name, ".xml"):
			limits = []elementLimit{
				{tag: "row", bytes: maxRowXML, most: MaxRows + 1, tooLarge: cellTooLarge(maxRowXML >> 20)},
				{tag: "c", bytes: maxCellBytes + 4<<10, tooLarge: cell}, // the cell's text and its markup
			}
		default:
			continue
		}
		if err := checkPart(f, limits); err != nil {
			return err
		}
	}
	return nil
}

// elementLimit bounds the elements called tag of an XML part (elements that do not nest
// within themselves: <si>, <row>, <c>): each at most bytes long, tooLarge otherwise, and at
// most most of them (no bound when 0), tooManyRows otherwise.
type elementLimit struct {
	tag      string
	bytes    int64
	most     int
	tooLarge *errs.Error
}

func checkPart(f *zip.File, limits []elementLimit) error {
	rc, err := f.Open()
	if err != nil {
		return unreadableXLSX(err)
	}
	defer rc.Close()
	if err := scanElements(rc, limits); err != nil {
		var e *errs.Error
		if errors.As(err, &e) {
			return e
		}
		return unreadableXLSX(err)
	}
	return nil
}

// scanElements reads the XML text r and fails as soon as an element breaks its limit. It looks
// at tags only, never holding more than its buffer.
func scanElements(r io.Reader, limits []elementLimit) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var pos int64
	starts := make([]int64, len(limits))
	counts := make([]int, len(limits))
	for i := range starts {
		starts[i] = -1
	}
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
	// read consumes up to and including delim, checking the open elements' sizes as it goes;
	// it returns the last byte before delim.
	read := func(delim byte) (byte, error) {
		for {
			chunk, err := br.ReadSlice(delim)
			pos += int64(len(chunk))
			for i, l := range limits {
				if starts[i] >= 0 && pos-starts[i] > l.bytes {
					return 0, l.tooLarge
				}
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err != nil {
				return 0, err
			}
			if len(chunk) >= 2 {
				return chunk[len(chunk)-2], nil
			}
			return 0, nil
		}
	}
	for {
		if _, err := read('<'); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		p, _ := br.Peek(64)
		local, closing := name(p)
		for i, l := range limits {
			if string(local) != l.tag {
				continue
			}
			if closing {
				starts[i] = -1
				continue
			}
			counts[i]++
			if l.most > 0 && counts[i] > l.most {
				return tooManyRows()
			}
			starts[i] = pos - 1
			last, err := read('>')
			if err != nil {
				if errors.Is(err, io.EOF) {
					return nil
				}
				return err
			}
			if last == '/' { // <c r="A1"/>: no content
				starts[i] = -1
			}
			break
		}
	}
}
