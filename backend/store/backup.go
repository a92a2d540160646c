package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"slices"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/pb"
	"google.golang.org/protobuf/proto"

	"hearth/backend/errs"
)

// Backup writes a consistent copy of the whole database to w while it stays open for reads and
// writes: Badger's backup stream, read at one timestamp, so a write committed during the backup
// is either wholly in it or not at all. The keyring is not in the stream (it is a file beside
// Badger): a backup alone opens no sealed record, and a key destroyed by an erasure is gone for
// every backup at once. It returns Badger's version the copy was read at.
//
// It does not use Badger's DB.Backup: outside managed mode, Badger's stream reads each key range
// in a transaction of its own, opened at different moments, so a record and its index entries
// written meanwhile could land in the copy one without the other. Here every key is read in one
// read-only transaction and written in the framing DB.Load reads (a little-endian uint64 length,
// then a protobuf KVList), latest versions only.
func (s *Store) Backup(w io.Writer) (uint64, error) {
	if s.closed.Load() {
		return 0, errs.New(errs.Unavailable, "workspace_unavailable", "store: closed")
	}
	var maxVersion uint64
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.DefaultIteratorOptions)
		defer it.Close()
		list := &pb.KVList{}
		size := 0
		flush := func() error {
			if len(list.Kv) == 0 {
				return nil
			}
			b, err := proto.Marshal(list)
			if err != nil {
				return err
			}
			var n [8]byte
			binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
			if _, err := w.Write(n[:]); err != nil {
				return err
			}
			if _, err := w.Write(b); err != nil {
				return err
			}
			list.Kv, size = list.Kv[:0], 0
			return nil
		}
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			if item.IsDeletedOrExpired() {
				continue
			}
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			maxVersion = max(maxVersion, item.Version())
			list.Kv = append(list.Kv, &pb.KV{Key: item.KeyCopy(nil), Value: v, UserMeta: []byte{item.UserMeta()},
				Version: item.Version(), ExpiresAt: item.ExpiresAt()})
			if size += len(v) + len(item.Key()); size >= 4<<20 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		return flush()
	})
	return maxVersion, wrapBadger(err, "store: backup")
}

// LoadBackup creates a database in dir (which must not hold one) from a stream Backup wrote.
func LoadBackup(dir string, r io.Reader) error {
	db, err := badger.Open(badgerOptions(Options{Dir: dir, Logger: slog.New(slog.DiscardHandler)}))
	if err != nil {
		return errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "store: open "+dir)
	}
	if err := db.Load(r, 256); err != nil {
		_ = db.Close()
		return errs.Wrap(errs.Invalid, "backup_corrupt", err, "store: load backup")
	}
	return wrapBadger(db.Close(), "store: load backup")
}

// ReconcileOptions tune Reconcile.
type ReconcileOptions struct {
	// AppendOnly names collections whose records are only ever added (consent evidence): the
	// live records the restored database lacks are copied in with their index entries, so that
	// a restore never undoes, say, a withdrawal of consent made after the backup. A sealed one
	// is copied only when its subject is a live record of SubjectCollection in the restored
	// database (a member the backup holds).
	AppendOnly []string
	// KeepLive names collections whose live state outlives a restore: what was sent or
	// published stays sent (the outbox, deliveries), so a restore never sends anything twice.
	// The restored database's records of them are replaced by the live ones, with their index
	// entries; a sealed live record is kept only when its subject is a live record of
	// SubjectCollection in the restored database.
	KeepLive          []string
	SubjectCollection string
}

// Reconciled is what Reconcile changed in a database restored from a backup.
type Reconciled struct {
	// Suppressions is how many suppression entries the live database holds (all copied).
	Suppressions int
	// Copied counts the records of AppendOnly collections copied in from the live database.
	Copied int
	// Subjects are the people whose sealed records the restored database held but whose data
	// keys the live keyring no longer has: people erased after the backup. Their records are
	// tombstones now, their index entries gone.
	Subjects []string
}

