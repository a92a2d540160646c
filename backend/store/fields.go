package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"

	"github.com/dgraph-io/badger/v4"

	"hearth/backend/errs"
	"hearth/backend/hlc"
)

// Field stamps: what lets two copies that edited one record apart keep both edits.
//
// A collection declared with Fields keeps, beside each record edited at least once, the stamp of
// the last write of each top-level field of its JSON (`f/<collection>/<id>`, sealed like the
// record). Fields listed as Sets (JSON arrays: tags, e-mails) keep a stamp per element, present
// or removed; fields listed as Maps (JSON objects: custom fields) a stamp per key. A record never
// edited has none: every field is as old as the record. Merging two versions then takes, field by
// field (element by element, key by key), the newer write: a name changed on one copy and the
// notes on another both stay; a tag added on one copy and another added on the other both stay;
// a tag removed on one copy stays removed unless the other added it again later. The join is
// commutative, associative and idempotent, so copies converge whatever order they meet in.

// FieldMerge says which fields of a collection's records merge by element or by key.
type FieldMerge struct {
	Sets []string
	Maps []string
}

// Stamp is the write that last set a field, an element or a key.
type Stamp struct {
	HLC     hlc.Timestamp `json:"h"`
	Replica string        `json:"r"`
	// Gone says the element or key was removed by that write.
	Gone bool `json:"g,omitempty"`
}

func (a Stamp) after(b Stamp) bool { return newer(a.HLC, a.Replica, a.Gone, b.HLC, b.Replica, b.Gone) }

// Stamps maps a field ("name"), a set element (field, NUL, the element's JSON) or a map key
// (field, NUL, the key's JSON string) to its last write. The empty key holds the stamp every
// field not listed has: the record's first version.
type Stamps map[string]Stamp

const baseStamp = ""

func fieldsKey(coll, id string) []byte { return []byte("f/" + coll + "/" + id) }

// stampOf is the stamp of a field, element or key under fs, whose record was written at rec.
func (fs Stamps) stampOf(k string, rec Stamp) Stamp {
	if s, ok := fs[k]; ok {
		return s
	}
	if s, ok := fs[baseStamp]; ok {
		return s
	}
	return rec
}

// readStamps reads a record's field stamps (nil when it has none).
func (tx *Tx) readStamps(coll, id, subject string, sealed bool) (Stamps, error) {
	key := fieldsKey(coll, id)
	item, err := tx.txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, wrapBadger(err, "store: field stamps")
	}
	b, err := item.ValueCopy(nil)
	if err != nil {
		return nil, wrapBadger(err, "store: field stamps")
	}
	if sealed {
		k, found, err := tx.s.keys.key(subject, false)
		if err != nil || !found {
			return nil, err
		}
		if b, err = open(k, key, b); err != nil {
			return nil, damaged(CodeDataDamaged, string(key), err)
		}
	}
	var fs Stamps
	if err := json.Unmarshal(b, &fs); err != nil {
		return nil, damaged(CodeDataDamaged, string(key), err)
	}
	return fs, nil
}

// writeStamps writes a record's field stamps, sealed under subject when the record is.
func (tx *Tx) writeStamps(coll, id, subject string, sealed bool, fs Stamps) error {
	key := fieldsKey(coll, id)
	if len(fs) == 0 {
		return wrapBadger(tx.txn.Delete(key), "store: field stamps")
	}
	b, err := json.Marshal(fs)
	if err != nil {
		return errs.Wrap(errs.Internal, "internal", err, "store: field stamps")
	}
	if sealed {
		k, _, err := tx.s.keys.key(subject, true)
		if err != nil {
			return errs.Wrap(errs.Internal, "internal", err, "store: data key")
		}
		if b, err = seal(k, key, b); err != nil {
			return errs.Wrap(errs.Internal, "internal", err, "store: seal")
		}
	}
	return wrapBadger(tx.txn.Set(key, b), "store: field stamps")
}

