package app

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/notify"
)

// MergesService is the Members screen's door to identity resolution: the members who look like
// one person, merging them, undoing a merge, and saying they are not one person. Find looks for
// them in the background, as a long job: progress arrives as "merges:progress:<id>" events (at
// most every 100 ms, and at the end), the answer as "merges:done:<id>", and Cancel stops it.
type MergesService struct {
	calls
	members *members.Service
	events  notify.Notifier

	mu      sync.Mutex
	jobs    int
	running string
	cancel  context.CancelFunc
}

// NewMergesService binds m for the window; the background search's events go to events.
func NewMergesService(m *members.Service, events notify.Notifier) *MergesService {
	return &MergesService{members: m, events: events}
}

// MergesFound is the payload of EventMergesDone: the last progress and what the search found,
// or that it was cancelled, or the error that stopped it.
type MergesFound struct {
	members.SuggestProgress
	Suggestions []members.Suggestion `json:"suggestions"`
	Cancelled   bool                 `json:"cancelled"`
	Error       *errs.Error          `json:"error,omitempty"`
}

// SuggestionsFor lists the suggestion the member (an id or an e-mail) is part of, none or one:
// what the member drawer shows. It reads only the members that member's e-mails, handles and
// name point to, so it answers at once whatever the workspace's size.
func (s *MergesService) SuggestionsFor(memberID string) ([]members.Suggestion, error) {
	return listed(s.members.SuggestMergesFor(s.ctx(), memberID))
}

// Find starts looking for members who look like one person in the background and returns the
// job's id; when a search is running already, its id. The answer arrives as EventMergesDone.
func (s *MergesService) Find() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running != "" {
		return s.running, nil
	}
	s.jobs++
	id := fmt.Sprintf("find-%d", s.jobs)
	ctx, cancel := context.WithCancel(s.ctx())
	s.running, s.cancel = id, cancel
	go func() {
		var last time.Time
		var final members.SuggestProgress
		got, err := s.members.SuggestMergesWith(ctx, func(p members.SuggestProgress) {
			final = p
			if time.Since(last) >= 100*time.Millisecond || p.Examined == p.Total {
				last = time.Now()
				s.events.Emit(EventMergesProgress+id, p)
			}
		})
		cancelled := ctx.Err() != nil
		// The job is let go of before the done event: a window that hears it and at once asks
		// again starts a new search.
		s.mu.Lock()
		s.running, s.cancel = "", nil
		s.mu.Unlock()
		cancel()
		done := MergesFound{SuggestProgress: final, Suggestions: suggestionLists(got), Cancelled: cancelled}
		if err != nil && !cancelled {
			done.Error = errs.From(err)
		}
		s.events.Emit(EventMergesDone+id, done)
	}()
	return id, nil
}

// Cancel stops the background search id; its done event says it was cancelled.
func (s *MergesService) Cancel(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running != id || s.cancel == nil {
		return errs.New(errs.NotFound, "job_not_found", "app: no search for duplicates "+id+" running")
	}
	s.cancel()
	return nil
}

// Settings returns the identity-resolution settings (automatic merging).
func (s *MergesService) Settings() (members.MergeSettings, error) {
	return s.members.MergeSettings(s.ctx())
}

// SaveSettings saves the identity-resolution settings. Automatic merging applies to the members
// synced or imported from then on.
func (s *MergesService) SaveSettings(in members.MergeSettings) (members.MergeSettings, error) {
	return s.members.SaveMergeSettings(s.ctx(), in)
}

// suggestionLists gives every suggestion a list of others, never null, and the answer a list.
func suggestionLists(got []members.Suggestion) []members.Suggestion {
	for i := range got {
		if got[i].Others == nil {
			got[i].Others = []members.Candidate{}
		}
	}
	if got == nil {
		got = []members.Suggestion{}
	}
	return got
}

// Suggestions lists the members who look like one person, strongest first: one suggestion per
// person, whatever the number of their records.
func (s *MergesService) Suggestions() ([]members.Suggestion, error) {
	got, err := s.members.SuggestMerges(s.ctx())
	return listed(suggestionLists(got), err)
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
