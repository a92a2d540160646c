// Package snapcodec is the compact binary encoding of the views saved as store snapshots (the
// member directory, the analytics index): varints and length-prefixed strings, written in one
// pass and read back with a sticky error, so a decoder checks once at the end.
package snapcodec

import (
	"encoding/binary"
	"errors"
	"io"
	"math"
	"unsafe"
)

// ErrDamaged is returned by a Reader whose bytes end early or hold impossible lengths.
var ErrDamaged = errors.New("snapcodec: damaged view")

// Writer appends values to a buffer.
type Writer struct{ b []byte }

// Bytes returns what was written.
func (w *Writer) Bytes() []byte { return w.b }

// WriteTo writes what was written to out.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	n, err := out.Write(w.b)
	return int64(n), err
}

// Uint writes an unsigned integer.
func (w *Writer) Uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }

// Int writes a signed integer.
func (w *Writer) Int(v int64) { w.b = binary.AppendVarint(w.b, v) }

// Bool writes a boolean.
func (w *Writer) Bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

// String writes a length-prefixed string.
func (w *Writer) String(s string) {
	w.Uint(uint64(len(s)))
	w.b = append(w.b, s...)
}

// Strings writes a counted list of strings.
func (w *Writer) Strings(ss []string) {
	w.Uint(uint64(len(ss)))
	for _, s := range ss {
		w.String(s)
	}
}

// Reader reads values back; after the first failure every read returns zero and Err says why.
type Reader struct {
	b   []byte // what is left to read
	all string // every byte given to NewReader, shared by the strings read
	err error
}

// NewReader reads b, and takes it: the strings it reads share b's memory instead of each being
// copied (a view of 100,000 members holds about a million strings), so b must never be changed
// afterwards. A string read keeps all of b alive; the views keep most of them anyway.
func NewReader(b []byte) *Reader {
	r := &Reader{b: b}
	if len(b) > 0 {
		r.all = unsafe.String(&b[0], len(b))
	}
	return r
}

// Err is the first failure, or nil.
func (r *Reader) Err() error { return r.err }

// Done reports an error unless every byte was read without failure.
func (r *Reader) Done() error {
	if r.err == nil && len(r.b) != 0 {
		r.err = ErrDamaged
	}
	return r.err
}

func (r *Reader) fail() { r.err, r.b = ErrDamaged, nil }

// Uint reads an unsigned integer.
func (r *Reader) Uint() uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Int reads a signed integer.
func (r *Reader) Int() int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.fail()
		return 0
	}
	r.b = r.b[n:]
	return v
}

// Int32 reads a signed integer that must fit 32 bits.
func (r *Reader) Int32() int32 {
	v := r.Int()
	if v < math.MinInt32 || v > math.MaxInt32 {
		r.fail()
		return 0
	}
	return int32(v)
}

// Bool reads a boolean.
func (r *Reader) Bool() bool {
	if r.err != nil {
		return false
	}
	if len(r.b) == 0 || r.b[0] > 1 {
		r.fail()
		return false
	}
	v := r.b[0] == 1
	r.b = r.b[1:]
	return v
}

// String reads a length-prefixed string.
func (r *Reader) String() string {
	n := r.Uint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.b)) {
		r.fail()
		return ""
	}
	at := len(r.all) - len(r.b)
	r.b = r.b[n:]
	return r.all[at : at+int(n)]
}

// Count reads a list length, refusing one longer than the bytes left could hold (each item
// takes at least min bytes), so a damaged length never allocates gigabytes.
func (r *Reader) Count(min int) int {
	n := r.Uint()
	if r.err != nil {
		return 0
	}
	if n > uint64(len(r.b)/max(min, 1)) {
		r.fail()
		return 0
	}
	return int(n)
}

// Strings reads a counted list of strings.
func (r *Reader) Strings() []string {
	n := r.Count(1)
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.String()
	}
	return out
}
