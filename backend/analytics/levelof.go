package analytics

import (
	"context"
	"sync"
	"time"
)

// Zone is the workspace's time zone, in which the service counts days.
func (s *Service) Zone() *time.Location { return s.o.Zone }

// Today is the range of the calendar day holding now in the service's zone: a level "today"
// is the level when that day ends.
func (s *Service) Today(now time.Time) Range {
	y, m, d := now.In(s.o.Zone).Date()
	return Range{From: time.Date(y, m, d, 0, 0, 0, 0, s.o.Zone), To: time.Date(y, m, d+1, 0, 0, 0, 0, s.o.Zone)}
}

// LevelOf gives each member's level when r ends (MemberLevels; 0 for a member not counted),
// for the workbooks' Members sheets (reports.Options.LevelOf).
func (s *Service) LevelOf(ctx context.Context, r Range) (func(memberID string) int, error) {
	lv, err := s.MemberLevels(ctx, r)
	if err != nil {
		return nil, err
	}
	return func(id string) int { return lv[id] }, nil
}

// LevelOfToday gives each member's level on now's day, computed at its first call (0 for all
// when that fails: a scheduled workbook is still written, without levels), for the scheduled
// workbook's Members sheet (reports.Sources.LevelOf).
func (s *Service) LevelOfToday(ctx context.Context, now time.Time) func(memberID string) int {
	var once sync.Once
	var lv map[string]int
	return func(id string) int {
		once.Do(func() { lv, _ = s.MemberLevels(ctx, s.Today(now)) })
		return lv[id]
	}
}
