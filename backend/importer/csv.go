package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"

	"golang.org/x/text/transform"

	"hearth/backend/errs"
)

const (
	// sampleSize is how much of the file encoding and delimiter detection look at.
	sampleSize = 64 << 10
	// maxRecordBytes bounds one CSV record: a quote opened and never closed would otherwise
	// make the rest of the file one cell held in memory.
	maxRecordBytes = 8 << 20
)

// errRecordTooLarge is returned by recordGuard when a record outgrows maxRecordBytes.
var errRecordTooLarge = errors.New("record too large")

// csvReader streams a CSV file.
type csvReader struct {
	info    Info
	cr      *csv.Reader
	guard   *recordGuard
	rows    rowBuilder
	closer  io.Closer
	skipped int // lines consumed before the csv.Reader started (an Excel "sep=;" line)
	last    int
	count   int // data rows returned
	err     error
}

// NewCSVReader reads CSV text from r, detecting its encoding and delimiter. The caller closes r.
func NewCSVReader(r io.Reader, opts Options) (Reader, error) {
	return newCSVReader(r, opts, nil)
}

func newCSVReader(r io.Reader, opts Options, closer io.Closer) (*csvReader, error) {
	raw := bufio.NewReaderSize(r, sampleSize)
	head, err := raw.Peek(sampleSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, unreadable(err, "cannot read the file")
	}
	enc, text, err := decode(raw, head)
	if err != nil {
		return nil, err
	}
	guard := &recordGuard{r: text}
	br := bufio.NewReaderSize(guard, sampleSize)
	sample, err := br.Peek(sampleSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, unreadable(err, "cannot read the file")
	}
	c := &csvReader{guard: guard, closer: closer}
	c.info = Info{Format: "csv", Encoding: enc}
	var src io.Reader = br
	// Excel writes "sep=;" as a first line to name the delimiter.
	delim, sepLine := excelSepLine(sample)
	if sepLine {
		if _, err := br.ReadString('\n'); err != nil && !errors.Is(err, io.EOF) {
			return nil, unreadable(err, "cannot read the file")
		}
		c.skipped = 1
	} else {
		delim = detectDelimiter(sample, len(sample) < sampleSize)
	}
	if lonelyCR(sample) {
		src = crToLF{br}
	} else {
		src = transform.NewReader(br, &keepQuotedCR{delim: byte(delim)})
	}
	c.info.Delimiter = string(delim)
	c.cr = csv.NewReader(src)
	c.cr.Comma = delim
	c.cr.LazyQuotes = true
	c.cr.FieldsPerRecord = -1
	c.cr.ReuseRecord = true

	header, _, err := c.record()
	for err == nil && isBlank(header) {
		header, _, err = c.record()
	}
	if errors.Is(err, io.EOF) {
		return nil, errs.New(errs.Invalid, "import_no_header", "importer: the file has no header line")
	}
	if err != nil {
		return nil, err
	}
	if err := c.info.setHeader(header, opts); err != nil {
		return nil, err
	}
	c.rows = rowBuilder{cols: c.info.Columns, order: opts.DateOrder, identities: opts.IdentitiesOnly}
	return c, nil
}

// setHeader records the header and maps its columns.
func (in *Info) setHeader(header []string, opts Options) error {
	if len(header) > MaxColumns {
		return errs.New(errs.Invalid, "import_too_many_columns", "importer: the file has more than "+strconv.Itoa(MaxColumns)+" columns").
			With("max", strconv.Itoa(MaxColumns))
	}
	in.Header = make([]string, len(header))
	for i, h := range header {
		in.Header[i] = strings.TrimSpace(h)
	}
	in.Source = detectSource(in.Header)
	cols, err := newColumns(in.Source, in.Header, opts.Mapping)
	in.Columns = cols
	return err
}

