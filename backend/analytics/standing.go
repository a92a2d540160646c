package analytics

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"hearth/backend/activity"
	"hearth/backend/textfold"
)

// Act is one activity of a member, for StandingOf.
type Act struct {
	At   time.Time
	Kind activity.Kind
}

// Standing is where a member stands today: their level, the score and presence that put them
// there, and what the level above asks, for the member's drawer and `members timeline`.
type Standing struct {
	// Level is 1 (ambassadors) to 4 (observers); LevelName its stable key (LevelNames).
	Level     int    `json:"level"`
	LevelName string `json:"levelName"`
	// Counted is false for teammates (a team tag): levels and KPIs leave them out.
	Counted bool `json:"counted"`
	// Score is the weighted score of the WindowDays days ending today, ActiveDays the
	// distinct days with activity among them.
	Score      float64 `json:"score"`
	ActiveDays int     `json:"activeDays"`
	WindowDays int     `json:"windowDays"`
	// Next is what the level above asks (nil at the top, or for a teammate).
	Next *Milestone `json:"next,omitempty"`
}

// StandingOf computes a member's standing today from their tags and their activity (every
// record, any order), with the level settings in force: the same rule as MemberLevels
// (promoted as soon as the score reaches a level, demoted only when a month ends), from the
// member's own records instead of the analytics index, so that one member's drawer does not
// load the index of the whole workspace.
func (s *Service) StandingOf(ctx context.Context, tags []string, acts []Act, now time.Time) (Standing, error) {
	if err := s.loadLevels(ctx); err != nil {
		return Standing{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := Standing{Level: Levels, Counted: true, WindowDays: s.o.ScoreWindow}
	st.Counted = !slices.ContainsFunc(tags, func(t string) bool {
		return slices.Contains(s.o.TeamTags, textfold.Fold(strings.TrimSpace(t)))
	})
	es := entriesOf(acts, s.o.Zone)
	_, d1 := rangeDays(s.Today(now), s.o.Zone)
	if st.Counted {
		msTo := monthStart(month(d1))
		if q := lowerBound(es, msTo-1-int32(s.o.ScoreWindow)); q < len(es) && es[q].day < d1 {
			st.Level = s.levelAt(es, msTo, d1)
		}
	}
	st.LevelName = LevelNames[st.Level]
	w := s.newWindow(es, d1-1)
	w.to(d1 - 1)
	st.Score, st.ActiveDays = w.score, w.days
	if st.Counted && st.Level > 1 {
		for _, m := range s.o.Milestones {
			if m.Level == st.Level-1 {
				st.Next = &m
				break
			}
		}
	}
	return st, nil
}

// entriesOf counts acts by day and kind, ordered as the index keeps a member's entries.
func entriesOf(acts []Act, z *time.Location) []entry {
	counts := map[entry]int32{}
	for _, a := range acts {
		k, ok := kindIndex[a.Kind]
		if !ok {
			continue
		}
		counts[entry{day: dayOf(a.At, z), kind: k}]++
	}
	es := make([]entry, 0, len(counts))
	for e, n := range counts {
		e.n = n
		es = append(es, e)
	}
	slices.SortFunc(es, func(a, b entry) int { return cmp.Or(cmp.Compare(a.day, b.day), cmp.Compare(a.kind, b.kind)) })
	return es
}
