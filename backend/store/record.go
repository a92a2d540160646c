package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/dgraph-io/badger/v4"

	"hearth/backend/errs"
	"hearth/backend/hlc"
)

// Meta is what the store records about every write, live or deleted.
type Meta struct {
	HLC     hlc.Timestamp `json:"hlc"`
	Replica string        `json:"replica"`
	Deleted bool          `json:"deleted,omitempty"`
	// Subject is the person the record is about, for sealed records.
	Subject string `json:"subject,omitempty"`
}

// Collection describes one kind of record: its key segment and its indexes.
type Collection[T any] struct {
	Name    string
	Indexes []Index[T]
	// Subject, when set, names the person a record is about (a member id). Such records hold
	// personal data: their payload is sealed with that person's data key, and EraseSubject
	// destroys the key, which makes every record of that person unreadable at once.
	Subject func(T) string
	// Fields, when set, keeps the stamp of each field's last write (fields.go), so that two
	// copies that edited one record apart keep both edits when they merge.
	Fields *FieldMerge
}

// Index derives index values from a record. Values must already be normalised (folded, trimmed)
// and unique within one record; empty values are skipped.
type Index[T any] struct {
	Name   string
	Unique bool
	// Hashed indexes store a keyed hash (HMAC-SHA-256 with the workspace's secret) of each
	// value instead of the value, for personal data such as e-mail addresses: the index still
	// answers exact lookups, but no address is written in clear into Badger's files.
	Hashed bool
	Values func(T) []string
}

// UniqueError says a unique index value is already owned by another record.
type UniqueError struct {
	Collection, Index, Value, Owner string
}

func (e *UniqueError) Error() string {
	return fmt.Sprintf("store: %s %s %q already used by %s", e.Collection, e.Index, e.Value, e.Owner)
}

// Tx is a transaction handed to Update and View callbacks.
type Tx struct {
	txn *badger.Txn
	s   *Store
	// shred collects ShredSubject's subjects inside an erasure (EraseSubjects); nil otherwise.
	shred *[]string
}

// ShredSubject asks, inside an erasure (EraseSubjects), that subject's data key be destroyed
// with the erased people's, so that every version of every record sealed under it becomes
// unreadable: a forgetter uses it for records about the person that were sealed under a key of
// their own at some time (a task written before it named them). Outside an erasure it does
// nothing.
func (tx *Tx) ShredSubject(subject string) {
	if tx.shred != nil && subject != "" {
		*tx.shred = append(*tx.shred, subject)
	}
}

const (
	envelopeV1 = 1 // no subject, plain payload
	envelopeV2 = 2 // subject, payload sealed when flagSealed
)

const (
	flagDeleted = 1 << iota
	flagSealed
)

// encodeEnvelope lays out: version byte, flags byte, HLC (8 bytes), replica length (1 byte),
// replica, subject length (1 byte), subject, payload (sealed when flagSealed).
func encodeEnvelope(m Meta, sealed bool, payload []byte) []byte {
	buf := make([]byte, 0, 12+len(m.Replica)+len(m.Subject)+len(payload))
	var flags byte
	if m.Deleted {
		flags |= flagDeleted
	}
	if sealed {
		flags |= flagSealed
	}
	buf = append(buf, envelopeV2, flags)
	buf = binary.BigEndian.AppendUint64(buf, uint64(m.HLC))
	buf = append(buf, byte(len(m.Replica)))
	buf = append(buf, m.Replica...)
	buf = append(buf, byte(len(m.Subject)))
	buf = append(buf, m.Subject...)
	return append(buf, payload...)
}

// decodeEnvelope reads both envelope versions.
func decodeEnvelope(b []byte) (m Meta, sealed bool, payload []byte, err error) {
	if len(b) < 11 || (b[0] != envelopeV1 && b[0] != envelopeV2) {
		return Meta{}, false, nil, damaged(CodeDataDamaged, "db", fmt.Errorf("store: corrupt record envelope (%d bytes)", len(b)))
	}
	n := int(b[10])
	if len(b) < 11+n {
		return Meta{}, false, nil, fmt.Errorf("store: corrupt record envelope replica")
	}
	m = Meta{
		Deleted: b[1]&flagDeleted != 0,
		HLC:     hlc.Timestamp(binary.BigEndian.Uint64(b[2:10])),
		Replica: string(b[11 : 11+n]),
	}
	rest := b[11+n:]
	if b[0] == envelopeV1 {
		return m, false, rest, nil
	}
	if len(rest) < 1 || len(rest) < 1+int(rest[0]) {
		return Meta{}, false, nil, fmt.Errorf("store: corrupt record envelope subject")
	}
	m.Subject = string(rest[1 : 1+int(rest[0])])
	return m, b[1]&flagSealed != 0, rest[1+int(rest[0]):], nil
}

