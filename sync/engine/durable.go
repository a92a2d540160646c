package engine

import (
	"context"
	"sync"

	"hearth/backend/store"
)

// syncer makes earlier writes durable with group commit: callers that ask at about the same
// time (several connections, several workers) share one sync of the store's files instead of
// paying one each, which is what an attempt's bookkeeping costs most.
type syncer struct {
	st *store.Store

	mu      sync.Mutex
	cond    *sync.Cond
	syncing bool
	started uint64 // generation of the last sync started
	done    uint64 // generation of the last sync finished
	errs    map[uint64]error
}

func newSyncer(st *store.Store) *syncer {
	s := &syncer{st: st, errs: map[uint64]error{}}
	s.cond = sync.NewCond(&s.mu)
	return s
}

// Sync returns once everything written before the call is on disk.
func (s *syncer) Sync(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	target := s.started + 1 // a sync already under way may have begun before our write
	for s.done < target {
		if s.syncing {
			s.cond.Wait()
			continue
		}
		s.syncing = true
		s.started++
		gen := s.started
		s.mu.Unlock()
		err := s.st.UpdateDurable(context.WithoutCancel(ctx), func(*store.Tx) error { return nil })
		s.mu.Lock()
		s.syncing, s.done = false, gen
		if err != nil {
			s.errs[gen] = err
		}
		delete(s.errs, gen-8) // nobody waits that long behind
		s.cond.Broadcast()
	}
	return s.errs[target]
}
