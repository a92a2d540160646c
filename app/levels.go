package app

import "hearth/backend/analytics"

// LevelSettings returns the engagement levels and goal settings in force (the defaults
// when never saved).
func (s *DashboardService) LevelSettings() (analytics.LevelSettings, error) {
	return s.analytics.LevelSettings(s.ctx())
}

// LevelDefaults returns the settings "Restore defaults" puts back in the form.
func (s *DashboardService) LevelDefaults() analytics.LevelSettings {
	return s.analytics.LevelDefaults()
}

// SaveLevelSettings validates, saves and applies the settings at once (field errors name
// weights.<kind>, milestones[i].minScore, milestones[i].activeDays, scoreWindowDays,
// teamTags[i] and goalTags[i]).
func (s *DashboardService) SaveLevelSettings(in analytics.LevelSettings) (analytics.LevelSettings, error) {
	return s.analytics.SaveLevelSettings(s.ctx(), in)
}

// ResetLevelSettings forgets the saved settings and returns the defaults, now in force.
func (s *DashboardService) ResetLevelSettings() (analytics.LevelSettings, error) {
	return s.analytics.ResetLevelSettings(s.ctx())
}
