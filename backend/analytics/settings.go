package analytics

import (
	"context"
	"errors"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/members"
	"hearth/backend/store"
	"hearth/backend/textfold"
)

// LevelSettings are the engagement levels and the goal the user sets: what each kind of
// activity weighs, what levels 1 to 3 take, how far back a score looks, which tags mark
// teammates and which mark members who reached the goal.
type LevelSettings struct {
	// Weights score each kind of activity (every kind of activity.Kinds; 0 to 100).
	Weights map[string]float64 `json:"weights"`
	// Milestones are levels 1, 2 and 3 in that order (Level is set from the position): a
	// MinScore of at least 0 and ActiveDays from 1 to ScoreWindowDays, each level at least as
	// hard as the next in both and harder in one.
	Milestones []Milestone `json:"milestones"`
	// ScoreWindowDays is how many days a score looks back (7 to 365).
	ScoreWindowDays int `json:"scoreWindowDays"`
	// TeamTags mark teammates, left out of levels, super users and gone-quiet lists.
	TeamTags []string `json:"teamTags"`
	// GoalTags mark members who reached the goal (e.g. "customer"): Hearth records a goal
	// activity for a member the first time it sees them carry one.
	GoalTags []string `json:"goalTags"`
}

// Limits of the level settings.
const (
	MaxWeight      = 100
	MinScoreWindow = 7
	MaxScoreWindow = 365
	MaxSettingTags = 50
	MaxTagLength   = 100 // characters
)

var levelSettings = &store.Collection[levelRecord]{Name: "analytics_levels"}

// levelRecord is LevelSettings as the workspace stores them: its JSON names are the
// snake_case ones of the first release, so that saved settings still read whatever names the
// window's contract uses.
type levelRecord struct {
	Weights         map[string]float64 `json:"weights"`
	Milestones      []milestoneRecord  `json:"milestones"`
	ScoreWindowDays int                `json:"score_window_days"`
	TeamTags        []string           `json:"team_tags"`
	GoalTags        []string           `json:"goal_tags"`
}

// milestoneRecord is a Milestone as stored in a levelRecord.
type milestoneRecord struct {
	Level      int     `json:"level"`
	MinScore   float64 `json:"min_score"`
	ActiveDays int     `json:"active_days"`
}

func (l LevelSettings) record() levelRecord {
	r := levelRecord{Weights: l.Weights, ScoreWindowDays: l.ScoreWindowDays, TeamTags: l.TeamTags, GoalTags: l.GoalTags}
	for _, m := range l.Milestones {
		r.Milestones = append(r.Milestones, milestoneRecord(m))
	}
	return r
}

func (r levelRecord) settings() LevelSettings {
	l := LevelSettings{Weights: r.Weights, ScoreWindowDays: r.ScoreWindowDays, TeamTags: r.TeamTags, GoalTags: r.GoalTags}
	for _, m := range r.Milestones {
		l.Milestones = append(l.Milestones, Milestone(m))
	}
	return l
}

const levelsID = "levels"

// goalMark records that a member's goal tag was turned into a goal activity dated At. It is
// written before the activity (Recorded false) and marked Recorded after, so that a crash in
// between ends with exactly one activity. Sealed with the member's key: an erasure erases it.
type goalMark struct {
	MemberID string    `json:"member_id"`
	At       time.Time `json:"at"`
	Recorded bool      `json:"recorded"`
}

var goalMarks = &store.Collection[goalMark]{Name: "analytics_goal_tags", Subject: func(g goalMark) string { return g.MemberID }}

// levelState is the service's part that holds the level settings and the goal conversions.
type levelState struct {
	loaded   atomic.Bool
	load     sync.Mutex // serialises loading and saving the settings
	write    sync.Mutex // serialises recording goal conversions
	defaults LevelSettings

	// Guarded by Service.mu, as are s.o's Weights, Milestones, ScoreWindow and TeamTags and
	// s.weights, which the settings replace.
	cur      LevelSettings
	goalTags []string             // folded
	done     map[string]bool      // members whose conversion is recorded (or who vanished)
	pending  map[string]time.Time // members seen tagged, with their last update
}

