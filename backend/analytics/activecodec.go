package analytics

import (
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"

	"github.com/oklog/ulid/v2"
)

// An active record is rewritten by every transaction whose activity falls on its day and
// bucket, and read by every new process: it is stored compactly, as a JSON string holding
// base64 of a binary layout, instead of as a JSON object per member (about a third of the
// bytes, and no JSON parsing per member). Records written as JSON objects before (counter
// version 7 up to December 2026) are read as they are and rewritten compactly the next time
// they change.
//
// Binary layout (activeFormat 1): format byte; uvarint count of kinds, each a uvarint length
// and the kind's name (the record's kind table); uvarint count of members, each an id
// (a tag byte: idULID then the 16 bytes of a ULID whose canonical text is the id, or idText
// then a uvarint length and the bytes) and a uvarint count of counts, each the kind's
// uvarint index in the table and the count as a varint. Members are in id order.

const activeFormat = 1

const (
	idText = 0
	idULID = 1
)

// errActiveLayout says an active record's bytes are not a known layout.
var errActiveLayout = errors.New("analytics: active record of an unknown layout")

// legacyActive is the JSON object layout of active records before the compact one.
type legacyActive struct {
	Members []activeMember `json:"m"`
}

// MarshalJSON writes the record compactly (see activeFormat).
func (r activeRecord) MarshalJSON() ([]byte, error) { return compactJSON(r.appendBinary(nil)), nil }

// UnmarshalJSON reads the compact layout, or the JSON object one of earlier records.
func (r *activeRecord) UnmarshalJSON(data []byte) error {
	b, legacy, err := fromCompactJSON(data)
	if err != nil {
		return err
	}
	if legacy {
		var old legacyActive
		if err := json.Unmarshal(data, &old); err != nil {
			return err
		}
		r.Members = old.Members
		return nil
	}
	return r.decodeBinary(b)
}

// compactJSON is a record's binary layout b as the JSON the store keeps: a base64 string.
func compactJSON(b []byte) []byte {
	out := make([]byte, 0, base64.StdEncoding.EncodedLen(len(b))+2)
	out = append(out, '"')
	out = base64.StdEncoding.AppendEncode(out, b)
	return append(out, '"')
}

// fromCompactJSON returns the binary layout compactJSON wrapped in data, or legacy when data is
// a JSON object (a record written before the compact layout, for the caller to decode).
func fromCompactJSON(data []byte) (b []byte, legacy bool, err error) {
	if len(data) > 0 && data[0] == '{' {
		return nil, true, nil
	}
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return nil, false, errActiveLayout
	}
	b, err = base64.StdEncoding.AppendDecode(nil, data[1:len(data)-1])
	return b, false, err
}

// appendBinary appends the record's binary layout to b.
func (r activeRecord) appendBinary(b []byte) []byte {
	var kinds []string
	for _, m := range r.Members {
		for _, k := range m.Kinds {
			if !containsString(kinds, k) {
				kinds = append(kinds, k)
			}
		}
	}
	b = append(b, activeFormat)
	b = binary.AppendUvarint(b, uint64(len(kinds)))
	for _, k := range kinds {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
	}
	b = binary.AppendUvarint(b, uint64(len(r.Members)))
	for _, m := range r.Members {
		if u, err := ulid.ParseStrict(m.ID); err == nil && u.String() == m.ID {
			b = append(b, idULID)
			b = append(b, u[:]...)
		} else {
			b = append(b, idText)
			b = binary.AppendUvarint(b, uint64(len(m.ID)))
			b = append(b, m.ID...)
		}
		n := min(len(m.Kinds), len(m.N))
		b = binary.AppendUvarint(b, uint64(n))
		for i := range n {
			b = binary.AppendUvarint(b, uint64(indexOfString(kinds, m.Kinds[i])))
			b = binary.AppendVarint(b, int64(m.N[i]))
		}
	}
	return b
}

// decodeBinary reads a record's binary layout.
func (r *activeRecord) decodeBinary(b []byte) error {
	d := activeDecoder{b: b}
	if d.byte() != activeFormat {
		return errActiveLayout
	}
	kinds := make([]string, d.count())
	for i := range kinds {
		kinds[i] = string(d.bytes(d.count()))
	}
	r.Members = make([]activeMember, d.count())
	for i := range r.Members {
		m := &r.Members[i]
		switch d.byte() {
		case idULID:
			var u ulid.ULID
			copy(u[:], d.bytes(len(u)))
			m.ID = u.String()
		case idText:
			m.ID = string(d.bytes(d.count()))
		default:
			d.err = errActiveLayout
		}
		n := d.count()
		m.Kinds, m.N = make([]string, n), make([]int32, n)
		for j := range n {
			if k := d.uvarint(); k < uint64(len(kinds)) {
				m.Kinds[j] = kinds[k]
			} else {
				d.err = errActiveLayout
			}
			m.N[j] = int32(d.varint())
		}
		if d.err != nil {
			return d.err
		}
	}
	if d.err == nil && len(d.b) > 0 {
		return errActiveLayout
	}
	return d.err
}

// activeDecoder reads a binary layout; after the first error every read returns zeros.
type activeDecoder struct {
	b   []byte
	err error
}

func (d *activeDecoder) byte() byte {
	if d.err != nil || len(d.b) == 0 {
		d.err = errActiveLayout
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

// count reads a uvarint bounded by what is left to read (no count is larger: each counted
// item takes a byte at least), so that damaged bytes cannot ask for a huge allocation.
func (d *activeDecoder) count() int {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 || v > uint64(len(d.b)) {
		d.err = errActiveLayout
		return 0
	}
	d.b = d.b[n:]
	return int(v)
}

func (d *activeDecoder) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.err = errActiveLayout
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *activeDecoder) varint() int64 {
	if d.err != nil {
		return 0
	}
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.err = errActiveLayout
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *activeDecoder) bytes(n int) []byte {
	if d.err != nil || n > len(d.b) {
		d.err = errActiveLayout
		return nil
	}
	out := d.b[:n]
	d.b = d.b[n:]
	return out
}

func containsString(s []string, v string) bool { return indexOfString(s, v) >= 0 }

func indexOfString(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return -1
}
