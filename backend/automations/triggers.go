package automations

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
)

const (
	// createdLag is how far back each member_created scan looks again: a member whose id was
	// made just before a scan may commit just after it. Enrolment ids make the overlap harmless.
	createdLag = 10 * time.Minute
	// consentEvery spaces consent_granted scans, which read every member's consent state.
	consentEvery = 15 * time.Minute
	// maxCatchUpDays bounds how many missed days an anniversary scan catches up on after the
	// app was closed.
	maxCatchUpDays = 31
	// memberPage is how many members a scan reads per page.
	memberPage = members.MaxLimit
)

// candidate is a member a trigger fired for.
type candidate struct{ memberID, occurrence string }

// basis identifies what a checkpoint was taken for.
func basis(a Automation) string {
	t := a.Trigger
	return strings.Join([]string{string(t.Kind), t.Tag, t.Purpose, t.Field, strconv.Itoa(t.Days), t.Segment,
		a.EnabledAt.UTC().Format(time.RFC3339Nano)}, "|")
}

// detect enrols the members a's trigger fired for since its checkpoint, and moves the
// checkpoint. The checkpoint is saved after the enrolments: a crash in between scans again,
// and existing enrolments are not made twice.
func (s *Service) detect(ctx context.Context, a Automation, now time.Time) (int, error) {
	c, err := s.cursor(a)
	if err != nil {
		return 0, err
	}
	fresh := c.Basis != basis(a)
	if fresh {
		c = cursor{ID: a.ID, Basis: basis(a)}
	}
	var cands []candidate
	switch a.Trigger.Kind {
	case TriggerMemberCreated:
		since := a.EnabledAt
		if !fresh && c.Scanned.Add(-createdLag).After(since) {
			since = c.Scanned.Add(-createdLag)
		}
		cands, err = s.createdSince(ctx, a.EnabledAt, since)
		c.Scanned = now
	case TriggerTagAdded:
		var current []string
		var imported map[string]bool
		if current, imported, err = s.tagged(ctx, a.Trigger.Tag, c.Scanned.Add(-createdLag)); err == nil {
			if !fresh {
				for _, id := range current {
					if _, found := slices.BinarySearch(c.Tagged, id); !found && !imported[id] {
						cands = append(cands, candidate{memberID: id})
					}
				}
			}
			c.Tagged = current
			c.Scanned = now
		}
	case TriggerConsentGranted:
		if !fresh && now.Sub(c.Scanned) < consentEvery {
			return 0, nil
		}
		cands, err = s.consented(ctx, a, now)
		c.Scanned = now
	case TriggerDateAnniversary:
		var last string
		cands, last, err = s.anniversaries(ctx, a, c.LastDay, now)
		c.LastDay = last
	case TriggerSegmentEntered, TriggerSegmentLeft:
		var current []string
		var known bool
		if current, known, err = s.inSegment(ctx, a.Trigger.Segment); err == nil {
			if !known {
				return 0, nil // the segment was deleted: nobody enters or leaves it
			}
			if !fresh {
				cands = segmentChange(a.Trigger.Kind, c.Tagged, current)
			}
			c.Tagged = current
			c.Scanned = now
		}
	}
	if err != nil {
		return 0, err
	}
	n, err := s.enrol(ctx, a, cands, now)
	if err != nil {
		return n, err
	}
	return n, s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, cursors, c.ID, c)
		return err
	})
}

func (s *Service) cursor(a Automation) (cursor, error) {
	var c cursor
	err := s.st.View(func(tx *store.Tx) (err error) {
		c, _, err = store.Get(tx, cursors, a.ID)
		return err
	})
	if errors.Is(err, errs.NotFound) {
		return cursor{ID: a.ID}, nil
	}
	return c, err
}

// eachMember calls fn for every page of members, in creation order (newest first when desc),
// until fn returns false.
func (s *Service) eachMember(ctx context.Context, q members.ListQuery, fn func([]members.Member) bool) error {
	q.Limit = memberPage
	for q.Offset = 0; ; q.Offset += memberPage {
		if err := ctx.Err(); err != nil {
			return errs.Wrap(errs.Unavailable, "cancelled", err, "automations: scan cancelled")
		}
		page, err := s.members.List(ctx, q)
		if err != nil {
			return err
		}
		if !fn(page.Items) || q.Offset+memberPage >= page.Total {
			return nil
		}
	}
}