// initLevels sets the defaults from the options the service was built with (o before
// withDefaults, whose team tags are not folded yet).
func (s *Service) initLevels(o Options) {
	d := LevelSettings{Weights: map[string]float64{}, Milestones: slices.Clone(s.o.Milestones),
		ScoreWindowDays: s.o.ScoreWindow, TeamTags: cleanTags(o.TeamTags), GoalTags: cleanTags(o.GoalTags)}
	if o.TeamTags == nil {
		d.TeamTags = []string{"team", "équipe"}
	}
	for _, k := range activity.Kinds {
		d.Weights[string(k)] = s.o.Weights[string(k)]
	}
	s.lv.defaults, s.lv.cur = d, cloneSettings(d)
	s.lv.goalTags = foldTags(d.GoalTags)
}

// LevelDefaults are the settings in force when none were saved (the service's Options).
func (s *Service) LevelDefaults() LevelSettings { return cloneSettings(s.lv.defaults) }

// LevelSettings returns the settings in force: the saved ones, else LevelDefaults.
func (s *Service) LevelSettings(ctx context.Context) (LevelSettings, error) {
	if err := s.loadLevels(ctx); err != nil {
		return LevelSettings{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return cloneSettings(s.lv.cur), nil
}

// SaveLevelSettings validates, saves and applies the settings at once: the next KPIs see the
// new levels, and a change of team or goal tags reads every member again. Invalid settings
// are refused with field errors naming their JSON paths ("weights.post",
// "milestones[1].minScore", "scoreWindowDays", "teamTags[0]") and nothing is saved.
func (s *Service) SaveLevelSettings(ctx context.Context, in LevelSettings) (LevelSettings, error) {
	in, err := validateLevels(in)
	if err != nil {
		return LevelSettings{}, err
	}
	s.lv.load.Lock()
	defer s.lv.load.Unlock()
	err = s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Put(tx, levelSettings, levelsID, in.record())
		return err
	})
	if err != nil {
		return LevelSettings{}, err
	}
	s.mu.Lock()
	s.applyLevelsLocked(in)
	s.mu.Unlock()
	s.lv.loaded.Store(true)
	return cloneSettings(in), nil
}

// ResetLevelSettings forgets the saved settings and applies LevelDefaults.
func (s *Service) ResetLevelSettings(ctx context.Context) (LevelSettings, error) {
	s.lv.load.Lock()
	defer s.lv.load.Unlock()
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		_, err := store.Delete(tx, levelSettings, levelsID)
		if errors.Is(err, errs.NotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return LevelSettings{}, err
	}
	s.mu.Lock()
	s.applyLevelsLocked(cloneSettings(s.lv.defaults))
	s.mu.Unlock()
	s.lv.loaded.Store(true)
	return s.LevelDefaults(), nil
}

// loadLevels applies the saved settings once per process.
func (s *Service) loadLevels(ctx context.Context) error {
	if s.lv.loaded.Load() {
		return nil
	}
	s.lv.load.Lock()
	defer s.lv.load.Unlock()
	if s.lv.loaded.Load() {
		return nil
	}
	var saved LevelSettings
	found := false
	err := s.st.View(func(tx *store.Tx) error {
		v, _, err := store.Get(tx, levelSettings, levelsID)
		if errors.Is(err, errs.NotFound) {
			return nil
		}
		saved, found = v.settings(), err == nil
		return err
	})
	if err != nil {
		return err
	}
	if found {
		if v, err := validateLevels(saved); err == nil { // a damaged record leaves the defaults
			s.mu.Lock()
			s.applyLevelsLocked(v)
			s.mu.Unlock()
		}
	}
	s.lv.loaded.Store(true)
	return nil
}

// applyLevelsLocked puts v in force. The caller holds mu exclusively: KPI passes read the
// weights, milestones and window under mu shared.
func (s *Service) applyLevelsLocked(v LevelSettings) {
	s.lv.cur = v
	s.o.Weights = v.Weights
	for i, k := range activity.Kinds {
		s.weights[i] = v.Weights[string(k)]
	}
	s.o.Milestones = v.Milestones
	s.o.ScoreWindow = v.ScoreWindowDays
	team, goal := foldTags(v.TeamTags), foldTags(v.GoalTags)
	changed := !slices.Equal(team, s.o.TeamTags) || !slices.Equal(goal, s.lv.goalTags)
	s.o.TeamTags, s.lv.goalTags = team, goal
	if changed && s.idx != nil {
		s.idx.refreshed = false // note every member again with the new tags
	}
}

