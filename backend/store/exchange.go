package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/dgraph-io/badger/v4"

	"hearth/backend/errs"
	"hearth/backend/hlc"
)

// Record is one record as it travels between copies of a workspace (team bundles, see
// backend/team): its collection and id, the stamp and replica of the write that made this
// version, whether that write was a delete, the person it is about, and its payload in clear
// JSON (the bundle is encrypted as a whole; each copy seals the payload again under its own
// key for Subject). A tombstone has no Data.
type Record struct {
	Collection string          `json:"c"`
	ID         string          `json:"id"`
	HLC        hlc.Timestamp   `json:"hlc"`
	Replica    string          `json:"replica"`
	Deleted    bool            `json:"deleted,omitempty"`
	Subject    string          `json:"subject,omitempty"`
	Sealed     bool            `json:"sealed,omitempty"`
	Data       json.RawMessage `json:"data,omitempty"`
	// Fields are the stamps of the last write of each field, for collections that merge field by
	// field (Collection.Fields); none for a record never edited.
	Fields Stamps `json:"fields,omitempty"`
}

// Suppression is one entry of the suppression list as it travels: its kind (email, handle,
// newsletter) and the keyed hash of the address (see Store.keyedHash). Copies of one workspace
// share the secret keying the hashes, so an entry means the same address on every copy.
type Suppression struct {
	Kind string `json:"kind"`
	Hash string `json:"hash"`
}

// Erasure says a subject (a member id, or another key's subject such as "task:<id>") was erased
// on some copy at HLC: every copy that learns it destroys the subject's key and the records
// sealed under it, and never takes a record about the subject again.
type Erasure struct {
	Subject string        `json:"subject"`
	HLC     hlc.Timestamp `json:"hlc"`
}

// newer reports whether the version (a, ra, da) wins over (b, rb, db): the larger stamp, then
// the larger replica id, then a delete over a write at the same stamp.
func newer(a hlc.Timestamp, ra string, da bool, b hlc.Timestamp, rb string, db bool) bool {
	if a != b {
		return a > b
	}
	if ra != rb {
		return ra > rb
	}
	return da && !db
}

// Keys of what copies exchange besides records (see keys.go).
var (
	keyWorkspace  = []byte("s/workspace") // the workspace's id, shared by every copy of it
	versionPrefix = []byte("s/vv/")       // s/vv/<replica>: the highest stamp of that replica this copy holds
	erasurePrefix = []byte("e/")          // e/<subject>: the subject was erased (stamp, uint64 big-endian)
	keyJoined     = []byte("s/joined")    // present in a copy made by joining another's bundle
)

func erasureKey(subject string) []byte { return []byte("e/" + subject) }

// Workspace returns the workspace's id, shared by every copy of it (made on first use for a
// workspace from before teams), and the secret keying its hashed index values and suppression
// entries, which copies must share for a suppressed address to mean the same on every copy.
func (s *Store) Workspace() (id string, hashKey []byte, err error) {
	err = s.db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(keyWorkspace)
		if errors.Is(err, badger.ErrKeyNotFound) {
			id = s.ids.next()
			return txn.Set(keyWorkspace, []byte(id))
		}
		if err != nil {
			return err
		}
		v, err := item.ValueCopy(nil)
		id = string(v)
		return err
	})
	return id, bytes.Clone(s.secret), wrapBadger(err, "store: workspace id")
}

// AdoptWorkspace makes this new copy one of workspace id: it takes the workspace's id and the
// secret of its hashes. Only a copy that holds no hashed value yet (no index entry, no
// suppression entry) may adopt, so nothing already written is keyed with another secret.
func (s *Store) AdoptWorkspace(id string, hashKey []byte) error {
	if id == "" || len(hashKey) != 32 {
		return errs.New(errs.Invalid, "bundle_damaged", "store: adopt workspace: bad id or secret")
	}
	err := s.db.Update(func(txn *badger.Txn) error {
		for _, p := range []string{"u/", "i/", "x/", "e/"} {
			it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte(p)})
			it.Rewind()
			used := it.Valid()
			it.Close()
			if used {
				return errs.New(errs.Conflict, "join_not_empty", "store: adopt workspace: this copy already holds data")
			}
		}
		if err := txn.Set(keyWorkspace, []byte(id)); err != nil {
			return err
		}
		if err := txn.Set(keyJoined, []byte{1}); err != nil {
			return err
		}
		return txn.Set(keySecret, hashKey)
	})
	if err != nil {
		return wrapBadger(err, "store: adopt workspace")
	}
	s.secret = bytes.Clone(hashKey)
	s.macs = sync.Pool{} // hashes keyed with the secret this copy had before are not reused
	s.joined.Store(true)
	return nil
}