// record reads one record with its starting physical line.
func (c *csvReader) record() ([]string, int, error) {
	c.guard.n = 0
	rec, err := c.cr.Read()
	if err != nil {
		if errors.Is(err, errRecordTooLarge) {
			// FieldPos is only valid after a successful read: name the line after the last row.
			return nil, 0, errs.Wrap(errs.Invalid, "import_record_too_large", err, "importer: a record is too large (a quote is probably never closed)").
				With("line", strconv.Itoa(c.last+1), "max", strconv.Itoa(maxRecordBytes>>20))
		}
		if errors.Is(err, io.EOF) {
			return nil, 0, io.EOF
		}
		return nil, 0, unreadable(err, "cannot read the file")
	}
	restoreCR(rec)
	line, _ := c.cr.FieldPos(0)
	return rec, line + c.skipped, nil
}

func (c *csvReader) Info() Info { return c.info }

func (c *csvReader) Next() (Row, error) {
	if c.err != nil {
		return Row{}, c.err
	}
	for {
		rec, line, err := c.record()
		if err != nil {
			c.err = err
			return Row{}, err
		}
		if isBlank(rec) {
			continue
		}
		if line <= c.last { // cannot happen with encoding/csv; keeps the contract if it did
			line = c.last + 1
		}
		c.last = line
		if c.count++; c.count > MaxRows {
			c.err = tooManyRows()
			return Row{}, c.err
		}
		return c.rows.build(line, append([]string(nil), rec...)), nil
	}
}

func (c *csvReader) Close() error {
	c.err = errors.New("importer: reader closed")
	if c.closer != nil {
		return c.closer.Close()
	}
	return nil
}

// recordGuard fails reads once one record has consumed more than maxRecordBytes.
type recordGuard struct {
	r io.Reader
	n int
}

func (g *recordGuard) Read(p []byte) (int, error) {
	if g.n > maxRecordBytes {
		return 0, errRecordTooLarge
	}
	n, err := g.r.Read(p)
	g.n += n
	return n, err
}

// excelSepLine recognises Excel's "sep=X" first line.
func excelSepLine(sample []byte) (rune, bool) {
	line, _, _ := bytes.Cut(sample, []byte("\n"))
	line = bytes.TrimRight(line, "\r")
	if len(line) == 5 && bytes.EqualFold(line[:4], []byte("sep=")) {
		switch d := rune(line[4]); d {
		case ',', ';', '\t', '|':
			return d, true
		}
	}
	return 0, false
}

var delimiters = []rune{',', ';', '\t', '|'}

// detectDelimiter picks the delimiter that splits the first lines most consistently, ignoring
// delimiters inside quotes. complete says the sample is the whole file (its last line is whole).
func detectDelimiter(sample []byte, complete bool) rune {
	const maxLines = 20
	var counts [][4]int
	var cur [4]int
	quoted, any := false, false
	for i := 0; i < len(sample); i++ {
		b := sample[i]
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == '\n' || b == '\r':
			if any {
				counts = append(counts, cur)
			}
			cur, any = [4]int{}, false
		default:
			any = true
			for k, d := range delimiters {
				if rune(b) == d {
					cur[k]++
				}
			}
		}
		if len(counts) == maxLines {
			break
		}
	}
	if any && complete && len(counts) < maxLines {
		counts = append(counts, cur)
	}
	if len(counts) == 0 {
		return ','
	}
	best, bestScore := ',', 0.0
	for k, d := range delimiters {
		head := counts[0][k]
		if head == 0 {
			continue
		}
		same := 0
		for _, c := range counts {
			if c[k] == head {
				same++
			}
		}
		// Consistency first, then the number of columns it makes.
		score := float64(same)/float64(len(counts))*1000 + float64(min(head, 999))
		if score > bestScore {
			best, bestScore = d, score
		}
	}
	return best
}

// lonelyCR reports old Mac line endings: carriage returns and no line feed at all.
func lonelyCR(sample []byte) bool {
	return bytes.IndexByte(sample, '\r') >= 0 && bytes.IndexByte(sample, '\n') < 0
}

// crToLF turns every carriage return into a line feed, for files that only use CR.
type crToLF struct{ r io.Reader }

func (c crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i, b := range p[:n] {
		if b == '\r' {
			p[i] = '\n'
		}
	}
	return n, err
}