// Reconcile makes the database in dir, loaded from a backup of this workspace (LoadBackup),
// keep every erasure the live store s made since: it copies in s's suppression entries, and
// replaces every record sealed for a subject without a key in s's keyring by s's version of
// that record (the erasure's tombstone) or a tombstone, dropping the record's index entries. It
// also raises the restored clock floor to s's, so that no stamp is ever handed out twice, and
// gives it s's keyring witness (the restored database opens with the live keyring). dir must
// not be open.
func (s *Store) Reconcile(dir string, o ReconcileOptions) (Reconciled, error) {
	var out Reconciled
	db, err := badger.Open(badgerOptions(Options{Dir: dir, Logger: slog.New(slog.DiscardHandler)}))
	if err != nil {
		return out, errs.Wrap(errs.Unavailable, "workspace_unavailable", err, "store: open "+dir)
	}
	wb := db.NewWriteBatch()
	err = s.reconcile(db, wb, &out)
	for _, coll := range o.AppendOnly {
		if err != nil {
			break
		}
		err = s.copyNewer(db, wb, coll, o.SubjectCollection, &out)
	}
	for _, coll := range o.KeepLive {
		if err != nil {
			break
		}
		err = s.keepLive(db, wb, coll, o.SubjectCollection)
	}
	if err == nil {
		err = wb.Flush()
	} else {
		wb.Cancel()
	}
	if err == nil {
		err = db.Sync()
	}
	err = errors.Join(err, db.Close())
	return out, wrapBadger(err, "store: reconcile restored database")
}