// Mine reports whether this copy does work assigned to replica (publishing a scheduled post,
// sending an outbox entry, running an automation), so that two copies never both do it: work
// assigned to this copy, or work assigned to nobody (written before teams) when this copy was
// not made by joining another's bundle (the first copy keeps doing what it always did).
func (s *Store) Mine(replica string) bool {
	if replica != "" {
		return replica == s.replica
	}
	return !s.joined.Load()
}

// Replica is the id of the copy writing in tx.
func (tx *Tx) Replica() string { return tx.s.replica }

// Versions returns this copy's version vector: for each replica, the highest stamp of its
// writes this copy holds (its own: the clock's last reading).
func (s *Store) Versions() (map[string]hlc.Timestamp, error) {
	vv := map[string]hlc.Timestamp{}
	err := s.db.View(func(txn *badger.Txn) error {
		return each(txn, versionPrefix, true, func(item *badger.Item) error {
			return item.Value(func(v []byte) error {
				if len(v) == 8 {
					vv[string(item.Key()[len(versionPrefix):])] = hlc.Timestamp(binary.BigEndian.Uint64(v))
				}
				return nil
			})
		})
	})
	vv[s.replica] = max(vv[s.replica], s.hlc.Last())
	return vv, wrapBadger(err, "store: versions")
}

// RaiseVersions raises this copy's version vector to vv, entry by entry: after a merge, this
// copy holds everything the sender held.
func (tx *Tx) RaiseVersions(vv map[string]hlc.Timestamp) error {
	for replica, ts := range vv {
		if replica == tx.s.replica || replica == "" {
			continue
		}
		key := append(bytes.Clone(versionPrefix), replica...)
		item, err := tx.txn.Get(key)
		if err == nil {
			var cur hlc.Timestamp
			_ = item.Value(func(v []byte) error {
				if len(v) == 8 {
					cur = hlc.Timestamp(binary.BigEndian.Uint64(v))
				}
				return nil
			})
			if cur >= ts {
				continue
			}
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return wrapBadger(err, "store: versions")
		}
		if err := tx.txn.Set(key, binary.BigEndian.AppendUint64(nil, uint64(ts))); err != nil {
			return wrapBadger(err, "store: versions")
		}
		tx.s.hlc.Observe(ts)
	}
	return nil
}

// ExportRecords calls fn with every record of the collections include accepts, in key order,
// read in one consistent transaction: live records with their payload in clear, tombstones
// without. Records whose subject was erased are left out (the bundle's erasures say it).
func (s *Store) ExportRecords(include func(coll string) bool, fn func(Record) error) error {
	return s.ExportChanges(include, nil, fn)
}

