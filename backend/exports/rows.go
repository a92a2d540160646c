package exports

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"
	"unsafe"
)

// A spreadsheet's header names every custom field, so the set of custom fields must be known
// before the first row is written; yet each member is read (unsealed, decoded) only once, and
// a list of members is never held in memory. So a writer reads the members once into rows:
// the cells of each member, compactly encoded, while it collects the custom field names; then
// writes the header and reads the rows back. Rows are kept in memory up to rowChunk bytes,
// then in a temporary file in chunks sealed with a key that only this process ever holds
// (AES-256-GCM), so that a crash leaves nothing readable behind and memory stays flat
// whatever the number of members.

// rowChunk is how many bytes of rows are kept in memory; past it they are sealed to a file. A
// variable so tests can lower it.
var rowChunk = 1 << 20

// cell kinds in the rows' encoding.
const (
	cellNone   = 0
	cellText   = 1
	cellMoment = 2
)

// rows is one export's members as encoded rows: len(fixed) cells each (no cell, text or a
// moment), then the member's custom fields as (field number, text) pairs, field numbers
// counting custom field names in the order they were first met.
type rows struct {
	buf    []byte // the rows not yet sealed to file
	file   *os.File
	aead   cipher.AEAD
	sealed uint64  // chunks in file
	at     []int64 // where each chunk starts in file
	size   int64   // of file
	n      int     // rows added

	fields map[string]int // custom field name -> field number
	names  []string       // by field number
}

func newRows() *rows {
	return &rows{buf: make([]byte, 0, rowChunk+rowChunk/8), fields: map[string]int{}}
}

// add encodes one member's row: fixed are the cells of the fixed columns, custom its custom
// fields (empty values are no cell and left out).
func (r *rows) add(fixed []any, custom map[string]string) error {
	for _, v := range fixed {
		switch v := v.(type) {
		case nil:
			r.buf = append(r.buf, cellNone)
		case string:
			r.buf = append(r.buf, cellText)
			r.buf = binary.AppendUvarint(r.buf, uint64(len(v)))
			r.buf = append(r.buf, v...)
		case moment:
			t := time.Time(v)
			r.buf = append(r.buf, cellMoment)
			r.buf = binary.AppendVarint(r.buf, t.Unix())
			r.buf = binary.AppendUvarint(r.buf, uint64(t.Nanosecond()))
		default:
			return fmt.Errorf("exports: no row encoding for %T", v)
		}
	}
	count := 0
	for _, v := range custom {
		if v != "" {
			count++
		}
	}
	r.buf = binary.AppendUvarint(r.buf, uint64(count))
	for k, v := range custom {
		if v == "" {
			continue
		}
		no, ok := r.fields[k]
		if !ok {
			no = len(r.names)
			r.fields[k] = no
			r.names = append(r.names, k)
		}
		r.buf = binary.AppendUvarint(r.buf, uint64(no))
		r.buf = binary.AppendUvarint(r.buf, uint64(len(v)))
		r.buf = append(r.buf, v...)
	}
	r.n++
	if len(r.buf) >= rowChunk {
		return r.seal()
	}
	return nil
}

// seal appends the rows in memory to the file as one chunk, sealed with the chunk's number as
// its nonce.
func (r *rows) seal() error {
	if r.file == nil {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return err
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return err
		}
		if r.aead, err = cipher.NewGCM(block); err != nil {
			return err
		}
		if r.file, err = os.CreateTemp("", "hearth-export-*"); err != nil {
			return err
		}
		// Nothing else needs the name: gone from the directory now where the system allows
		// (the open file stays readable by us), and in any case by close.
		_ = os.Remove(r.file.Name())
	}
	out := r.aead.Seal(nil, r.nonce(r.sealed), r.buf, nil)
	if _, err := r.file.Write(out); err != nil {
		return err
	}
	r.at = append(r.at, r.size)
	r.size += int64(len(out))
	r.sealed++
	r.buf = r.buf[:0]
	return nil
}

func (r *rows) nonce(chunk uint64) []byte {
	n := make([]byte, r.aead.NonceSize())
	binary.BigEndian.PutUint64(n[len(n)-8:], chunk)
	return n
}

// close removes the file, if any.
func (r *rows) close() {
	if r.file != nil {
		_ = r.file.Close()
		_ = os.Remove(r.file.Name())
		r.file = nil
	}
}

