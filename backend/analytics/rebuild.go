package analytics

import (
	"context"
	"maps"
	"slices"
	"time"

	"hearth/backend/activity"
	"hearth/backend/store"
)

// maxPending bounds the member counters a rebuild holds in memory before writing them out
// (about 100 bytes each).
const maxPending = 200_000

// Rebuild recomputes every counter from the activity records and reloads the index. It holds
// at most maxPending member counters in memory, merging them into the stored ones as it goes.
// Activity writes wait meanwhile.
func (s *Service) Rebuild(ctx context.Context) error {
	s.writers.Lock()
	defer s.writers.Unlock()
	if err := s.rebuildLocked(ctx); err != nil {
		return err
	}
	lo := allDays
	s.mu.RLock()
	if s.idx != nil {
		lo = s.idx.lo
	}
	s.mu.RUnlock()
	return s.reloadLocked(ctx, lo)
}

type dayKey struct {
	day           int32
	channel, kind string
	mood          Mood
}

type memberDayKey struct {
	member string
	dayKey
}

// rebuildLocked recomputes the counters. The caller holds writers exclusively.
func (s *Service) rebuildLocked(ctx context.Context) error {
	var epoch uint64
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		st, found, err := readState(tx)
		if err != nil || !found {
			return err
		}
		epoch = st.Epoch
		// Without a state the counters read as stale until the rebuild is complete.
		_, err = store.Delete(tx, states, stateID)
		return err
	})
	if err != nil {
		return err
	}
	if err := dropAll(ctx, s.st, dayCounters); err != nil {
		return err
	}
	if err := dropAll(ctx, s.st, memberCounters); err != nil {
		return err
	}
	if err := dropAll(ctx, s.st, wordCounters); err != nil {
		return err
	}
	// Version 3 kept everybody's words in clear: every version of them leaves the table files.
	if err := s.st.DropCollection(ctx, legacyWordCounters); err != nil {
		return err
	}
	if err := dropAll(ctx, s.st, threadPosts); err != nil {
		return err
	}
	if err := dropAll(ctx, s.st, questions); err != nil {
		return err
	}
	if err := dropAll(ctx, s.st, threadStates); err != nil {
		return err
	}
	threads := newThreadRebuild()
	days := map[dayKey]int{}
	words := wordDeltas{}
	pending := map[memberDayKey]int{}
	if s.activity != nil {
		err = s.activity.Scan(ctx, time.Time{}, func(r activity.Record) error {
			k := dayKey{day: dayOf(r.At, s.o.Zone), channel: channelOf(r), kind: string(r.Kind), mood: MoodOf(r.Title, r.Text)}
			days[k]++
			words.add(k.day, r, 1)
			if err := threads.add(ctx, s.st, r); err != nil {
				return err
			}
			if r.MemberID == "" {
				return nil
			}
			pending[memberDayKey{member: r.MemberID, dayKey: k}]++
			if len(pending) < maxPending {
				return nil
			}
			err := s.flushMembers(ctx, pending)
			clear(pending)
			return err
		})
		if err != nil {
			return err
		}
	}
	if err := s.flushMembers(ctx, pending); err != nil {
		return err
	}
	if err := threads.finish(ctx, s.st); err != nil {
		return err
	}
	byDay := map[int32][]counterDelta{}
	for k, n := range days {
		byDay[k.day] = append(byDay[k.day], counterDelta{day: k.day, channel: k.channel, kind: k.kind, mood: k.mood, n: n})
	}
	order := make([]int32, 0, len(byDay))
	for d := range byDay {
		order = append(order, d)
	}
	err = s.st.Bulk(ctx, len(order), func(tx *store.Tx, i int) error { return addDays(tx, byDay[order[i]]) }, nil)
	if err != nil {
		return err
	}
	owners := slices.Sorted(maps.Keys(words))
	err = s.st.Bulk(ctx, len(owners), func(tx *store.Tx, i int) error { return addOwnerWords(tx, owners[i], words[owners[i]]) }, nil)
	if err != nil {
		return err
	}
	if err := s.buildActive(ctx); err != nil {
		return err
	}
	return s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, states, stateID, counterState{Zone: s.o.Zone.String(), Version: counterVersion, Epoch: epoch + 1})
		return err
	})
}

// upgradeLocked brings counters of the version before the active rollup to the current
// one: it builds the rollup from the member counters, then marks them current. A crash before
// the mark leaves them upgradable: the next load builds the rollup again. The caller holds
// writers exclusively.
func (s *Service) upgradeLocked(ctx context.Context) error {
	if err := s.buildActive(ctx); err != nil {
		return err
	}
	return s.st.Update(ctx, func(tx *store.Tx) error {
		st, found, err := readState(tx)
		if err != nil || !s.upgradable(st, found) {
			return err
		}
		st.Version, st.Epoch = counterVersion, st.Epoch+1
		_, err = store.Put(tx, states, stateID, st)
		return err
	})
}

// flushMembers merges pending member counters into the stored ones.
func (s *Service) flushMembers(ctx context.Context, pending map[memberDayKey]int) error {
	byMember := map[string][]counterDelta{}
	for k, n := range pending {
		byMember[k.member] = append(byMember[k.member], counterDelta{day: k.day, channel: k.channel, kind: k.kind, mood: k.mood, n: n})
	}
	ids := make([]string, 0, len(byMember))
	for id := range byMember {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return s.st.Bulk(ctx, len(ids), func(tx *store.Tx, i int) error { return addMember(tx, ids[i], byMember[ids[i]]) }, nil)
}

// dropAll deletes every record of a collection.
func dropAll[T any](ctx context.Context, st *store.Store, c *store.Collection[T]) error {
	var ids []string
	err := st.View(func(tx *store.Tx) error {
		return store.Scan(tx, c, func(id string, _ T, _ store.Meta) error {
			ids = append(ids, id)
			return nil
		})
	})
	if err != nil {
		return err
	}
	return st.Bulk(ctx, len(ids), func(tx *store.Tx, i int) error { return putOrDelete(tx, c, ids[i], *new(T), true) }, nil)
}