// ExportChanges is ExportRecords of the records written after the version vector since: a
// record whose stamp since covers is left out, unless it is merged field by field and one of its
// fields' stamps is not covered (a join of two copies' edits keeps the newer copy's stamp). A
// nil since exports everything.
func (s *Store) ExportChanges(include func(coll string) bool, since map[string]hlc.Timestamp, fn func(Record) error) error {
	covered := func(h hlc.Timestamp, replica string) bool { return since != nil && h <= since[replica] }
	err := s.db.View(func(txn *badger.Txn) error {
		// No prefetching: records live in the LSM tree (values under 4 KiB), where a prefetch
		// costs a goroutine per record and saves no read.
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("r/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			coll, id, ok := splitRecordKey(item.Key())
			if !ok || !include(coll) {
				continue
			}
			var r Record
			skip := false
			fm := s.fieldMerge(coll)
			err := item.Value(func(b []byte) error {
				m, sealed, payload, err := decodeEnvelope(b)
				if err != nil {
					return err
				}
				r = Record{Collection: coll, ID: id, HLC: m.HLC, Replica: m.Replica, Deleted: m.Deleted, Subject: m.Subject, Sealed: sealed}
				if covered(m.HLC, m.Replica) && (fm == nil || m.Deleted) {
					skip = true
					return nil
				}
				if m.Deleted {
					return nil
				}
				if sealed {
					k, found, err := s.keys.key(m.Subject, false)
					if err != nil {
						return err
					}
					if !found {
						skip = true
						return nil
					}
					if payload, err = open(k, item.Key(), payload); err != nil {
						return damaged(CodeDataDamaged, string(item.Key()), fmt.Errorf("store: unseal %s: %w", item.Key(), err))
					}
				} else {
					payload = bytes.Clone(payload)
				}
				r.Data = payload
				return nil
			})
			if err != nil {
				return err
			}
			if skip {
				continue
			}
			if !r.Deleted && fm != nil {
				fs, err := (&Tx{txn: txn, s: s}).readStamps(coll, id, r.Subject, r.Sealed)
				if err != nil {
					return err
				}
				r.Fields = fs
				if covered(r.HLC, r.Replica) && allCovered(fs, covered) {
					continue
				}
			}
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	})
	return wrapBadger(err, "store: export records")
}

// ExportSuppressions calls fn with every entry of the suppression list.
func (s *Store) ExportSuppressions(fn func(Suppression) error) error {
	err := s.db.View(func(txn *badger.Txn) error {
		return each(txn, []byte("x/"), false, func(item *badger.Item) error {
			kind, hash, ok := strings.Cut(string(item.Key()[2:]), "/")
			if !ok {
				return nil
			}
			return fn(Suppression{Kind: kind, Hash: hash})
		})
	})
	return wrapBadger(err, "store: export suppressions")
}

// ExportErasures calls fn with every subject erased on this copy, or on a copy whose bundle it
// merged (the e/ entries EraseSubjects writes).
func (s *Store) ExportErasures(fn func(Erasure) error) error {
	err := s.db.View(func(txn *badger.Txn) error {
		return each(txn, erasurePrefix, true, func(item *badger.Item) error {
			var ts hlc.Timestamp
			_ = item.Value(func(v []byte) error {
				if len(v) == 8 {
					ts = hlc.Timestamp(binary.BigEndian.Uint64(v))
				}
				return nil
			})
			return fn(Erasure{Subject: string(item.Key()[len(erasurePrefix):]), HLC: ts})
		})
	})
	return wrapBadger(err, "store: export erasures")
}

// Erased reports whether subject was erased on this copy (or on a copy whose erasures this one
// merged).
func (tx *Tx) Erased(subject string) (bool, error) {
	if subject == "" {
		return false, nil
	}
	_, err := tx.txn.Get(erasureKey(subject))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	return err == nil, wrapBadger(err, "store: erased")
}

// AddSuppression adds an entry to the suppression list as it came from another copy.
func (tx *Tx) AddSuppression(sup Suppression) error {
	if sup.Kind == "" || sup.Hash == "" || strings.Contains(sup.Kind, "/") {
		return errs.New(errs.Invalid, "bundle_damaged", "store: bad suppression entry")
	}
	return wrapBadger(tx.txn.Set(suppressionKey(sup.Kind, sup.Hash), nil), "store: suppress")
}

// MergeAction is what Merge did with a record from another copy.
type MergeAction int

// What Merge did.
const (
	MergeUnchanged MergeAction = iota // this copy holds that very version
	MergeKept                         // this copy's version is newer: kept
	MergeAdded                        // a record this copy did not have
	MergeUpdated                      // a newer version replaced this copy's
	MergeDeleted                      // a newer tombstone deleted this copy's record
	MergeErased                       // about a subject erased here: refused
	MergeCollided                     // newer, but another record holds one of its unique values: stored deleted
)

// MergeResult is what Merge did, with the local version it replaced or kept.
type MergeResult struct {
	Action MergeAction
	// Old is this copy's version before the merge (Data in clear when it was live and readable),
	// nil when there was none.
	Old *Record
	// Displaced are live records of this copy that lost a unique value to the merged record
	// (the record with the smaller id keeps it) and were deleted.
	Displaced []Record
	// Owner is the record that kept a unique value the merged record asked for (MergeCollided).
	Owner string
	// New is the version written (MergeAdded, MergeUpdated, MergeDeleted, MergeCollided): for a
	// collection merged field by field, the join of both copies' versions, not the one that came.
	New *Record
}

// Merge brings one record from another copy into this one: the version with the larger stamp
// (then replica id) wins, a tombstone wins at an equal stamp; the winner is written with its own
// stamp, so every copy ends with the same version whatever order records arrive in, and merging
// the same record again changes nothing. A record about a subject erased here is refused. When
// two records claim one unique value (the same e-mail created on two copies, the same remote
// message pulled by both), the record with the smaller id keeps it and the other is deleted,
// keeping its own stamp, the same way on every copy. Index entries follow; derived data is the
// caller's (see backend/team).
func (tx *Tx) Merge(r Record) (MergeResult, error) {
	var res MergeResult
	if r.Collection == "" || r.ID == "" || strings.ContainsAny(r.Collection, "/\x00") || strings.ContainsRune(r.ID, 0) || (!r.Deleted && !json.Valid(r.Data)) {
		return res, errs.New(errs.Invalid, "bundle_damaged", "store: merge: malformed record")
	}
	if tx.s.fieldMerge(r.Collection) == nil {
		// This copy holds that very version (a whole bundle merged again): nothing to unseal,
		// decode or compare.
		if found, m, err := tx.metaOf(r.Collection, r.ID); err != nil {
			return res, err
		} else if found && m.HLC == r.HLC && m.Replica == r.Replica && m.Deleted == r.Deleted {
			res.Action = MergeUnchanged
			return res, nil
		}
	}
	if !r.Deleted {
		// How a record is kept is this copy's business: sealed under the subject its own
		// collection names (a bundle from an older Hearth may have kept it otherwise).
		if subject, ok, err := tx.s.subjectOf(r.Collection, r.Data); err != nil {
			return res, errs.Wrap(errs.Invalid, "bundle_damaged", err, "store: merge: record does not decode")
		} else if ok {
			r.Subject, r.Sealed = subject, true
		}
	}
	if erased, err := tx.Erased(r.Subject); err != nil || erased {
		res.Action = MergeErased
		return res, err
	}
	key := recordKey(r.Collection, r.ID)
	old, oldIdx, err := tx.localVersion(key, r.Collection, r.ID)
	if err != nil {
		return res, err
	}
	res.Old = old
	tx.s.hlc.Observe(r.HLC)
	fm := tx.s.fieldMerge(r.Collection)
	if old != nil {
		if old.Sealed && !old.Deleted && old.Data == nil {
			res.Action = MergeErased // a shredded record: its subject was erased here
			return res, nil
		}
		if fm != nil && !old.Deleted && !r.Deleted {
			// Both live, in a collection merged field by field: the join of the two versions,
			// stamped with the newer one's meta (see fields.go).
			if old.Fields, err = tx.readStamps(r.Collection, r.ID, old.Subject, old.Sealed); err != nil {
				return res, err
			}
			data, fs, err := joinFields(fm, old.Data, r.Data, old.Fields, r.Fields,
				Stamp{HLC: old.HLC, Replica: old.Replica}, Stamp{HLC: r.HLC, Replica: r.Replica})
			if err != nil {
				return res, errs.Wrap(errs.Invalid, "bundle_damaged", err, "store: merge: record does not decode")
			}
			if newer(old.HLC, old.Replica, false, r.HLC, r.Replica, false) {
				r.HLC, r.Replica, r.Subject, r.Sealed = old.HLC, old.Replica, old.Subject, old.Sealed
			}
			if sameJSON(data, old.Data) && sameStamps(fs, old.Fields, old) {
				res.Action = MergeUnchanged
				if !sameJSON(data, r.Data) || old.HLC != r.HLC {
					res.Action = MergeKept
				}
				return res, nil
			}
			r.Data, r.Fields = data, fs
		} else {
			if old.HLC == r.HLC && old.Replica == r.Replica && old.Deleted == r.Deleted {
				res.Action = MergeUnchanged
				return res, nil
			}
			if !newer(r.HLC, r.Replica, r.Deleted, old.HLC, old.Replica, old.Deleted) {
				res.Action = MergeKept
				return res, nil
			}
		}
	}
	var newIdx map[string]string
	if !r.Deleted {
		if newIdx, err = tx.indexKeysOf(r.Collection, r.ID, r.Data); err != nil {
			return res, errs.Wrap(errs.Invalid, "bundle_damaged", err, "store: merge: record does not decode")
		}
		for k := range newIdx {
			if !strings.HasPrefix(k, "u/") {
				continue
			}
			owner, live, err := tx.uniqueOwner([]byte(k))
			if err != nil {
				return res, err
			}
			if owner == "" || owner == r.ID || !live {
				continue
			}
			if owner < r.ID {
				res.Owner = owner
				r.Deleted, r.Data, newIdx = true, nil, nil
				break
			}
			displaced, err := tx.displace(r.Collection, owner)
			if err != nil {
				return res, err
			}
			res.Displaced = append(res.Displaced, displaced)
		}
	}
	for k := range oldIdx {
		if _, keep := newIdx[k]; keep {
			continue
		}
		if err := tx.unindex([]byte(k), r.ID); err != nil {
			return res, err
		}
	}
	for k, v := range newIdx {
		if err := tx.txn.Set([]byte(k), []byte(v)); err != nil {
			return res, wrapBadger(err, "store: merge index")
		}
	}
	payload := []byte(nil)
	sealed := r.Sealed && !r.Deleted
	if sealed {
		k, _, err := tx.s.keys.key(r.Subject, true)
		if err != nil {
			return res, errs.Wrap(errs.Internal, "internal", err, "store: data key")
		}
		if payload, err = seal(k, key, r.Data); err != nil {
			return res, errs.Wrap(errs.Internal, "internal", err, "store: seal")
		}
	} else if !r.Deleted {
		payload = r.Data
	}
	m := Meta{HLC: r.HLC, Replica: r.Replica, Deleted: r.Deleted, Subject: r.Subject}
	tx.s.touch(r.Collection)
	if err := tx.txn.Set(key, encodeEnvelope(m, sealed, payload)); err != nil {
		return res, wrapBadger(err, "store: merge")
	}
	if fm != nil {
		fs := r.Fields
		if r.Deleted {
			fs = nil
		}
		if err := tx.writeStamps(r.Collection, r.ID, r.Subject, sealed, fs); err != nil {
			return res, err
		}
	}
	written := r
	res.New = &written
	switch {
	case res.Owner != "":
		res.Action = MergeCollided
	case old == nil || (old.Deleted && r.Deleted):
		res.Action = MergeAdded
		if r.Deleted {
			res.Action = MergeDeleted
		}
	case r.Deleted:
		res.Action = MergeDeleted
	case old.Deleted:
		res.Action = MergeAdded
	default:
		res.Action = MergeUpdated
	}
	return res, nil
}

// localVersion reads this copy's version of a record (nil when it has none) and the index
// entries it gives when live and readable. A shredded record comes back sealed, live, without
// Data.
func (tx *Tx) localVersion(key []byte, coll, id string) (*Record, map[string]string, error) {
	item, err := tx.txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, wrapBadger(err, "store: merge")
	}
	var r *Record
	err = item.Value(func(b []byte) error {
		m, sealed, payload, err := decodeEnvelope(b)
		if err != nil {
			return err
		}
		r = &Record{Collection: coll, ID: id, HLC: m.HLC, Replica: m.Replica, Deleted: m.Deleted, Subject: m.Subject, Sealed: sealed}
		if m.Deleted {
			return nil
		}
		if sealed {
			k, found, err := tx.s.keys.key(m.Subject, false)
			if err != nil || !found {
				return err
			}
			if payload, err = open(k, key, payload); err != nil {
				return damaged(CodeDataDamaged, string(key), fmt.Errorf("store: unseal %s: %w", key, err))
			}
		} else {
			payload = bytes.Clone(payload)
		}
		r.Data = payload
		return nil
	})
	if err != nil || r == nil || r.Deleted || r.Data == nil {
		return r, nil, wrapBadger(err, "store: merge")
	}
	idx, err := tx.indexKeysOf(coll, id, r.Data)
	return r, idx, err
}