// chunks calls fn with each chunk of rows in order, or last first when backwards.
func (r *rows) chunks(backwards bool, fn func(b []byte) error) error {
	for i := range r.sealed {
		chunk := i
		if backwards {
			chunk = r.sealed - 1 - i
			if i == 0 && len(r.buf) > 0 {
				if err := fn(r.buf); err != nil {
					return err
				}
			}
		}
		end := r.size
		if chunk+1 < r.sealed {
			end = r.at[chunk+1]
		}
		b := make([]byte, end-r.at[chunk])
		if _, err := r.file.ReadAt(b, r.at[chunk]); err != nil {
			return err
		}
		plain, err := r.aead.Open(b[:0], r.nonce(chunk), b, nil)
		if err != nil {
			return err
		}
		if err := fn(plain); err != nil {
			return err
		}
	}
	if (!backwards || r.sealed == 0) && len(r.buf) > 0 {
		return fn(r.buf)
	}
	return nil
}

// each reads the rows back in order, or last first when backwards: for each, fixed receives
// its fixed cells (nil, a string or a moment) and custom is called with each custom field's
// number and text, then fn. The strings handed out share the chunks read, which are never
// reused: they stay valid.
func (r *rows) each(backwards bool, fixed []any, custom func(no int, text string), fn func() error) error {
	var starts []int
	return r.chunks(backwards, func(b []byte) (err error) {
		if !backwards {
			for len(b) > 0 {
				if b, err = decodeRow(b, fixed, custom); err != nil {
					return err
				}
				if err := fn(); err != nil {
					return err
				}
			}
			return nil
		}
		starts = starts[:0]
		for rest := b; len(rest) > 0; {
			starts = append(starts, len(b)-len(rest))
			if rest, err = decodeRow(rest, fixed, nil); err != nil {
				return err
			}
		}
		for i := len(starts) - 1; i >= 0; i-- {
			if _, err := decodeRow(b[starts[i]:], fixed, custom); err != nil {
				return err
			}
			if err := fn(); err != nil {
				return err
			}
		}
		return nil
	})
}

var errDamagedRows = errors.New("exports: damaged rows")

// decodeRow decodes the row b starts with into fixed and custom (nil: skipped) and returns
// the rest of b.
func decodeRow(b []byte, fixed []any, custom func(no int, text string)) ([]byte, error) {
	uvarint := func() uint64 {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			b = nil
			return 0
		}
		b = b[n:]
		return v
	}
	text := func() string {
		n := uvarint()
		if uint64(len(b)) < n {
			b = nil
			return ""
		}
		s := unsafe.String(unsafe.SliceData(b), int(n))
		b = b[n:]
		return s
	}
	for i := range fixed {
		if len(b) == 0 {
			return nil, errDamagedRows
		}
		kind := b[0]
		b = b[1:]
		switch kind {
		case cellNone:
			fixed[i] = nil
		case cellText:
			fixed[i] = text()
		case cellMoment:
			sec, n := binary.Varint(b)
			if n <= 0 {
				return nil, errDamagedRows
			}
			b = b[n:]
			fixed[i] = moment(time.Unix(sec, int64(uvarint())))
		default:
			return nil, errDamagedRows
		}
		if b == nil {
			return nil, errDamagedRows
		}
	}
	for range uvarint() {
		no := int(uvarint())
		if s := text(); b != nil && custom != nil {
			custom(no, s)
		}
	}
	if b == nil {
		return nil, errDamagedRows
	}
	return b, nil
}

// rowSet is an export's rows as its two readers left them: the first members in order, and
// the others last first.
type rowSet struct {
	front, back *rows
}

func (rs *rowSet) close() {
	rs.front.close()
	rs.back.close()
}

// fields returns the custom field names of both halves, sorted, and for each half the place
// of each of its field numbers in that order.
func (rs *rowSet) fields() (names []string, front, back []int) {
	names = slices.Concat(rs.front.names, rs.back.names)
	slices.Sort(names)
	names = slices.Compact(names)
	placeOf := func(r *rows) []int {
		place := make([]int, len(r.names))
		for no, k := range r.names {
			place[no], _ = slices.BinarySearch(names, k)
		}
		return place
	}
	return names, placeOf(rs.front), placeOf(rs.back)
}

// each reads every row back in order (see rows.each); before each half, half is called with
// the places of its field numbers.
func (rs *rowSet) each(fixed []any, half func(place []int), custom func(no int, text string), fn func() error) error {
	_, front, back := rs.fields()
	half(front)
	if err := rs.front.each(false, fixed, custom, fn); err != nil {
		return err
	}
	half(back)
	return rs.back.each(true, fixed, custom, fn)
}