// validateLevels normalises in (tags trimmed, emptied and repeated ones dropped; weights of
// kinds left out 0; levels numbered) and checks it.
func validateLevels(in LevelSettings) (LevelSettings, error) {
	var fields []errs.FieldError
	number := func(path string, v, lo, hi float64) bool {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			fields = append(fields, errs.Field(path, "number"))
		case v < lo:
			fields = append(fields, errs.Field(path, "min", "min", strconv.FormatFloat(lo, 'f', -1, 64)))
		case hi >= lo && v > hi:
			fields = append(fields, errs.Field(path, "max", "max", strconv.FormatFloat(hi, 'f', -1, 64)))
		default:
			return true
		}
		return false
	}
	out := LevelSettings{Weights: map[string]float64{}, ScoreWindowDays: in.ScoreWindowDays}
	for _, k := range activity.Kinds {
		out.Weights[string(k)] = 0
	}
	for _, k := range slices.Sorted(maps.Keys(in.Weights)) {
		if !activity.Kind(k).Valid() {
			fields = append(fields, errs.Field("weights."+k, "kind"))
			continue
		}
		number("weights."+k, in.Weights[k], 0, MaxWeight)
		out.Weights[k] = in.Weights[k]
	}
	windowOK := number("scoreWindowDays", float64(in.ScoreWindowDays), MinScoreWindow, MaxScoreWindow)
	if len(in.Milestones) != Levels-1 {
		fields = append(fields, errs.Field("milestones", "len", "len", strconv.Itoa(Levels-1)))
	} else {
		out.Milestones = make([]Milestone, len(in.Milestones))
		ok := true
		for i, m := range in.Milestones {
			p := "milestones[" + strconv.Itoa(i) + "]."
			ok = number(p+"minScore", m.MinScore, 0, -1) && ok
			hi := float64(MaxScoreWindow)
			if windowOK {
				hi = float64(in.ScoreWindowDays)
			}
			ok = number(p+"activeDays", float64(m.ActiveDays), 1, hi) && ok
			out.Milestones[i] = Milestone{Level: i + 1, MinScore: m.MinScore, ActiveDays: m.ActiveDays}
		}
		for i := 0; ok && i+1 < len(out.Milestones); i++ {
			a, b := out.Milestones[i], out.Milestones[i+1]
			p, next := "milestones["+strconv.Itoa(i)+"].", strconv.Itoa(i+2)
			switch {
			case a.MinScore < b.MinScore:
				fields = append(fields, errs.Field(p+"minScore", "milestone_order", "level", next))
			case a.ActiveDays < b.ActiveDays:
				fields = append(fields, errs.Field(p+"activeDays", "milestone_order", "level", next))
			case a.MinScore == b.MinScore && a.ActiveDays == b.ActiveDays:
				fields = append(fields, errs.Field(p+"minScore", "milestone_same", "level", next))
			}
		}
	}
	tags := func(name string, in []string) []string {
		if len(in) > MaxSettingTags {
			fields = append(fields, errs.Field(name, "max_items", "max", strconv.Itoa(MaxSettingTags)))
		}
		for i, t := range in {
			if utf8.RuneCountInString(strings.TrimSpace(t)) > MaxTagLength {
				fields = append(fields, errs.Field(name+"["+strconv.Itoa(i)+"]", "max", "max", strconv.Itoa(MaxTagLength)))
			}
		}
		return cleanTags(in)
	}
	out.TeamTags, out.GoalTags = tags("teamTags", in.TeamTags), tags("goalTags", in.GoalTags)
	if len(fields) > 0 {
		return LevelSettings{}, errs.Fields("analytics: invalid level settings", fields...)
	}
	return out, nil
}

// cleanTags trims tags and drops empty ones and those repeating an earlier one (ignoring
// case and accents); never nil.
func cleanTags(in []string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, t := range in {
		t = strings.TrimSpace(t)
		f := textfold.Fold(t)
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		out = append(out, t)
	}
	return out
}

// foldTags is how tags are compared: trimmed, ignoring case and accents.
func foldTags(in []string) []string {
	out := make([]string, len(in))
	for i, t := range in {
		out[i] = textfold.Fold(strings.TrimSpace(t))
	}
	return out
}

