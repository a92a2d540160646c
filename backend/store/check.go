package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// Check and Repair: `hearth workspace check` and `hearth workspace repair`.
//
// Check reads everything once: every table block against its checksum, every record (its
// envelope decodes, a sealed one has its subject's key and unseals, its payload is JSON), every
// index entry (it points to a live record of its collection), and, for the collections declared
// with Declare, every live record's index entries (each one there, owned by the record). Repair
// rebuilds what can be rebuilt from the records: it deletes index entries that point nowhere or
// that no record gives, and writes those a declared collection's records give but that are
// missing. It never deletes or rewrites a record: one that does not decode or unseal is named,
// left as it is, for a backup to bring back.

// Finding is one thing Check found wrong.
type Finding struct {
	// Code says what: table_checksum, record_undecodable, record_unsealable,
	// index_dangling, index_missing, index_wrong_owner, index_unexpected.
	Code string `json:"code"`
	// Key is the Badger key (record keys name collections and ids, index keys hashed values).
	Key    string `json:"key,omitempty"`
	Detail string `json:"detail,omitempty"`
	// Repairable says Repair rebuilds it from the records.
	Repairable bool `json:"repairable"`
}

// CollectionCount is what Check counted in one collection.
type CollectionCount struct {
	Name       string `json:"name"`
	Live       int    `json:"live"`
	Tombstones int    `json:"tombstones"`
	// Shredded counts sealed records whose subject was erased (their key destroyed).
	Shredded int `json:"shredded"`
	// IndexEntries counts the collection's index entries (secondary and unique).
	IndexEntries int `json:"indexEntries"`
}

// CheckReport is Check's answer.
type CheckReport struct {
	OK          bool              `json:"ok"`
	Collections []CollectionCount `json:"collections"`
	Findings    []Finding         `json:"findings"`
	// FindingsLeftOut counts findings beyond the first maxFindings.
	FindingsLeftOut int `json:"findingsLeftOut"`
	// Repaired counts the index entries Repair deleted or wrote, and the view values it rewrote.
	Repaired int `json:"repaired"`
}

const maxFindings = 1000

func (r *CheckReport) add(f Finding) {
	r.OK = false
	if len(r.Findings) >= maxFindings {
		r.FindingsLeftOut++
		return
	}
	r.Findings = append(r.Findings, f)
}

// declared is a collection whose index entries Check can derive from its records.
type declared struct {
	// fields is the collection's field merge (Collection.Fields), nil for whole-record merges.
	fields *FieldMerge
	// subject is the person a record's JSON payload is about (Collection.Subject), nil for
	// collections whose records are not sealed: a record merged from another copy is sealed as
	// this copy's collection says, whatever the copy that sent it did (an older Hearth).
	subject func(payload []byte) (string, error)
	// indexKeys returns the index keys a record's JSON payload gives, each with the value it
	// holds (the id for unique entries, empty for secondary ones).
	indexKeys func(tx *Tx, id string, payload []byte) (map[string]string, error)
}

type declarations struct {
	mu    sync.Mutex
	colls map[string]declared
}

// Declare tells the store about collection c, so that Check verifies that every live record has
// its index entries and Repair can write the missing ones. Services declare their collections
// when they are built.
func Declare[T any](s *Store, c *Collection[T]) {
	if s == nil {
		return // bindings-only runs build services without a store
	}
	s.decls.mu.Lock()
	defer s.decls.mu.Unlock()
	if s.decls.colls == nil {
		s.decls.colls = map[string]declared{}
	}
	var subject func([]byte) (string, error)
	if c.Subject != nil {
		subject = func(payload []byte) (string, error) {
			var v T
			if err := json.Unmarshal(payload, &v); err != nil {
				return "", err
			}
			return c.Subject(v), nil
		}
	}
	s.decls.colls[c.Name] = declared{fields: c.Fields, subject: subject, indexKeys: func(tx *Tx, id string, payload []byte) (map[string]string, error) {
		var v T
		if err := json.Unmarshal(payload, &v); err != nil {
			return nil, err
		}
		out := map[string]string{}
		for _, ix := range c.Indexes {
			for _, val := range tx.indexValues(ix.Hashed, ix.Values(v)) {
				if val == "" {
					continue
				}
				if ix.Unique {
					out[string(uniqueKey(c.Name, ix.Name, val))] = id
				} else {
					out[string(indexKey(c.Name, ix.Name, val, id))] = ""
				}
			}
		}
		return out, nil
	}}
}