// indexKeysOf is the index entries a record of coll gives (none for an undeclared collection).
func (tx *Tx) indexKeysOf(coll, id string, payload []byte) (map[string]string, error) {
	tx.s.decls.mu.Lock()
	d, ok := tx.s.decls.colls[coll]
	tx.s.decls.mu.Unlock()
	if !ok {
		return nil, nil
	}
	return d.indexKeys(tx, id, payload)
}

// uniqueOwner is the record holding a unique index entry, and whether that record is live.
func (tx *Tx) uniqueOwner(key []byte) (owner string, live bool, err error) {
	item, err := tx.txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrapBadger(err, "store: merge")
	}
	v, err := item.ValueCopy(nil)
	if err != nil {
		return "", false, wrapBadger(err, "store: merge")
	}
	coll, _, _ := strings.Cut(string(key[2:]), "/")
	rec, _, err := tx.localVersion(recordKey(coll, string(v)), coll, string(v))
	if err != nil {
		return "", false, err
	}
	return string(v), rec != nil && !rec.Deleted && rec.Data != nil, nil
}

// displace deletes a live record that lost a unique value to a merged one, keeping its own
// stamp (a tombstone wins at an equal stamp), so every copy deletes it the same way.
func (tx *Tx) displace(coll, id string) (Record, error) {
	key := recordKey(coll, id)
	old, idx, err := tx.localVersion(key, coll, id)
	if err != nil || old == nil {
		return Record{}, err
	}
	for k := range idx {
		if err := tx.unindex([]byte(k), id); err != nil {
			return Record{}, err
		}
	}
	tx.s.touch(coll)
	if tx.s.fieldMerge(coll) != nil {
		if err := tx.txn.Delete(fieldsKey(coll, id)); err != nil {
			return Record{}, wrapBadger(err, "store: merge")
		}
	}
	m := Meta{HLC: old.HLC, Replica: old.Replica, Deleted: true, Subject: old.Subject}
	return *old, wrapBadger(tx.txn.Set(key, encodeEnvelope(m, false, nil)), "store: merge")
}

