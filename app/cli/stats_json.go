package cli

import (
	"time"

	"hearth/backend/analytics"
)

// The views below are what `hearth stats --json` and `hearth stats roi --json` print: the
// snake_case names documented field by field in docs/STATS.md, which scripts rely on. The
// analytics types speak the window's camelCase; these keep the command's names apart from them.

// statsOutput is what "stats --json" prints: the KPIs' keys, then the funnel, the ROI and the
// newsletters' results.
type statsOutput struct {
	kpisJSON
	// Segment names the saved segment the numbers are restricted to (stats --segment), and
	// Unfiltered the keys left out or empty because they are counted for everyone.
	Segment    *segmentRefJSON `json:"segment,omitempty"`
	Unfiltered []string        `json:"unfiltered,omitempty"`
	Funnel     *funnelJSON     `json:"funnel,omitempty"`
	ROI        *roiJSON        `json:"roi,omitempty"`
	// Campaigns are the results of the newsletters sent in the period (app.CampaignResults).
	Campaigns *campaignReportJSON `json:"campaigns,omitempty"`
}

// segmentRefJSON is the segment of "stats --segment": its id, name and members counted.
type segmentRefJSON struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Members int    `json:"members"`
}

// newStatsOutput maps the KPIs to the documented names; the caller adds the rest.
func newStatsOutput(k analytics.KPIs) statsOutput {
	return statsOutput{kpisJSON: newKPIsJSON(k)}
}

type kpisJSON struct {
	From                   time.Time         `json:"from"`
	To                     time.Time         `json:"to"`
	MembersTotal           int               `json:"members_total"`
	MembersNew             int               `json:"members_new"`
	MembersChurned         int               `json:"members_churned"`
	MembersActive          int               `json:"members_active"`
	DAU                    float64           `json:"dau"`
	WAU                    float64           `json:"wau"`
	MAU                    float64           `json:"mau"`
	Stickiness             float64           `json:"stickiness"`
	GrowthRate             float64           `json:"growth_rate"`
	EngagementRate         float64           `json:"engagement_rate"`
	Activities             int               `json:"activities"`
	ActivitiesByKind       map[string]int    `json:"activities_by_kind"`
	ActivitiesByChannel    map[string]int    `json:"activities_by_channel"`
	Daily                  []dayJSON         `json:"daily"`
	Cohorts                []cohortJSON      `json:"cohorts"`
	Levels                 []levelCountJSON  `json:"levels"`
	SuperUsers             []superUserJSON   `json:"super_users"`
	GoneQuiet              []superUserJSON   `json:"gone_quiet"`
	Sentiment              sentimentJSON     `json:"sentiment"`
	RisingTopics           []risingTopicJSON `json:"rising_topics"`
	Questions              int               `json:"questions"`
	QuestionsAnswered      int               `json:"questions_answered"`
	AnswerRate             float64           `json:"answer_rate"`
	MedianResponseSeconds  float64           `json:"median_response_seconds"`
	ResponseTimeP90Seconds float64           `json:"response_time_p90_seconds"`
	Previous               *kpisJSON         `json:"previous,omitempty"`
}

func newKPIsJSON(k analytics.KPIs) kpisJSON {
	out := kpisJSON{
		From: k.From, To: k.To, MembersTotal: k.MembersTotal, MembersNew: k.MembersNew,
		MembersChurned: k.MembersChurned, MembersActive: k.MembersActive,
		DAU: k.DAU, WAU: k.WAU, MAU: k.MAU, Stickiness: k.Stickiness,
		GrowthRate: k.GrowthRate, EngagementRate: k.EngagementRate,
		Activities: k.Activities, ActivitiesByKind: orEmpty(k.ActivitiesByKind), ActivitiesByChannel: orEmpty(k.ActivitiesByChannel),
		Daily: mapAll(k.Daily, func(d analytics.DayPoint) dayJSON { return dayJSON(d) }),
		Cohorts: mapAll(k.Cohorts, func(c analytics.Cohort) cohortJSON {
			return cohortJSON{Month: c.Month, Size: c.Size, Retention: mapAll(c.Retention, func(r float64) float64 { return r })}
		}),
		Levels:       mapAll(k.Levels, func(l analytics.LevelCount) levelCountJSON { return levelCountJSON(l) }),
		SuperUsers:   mapAll(k.SuperUsers, newSuperUserJSON),
		GoneQuiet:    mapAll(k.GoneQuiet, newSuperUserJSON),
		Sentiment:    newSentimentJSON(k.Sentiment),
		RisingTopics: mapAll(k.RisingTopics, func(r analytics.RisingTopic) risingTopicJSON { return risingTopicJSON(r) }),
		Questions:    k.Questions, QuestionsAnswered: k.QuestionsAnswered, AnswerRate: k.AnswerRate,
		MedianResponseSeconds: k.MedianResponseSeconds, ResponseTimeP90Seconds: k.ResponseTimeP90Seconds,
	}
	if k.Previous != nil {
		p := newKPIsJSON(*k.Previous)
		out.Previous = &p
	}
	return out
}

