package app

import (
	"context"
	"sync"
	"time"

	"hearth/backend/analytics"
)

// LevelSettings returns the engagement levels and goal settings in force (the defaults
// when never saved).
func (s *DashboardService) LevelSettings() (analytics.LevelSettings, error) {
	return s.b.Analytics.LevelSettings(s.ctx())
}

// LevelDefaults returns the settings "Restore defaults" puts back in the form.
func (s *DashboardService) LevelDefaults() analytics.LevelSettings {
	return s.b.Analytics.LevelDefaults()
}

// SaveLevelSettings validates, saves and applies the settings at once (field errors name
// weights.<kind>, milestones[i].minScore, milestones[i].activeDays, scoreWindowDays,
// teamTags[i] and goalTags[i]).
func (s *DashboardService) SaveLevelSettings(in analytics.LevelSettings) (analytics.LevelSettings, error) {
	return s.b.Analytics.SaveLevelSettings(s.ctx(), in)
}

// ResetLevelSettings forgets the saved settings and returns the defaults, now in force.
func (s *DashboardService) ResetLevelSettings() (analytics.LevelSettings, error) {
	return s.b.Analytics.ResetLevelSettings(s.ctx())
}

// levelOf gives each member's level when r ends, for the workbooks' Members sheets.
func (b *Backend) levelOf(ctx context.Context, r analytics.Range) (func(memberID string) int, error) {
	lv, err := b.Analytics.MemberLevels(ctx, r)
	if err != nil {
		return nil, err
	}
	return func(id string) int { return lv[id] }, nil
}

// todayLevels is the range whose end counts levels today (to the end of the local day).
func (b *Backend) todayLevels() analytics.Range {
	now := b.Clock.Now()
	today := now.In(time.Local).Format(time.DateOnly)
	r, _ := analytics.DayRange(today, today, now, time.Local)
	return r
}

// LevelOfToday gives each member's level today, computed at its first call (0 for all when
// that fails), for the scheduled workbook's Members sheet (reports.Sources.LevelOf).
func (b *Backend) LevelOfToday(ctx context.Context) func(memberID string) int {
	var once sync.Once
	var lv map[string]int
	return func(id string) int {
		once.Do(func() { lv, _ = b.Analytics.MemberLevels(ctx, b.todayLevels()) })
		return lv[id]
	}
}
