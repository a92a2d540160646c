package analytics

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"hearth/backend/store"
)

// TestSettingsSavedUnderTheFirstReleaseNamesStillRead stores level and ROI settings as the
// first release wrote them (snake_case JSON, before the window's contract went camelCase) and
// reads them back through the service, then checks a save still writes those names.
func TestSettingsSavedUnderTheFirstReleaseNamesStillRead(t *testing.T) {
	f := newFixture(t, Options{Zone: paris})
	ctx := context.Background()
	raw := func(name string) *store.Collection[map[string]any] {
		return &store.Collection[map[string]any]{Name: name}
	}
	old := func(s string) map[string]any {
		var m map[string]any
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	levels := old(`{"weights": {"post": 5, "reply": 2}, "milestones": [
		{"level": 1, "min_score": 50, "active_days": 12}, {"level": 2, "min_score": 20, "active_days": 5},
		{"level": 3, "min_score": 1, "active_days": 1}],
		"score_window_days": 60, "team_tags": ["staff"], "goal_tags": ["customer"]}`)
	roi := old(`{"cost_per_month": 300, "value_per_conversion": 120.5, "currency": "CHF"}`)
	err := f.st.Update(ctx, func(tx *store.Tx) error {
		if _, err := store.Put(tx, raw("analytics_levels"), levelsID, levels); err != nil {
			return err
		}
		_, err := store.Put(tx, raw("analytics_roi"), roiID, roi)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	f.reopen(t)

	lv, err := f.svc.LevelSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if lv.ScoreWindowDays != 60 || lv.Weights["post"] != 5 || lv.Milestones[0] != (Milestone{Level: 1, MinScore: 50, ActiveDays: 12}) ||
		lv.Milestones[2].MinScore != 1 || lv.TeamTags[0] != "staff" || lv.GoalTags[0] != "customer" {
		t.Fatalf("level settings read = %+v, want the stored ones", lv)
	}
	r, err := f.svc.ROISettings(ctx)
	if err != nil || r != (ROISettings{CostPerMonth: 300, ValuePerConversion: 120.5, Currency: "CHF"}) {
		t.Fatalf("ROI settings read = %+v, %v", r, err)
	}

	// Saving writes the same names again: a teammate on the first release reads them.
	if _, err := f.svc.SaveLevelSettings(ctx, lv); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SaveROISettings(ctx, r); err != nil {
		t.Fatal(err)
	}
	err = f.st.View(func(tx *store.Tx) error {
		for _, c := range []struct{ name, id, want string }{
			{"analytics_levels", levelsID, "score_window_days min_score active_days team_tags goal_tags"},
			{"analytics_roi", roiID, "cost_per_month value_per_conversion"},
		} {
			v, _, err := store.Get(tx, raw(c.name), c.id)
			if err != nil {
				return err
			}
			b, _ := json.Marshal(v)
			for _, key := range strings.Fields(c.want) {
				if !strings.Contains(string(b), `"`+key+`"`) {
					t.Errorf("%s saved as %s, want the key %q", c.name, b, key)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