// stampFields records, for a local write of collection c replacing the live version old (of
// meta oldMeta) by payload with meta m, which fields (elements, keys) it wrote.
func (tx *Tx) stampFields(c fieldsOf, id string, m, oldMeta Meta, sealed bool, old any, payload []byte) error {
	before, err := json.Marshal(old)
	if err != nil {
		return errs.Wrap(errs.Internal, "internal", err, "store: encode")
	}
	fs, err := tx.readStamps(c.name(), id, m.Subject, sealed)
	if err != nil {
		return err
	}
	fs, err = restamp(c.fields(), fs, before, payload, Stamp{HLC: oldMeta.HLC, Replica: oldMeta.Replica}, Stamp{HLC: m.HLC, Replica: m.Replica})
	if err != nil {
		return errs.Wrap(errs.Internal, "internal", err, "store: field stamps")
	}
	return tx.writeStamps(c.name(), id, m.Subject, sealed, fs)
}

type fieldsOf interface {
	name() string
	fields() *FieldMerge
}

func (c *Collection[T]) name() string        { return c.Name }
func (c *Collection[T]) fields() *FieldMerge { return c.Fields }

// metaOf reads a record's envelope meta.
func (tx *Tx) metaOf(coll, id string) (bool, Meta, error) {
	item, err := tx.txn.Get(recordKey(coll, id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, Meta{}, nil
	}
	if err != nil {
		return false, Meta{}, wrapBadger(err, "store: field stamps")
	}
	var m Meta
	err = item.Value(func(b []byte) (err error) {
		m, _, _, err = decodeEnvelope(b)
		return err
	})
	return true, m, err
}

// restamp brings a record's field stamps up to date with a local write from before to after
// (JSON payloads), made at now; prev is the stamp of the version before.
func restamp(fm *FieldMerge, fs Stamps, before, after []byte, prev, now Stamp) (Stamps, error) {
	var a, b map[string]json.RawMessage
	if err := json.Unmarshal(before, &a); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(after, &b); err != nil {
		return nil, err
	}
	if fs == nil {
		fs = Stamps{baseStamp: prev}
	}
	for _, f := range unionKeys(a, b) {
		va, vb := a[f], b[f]
		switch {
		case slices.Contains(fm.Sets, f):
			ea, eb := elements(va), elements(vb)
			for e := range eb {
				if _, ok := ea[e]; !ok {
					fs[f+"\x00"+e] = now
				}
			}
			for e := range ea {
				if _, ok := eb[e]; !ok {
					fs[f+"\x00"+e] = Stamp{HLC: now.HLC, Replica: now.Replica, Gone: true}
				}
			}
			if !bytes.Equal(compactJSON(va), compactJSON(vb)) {
				fs[f] = now // the order, for a list whose first element means something
			}
		case slices.Contains(fm.Maps, f):
			ka, kb := entries(va), entries(vb)
			for k, v := range kb {
				if w, ok := ka[k]; !ok || !bytes.Equal(compactJSON(v), compactJSON(w)) {
					fs[f+"\x00"+k] = now
				}
			}
			for k := range ka {
				if _, ok := kb[k]; !ok {
					fs[f+"\x00"+k] = Stamp{HLC: now.HLC, Replica: now.Replica, Gone: true}
				}
			}
		default:
			if !bytes.Equal(compactJSON(va), compactJSON(vb)) {
				fs[f] = now
			}
		}
	}
	return fs, nil
}

// joinFields merges two live versions of a record field by field (see above): x and y are the
// payloads with their field stamps and record stamps. The result is the same whichever is x.
func joinFields(fm *FieldMerge, x, y []byte, xs, ys Stamps, xr, yr Stamp) ([]byte, Stamps, error) {
	var a, b map[string]json.RawMessage
	if err := json.Unmarshal(x, &a); err != nil {
		return nil, nil, err
	}
	if err := json.Unmarshal(y, &b); err != nil {
		return nil, nil, err
	}
	if yr.after(xr) { // the newer version orders merged lists; nothing else depends on the order
		a, b, xs, ys, xr, yr = b, a, ys, xs, yr, xr
	}
	// Fields, elements and keys never stamped are as old as the record's first version.
	bx, by := xs.stampOf(baseStamp, xr), ys.stampOf(baseStamp, yr)
	base := bx
	if bx.after(by) {
		base = by
	}
	out := map[string]json.RawMessage{}
	fs := Stamps{baseStamp: base}
	pick := func(sa, sb Stamp) (Stamp, bool) { // the newer stamp, and whether it is b's
		if sb.after(sa) {
			return sb, true
		}
		return sa, false
	}
	for _, f := range unionKeys(a, b) {
		st, fromB := pick(xs.stampOf(f, bx), ys.stampOf(f, by))
		fs[f] = st
		switch {
		case slices.Contains(fm.Sets, f):
			first, second := a[f], b[f]
			ea, eb := elements(a[f]), elements(b[f])
			var merged []json.RawMessage
			for _, k := range memberKeys(f, first, second, xs, ys) {
				sa, oka := itemStamp(xs, f, k, ea, bx)
				sb, okb := itemStamp(ys, f, k, eb, by)
				var est Stamp
				switch {
				case oka && okb:
					est, _ = pick(sa, sb)
				case oka:
					est = sa
				default:
					est = sb
				}
				fs[f+"\x00"+k] = est
				if !est.Gone {
					merged = append(merged, json.RawMessage(k))
				}
			}
			v, err := json.Marshal(orEmpty(merged))
			if err != nil {
				return nil, nil, err
			}
			out[f] = v
		case slices.Contains(fm.Maps, f):
			ka, kb := entries(a[f]), entries(b[f])
			merged := map[string]json.RawMessage{}
			for _, k := range memberKeys(f, nil, nil, xs, ys, ka, kb) {
				sa, oka := itemStamp(xs, f, k, ka, bx)
				sb, okb := itemStamp(ys, f, k, kb, by)
				est, side := sa, false
				switch {
				case oka && okb:
					est, side = pick(sa, sb)
				case okb:
					est, side = sb, true
				}
				fs[f+"\x00"+k] = est
				if est.Gone {
					continue
				}
				var name string
				if json.Unmarshal([]byte(k), &name) != nil {
					continue
				}
				if v, ok := ka[k]; ok && !side {
					merged[name] = v
				} else if v, ok := kb[k]; ok {
					merged[name] = v
				} else if v, ok := ka[k]; ok {
					merged[name] = v
				}
			}
			v, err := json.Marshal(merged)
			if err != nil {
				return nil, nil, err
			}
			out[f] = v
		default:
			v := a[f]
			if fromB {
				v = b[f]
			}
			if v != nil {
				out[f] = v
			}
		}
	}
	for k, st := range fs {
		if k != baseStamp && st == base {
			delete(fs, k)
		}
	}
	payload, err := json.Marshal(out)
	return payload, fs, err
}

// itemStamp is the state of one set element or map key k of field f on one side: its own stamp
// when it has one, else the base when the side holds it; ok is false when the side knows
// nothing of it.
func itemStamp(s Stamps, f, k string, held map[string]json.RawMessage, base Stamp) (Stamp, bool) {
	if st, ok := s[f+"\x00"+k]; ok {
		return st, true
	}
	if _, ok := held[k]; ok {
		return base, true
	}
	return Stamp{}, false
}

// memberKeys lists the elements (or keys) of field f either side holds or stamped: the first
// list's order, then the second's, then the rest sorted.
func memberKeys(f string, first, second json.RawMessage, xs, ys Stamps, held ...map[string]json.RawMessage) []string {
	var out []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	for _, raw := range []json.RawMessage{first, second} {
		var list []json.RawMessage
		if json.Unmarshal(raw, &list) == nil {
			for _, e := range list {
				add(string(compactJSON(e)))
			}
		}
	}
	var rest []string
	for _, m := range held {
		for k := range m {
			rest = append(rest, k)
		}
	}
	for _, s := range []Stamps{xs, ys} {
		for k := range s {
			if name, item, ok := cutField(k); ok && name == f {
				rest = append(rest, item)
			}
		}
	}
	slices.Sort(rest)
	for _, k := range rest {
		add(k)
	}
	return out
}

func cutField(k string) (field, item string, ok bool) {
	i := bytes.IndexByte([]byte(k), 0)
	if i < 0 {
		return "", "", false
	}
	return k[:i], k[i+1:], true
}

// elements maps a JSON array's elements (compact JSON) to themselves.
func elements(raw json.RawMessage) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		for _, e := range list {
			c := compactJSON(e)
			out[string(c)] = c
		}
	}
	return out
}