// unindex deletes an index entry of record id; a unique entry only while id still owns it.
func (tx *Tx) unindex(key []byte, id string) error {
	if bytes.HasPrefix(key, []byte("u/")) {
		owner, _, err := tx.uniqueOwnerID(key)
		if err != nil || owner != id {
			return err
		}
	}
	return wrapBadger(tx.txn.Delete(key), "store: merge unindex")
}

func (tx *Tx) uniqueOwnerID(key []byte) (string, bool, error) {
	item, err := tx.txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrapBadger(err, "store: merge")
	}
	v, err := item.ValueCopy(nil)
	return string(v), true, wrapBadger(err, "store: merge")
}

// fieldMerge is a declared collection's field merge (nil: whole records).
func (s *Store) fieldMerge(coll string) *FieldMerge {
	s.decls.mu.Lock()
	defer s.decls.mu.Unlock()
	return s.decls.colls[coll].fields
}

// sameStamps reports whether the joined stamps fs say the same as the stored ones (a record with
// no stamps stored is as old as its meta).
func sameStamps(fs, stored Stamps, old *Record) bool {
	if stored == nil {
		stored = Stamps{baseStamp: {HLC: old.HLC, Replica: old.Replica}}
	}
	return maps.Equal(fs, stored)
}

// subjectOf is the subject a declared collection seals a record's payload under; ok is false for
// collections that do not seal (or are not declared: the record is kept as it came).
func (s *Store) subjectOf(coll string, payload []byte) (string, bool, error) {
	s.decls.mu.Lock()
	fn := s.decls.colls[coll].subject
	s.decls.mu.Unlock()
	if fn == nil {
		return "", false, nil
	}
	subject, err := fn(payload)
	return subject, err == nil, err
}

// allCovered reports whether every field stamp is covered.
func allCovered(fs Stamps, covered func(hlc.Timestamp, string) bool) bool {
	for _, st := range fs {
		if !covered(st.HLC, st.Replica) {
			return false
		}
	}
	return true
}

// sameJSON reports whether two JSON documents say the same (key order and spacing aside).
func sameJSON(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	xa, _ := json.Marshal(x)
	ya, _ := json.Marshal(y)
	return bytes.Equal(xa, ya)
}
