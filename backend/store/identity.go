package store

import (
	"crypto/hmac"
	crand "crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash"
	"sync"

	"github.com/dgraph-io/badger/v4"
	"github.com/oklog/ulid/v2"

	"hearth/backend/clock"
	"hearth/backend/errs"
	"hearth/backend/hlc"
)

// loadIdentity reads (or, for a new database, creates) this replica's id and the clock floor.
func (s *Store) loadIdentity(wall clock.Clock) error {
	var floor hlc.Timestamp
	err := s.db.Update(func(txn *badger.Txn) error {
		item, err := txn.Get(keyReplica)
		switch {
		case errors.Is(err, badger.ErrKeyNotFound):
			s.replica = s.ids.next()
			if err := txn.Set(keyReplica, []byte(s.replica)); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			v, err := item.ValueCopy(nil)
			if err != nil {
				return err
			}
			s.replica = string(v)
		}
		if s.secret, err = getOrCreate(txn, keySecret, 32); err != nil {
			return err
		}
		if _, err := txn.Get(keyJoined); err == nil {
			s.joined.Store(true) // a copy made by joining (exchange.go): read once, here
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		item, err = txn.Get(keyClock)
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return item.Value(func(v []byte) error {
			if len(v) == 8 {
				floor = hlc.Timestamp(binary.BigEndian.Uint64(v))
			}
			return nil
		})
	})
	if err != nil {
		return errs.Wrap(errs.Internal, "internal", err, "store: read replica identity")
	}
	s.hlc = hlc.New(wall, floor)
	return nil
}

// saveClock persists the clock's high-water mark so that a reopened workspace never hands out
// a timestamp below one it already wrote, even if the wall clock went backwards meanwhile.
func (s *Store) saveClock() error {
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], uint64(s.hlc.Last()))
	return s.db.Update(func(txn *badger.Txn) error { return txn.Set(keyClock, buf[:]) })
}

// idSource hands out ULIDs: lexically sortable by creation time, monotonic within a millisecond.
type idSource struct {
	mu      sync.Mutex
	wall    clock.Clock
	entropy *ulid.MonotonicEntropy
}

func newIDSource(wall clock.Clock) *idSource {
	return &idSource{wall: wall, entropy: ulid.Monotonic(crand.Reader, 0)}
}

func (g *idSource) next() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return ulid.MustNew(ulid.Timestamp(g.wall.Now()), g.entropy).String()
}

// getOrCreate reads key, or sets it to n random bytes if absent.
func getOrCreate(txn *badger.Txn, key []byte, n int) ([]byte, error) {
	item, err := txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		v := make([]byte, n)
		if _, err := crand.Read(v); err != nil {
			return nil, err
		}
		return v, txn.Set(key, v)
	}
	if err != nil {
		return nil, err
	}
	return item.ValueCopy(nil)
}

// keyedHash is the hex HMAC-SHA-256 of value under the workspace secret, truncated to 128 bits.
func (s *Store) keyedHash(value string) string {
	mac, _ := s.macs.Get().(hash.Hash)
	if mac == nil {
		mac = hmac.New(sha256.New, s.secret)
	}
	defer s.macs.Put(mac)
	mac.Reset()
	mac.Write([]byte(value))
	var sum [sha256.Size]byte
	return hex.EncodeToString(mac.Sum(sum[:0])[:16])
}