func cloneSettings(v LevelSettings) LevelSettings {
	v.Weights = maps.Clone(v.Weights)
	v.Milestones = slices.Clone(v.Milestones)
	v.TeamTags = slices.Clone(v.TeamTags)
	v.GoalTags = slices.Clone(v.GoalTags)
	return v
}

// hasTag reports whether one of tags, folded, is in folded.
func hasTag(tags, folded []string) bool {
	return slices.ContainsFunc(tags, func(t string) bool {
		return slices.Contains(folded, textfold.Fold(strings.TrimSpace(t)))
	})
}

// noteGoal remembers a member seen carrying a goal tag, whose conversion ensure records
// once the locks are released (activity writes take them). The caller holds mu.
func (s *Service) noteGoal(m members.Member) {
	if len(s.lv.goalTags) == 0 || s.lv.done[m.ID] || !hasTag(m.Tags, s.lv.goalTags) {
		return
	}
	if s.lv.pending == nil {
		s.lv.pending = map[string]time.Time{}
	}
	s.lv.pending[m.ID] = m.UpdatedAt
}

// ensure brings the whole index up to date (ensureFrom every day).
func (s *Service) ensure(ctx context.Context) error { return s.ensureFrom(ctx, everything) }

// ensureFrom brings the index up to date (refresh) with the members' entries a query needs,
// with the saved level settings applied and the goal conversions of members newly seen
// tagged recorded.
func (s *Service) ensureFrom(ctx context.Context, need need) error {
	if err := s.loadLevels(ctx); err != nil {
		return err
	}
	if err := s.refresh(ctx, need); err != nil {
		return err
	}
	n, err := s.recordGoals(ctx)
	if err != nil || n == 0 {
		return err
	}
	return s.refresh(ctx, need) // the new goal activities into the flat copy
}

// recordGoals turns the pending goal tags into goal activities, once per member, dated at
// the member's last update when first seen tagged. It returns how many it stored.
func (s *Service) recordGoals(ctx context.Context) (int, error) {
	s.lv.write.Lock()
	defer s.lv.write.Unlock()
	s.mu.Lock()
	pending := s.lv.pending
	s.lv.pending = nil
	s.mu.Unlock()
	if len(pending) == 0 || s.activity == nil {
		return 0, nil
	}
	ids := slices.Sorted(maps.Keys(pending))
	marks := make([]goalMark, 0, len(ids))
	var finished []string
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		marks, finished = marks[:0], finished[:0]
		for _, id := range ids {
			g, _, err := store.Get(tx, goalMarks, id)
			switch {
			case errors.Is(err, errs.NotFound):
				g = goalMark{MemberID: id, At: pending[id].UTC()}
				if _, err := store.Put(tx, goalMarks, id, g); err != nil {
					return err
				}
			case err != nil:
				return err
			}
			if g.Recorded {
				finished = append(finished, id)
			} else {
				marks = append(marks, g)
			}
		}
		return nil
	})
	if err != nil {
		s.requeue(pending)
		return 0, err
	}
	stored := 0
	if len(marks) > 0 {
		ins := make([]activity.ManualInput, len(marks))
		for i, g := range marks {
			ins[i] = activity.ManualInput{Member: g.MemberID, Kind: activity.Goal, At: g.At}
		}
		res, err := s.activity.AddManual(ctx, ins)
		if err != nil {
			s.requeue(pending)
			return 0, err
		}
		err = s.st.Update(ctx, func(tx *store.Tx) error {
			for i, g := range marks {
				if res[i].Outcome == activity.ManualRejected {
					continue // the member vanished meanwhile
				}
				g.Recorded = true
				if _, err := store.Put(tx, goalMarks, g.MemberID, g); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			s.requeue(pending)
			return 0, err
		}
		for i, g := range marks {
			finished = append(finished, g.MemberID)
			if res[i].Outcome == activity.ManualStored {
				stored++
			}
		}
	}
	s.mu.Lock()
	if s.lv.done == nil {
		s.lv.done = map[string]bool{}
	}
	for _, id := range finished {
		s.lv.done[id] = true
	}
	s.mu.Unlock()
	return stored, nil
}

// requeue puts back conversions that could not be recorded, for the next query.
func (s *Service) requeue(pending map[string]time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lv.pending == nil {
		s.lv.pending = map[string]time.Time{}
	}
	for id, at := range pending {
		if _, ok := s.lv.pending[id]; !ok {
			s.lv.pending[id] = at
		}
	}
}