// decodeRecord decodes a stored value into v. erased is true for a sealed record whose
// subject's key was destroyed: it reads as if it did not exist.
func decodeRecord[T any](s *Store, key, b []byte, v *T) (m Meta, erased bool, err error) {
	m, sealed, payload, err := decodeEnvelope(b)
	if err != nil || m.Deleted {
		return m, false, err
	}
	if sealed {
		k, ok, err := s.keys.key(m.Subject, false)
		if err != nil {
			return m, false, err
		}
		if !ok {
			return m, true, nil
		}
		if payload, err = open(k, key, payload); err != nil {
			// The record's bytes or its subject's key changed since it was sealed.
			return m, false, damaged(CodeDataDamaged, string(key), fmt.Errorf("store: unseal %s: %w", key, err))
		}
	}
	if err := json.Unmarshal(payload, v); err != nil {
		return m, false, damaged(CodeDataDamaged, string(key), err)
	}
	return m, false, nil
}

// load reads a record, live or tombstone. found is false when the key never existed or its
// subject was erased.
func load[T any](tx *Tx, c *Collection[T], id string) (v T, m Meta, found bool, err error) {
	key := recordKey(c.Name, id)
	item, err := tx.txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return v, m, false, nil
	}
	if err != nil {
		return v, m, false, err
	}
	var erased bool
	err = item.Value(func(b []byte) error {
		m, erased, err = decodeRecord(tx.s, key, b, &v)
		return err
	})
	return v, m, err == nil && !erased, err
}

// Get returns a live record, or an errs.NotFound error if it does not exist or was deleted.
func Get[T any](tx *Tx, c *Collection[T], id string) (T, Meta, error) {
	v, m, found, err := load(tx, c, id)
	if err != nil {
		return v, m, wrapBadger(err, "store: get "+c.Name)
	}
	if !found || m.Deleted {
		return v, m, errs.New(errs.NotFound, c.Name+"_not_found", fmt.Sprintf("store: %s %s not found", c.Name, id))
	}
	return v, m, nil
}