type dayJSON struct {
	Day           string `json:"day"`
	Activities    int    `json:"activities"`
	ActiveMembers int    `json:"active_members"`
	NewMembers    int    `json:"new_members"`
	MembersTotal  int    `json:"members_total"`
}

type cohortJSON struct {
	Month     string    `json:"month"`
	Size      int       `json:"size"`
	Retention []float64 `json:"retention"`
}

type levelCountJSON struct {
	Level    int    `json:"level"`
	Name     string `json:"name"`
	Members  int    `json:"members"`
	Promoted int    `json:"promoted"`
	Demoted  int    `json:"demoted"`
}

type superUserJSON struct {
	MemberID   string         `json:"member_id"`
	Name       string         `json:"name"`
	Score      float64        `json:"score"`
	Level      int            `json:"level"`
	Counts     map[string]int `json:"counts"`
	LastActive time.Time      `json:"last_active,omitzero"`
}

func newSuperUserJSON(s analytics.SuperUser) superUserJSON {
	return superUserJSON{MemberID: s.MemberID, Name: s.Name, Score: s.Score, Level: s.Level, Counts: orEmpty(s.Counts), LastActive: s.LastActive}
}

type sentimentJSON struct {
	Positive int                `json:"positive"`
	Negative int                `json:"negative"`
	Neutral  int                `json:"neutral"`
	Score    float64            `json:"score"`
	Daily    []sentimentDayJSON `json:"daily"`
}

func newSentimentJSON(s analytics.Sentiment) sentimentJSON {
	return sentimentJSON{Positive: s.Positive, Negative: s.Negative, Neutral: s.Neutral, Score: s.Score,
		Daily: mapAll(s.Daily, func(d analytics.SentimentDay) sentimentDayJSON { return sentimentDayJSON(d) })}
}

type sentimentDayJSON struct {
	Day      string `json:"day"`
	Positive int    `json:"positive"`
	Negative int    `json:"negative"`
	Neutral  int    `json:"neutral"`
}

type risingTopicJSON struct {
	Word     string  `json:"word"`
	Count    int     `json:"count"`
	Previous int     `json:"previous"`
	Change   float64 `json:"change"`
}

type funnelJSON struct {
	Members        int     `json:"members"`
	Subscribers    int     `json:"subscribers"`
	Attendees      int     `json:"attendees"`
	Goal           int     `json:"goal"`
	SubscriberRate float64 `json:"subscriber_rate"`
	AttendeeRate   float64 `json:"attendee_rate"`
	GoalRate       float64 `json:"goal_rate"`
	ConversionRate float64 `json:"conversion_rate"`
}

type roiJSON struct {
	Currency    string   `json:"currency"`
	Cost        float64  `json:"cost"`
	Conversions int      `json:"conversions"`
	Value       float64  `json:"value"`
	ROI         *float64 `json:"roi"`
}

// roiSettingsJSON is what "stats roi --json" prints.
type roiSettingsJSON struct {
	CostPerMonth       float64 `json:"cost_per_month"`
	ValuePerConversion float64 `json:"value_per_conversion"`
	Currency           string  `json:"currency"`
}

type campaignReportJSON struct {
	From        time.Time          `json:"from"`
	To          time.Time          `json:"to"`
	Newsletters []campaignJSON     `json:"newsletters"`
	Totals      campaignTotalsJSON `json:"totals"`
}

func newCampaignReportJSON(c analytics.CampaignReport) campaignReportJSON {
	return campaignReportJSON{From: c.From, To: c.To,
		Newsletters: mapAll(c.Newsletters, func(n analytics.CampaignResult) campaignJSON {
			return campaignJSON{ID: n.ID, Subject: n.Subject, SentAt: n.SentAt, campaignCountsJSON: campaignCountsJSON(n.CampaignCounts)}
		}),
		Totals: campaignTotalsJSON{Newsletters: c.Totals.Newsletters, campaignCountsJSON: campaignCountsJSON(c.Totals.CampaignCounts)},
	}
}

type campaignJSON struct {
	ID      string    `json:"id"`
	Subject string    `json:"subject"`
	SentAt  time.Time `json:"sent_at"`
	campaignCountsJSON
}

type campaignTotalsJSON struct {
	Newsletters int `json:"newsletters"`
	campaignCountsJSON
}

type campaignCountsJSON struct {
	Recipients          int     `json:"recipients"`
	Delivered           int     `json:"delivered"`
	Bounced             int     `json:"bounced"`
	FailedTemp          int     `json:"failed_temp"`
	Unsubscribed        int     `json:"unsubscribed"`
	Engaged             int     `json:"engaged"`
	EngagedRate         float64 `json:"engaged_rate"`
	BaselineEngaged     int     `json:"baseline_engaged"`
	BaselineEngagedRate float64 `json:"baseline_engaged_rate"`
	Conversions         int     `json:"conversions"`
}

// mapAll is f over xs, never nil: the documented lists print as [] when empty.
func mapAll[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// orEmpty is m, or an empty map for nil: the documented maps print as {} when empty.
func orEmpty(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}
