package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/dgraph-io/badger/v4"
)

// Views are data derived from records and kept in Badger beside them, written in the same
// transactions as the records they describe, so that a process reads them as needed instead of
// rebuilding them from every record at start: the member directory's pages, for instance. A view
// is a set of named values under v/<view>/<name>. A value is either plain (for what holds no
// personal data) or sealed with the key of a subject chosen by the view, so that the view can
// make an erased person's old versions unreadable by destroying the keys that sealed them
// (Tx.ShredSubject inside the erasure).
//
// Value layout: version byte (1), subject length (1 byte), subject, then the payload, sealed
// with AES-256-GCM under the subject's key (the Badger key as authenticated data) when the
// subject is not empty.

const viewV1 = 1

// ViewKeys names, by convention, a view's registry of the subjects that sealed its values and
// whose keys are not destroyed yet (plain). A restored backup keeps the live workspace's
// registries while it drops every other view value (Reconcile), so that the keys the backup's
// values were sealed with are still destroyed by the next erasure.
const ViewKeys = "keys"

func viewPrefix(view string) []byte { return []byte("v/" + view + "/") }

func viewKey(view, name string) []byte { return []byte("v/" + view + "/" + name) }

// PutView writes b as the view's value name, sealed with subject's key (created if it has
// none), or plain when subject is empty.
func (tx *Tx) PutView(view, name, subject string, b []byte) error {
	key := viewKey(view, name)
	payload := b
	if subject != "" {
		k, _, err := tx.s.keys.key(subject, true)
		if err != nil {
			return err
		}
		if payload, err = seal(k, key, b); err != nil {
			return err
		}
	}
	if len(subject) > 255 {
		return fmt.Errorf("store: view subject of %d bytes", len(subject))
	}
	v := make([]byte, 0, 2+len(subject)+len(payload))
	v = append(v, viewV1, byte(len(subject)))
	v = append(v, subject...)
	v = append(v, payload...)
	tx.s.touch("v/" + view)
	return wrapBadger(tx.txn.Set(key, v), "store: write view "+view)
}

// GetView returns the view's value name (a buffer the caller owns) and the subject that sealed
// it. found is false when there is no such value. A value whose subject's key is gone, or that
// does not unseal, is damage: an error with code view_damaged.
func (tx *Tx) GetView(view, name string) (b []byte, subject string, found bool, err error) {
	return tx.GetViewInto(view, name, nil)
}

// GetViewInto is GetView writing the value into buf's storage when it is large enough (a buffer
// the caller reuses from one value to the next).
func (tx *Tx) GetViewInto(view, name string, buf []byte) (b []byte, subject string, found bool, err error) {
	key := viewKey(view, name)
	item, err := tx.txn.Get(key)
	if errors.Is(err, badger.ErrKeyNotFound) {
		return nil, "", false, nil
	}
	if err != nil {
		return nil, "", false, wrapBadger(err, "store: read view "+view)
	}
	// Unsealed straight from Badger's buffer into the caller's: one pass over the bytes, not a
	// copy and then a decryption.
	err = item.Value(func(v []byte) error {
		if len(v) < 2 || v[0] != viewV1 || len(v) < 2+int(v[1]) {
			return damaged(CodeDataDamaged, "db", fmt.Errorf("store: view value %s/%s has an unknown layout", view, name))
		}
		subject = string(v[2 : 2+int(v[1])])
		payload := v[2+int(v[1]):]
		if subject == "" {
			b = append(buf[:0], payload...)
			return nil
		}
		k, ok, err := tx.s.keys.key(subject, false)
		if err != nil {
			return err
		}
		if !ok {
			return damaged(CodeDataDamaged, "keyring", fmt.Errorf("store: the key of view value %s/%s is gone", view, name))
		}
		if b, err = openInto(buf[:0], k, key, payload); err != nil {
			return damaged(CodeDataDamaged, "db", fmt.Errorf("store: view value %s/%s does not unseal: %w", view, name, err))
		}
		return nil
	})
	if err != nil {
		return nil, "", false, wrapBadger(err, "store: read view "+view)
	}
	return b, subject, true, nil
}

// DeleteView deletes the view's value name.
func (tx *Tx) DeleteView(view, name string) error {
	tx.s.touch("v/" + view)
	return wrapBadger(tx.txn.Delete(viewKey(view, name)), "store: delete view "+view)
}

// ViewNames lists the names of the view's values, in key order, reading no value.
func (tx *Tx) ViewNames(view string) ([]string, error) {
	prefix := viewPrefix(view)
	it := tx.txn.NewIterator(badger.IteratorOptions{Prefix: prefix})
	defer it.Close()
	var names []string
	for it.Rewind(); it.Valid(); it.Next() {
		names = append(names, string(it.Item().Key()[len(prefix):]))
	}
	return names, nil
}

// Checker verifies a view against the records it is built from for Check and, when repair is
// set, rebuilds it; it returns what it found (before any repair) and how many values it rewrote.
type Checker func(ctx context.Context, repair bool) (findings []Finding, repaired int, err error)

type checkers struct {
	mu  sync.Mutex
	fns map[string]Checker
}

// RegisterCheck adds a view's checker to Check and Repair, which run it after the records and
// indexes.
func (s *Store) RegisterCheck(view string, fn Checker) {
	if s == nil {
		return // bindings-only runs build services without a store
	}
	s.views.mu.Lock()
	defer s.views.mu.Unlock()
	if s.views.fns == nil {
		s.views.fns = map[string]Checker{}
	}
	s.views.fns[view] = fn
}

// checkViews runs every registered view checker, in name order.
func (s *Store) checkViews(ctx context.Context, repair bool, rep *CheckReport) error {
	s.views.mu.Lock()
	names := make([]string, 0, len(s.views.fns))
	for n := range s.views.fns {
		names = append(names, n)
	}
	fns := s.views.fns
	s.views.mu.Unlock()
	slices.Sort(names)
	for _, n := range names {
		findings, repaired, err := fns[n](ctx, repair)
		if err != nil {
			return err
		}
		for _, f := range findings {
			rep.add(f)
		}
		rep.Repaired += repaired
	}
	return nil
}

// HasKey reports whether subject still has a data key: false once an erasure destroyed it (or
// when it never had one).
func (tx *Tx) HasKey(subject string) bool {
	_, ok, err := tx.s.keys.key(subject, false)
	return err == nil && ok
}
