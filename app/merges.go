package app

import (
	"errors"

	"hearth/backend/members"
)

// MergesService is the Members screen's door to identity resolution: the members who look like
// one person, merging them, undoing a merge, and saying they are not one person.
type MergesService struct {
	calls
	members *members.Service
}

// NewMergesService binds m for the window.
func NewMergesService(m *members.Service) *MergesService { return &MergesService{members: m} }

// Suggestions lists the members who look like one person, strongest first: one suggestion per
// person, whatever the number of their records.
func (s *MergesService) Suggestions() ([]members.Suggestion, error) {
	got, err := s.members.SuggestMerges(s.ctx())
	for i := range got {
		if got[i].Others == nil {
			got[i].Others = []members.Candidate{}
		}
	}
	return listed(got, err)
}

// MergeGroup merges each of others into keep, in order, and returns the merges (for Undo). The
// group is merged whole or not at all: when one merge fails, the ones done before it are undone
// and the failure is returned.
func (s *MergesService) MergeGroup(keep string, others []string) ([]members.PeopleMerge, error) {
	ctx := s.ctx()
	done := []members.PeopleMerge{}
	for _, other := range others {
		rec, err := s.members.MergePeople(ctx, keep, other, members.PeopleMergeOptions{})
		if err != nil {
			for i := len(done) - 1; i >= 0; i-- {
				if _, uerr := s.members.UnmergePeople(ctx, done[i].ID); uerr != nil {
					return nil, errors.Join(err, uerr)
				}
			}
			return nil, err
		}
		if rec.Conflicts == nil {
			rec.Conflicts = []members.FieldConflict{}
		}
		done = append(done, rec)
	}
	return done, nil
}

// Undo undoes merges (their ids, as MergeGroup answered them), the last one first, so that a
// group comes apart as it was put together.
func (s *MergesService) Undo(mergeIDs []string) error {
	ctx := s.ctx()
	for i := len(mergeIDs) - 1; i >= 0; i-- {
		if _, err := s.members.UnmergePeople(ctx, mergeIDs[i]); err != nil {
			return err
		}
	}
	return nil
}

// Dismiss records that a and each of others are not one person: the pairs are not proposed
// together again.
func (s *MergesService) Dismiss(a string, others []string) error {
	ctx := s.ctx()
	for _, b := range others {
		if err := s.members.DismissMerge(ctx, a, b); err != nil {
			return err
		}
	}
	return nil
}
