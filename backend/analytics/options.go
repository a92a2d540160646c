package analytics

import (
	"context"
	"strings"
	"time"

	"hearth/backend/activity"
	"hearth/backend/textfold"
)

// Options configure the service. Zero fields take the defaults below.
type Options struct {
	// Zone is the workspace's time zone: days and months are calendar days and months there
	// (time.Local when nil). Changing it rebuilds the counters at the next load.
	Zone *time.Location
	// Weights score each kind of activity (DefaultWeights when nil; kinds left out weigh 0).
	Weights map[string]float64
	// Milestones are what levels 1 to 3 take (DefaultMilestones when nil); everyone else is
	// at level 4.
	Milestones []Milestone
	// ScoreWindow is how many days a level's score looks back (90 when zero).
	ScoreWindow int
	// TeamTags mark teammates, who are left out of levels, super users and gone-quiet lists
	// (compared ignoring case and accents; "team" and "équipe" when nil).
	TeamTags []string
	// GoalTags mark members who reached the goal (none when nil): see LevelSettings.GoalTags.
	GoalTags []string
	// Consent answers whether a member has granted a purpose at an instant (Funnel's
	// subscribers); without it Funnel counts no subscribers. consent.Service fits.
	Consent ConsentReader
	// SubscriberPurpose is the consent purpose that makes a member a subscriber ("newsletter",
	// newsletter.Purpose, when empty).
	SubscriberPurpose string
}

// ConsentReader is what Funnel needs of the consent ledger.
type ConsentReader interface {
	Allowed(ctx context.Context, memberID, purposeID string, at time.Time) (bool, error)
}

// grantCounter is a ConsentReader that also counts, in one read of its ledger, the members of
// ids Allowed would answer yes for (consent.Service does).
type grantCounter interface {
	GrantedAmong(ctx context.Context, ids []string, purposeID string, at time.Time) (int, error)
}

// Milestone is what a level asks over the score window: a weighted score and a presence
// (distinct days with activity).
type Milestone struct {
	Level      int     `json:"level"`
	MinScore   float64 `json:"minScore"`
	ActiveDays int     `json:"activeDays"`
}

// DefaultWeights weigh what takes effort more than what takes a click.
var DefaultWeights = map[string]float64{
	string(activity.Post): 3, string(activity.Reply): 2, string(activity.Message): 1,
	string(activity.Reaction): 0.5, string(activity.Mention): 1, string(activity.Follow): 0.5,
	string(activity.Join): 0.5, string(activity.Article): 0, string(activity.Event): 2,
	string(activity.Goal): 0,
}

// DefaultMilestones: an Ambassador scores 40 over 90 days on at least 10 days, a Fan 12 on
// at least 4 days, a User anything on one day.
var DefaultMilestones = []Milestone{
	{Level: 1, MinScore: 40, ActiveDays: 10},
	{Level: 2, MinScore: 12, ActiveDays: 4},
	{Level: 3, MinScore: 0.5, ActiveDays: 1},
}

// LevelNames are the stable English keys of the levels 1 to 4, which the window and the
// CLI translate.
var LevelNames = [5]string{"", "ambassadors", "contributors", "participants", "observers"}

// Levels is how many engagement levels there are.
const Levels = 4

// SuperUserCount is how many super users and gone-quiet members KPIs lists.
const SuperUserCount = 20

func (o Options) withDefaults() Options {
	if o.Zone == nil {
		o.Zone = time.Local
	}
	if o.Weights == nil {
		o.Weights = DefaultWeights
	}
	if o.Milestones == nil {
		o.Milestones = DefaultMilestones
	}
	if o.ScoreWindow <= 0 {
		o.ScoreWindow = 90
	}
	if o.SubscriberPurpose == "" {
		o.SubscriberPurpose = "newsletter"
	}
	if o.TeamTags == nil {
		o.TeamTags = []string{"team", "équipe"}
	}
	folded := make([]string, len(o.TeamTags))
	for i, t := range o.TeamTags {
		folded[i] = textfold.Fold(strings.TrimSpace(t))
	}
	o.TeamTags = folded
	return o
}

// kindIndex numbers the kinds of activity densely, in activity.Kinds order.
var kindIndex = func() map[activity.Kind]uint8 {
	m := map[activity.Kind]uint8{}
	for i, k := range activity.Kinds {
		m[k] = uint8(i)
	}
	return m
}()

// nKinds is the number of kinds.
var nKinds = len(activity.Kinds)