func (s *Store) reconcile(db *badger.DB, wb *badger.WriteBatch, out *Reconciled) error {
	// The suppression list outlives every backup: copy the live one whole; and so does the record
	// of who was erased, which team merges read (exchange.go).
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("x/")})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if err := wb.Set(it.Item().KeyCopy(nil), nil); err != nil {
				return err
			}
			out.Suppressions++
		}
		return each(txn, erasurePrefix, true, func(item *badger.Item) error {
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			return wb.Set(item.KeyCopy(nil), v)
		})
	})
	if err != nil {
		return err
	}
	if err := s.copyKeyringWitness(db, wb); err != nil {
		return err
	}
	// Views are derived from the records, and the restored ones were sealed with keys an erasure
	// may have destroyed since: drop them all; each is built again from the records at first use.
	// A view's registry of the keys that sealed its values (ViewKeys) is the live one: every key
	// the backup's values were sealed with and that still exists is in it, so that the next
	// erasure destroys them.
	err = db.View(func(txn *badger.Txn) error {
		return each(txn, []byte("v/"), false, func(item *badger.Item) error { return wb.Delete(item.KeyCopy(nil)) })
	})
	if err == nil {
		err = s.db.View(func(txn *badger.Txn) error {
			return each(txn, []byte("v/"), true, func(item *badger.Item) error {
				if !bytes.HasSuffix(item.Key(), []byte("/"+ViewKeys)) {
					return nil
				}
				v, err := item.ValueCopy(nil)
				if err != nil {
					return err
				}
				return wb.Set(item.KeyCopy(nil), v)
			})
		})
	}
	if err != nil {
		return err
	}
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(s.hlc.Now()))
	if err := wb.Set(bytes.Clone(keyClock), buf[:]); err != nil {
		return err
	}

	gone := map[string]map[string]bool{} // collection -> ids of erased subjects' records
	subjects := map[string]bool{}
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("r/"), PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			var m Meta
			var sealed bool
			if err := item.Value(func(b []byte) (err error) {
				m, sealed, _, err = decodeEnvelope(b)
				return err
			}); err != nil {
				return err
			}
			if !sealed {
				continue
			}
			if _, ok, err := s.keys.key(m.Subject, false); err != nil || ok {
				if err != nil {
					return err
				}
				continue
			}
			key := item.KeyCopy(nil)
			coll, id, ok := splitRecordKey(key)
			if !ok {
				continue
			}
			if gone[coll] == nil {
				gone[coll] = map[string]bool{}
			}
			gone[coll][id] = true
			subjects[m.Subject] = true
			if err := wb.Set(key, s.tombstoneFor(key, m)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || len(gone) == 0 {
		return err
	}
	// Index entries end with "\x00<id>" (secondary) or hold the id as their value (unique).
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("i/")})
		for it.Rewind(); it.Valid(); it.Next() {
			key := it.Item().Key()
			coll, _, _ := bytes.Cut(key[2:], []byte("/"))
			at := bytes.LastIndexByte(key, 0)
			if at >= 0 && gone[string(coll)][string(key[at+1:])] {
				if err := wb.Delete(it.Item().KeyCopy(nil)); err != nil {
					it.Close()
					return err
				}
			}
		}
		it.Close()
		it = txn.NewIterator(badger.IteratorOptions{Prefix: []byte("u/"), PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			item := it.Item()
			coll, _, _ := bytes.Cut(item.Key()[2:], []byte("/"))
			id, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			if gone[string(coll)][string(id)] {
				if err := wb.Delete(item.KeyCopy(nil)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	for subject := range subjects {
		out.Subjects = append(out.Subjects, subject)
	}
	slices.Sort(out.Subjects)
	return err
}

// tombstoneFor is the live database's version of an erased record (the tombstone the erasure
// left, with its stamp) when it has one, else a new tombstone.
func (s *Store) tombstoneFor(key []byte, m Meta) []byte {
	var live []byte
	_ = s.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(key)
		if err != nil {
			return err
		}
		live, err = item.ValueCopy(nil)
		return err
	})
	if live != nil {
		if lm, sealed, _, err := decodeEnvelope(live); err == nil && lm.Deleted && !sealed {
			return live
		}
	}
	return encodeEnvelope(Meta{HLC: s.hlc.Now(), Replica: s.replica, Deleted: true, Subject: m.Subject}, false, nil)
}

// splitRecordKey splits "r/<collection>/<id>".
func splitRecordKey(key []byte) (coll, id string, ok bool) {
	c, i, ok := bytes.Cut(key[len("r/"):], []byte("/"))
	return string(c), string(i), ok
}

// CountLive counts the live records of a collection (tombstones and erased people's records
// left out) from their envelopes, without opening any: for summaries such as a backup's.
func (s *Store) CountLive(coll string) (int, error) {
	n := 0
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: recordPrefix(coll), PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			err := it.Item().Value(func(b []byte) error {
				m, sealed, _, err := decodeEnvelope(b)
				if err != nil || m.Deleted {
					return err
				}
				if sealed {
					if _, ok, err := s.keys.key(m.Subject, false); err != nil || !ok {
						return err
					}
				}
				n++
				return nil
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	return n, wrapBadger(err, "store: count "+coll)
}

// keyringWitnessPrefix is where the store keeps what it knows of the keyring file (its
// length and checksum, checked at open): a restored database keeps the live keyring, so it
// gets the live witness instead of the one in the backup.
var keyringWitnessPrefix = []byte("s/keyring/")

func (s *Store) copyKeyringWitness(db *badger.DB, wb *badger.WriteBatch) error {
	live := map[string][]byte{}
	err := s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: keyringWitnessPrefix, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			v, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			live[string(it.Item().Key())] = v
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: keyringWitnessPrefix})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			if _, ok := live[string(it.Item().Key())]; !ok {
				if err := wb.Delete(it.Item().KeyCopy(nil)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, v := range live {
		if err := wb.Set([]byte(k), v); err != nil {
			return err
		}
	}
	return nil
}

// copyNewer copies into the restored database db the live records of coll it lacks (see
// ReconcileOptions.AppendOnly), with their index entries.
func (s *Store) copyNewer(db *badger.DB, wb *badger.WriteBatch, coll, subjects string, out *Reconciled) error {
	copied := map[string]bool{}
	err := db.View(func(restored *badger.Txn) error {
		has := func(key []byte) (live bool, err error) {
			item, err := restored.Get(key)
			if errors.Is(err, badger.ErrKeyNotFound) {
				return false, nil
			}
			if err != nil {
				return false, err
			}
			err = item.Value(func(b []byte) error {
				m, _, _, err := decodeEnvelope(b)
				live = err == nil && !m.Deleted
				return err
			})
			return live, err
		}
		return s.db.View(func(txn *badger.Txn) error {
			prefix := recordPrefix(coll)
			it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: true})
			defer it.Close()
			for it.Rewind(); it.Valid(); it.Next() {
				item := it.Item()
				if _, err := restored.Get(item.Key()); err == nil {
					continue // the backup has it (ids are unique: the same record)
				} else if !errors.Is(err, badger.ErrKeyNotFound) {
					return err
				}
				v, err := item.ValueCopy(nil)
				if err != nil {
					return err
				}
				m, sealed, _, err := decodeEnvelope(v)
				if err != nil || m.Deleted {
					continue
				}
				if sealed {
					if _, ok, err := s.keys.key(m.Subject, false); err != nil || !ok {
						continue
					}
					if subjects != "" {
						if live, err := has(recordKey(subjects, m.Subject)); err != nil || !live {
							if err != nil {
								return err
							}
							continue
						}
					}
				}
				if err := wb.Set(item.KeyCopy(nil), v); err != nil {
					return err
				}
				copied[string(item.Key()[len(prefix):])] = true
			}
			return nil
		})
	})
	if err != nil || len(copied) == 0 {
		return err
	}
	out.Copied += len(copied)
	return s.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte("i/" + coll + "/")})
		for it.Rewind(); it.Valid(); it.Next() {
			key := it.Item().Key()
			if at := bytes.LastIndexByte(key, 0); at >= 0 && copied[string(key[at+1:])] {
				if err := wb.Set(it.Item().KeyCopy(nil), nil); err != nil {
					it.Close()
					return err
				}
			}
		}
		it.Close()
		it = txn.NewIterator(badger.IteratorOptions{Prefix: []byte("u/" + coll + "/"), PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			id, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			if copied[string(id)] {
				if err := wb.Set(it.Item().KeyCopy(nil), id); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// liveSubject reports whether subject is a live record of coll in the restored database (a
// member the backup holds); any subject passes when coll is "".
func liveSubject(restored *badger.Txn, coll, subject string) (bool, error) {
	if coll == "" {
		return true, nil
	}
	item, err := restored.Get(recordKey(coll, subject))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	live := false
	err = item.Value(func(b []byte) error {
		m, _, _, err := decodeEnvelope(b)
		live = err == nil && !m.Deleted
		return err
	})
	return live, err
}

// keepLive replaces the restored database's records of coll, and their index entries, by the
// live ones (see ReconcileOptions.KeepLive).
func (s *Store) keepLive(db *badger.DB, wb *badger.WriteBatch, coll, subjects string) error {
	live := map[string][]byte{}
	kept := map[string]bool{}
	err := db.View(func(restored *badger.Txn) error {
		return s.db.View(func(txn *badger.Txn) error {
			prefix := recordPrefix(coll)
			err := each(txn, prefix, true, func(item *badger.Item) error {
				v, err := item.ValueCopy(nil)
				if err != nil {
					return err
				}
				m, sealed, _, err := decodeEnvelope(v)
				if err != nil {
					return err
				}
				if sealed {
					if _, ok, err := s.keys.key(m.Subject, false); err != nil || !ok {
						return err
					}
					if ok, err := liveSubject(restored, subjects, m.Subject); err != nil || !ok {
						return err
					}
				}
				live[string(item.Key())] = v
				kept[string(item.Key()[len(prefix):])] = true
				return nil
			})
			if err != nil {
				return err
			}
			err = each(txn, []byte("i/"+coll+"/"), false, func(item *badger.Item) error {
				key := item.Key()
				if at := bytes.LastIndexByte(key, 0); at >= 0 && kept[string(key[at+1:])] {
					live[string(key)] = nil
				}
				return nil
			})
			if err != nil {
				return err
			}
			return each(txn, []byte("u/"+coll+"/"), true, func(item *badger.Item) error {
				id, err := item.ValueCopy(nil)
				if err == nil && kept[string(id)] {
					live[string(item.Key())] = id
				}
				return err
			})
		})
	})
	if err != nil {
		return err
	}
	err = db.View(func(restored *badger.Txn) error {
		for _, prefix := range []string{"r/", "i/", "u/"} {
			err := each(restored, []byte(prefix+coll+"/"), false, func(item *badger.Item) error {
				if _, ok := live[string(item.Key())]; ok {
					return nil
				}
				return wb.Delete(item.KeyCopy(nil))
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, v := range live {
		if err := wb.Set([]byte(k), v); err != nil {
			return err
		}
	}
	return nil
}

// each calls fn for every item under prefix, closing its iterator whatever fn returns.
func each(txn *badger.Txn, prefix []byte, values bool, fn func(item *badger.Item) error) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: prefix, PrefetchValues: values})
	defer it.Close()
	for it.Rewind(); it.Valid(); it.Next() {
		if err := fn(it.Item()); err != nil {
			return err
		}
	}
	return nil
}