// createdSince lists members created at or after since (and not before enabledAt), but for
// those an import brought in without enrolling them.
func (s *Service) createdSince(ctx context.Context, enabledAt, since time.Time) ([]candidate, error) {
	var out []candidate
	err := s.eachMember(ctx, members.ListQuery{Sort: members.SortCreated, Desc: true}, func(ms []members.Member) bool {
		for _, m := range ms {
			if m.CreatedAt.Before(since) {
				return false
			}
			if !m.CreatedAt.Before(enabledAt) && !m.NoAutoEnrol {
				out = append(out, candidate{memberID: m.ID})
			}
		}
		return true
	})
	return out, err
}

// tagged returns the sorted ids of the members carrying tag, and those of them an import
// created since without enrolling them and nobody changed since: they arrived with the tag,
// nobody added it.
func (s *Service) tagged(ctx context.Context, tag string, since time.Time) ([]string, map[string]bool, error) {
	var ids []string
	imported := map[string]bool{}
	err := s.eachMember(ctx, members.ListQuery{Tag: tag, Sort: members.SortCreated}, func(ms []members.Member) bool {
		for _, m := range ms {
			ids = append(ids, m.ID)
			if m.NoAutoEnrol && !m.CreatedAt.Before(since) && m.UpdatedAt.Equal(m.CreatedAt) {
				imported[m.ID] = true
			}
		}
		return true
	})
	slices.Sort(ids)
	return slices.Compact(ids), imported, err
}

// consented lists members not yet enrolled whose consent to the purpose was granted since the
// automation was enabled.
// TODO(consent): a ledger scan of events recorded since a checkpoint would avoid reading every
// member's state; see the report of issue 4.
func (s *Service) consented(ctx context.Context, a Automation, now time.Time) ([]candidate, error) {
	if s.consent == nil {
		return nil, errs.New(errs.Unavailable, "consent_unavailable", "automations: no consent ledger")
	}
	var out []candidate
	var ferr error
	err := s.eachMember(ctx, members.ListQuery{Sort: members.SortCreated}, func(ms []members.Member) bool {
		fresh, err := s.notEnrolled(a.ID, ms)
		if err != nil {
			ferr = err
			return false
		}
		for _, m := range fresh {
			st, err := s.consent.State(ctx, m.ID, a.Trigger.Purpose, now)
			if err != nil {
				ferr = err
				return false
			}
			if st.State == consent.StateGranted && !st.Since.Before(a.EnabledAt) {
				out = append(out, candidate{memberID: m.ID})
			}
		}
		return true
	})
	return out, errors.Join(err, ferr)
}

func (s *Service) notEnrolled(automationID string, ms []members.Member) ([]members.Member, error) {
	var out []members.Member
	err := s.st.View(func(tx *store.Tx) error {
		for _, m := range ms {
			known, err := enrolled(tx, enrolmentID(automationID, m.ID, ""))
			if err != nil {
				return err
			}
			if !known {
				out = append(out, m)
			}
		}
		return nil
	})
	return out, err
}

// anniversaries lists the members whose date comes round (shifted by Trigger.Days) on a day
// after lastDay up to today, in now's time zone, and returns today as the new checkpoint.
func (s *Service) anniversaries(ctx context.Context, a Automation, lastDay string, now time.Time) ([]candidate, string, error) {
	loc := now.Location()
	today := day(now)
	start := day(a.EnabledAt.In(loc))
	if last, err := time.ParseInLocation(time.DateOnly, lastDay, loc); err == nil && !last.Before(start) {
		start = last.AddDate(0, 0, 1)
	}
	if earliest := today.AddDate(0, 0, -maxCatchUpDays+1); start.Before(earliest) {
		start = earliest
	}
	if start.After(today) {
		return nil, lastDay, nil
	}
	var out []candidate
	err := s.eachMember(ctx, members.ListQuery{Sort: members.SortCreated}, func(ms []members.Member) bool {
		for _, m := range ms {
			date, ok := memberDate(m, a.Trigger.Field, loc)
			if !ok {
				continue
			}
			for d := start; !d.After(today); d = d.AddDate(0, 0, 1) {
				target := d.AddDate(0, 0, -a.Trigger.Days)
				if target.Year() > date.Year() && sameDay(date, target) {
					out = append(out, candidate{memberID: m.ID, occurrence: strconv.Itoa(target.Year())})
				}
			}
		}
		return true
	})
	return out, today.Format(time.DateOnly), err
}

