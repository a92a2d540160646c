package activity

import (
	"context"

	"hearth/backend/store"
)

// Change is one activity record stored (Delta +1) or deleted (Delta -1).
type Change struct {
	Record Record
	Delta  int
}

// Hook is told of every activity record the service stores, so that data derived from them
// (the analytics counters) is written in the same transaction and kept in step in memory.
// ForgetMember, which runs inside an erasure, does not call it: a hook's owner forgets the
// member's derived data through its own gdpr forgetter.
type Hook interface {
	// Begin is called before each writing transaction, and End exactly once after it.
	Begin()
	// Apply runs inside the writing transaction with its changes, again each time the
	// transaction is retried; its error aborts the transaction.
	Apply(tx *store.Tx, changes []Change) error
	// End receives the changes the transaction committed: none when it failed.
	End(committed []Change)
}

// SetHook makes the service report its writes to h (nil: to nobody). Call it before the
// service is used.
func (s *Service) SetHook(h Hook) { s.hook = h }

// update runs fn in a writing transaction; fn reports each record it stores or deletes
// through changed, and the hook sees them inside the transaction and after it.
func (s *Service) update(ctx context.Context, fn func(tx *store.Tx, changed func(Record, int)) error) error {
	h := s.hook
	if h == nil {
		return s.st.Update(ctx, func(tx *store.Tx) error { return fn(tx, func(Record, int) {}) })
	}
	var changes []Change
	h.Begin()
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		changes = changes[:0]
		if err := fn(tx, func(r Record, delta int) { changes = append(changes, Change{Record: r, Delta: delta}) }); err != nil {
			return err
		}
		if len(changes) == 0 {
			return nil
		}
		return h.Apply(tx, changes)
	})
	if err != nil {
		changes = nil
	}
	h.End(changes)
	return err
}