// Live reports whether id names a live record (written, not deleted, its subject not erased)
// without unsealing or decoding it: existence checks on hot paths (the member of each activity
// imported) cost a key lookup, not a decryption. A record that does not unseal is found by the
// reads that need it, and by workspace check.
func Live[T any](tx *Tx, c *Collection[T], id string) (bool, error) {
	item, err := tx.txn.Get(recordKey(c.Name, id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, wrapBadger(err, "store: get "+c.Name)
	}
	var live bool
	err = item.Value(func(b []byte) error {
		m, sealed, _, err := decodeEnvelope(b)
		if err != nil || m.Deleted {
			return err
		}
		if !sealed {
			live = true
			return nil
		}
		_, live, err = tx.s.keys.key(m.Subject, false)
		return err
	})
	return live, wrapBadger(err, "store: get "+c.Name)
}

// Shredded reports whether id names a record that is not deleted but unreadable because its
// subject was erased (its key destroyed): what Get calls not found, told apart from a record
// never written or deleted, so that derived data that was shredded can be rebuilt. Badger's
// bloom filters answer most never-written keys without reading a block.
func Shredded[T any](tx *Tx, c *Collection[T], id string) (bool, error) {
	item, err := tx.txn.Get(recordKey(c.Name, id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, wrapBadger(err, "store: get "+c.Name)
	}
	var shredded bool
	err = item.Value(func(b []byte) error {
		m, sealed, _, err := decodeEnvelope(b)
		if err != nil || m.Deleted || !sealed {
			return err
		}
		_, found, err := tx.s.keys.key(m.Subject, false)
		shredded = !found
		return err
	})
	return shredded, wrapBadger(err, "store: get "+c.Name)
}

// Tombstone reports whether id names a deleted record, and its meta.
func Tombstone[T any](tx *Tx, c *Collection[T], id string) (Meta, bool, error) {
	_, m, found, err := load(tx, c, id)
	if err != nil {
		return m, false, wrapBadger(err, "store: get "+c.Name)
	}
	return m, found && m.Deleted, nil
}

// Put writes v under id with a fresh HLC stamp and brings its index entries up to date.
// A unique index value owned by another record fails with an errs.Conflict wrapping a
// *UniqueError, before anything is written.
func Put[T any](tx *Tx, c *Collection[T], id string, v T) (Meta, error) {
	if len(c.Indexes) == 0 {
		return put(tx, c, id, v, nil, Meta{}) // the old version only matters for index entries: not read
	}
	old, oldMeta, found, err := load(tx, c, id)
	if err != nil {
		return Meta{}, wrapBadger(err, "store: put "+c.Name)
	}
	if found && !oldMeta.Deleted {
		return put(tx, c, id, v, &old, oldMeta)
	}
	return put(tx, c, id, v, nil, Meta{})
}

// put writes v; old is the live record it replaces (whose index entries exist), or nil, and
// oldMeta that record's meta.
func put[T any](tx *Tx, c *Collection[T], id string, v T, old *T, oldMeta Meta) (Meta, error) {
	for _, ix := range c.Indexes {
		if !ix.Unique {
			continue
		}
		for _, val := range ix.Values(v) {
			if err := tx.checkUnique(c.Name, ix.Name, tx.indexValue(ix.Hashed, val), id); err != nil {
				var ue *UniqueError
				if errors.As(err, &ue) {
					ue.Value = val
				}
				return Meta{}, err
			}
		}
	}
	for _, ix := range c.Indexes {
		var before []string
		if old != nil {
			before = tx.indexValues(ix.Hashed, ix.Values(*old))
		}
		if err := tx.reindex(c.Name, ix, id, before, tx.indexValues(ix.Hashed, ix.Values(v))); err != nil {
			return Meta{}, err
		}
	}
	payload, err := json.Marshal(v)
	if err != nil {
		return Meta{}, errs.Wrap(errs.Internal, "internal", err, "store: encode "+c.Name)
	}
	key := recordKey(c.Name, id)
	m := Meta{HLC: tx.s.hlc.Now(), Replica: tx.s.replica}
	sealed := c.Subject != nil
	if sealed {
		m.Subject = c.Subject(v)
	}
	if c.Fields != nil && old != nil {
		if err := tx.stampFields(c, id, m, oldMeta, sealed, *old, payload); err != nil {
			return Meta{}, err
		}
	}
	if sealed {
		k, _, err := tx.s.keys.key(m.Subject, true)
		if err != nil {
			return Meta{}, errs.Wrap(errs.Internal, "internal", err, "store: data key for "+c.Name)
		}
		if payload, err = seal(k, key, payload); err != nil {
			return Meta{}, errs.Wrap(errs.Internal, "internal", err, "store: seal "+c.Name)
		}
	}
	tx.s.touch(c.Name)
	if err := tx.txn.Set(key, encodeEnvelope(m, sealed, payload)); err != nil {
		return Meta{}, wrapBadger(err, "store: put "+c.Name)
	}
	return m, nil
}

// Delete removes a live record's index entries and replaces it with a tombstone (meta only,
// no payload), so a later merge knows the record was deleted and when.
func Delete[T any](tx *Tx, c *Collection[T], id string) (T, error) {
	old, _, err := Get(tx, c, id)
	if err != nil {
		return old, err
	}
	for _, ix := range c.Indexes {
		if err := tx.reindex(c.Name, ix, id, tx.indexValues(ix.Hashed, ix.Values(old)), nil); err != nil {
			return old, err
		}
	}
	m := Meta{HLC: tx.s.hlc.Now(), Replica: tx.s.replica, Deleted: true}
	if c.Subject != nil {
		m.Subject = c.Subject(old)
	}
	tx.s.touch(c.Name)
	if err := tx.txn.Set(recordKey(c.Name, id), encodeEnvelope(m, false, nil)); err != nil {
		return old, wrapBadger(err, "store: delete "+c.Name)
	}
	if c.Fields != nil {
		if err := tx.txn.Delete(fieldsKey(c.Name, id)); err != nil {
			return old, wrapBadger(err, "store: delete "+c.Name)
		}
	}
	return old, nil
}

// Lookup returns the id owning value in a unique index, or an errs.NotFound error.
func Lookup[T any](tx *Tx, c *Collection[T], index, value string) (string, error) {
	item, err := tx.txn.Get(uniqueKey(c.Name, index, tx.indexValue(c.hashed(index), value)))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return "", errs.New(errs.NotFound, c.Name+"_not_found", fmt.Sprintf("store: no %s with %s %q", c.Name, index, value))
	}
	if err != nil {
		return "", wrapBadger(err, "store: lookup")
	}
	v, err := item.ValueCopy(nil)
	return string(v), wrapBadger(err, "store: lookup")
}

// IDsByIndex returns the ids of records whose index holds value, in id (creation) order.
func IDsByIndex[T any](tx *Tx, c *Collection[T], index, value string) ([]string, error) {
	prefix := indexPrefix(c.Name, index, tx.indexValue(c.hashed(index), value))
	it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	var ids []string
	for it.Rewind(); it.Valid(); it.Next() {
		ids = append(ids, string(it.Item().Key()[len(prefix):]))
	}
	return ids, nil
}

// ErrStop, returned by a Scan callback, ends the scan early without an error.
var ErrStop = errors.New("store: stop scan")

// Scan calls fn for every live record of c in id order. fn's error stops the scan.
func Scan[T any](tx *Tx, c *Collection[T], fn func(id string, v T, m Meta) error) error {
	return scan(tx, c, false, fn)
}

// ScanNewest is Scan in reverse id order: with ULID ids, newest first.
func ScanNewest[T any](tx *Tx, c *Collection[T], fn func(id string, v T, m Meta) error) error {
	return scan(tx, c, true, fn)
}

// ScanFrom is Scan from the first record whose id is not before from: a range of a
// collection whose ids sort as what they are read by (days), without reading the ones before.
func ScanFrom[T any](tx *Tx, c *Collection[T], from string, fn func(id string, v T, m Meta) error) error {
	return scanFrom(tx, c, false, from, fn)
}

// ScanIndex calls fn with the value and the record id of every entry of a secondary index of
// c, in value order, reading only keys (no record is read or unsealed).
func ScanIndex[T any](tx *Tx, c *Collection[T], index string, fn func(value, id string) error) error {
	prefix := []byte("i/" + c.Name + "/" + index + "/")
	it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		rest := it.Item().Key()[len(prefix):]
		value, id, ok := bytes.Cut(rest, []byte{0})
		if !ok {
			continue
		}
		if err := fn(string(value), string(id)); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

func scan[T any](tx *Tx, c *Collection[T], reverse bool, fn func(id string, v T, m Meta) error) error {
	return scanFrom(tx, c, reverse, "", fn)
}

func scanFrom[T any](tx *Tx, c *Collection[T], reverse bool, from string, fn func(id string, v T, m Meta) error) error {
	prefix := recordPrefix(c.Name)
	it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true, PrefetchSize: 256, Reverse: reverse})
	defer it.Close()
	start := append(append([]byte{}, prefix...), from...)
	if reverse {
		start = append(append([]byte{}, prefix...), 0xff)
	}
	for it.Seek(start); it.Valid(); it.Next() {
		item := it.Item()
		key := item.Key()
		id := string(key[len(prefix):])
		var v T
		var m Meta
		var erased bool
		err := item.Value(func(b []byte) (err error) {
			m, erased, err = decodeRecord(tx.s, key, b, &v)
			return err
		})
		if err != nil {
			return wrapBadger(err, "store: scan "+c.Name)
		}
		if m.Deleted || erased {
			continue
		}
		if err := fn(id, v, m); err != nil {
			if errors.Is(err, ErrStop) {
				return nil
			}
			return err
		}
	}
	return nil
}

