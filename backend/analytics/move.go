package analytics

import (
	"context"
	"errors"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// MoveGoalMark moves, inside the transaction that merges member from into member to
// (backend/members), the record that from's goal conversion was counted to to, so that the
// kept member, who gains from's goal tag, is not counted as converting a second time. When to
// has a conversion of its own, it stays and from's stays where it is (unread while from is
// merged away, there again after an unmerge). It returns the id of the mark it moved (to's),
// for PointGoalMarkAt.
func MoveGoalMark(tx *store.Tx, from, to string) ([]string, error) {
	g, _, err := store.Get(tx, goalMarks, from)
	if errors.Is(err, errs.NotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if _, _, err := store.Get(tx, goalMarks, to); err == nil {
		return nil, nil
	} else if !errors.Is(err, errs.NotFound) {
		return nil, err
	}
	if err := moveMark(tx, g, from, to); err != nil {
		return nil, err
	}
	return []string{to}, nil
}

// PointGoalMarkAt gives the goal marks ids (as MoveGoalMark returned them: the member they were
// moved to) back to member to, when a merge is undone.
func PointGoalMarkAt(tx *store.Tx, ids []string, to string) error {
	for _, id := range ids {
		g, _, err := store.Get(tx, goalMarks, id)
		if errors.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if err := moveMark(tx, g, id, to); err != nil {
			return err
		}
	}
	return nil
}

// moveMark re-keys goal mark g from member from to member to, sealed under to's key.
func moveMark(tx *store.Tx, g goalMark, from, to string) error {
	if _, err := store.Delete(tx, goalMarks, from); err != nil {
		return err
	}
	g.MemberID = to
	_, err := store.Put(tx, goalMarks, to, g)
	return err
}

// GoalReached says whether the member's goal conversion was counted (a goal tag turned into a
// goal activity), and when it is dated.
func (s *Service) GoalReached(_ context.Context, memberID string) (at time.Time, reached bool, err error) {
	err = s.st.View(func(tx *store.Tx) error {
		g, _, err := store.Get(tx, goalMarks, memberID)
		if errors.Is(err, errs.NotFound) {
			return nil
		}
		at, reached = g.At, err == nil
		return err
	})
	return at, reached, err
}