// Check verifies the whole database (see above). It only reads.
func (s *Store) Check(ctx context.Context) (CheckReport, error) {
	return s.checkAll(ctx, false)
}

// Repair is Check followed by the rebuild of the index entries that can be rebuilt from the
// records; the report is what Check found before the repair.
func (s *Store) Repair(ctx context.Context) (CheckReport, error) {
	return s.checkAll(ctx, true)
}

// checkAll checks (and repairs) records and indexes, then the views built from them.
func (s *Store) checkAll(ctx context.Context, repair bool) (CheckReport, error) {
	rep, err := s.check(ctx, repair)
	if err != nil {
		return rep, err
	}
	return rep, s.checkViews(ctx, repair, &rep)
}

func (s *Store) check(ctx context.Context, repair bool) (CheckReport, error) {
	rep := CheckReport{OK: true, Findings: []Finding{}, Collections: []CollectionCount{}}
	s.verifyTables(&rep)
	s.decls.mu.Lock()
	decls := maps.Clone(s.decls.colls)
	s.decls.mu.Unlock()

	counts := map[string]*CollectionCount{}
	count := func(coll string) *CollectionCount {
		c := counts[coll]
		if c == nil {
			c = &CollectionCount{Name: coll}
			counts[coll] = c
		}
		return c
	}
	live := map[string]bool{}          // "coll/id" of live (or shredded) records
	expected := map[string]string{}    // index key -> value, from declared collections' records
	var toDelete [][]byte              // index entries to delete on repair
	toSet := map[string]string{}       // index entries to write on repair
	err := s.View(func(tx *Tx) error { // records
		it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: []byte("r/"), PrefetchValues: true, PrefetchSize: 256})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			item := it.Item()
			key := item.KeyCopy(nil)
			coll, id, ok := splitRecordKey(key)
			if !ok {
				rep.add(Finding{Code: "record_undecodable", Key: string(key), Detail: "not a record key"})
				continue
			}
			err := item.Value(func(b []byte) error {
				m, sealed, payload, err := decodeEnvelope(b)
				if err != nil {
					rep.add(Finding{Code: "record_undecodable", Key: string(key), Detail: err.Error()})
					return nil
				}
				if m.Deleted {
					count(coll).Tombstones++
					return nil
				}
				if sealed {
					k, found, err := s.keys.key(m.Subject, false)
					if err != nil {
						return err
					}
					if !found {
						// Its subject was erased: the record is shredded, and reads as absent.
						// (A keyring that lost keys is refused at open: see keyringcheck.go.)
						count(coll).Shredded++
						live[coll+"/"+id] = true // its index entries, if any, are not dangling
						return nil
					}
					if payload, err = open(k, key, payload); err != nil {
						rep.add(Finding{Code: "record_unsealable", Key: string(key), Detail: err.Error()})
						return nil
					}
				}
				if !json.Valid(payload) {
					rep.add(Finding{Code: "record_undecodable", Key: string(key), Detail: "payload is not JSON"})
					return nil
				}
				count(coll).Live++
				live[coll+"/"+id] = true
				if d, ok := decls[coll]; ok {
					keys, err := d.indexKeys(tx, id, payload)
					if err != nil {
						rep.add(Finding{Code: "record_undecodable", Key: string(key), Detail: err.Error()})
						return nil
					}
					maps.Copy(expected, keys)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rep, wrapBadger(err, "store: check records")
	}
	seen := map[string]bool{}
	err = s.View(func(tx *Tx) error { // index entries
		for _, prefix := range []string{"i/", "u/"} {
			it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: []byte(prefix), PrefetchValues: prefix == "u/"})
			for it.Rewind(); it.Valid(); it.Next() {
				if err := ctx.Err(); err != nil {
					it.Close()
					return err
				}
				item := it.Item()
				key := item.KeyCopy(nil)
				coll, id, ok := indexTarget(key)
				if prefix == "u/" && ok {
					v, err := item.ValueCopy(nil)
					if err != nil {
						it.Close()
						return err
					}
					id = string(v)
				}
				if !ok {
					rep.add(Finding{Code: "index_dangling", Key: printable(key), Detail: "not an index key", Repairable: true})
					toDelete = append(toDelete, key)
					continue
				}
				count(coll).IndexEntries++
				_, isDeclared := decls[coll]
				want, isExpected := expected[string(key)]
				switch {
				case !live[coll+"/"+id]:
					rep.add(Finding{Code: "index_dangling", Key: printable(key), Detail: "points to no live record " + coll + "/" + id, Repairable: true})
					if isExpected {
						toSet[string(key)] = want
					} else {
						toDelete = append(toDelete, key)
					}
				case isDeclared && !isExpected:
					rep.add(Finding{Code: "index_unexpected", Key: printable(key), Detail: "record " + coll + "/" + id + " does not give it", Repairable: true})
					toDelete = append(toDelete, key)
				case isExpected && prefix == "u/" && want != id:
					rep.add(Finding{Code: "index_wrong_owner", Key: printable(key), Detail: "owned by " + id + ", record " + want + " gives it", Repairable: true})
					toSet[string(key)] = want
				}
				seen[string(key)] = true
			}
			it.Close()
		}
		return nil
	})
	if err != nil {
		return rep, wrapBadger(err, "store: check indexes")
	}
	for _, k := range slices.Sorted(maps.Keys(expected)) {
		if !seen[k] {
			rep.add(Finding{Code: "index_missing", Key: printable([]byte(k)), Detail: "the record gives it", Repairable: true})
			toSet[k] = expected[k]
		}
	}
	names := slices.Sorted(maps.Keys(counts))
	for _, n := range names {
		rep.Collections = append(rep.Collections, *counts[n])
	}
	if !repair || len(toDelete)+len(toSet) == 0 {
		return rep, nil
	}
	type op struct {
		key   []byte
		value string
		del   bool
	}
	var ops []op
	for _, k := range toDelete {
		ops = append(ops, op{key: k, del: true})
	}
	for _, k := range slices.Sorted(maps.Keys(toSet)) {
		ops = append(ops, op{key: []byte(k), value: toSet[k]})
	}
	err = s.Bulk(ctx, len(ops), func(tx *Tx, i int) error {
		if ops[i].del {
			return tx.txn.Delete(ops[i].key)
		}
		if bytes.HasPrefix(ops[i].key, []byte("u/")) {
			return tx.txn.Set(ops[i].key, []byte(ops[i].value))
		}
		return tx.txn.Set(ops[i].key, nil)
	}, func(done int) { rep.Repaired = done })
	if err != nil {
		return rep, err
	}
	return rep, nil
}