// NewID returns a new time-ordered id, for records created inside tx.
func (tx *Tx) NewID() string { return tx.s.NewID() }

func (tx *Tx) checkUnique(coll, index, value, id string) error {
	if value == "" {
		return nil
	}
	item, err := tx.txn.Get(uniqueKey(coll, index, value))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil
	}
	if err != nil {
		return wrapBadger(err, "store: check unique")
	}
	owner, err := item.ValueCopy(nil)
	if err != nil {
		return wrapBadger(err, "store: check unique")
	}
	if string(owner) == id {
		return nil
	}
	ue := &UniqueError{Collection: coll, Index: index, Value: value, Owner: string(owner)}
	return errs.Wrap(errs.Conflict, "unique", ue, "store: "+coll+" "+index+" already used")
}

// reindex replaces a record's entries in one index: before -> after.
func (tx *Tx) reindex(coll string, ix indexer, id string, before, after []string) error {
	name, unique := ix.meta()
	for _, val := range before {
		if val == "" || slices.Contains(after, val) {
			continue
		}
		key := indexKey(coll, name, val, id)
		if unique {
			key = uniqueKey(coll, name, val)
		}
		if err := tx.txn.Delete(key); err != nil {
			return wrapBadger(err, "store: unindex")
		}
	}
	for _, val := range after {
		if val == "" || slices.Contains(before, val) {
			continue
		}
		if strings.IndexByte(val, 0) >= 0 {
			return errs.New(errs.Invalid, "invalid_input", "store: index value contains NUL")
		}
		var err error
		if unique {
			err = tx.txn.Set(uniqueKey(coll, name, val), []byte(id))
		} else {
			err = tx.txn.Set(indexKey(coll, name, val, id), nil)
		}
		if err != nil {
			return wrapBadger(err, "store: index")
		}
	}
	return nil
}

type indexer interface{ meta() (string, bool) }

func (ix Index[T]) meta() (string, bool) { return ix.Name, ix.Unique }

func (c *Collection[T]) hashed(index string) bool {
	for _, ix := range c.Indexes {
		if ix.Name == index {
			return ix.Hashed
		}
	}
	return false
}

// indexValue is what an index key holds for value: the value, or its keyed hash.
func (tx *Tx) indexValue(hashed bool, value string) string {
	if !hashed || value == "" {
		return value
	}
	return tx.s.keyedHash(value)
}

func (tx *Tx) indexValues(hashed bool, values []string) []string {
	if !hashed {
		return values
	}
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = tx.indexValue(true, v)
	}
	return out
}
