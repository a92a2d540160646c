package analytics

import (
	"encoding/binary"
	"encoding/json"
	"maps"
	"slices"
)

// A word record is rewritten by every transaction holding its author's records of its month,
// and its nested maps cost more to read and write as JSON than the rest of the transaction's
// counters: it is stored compactly, as a JSON string holding base64 of a binary layout, as
// active records are (activecodec.go). Records written as JSON objects before (up to December
// 2026) are read as they are and rewritten compactly the next time they change.
//
// Binary layout (wordFormat 1): format byte; the owner and the month, each a uvarint length
// and the bytes; a uvarint count of days, each (in day order) the day as a varint and a uvarint
// count of words, each (in word order) a uvarint length, the word and its count as a varint.

const wordFormat = 1

// legacyWordRecord is the JSON object layout of word records before the compact one.
type legacyWordRecord struct {
	Owner string                   `json:"owner,omitempty"`
	Month string                   `json:"month"`
	Days  map[int32]map[string]int `json:"days"`
}

// MarshalJSON writes the record compactly (see wordFormat).
func (r wordRecord) MarshalJSON() ([]byte, error) { return compactJSON(r.appendBinary(nil)), nil }

// UnmarshalJSON reads the compact layout, or the JSON object one of earlier records.
func (r *wordRecord) UnmarshalJSON(data []byte) error {
	b, legacy, err := fromCompactJSON(data)
	if err != nil {
		return err
	}
	if legacy {
		var old legacyWordRecord
		if err := json.Unmarshal(data, &old); err != nil {
			return err
		}
		*r = wordRecord(old)
		return nil
	}
	return r.decodeBinary(b)
}

func (r wordRecord) appendBinary(b []byte) []byte {
	b = append(b, wordFormat)
	b = binary.AppendUvarint(b, uint64(len(r.Owner)))
	b = append(b, r.Owner...)
	b = binary.AppendUvarint(b, uint64(len(r.Month)))
	b = append(b, r.Month...)
	b = binary.AppendUvarint(b, uint64(len(r.Days)))
	for _, day := range slices.Sorted(maps.Keys(r.Days)) {
		ws := r.Days[day]
		b = binary.AppendVarint(b, int64(day))
		b = binary.AppendUvarint(b, uint64(len(ws)))
		for _, w := range slices.Sorted(maps.Keys(ws)) {
			b = binary.AppendUvarint(b, uint64(len(w)))
			b = append(b, w...)
			b = binary.AppendVarint(b, int64(ws[w]))
		}
	}
	return b
}

func (r *wordRecord) decodeBinary(b []byte) error {
	d := activeDecoder{b: b}
	if d.byte() != wordFormat {
		return errActiveLayout
	}
	r.Owner = string(d.bytes(d.count()))
	r.Month = string(d.bytes(d.count()))
	n := d.count()
	r.Days = make(map[int32]map[string]int, n)
	for range n {
		day := int32(d.varint())
		nw := d.count()
		ws := make(map[string]int, nw)
		for range nw {
			w := string(d.bytes(d.count()))
			ws[w] = int(d.varint())
		}
		if d.err != nil {
			return d.err
		}
		r.Days[day] = ws
	}
	if d.err == nil && len(d.b) > 0 {
		return errActiveLayout
	}
	return d.err
}