// verifyTables checks every block of every table against its checksum, one table at a time
// (Badger's own VerifyChecksum panics on a damaged block), naming the tables that fail.
func (s *Store) verifyTables(rep *CheckReport) {
	opts := s.db.Opts()
	if opts.InMemory {
		return
	}
	// Each table is read with the compression it was written with, which the manifest records:
	// a workspace from before compression was turned off still has Snappy tables.
	mf, mfErr := replayManifest(filepath.Join(opts.Dir, badger.ManifestFilename))
	for _, ti := range s.db.Tables() {
		name := fmt.Sprintf("%06d.sst", ti.ID)
		compression := opts.Compression
		if tm, ok := mf.Tables[ti.ID]; ok && mfErr == nil {
			compression = tm.Compression
		}
		err := verifyTable(filepath.Join(opts.Dir, name), ti.ID, compression)
		if err != nil && !errors.Is(err, fs.ErrNotExist) { // not exist: compacted away meanwhile
			rep.add(Finding{Code: "table_checksum", Key: "db/" + name, Detail: err.Error()})
		}
	}
}

// indexTarget reads the collection and, for a secondary entry, the record id from an index key
// (i/<coll>/<index>/<value>\x00<id> or u/<coll>/<index>/<value>).
func indexTarget(key []byte) (coll, id string, ok bool) {
	rest, found := bytes.CutPrefix(key, []byte("i/"))
	unique := false
	if !found {
		if rest, found = bytes.CutPrefix(key, []byte("u/")); !found {
			return "", "", false
		}
		unique = true
	}
	c, rest, found := bytes.Cut(rest, []byte("/"))
	if !found || len(c) == 0 {
		return "", "", false
	}
	if unique {
		return string(c), "", true
	}
	i := bytes.LastIndexByte(rest, 0)
	if i < 0 || i == len(rest)-1 {
		return "", "", false
	}
	return string(c), string(rest[i+1:]), true
}

// printable shows a key with its NUL separator visible.
func printable(key []byte) string { return strings.ReplaceAll(string(key), "\x00", `\0`) }