// entries maps a JSON object's keys (as JSON strings) to their values.
func entries(raw json.RawMessage) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) == nil {
		for k, v := range m {
			kj, _ := json.Marshal(k)
			out[string(kj)] = v
		}
	}
	return out
}

func unionKeys(a, b map[string]json.RawMessage) []string {
	keys := slices.Collect(maps.Keys(a))
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func compactJSON(raw json.RawMessage) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return raw
	}
	return buf.Bytes()
}

func orEmpty(l []json.RawMessage) []json.RawMessage {
	if l == nil {
		return []json.RawMessage{}
	}
	return l
}

// FieldConflict is one field (or map key) two versions of a record both wrote without having seen
// the other's write.
type FieldConflict struct {
	// Field is the field's name, or "field.key" for a key of a map field.
	Field       string
	Here, There json.RawMessage
	HereStamp   Stamp
	ThereStamp  Stamp
}

// Conflicts lists the fields two live versions of a record of coll wrote apart: here is this
// copy's version (with its Fields), there the other copy's; ours and theirs are the version
// vectors each copy had before they met. Set fields (tags, e-mails) are left out: their elements
// merge one by one, so an addition on each side is no conflict. Collections not merged field by
// field compare whole records: every differing field counts.
func (s *Store) Conflicts(coll string, here, there Record, ours, theirs map[string]hlc.Timestamp) []FieldConflict {
	if here.Deleted || there.Deleted || here.Data == nil || there.Data == nil {
		return nil
	}
	var a, b map[string]json.RawMessage
	if json.Unmarshal(here.Data, &a) != nil || json.Unmarshal(there.Data, &b) != nil {
		return nil
	}
	hr, tr := Stamp{HLC: here.HLC, Replica: here.Replica}, Stamp{HLC: there.HLC, Replica: there.Replica}
	unseen := func(st Stamp, by map[string]hlc.Timestamp) bool { return by[st.Replica] < st.HLC }
	fm := s.fieldMerge(coll)
	var out []FieldConflict
	add := func(name, k string, va, vb json.RawMessage) {
		hs, ts := here.Fields.stampOf(k, here.Fields.stampOf(baseStamp, hr)), there.Fields.stampOf(k, there.Fields.stampOf(baseStamp, tr))
		if fm == nil {
			hs, ts = hr, tr
		}
		if hs == ts || !unseen(hs, theirs) || !unseen(ts, ours) || bytes.Equal(compactJSON(va), compactJSON(vb)) {
			return
		}
		out = append(out, FieldConflict{Field: name, Here: va, There: vb, HereStamp: hs, ThereStamp: ts})
	}
	for _, f := range unionKeys(a, b) {
		switch {
		case fm != nil && slices.Contains(fm.Sets, f):
		case fm != nil && slices.Contains(fm.Maps, f):
			ka, kb := entries(a[f]), entries(b[f])
			for _, k := range unionKeys(ka, kb) {
				var name string
				_ = json.Unmarshal([]byte(k), &name)
				add(f+"."+name, f+"\x00"+k, ka[k], kb[k])
			}
		default:
			add(f, f, a[f], b[f])
		}
	}
	return out
}