// day is t's calendar day at midnight in t's time zone.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// sameDay reports whether target is date's anniversary; 29 February falls on 28 February in
// other years.
func sameDay(date, target time.Time) bool {
	if date.Month() == time.February && date.Day() == 29 && !leap(target.Year()) {
		return target.Month() == time.February && target.Day() == 28
	}
	return date.Month() == target.Month() && date.Day() == target.Day()
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// dateLayouts are the forms a date custom field may take: what imports write (ISO), and what
// people type in French or English.
var dateLayouts = []string{time.DateOnly, time.RFC3339, "2006-01-02 15:04", "02/01/2006", "2/1/2006", "02.01.2006"}

// memberDate reads the member's date field in loc.
func memberDate(m members.Member, field string, loc *time.Location) (time.Time, bool) {
	if field == FieldCreatedAt {
		return m.CreatedAt.In(loc), !m.CreatedAt.IsZero()
	}
	v := strings.TrimSpace(m.CustomFields[field])
	if v == "" {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t.In(loc), true
		}
	}
	return time.Time{}, false
}

// enrolled reports whether an enrolment with this id was ever made (a deleted one counts: a
// member is not enrolled twice).
func enrolled(tx *store.Tx, id string) (bool, error) {
	_, _, err := store.Get(tx, enrolments, id)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, errs.NotFound) {
		return false, err
	}
	_, dead, err := store.Tombstone(tx, enrolments, id)
	return dead, err
}

// enrol makes an enrolment for every candidate not enrolled yet, a chunk per transaction.
func (s *Service) enrol(ctx context.Context, a Automation, cands []candidate, now time.Time) (int, error) {
	made := map[string]bool{} // a chunk re-run after a write conflict makes the same ids again
	err := s.st.Bulk(ctx, len(cands), func(tx *store.Tx, i int) error {
		c := cands[i]
		id := enrolmentID(a.ID, c.memberID, c.occurrence)
		known, err := enrolled(tx, id)
		if err == nil && !known {
			known, err = enrolledUnderMerge(tx, a.ID, c)
		}
		if err != nil || known {
			return err
		}
		if err := members.Exists(tx, c.memberID); err != nil {
			if errors.Is(err, errs.NotFound) {
				return nil // deleted since the scan
			}
			return err
		}
		e := Enrolment{
			ID: id, AutomationID: a.ID, MemberID: c.memberID, Occurrence: c.occurrence,
			Status: StatusActive, NextAt: now.UTC(), EnrolledAt: now.UTC(), UpdatedAt: now.UTC(), History: []StepRun{},
		}
		if _, err := store.Put(tx, enrolments, id, e); err != nil {
			return err
		}
		made[id] = true
		return nil
	}, nil)
	return len(made), err
}

// inSegment lists, sorted, the members matching the saved segment id now; known is false when
// there is no such segment (deleted since, or not known to this copy yet).
func (s *Service) inSegment(ctx context.Context, id string) (ids []string, known bool, err error) {
	seg := s.getSegments()
	if seg == nil {
		return nil, false, nil
	}
	ids, err = seg.SegmentIDs(ctx, id)
	if errors.Is(err, errs.NotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	ids = slices.Clone(ids)
	slices.Sort(ids)
	return slices.Compact(ids), true, nil
}

// segmentChange lists the members who entered (in now, not before) or left (in before, not
// now) a segment between two sorted scans.
func segmentChange(kind TriggerKind, before, now []string) []candidate {
	from, to := before, now
	if kind == TriggerSegmentLeft {
		from, to = now, before
	}
	var out []candidate
	for _, id := range to {
		if _, found := slices.BinarySearch(from, id); !found {
			out = append(out, candidate{memberID: id})
		}
	}
	return out
}
