// Package analytics turns members and their activity into the numbers a community manager
// decides with: KPIs for a date range compared with the previous one, monthly retention cohorts,
// engagement levels (the Orbit model), super users and ambassador candidates.
//
// Counters are maintained at write time: every activity record stored or deleted updates, in
// the same transaction, a per-day × channel × kind counter and a per-member × day × kind
// counter (activity.WithHook), also kept day-major (the active rollup), from a workspace's
// first activity on. A process reads into a compact in-memory index the day counters and the
// active rollup of the days its queries need (the months a range's KPIs look back over, more
// when a query reaches further), kept in step by the same hook, so a dashboard over 1,000,000
// activities answers in milliseconds without reading them, and a new process reads only the
// months it needs. Rebuild recomputes every counter from the raw activity records (and is
// tested to match).
//
// Days are calendar days in the workspace's time zone (Options.Zone); a Range is [From, To)
// and covers the whole days it touches (ranges from midnight to midnight are exact; DST days
// of 23 or 25 hours are one day). The previous period is the same number of days just before.
//
// Definitions. A member's since day is the "member_since" custom field set by imports when it
// reads as a date, else the day of their earliest join activity, else their creation day.
// Activity before a member's since day still counts as activity (history imported later).
// Members are the live (not deleted) members whose since day is before the range's end; new
// members those whose since day is in the range. Active members did at least one activity in
// the range; churned ones did some in the previous period and none in this one. DAU is the
// mean over the range's days of the members active that day; WAU and MAU the mean over the
// same days of the members active in the 7 and 30 days ending that day (trailing windows,
// reaching before the range's start). Cohorts group the members whose since day is in one of
// the months the range touches; Retention[k] is the share of them active in the k-th month
// after (up to the range's last month). Activities by channel count under the record's
// channel, else its platform.
//
// Engagement levels follow the Orbit model. Each activity scores its kind's weight
// (Options.Weights: post 3, reply 2, message 1, mention 1, reaction 0.5, follow 0.5, join 0.5,
// article 0, event 2, goal 0). A member's raw level at the end of a day is the first milestone
// (Options.Milestones) whose score and presence (distinct active days) their last 90 days
// (Options.ScoreWindow) reach: 1 Ambassadors (40 points on 10 days), 2 Contributors (12 on 4), 3 Participants
// (anything), else 4 Observers. Promotion is immediate: the level is the best raw level
// reached since the month began; demotion waits for the month's end, when the level becomes
// the raw level of the month's last day. Levels are counted when the range ends (so a range
// ending on the 1st sees the month's demotions), Promoted and Demoted are the members whose
// level then is better or worse than when the range began (new members start at 4).
// Teammates (tagged "team" or "équipe", Options.TeamTags) are left out of levels, super users
// and gone-quiet members, not of the other counts. Super users are the 20 best scores over
// the range. Gone quiet are the members whose score over the 90 days ending at their last
// activity is in the top tenth of the members active in the 118 days before the range's end,
// and whose last activity is 7 to 28 days before the range's last day. Level names are stable
// English keys (LevelNames) that the window and the CLI translate.
//
// Sentiment and rising topics are read from each record's title and text when it is stored:
// its mood (MoodOf, a hand-made French and English lexicon with negations) is part of the
// day and member counters, its keywords (KeywordsOf) are counted per author and day, sealed
// with the author's key (analytics_member_words). Erasing a member takes their moods and their
// keywords out at once.
//
// Questions and answers. Platforms group messages into threads (a forum topic, the replies to
// a Discord message or a Mastodon status; manual entries name theirs). A question is the
// first post or message of a thread when its title or text asks something (IsQuestion): it
// holds a question mark ending a sentence, or starts with an interrogative word in French or
// English ("comment", "pourquoi", "quelqu'un", "est-ce que", "how", "why", "anyone"...). It is
// asked by its author, when that record was written. It is answered when another member
// (teammates included) replies in the thread; its response time runs from the question to the
// first such reply (0 for a reply dated before the question: clocks differ). Replies count
// whatever the order they arrive in, even before the question itself. Questions asked by
// members who are deleted or erased, and replies of such members, are not counted.
// Questions counts the questions asked in the range, QuestionsAnswered those of them answered
// before the range's end, and the response times are theirs. A super user's Counts
// [AnsweredCount] is the number of others' questions they first replied to in the range.
package analytics

import "time"

// Range is a half-open period [From, To).
type Range struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// KPIs are the numbers of one period. JSON names are camelCase, as everything the window
// reads; `hearth stats --json` prints them under the snake_case names of docs/STATS.md
// through its own view (app/cli).
type KPIs struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	// MembersTotal exist at To (created before To, not deleted).
	MembersTotal int `json:"membersTotal"`
	// MembersNew joined in the range: member-since (import column or platform join) when
	// known, else creation.
	MembersNew int `json:"membersNew"`
	// MembersChurned were active in the previous period of equal length and not in this one.
	MembersChurned int `json:"membersChurned"`
	// MembersActive did at least one activity in the range.
	MembersActive int `json:"membersActive"`
	// DAU, WAU and MAU are the average distinct active members per day, per 7 days and per
	// 30 days of the range; Stickiness is DAU / MAU (0 when MAU is 0).
	DAU        float64 `json:"dau"`
	WAU        float64 `json:"wau"`
	MAU        float64 `json:"mau"`
	Stickiness float64 `json:"stickiness"`
	// GrowthRate is MembersNew / members at From (0 when there were none).
	GrowthRate float64 `json:"growthRate"`
	// EngagementRate is MembersActive / MembersTotal (0 when there are none).
	EngagementRate float64 `json:"engagementRate"`
	// Activities counts the range's activity records, by kind and by channel.
	Activities          int            `json:"activities"`
	ActivitiesByKind    map[string]int `json:"activitiesByKind"`
	ActivitiesByChannel map[string]int `json:"activitiesByChannel"`
	// Daily is one point per day of the range (for charts).
	Daily []DayPoint `json:"daily"`
	// Cohorts are monthly retention cohorts of the members who joined in the range's months.
	Cohorts []Cohort `json:"cohorts"`
	// Levels counts members per engagement level at To, with the period's moves.
	Levels []LevelCount `json:"levels"`
	// SuperUsers are the most engaged members of the range, best first, with the reason.
	SuperUsers []SuperUser `json:"superUsers"`
	// GoneQuiet were among the most active and have been silent for 7 to 28 days at To.
	GoneQuiet []SuperUser `json:"goneQuiet"`
	// Sentiment counts the range's activity records by mood (lexicon-based, MoodOf).
	Sentiment Sentiment `json:"sentiment"`
	// RisingTopics are the words in more records than in the period of equal length before
	// (at least 3), the 10 fastest growing first.
	RisingTopics []RisingTopic `json:"risingTopics"`
	// Questions were asked in the range (see the package doc); QuestionsAnswered of them were
	// answered by another member before To; AnswerRate is QuestionsAnswered / Questions (0
	// when none).
	Questions         int     `json:"questions"`
	QuestionsAnswered int     `json:"questionsAnswered"`
	AnswerRate        float64 `json:"answerRate"`
	// MedianResponseSeconds is the median time from an answered question to its first answer
	// (the mean of the two middle ones for an even count), ResponseTimeP90Seconds the time
	// within which 90 % were answered (nearest rank); both 0 when none was answered.
	MedianResponseSeconds  float64 `json:"medianResponseSeconds"`
	ResponseTimeP90Seconds float64 `json:"responseTimeP90Seconds"`
	// Unfiltered, when the numbers are a segment's (KPIsOf), names the parts left empty because
	// they are counted for everyone (analytics.Unfiltered); absent for everyone's numbers.
	Unfiltered []string `json:"unfiltered,omitempty"`
	// Previous holds the same keys for the period of equal length just before (nil inside it).
	Previous *KPIs `json:"previous,omitempty"`
}

// DayPoint is one day of a range.
type DayPoint struct {
	Day           string `json:"day"` // YYYY-MM-DD in the workspace's zone
	Activities    int    `json:"activities"`
	ActiveMembers int    `json:"activeMembers"`
	NewMembers    int    `json:"newMembers"`
	MembersTotal  int    `json:"membersTotal"`
}

// Cohort is the members who joined in one month and the share of them active in each month
// after (Retention[0] is the joining month itself).
type Cohort struct {
	Month     string    `json:"month"` // YYYY-MM
	Size      int       `json:"size"`
	Retention []float64 `json:"retention"`
}

// LevelCount is one engagement level.
type LevelCount struct {
	Level    int    `json:"level"` // 1 (most engaged, "Ambassadors") to 4
	Name     string `json:"name"`
	Members  int    `json:"members"`
	Promoted int    `json:"promoted"`
	Demoted  int    `json:"demoted"`
}

// SuperUser is a member ranked by weighted activity, with the reason shown to people.
type SuperUser struct {
	MemberID string  `json:"memberId"`
	Name     string  `json:"name"`
	Score    float64 `json:"score"`
	Level    int     `json:"level"`
	// Counts by kind in the range, and LastActive, make the reason ("posted 42 times, answered
	// 17 questions in 30 days"), rendered by the window and the CLI in the person's language.
	Counts     map[string]int `json:"counts"`
	LastActive time.Time      `json:"lastActive,omitzero"`
}

// Sentiment counts activity records by mood (MoodOf: a French and English lexicon with
// negations).
type Sentiment struct {
	Positive int `json:"positive"`
	Negative int `json:"negative"`
	Neutral  int `json:"neutral"`
	// Score is (Positive - Negative) / (Positive + Negative), from -1 to 1 (0 when both are 0).
	Score float64 `json:"score"`
	// Daily is one point per day of the range.
	Daily []SentimentDay `json:"daily"`
}

// SentimentDay is one day's records by mood.
type SentimentDay struct {
	Day      string `json:"day"` // YYYY-MM-DD in the workspace's zone
	Positive int    `json:"positive"`
	Negative int    `json:"negative"`
	Neutral  int    `json:"neutral"`
}

// RisingTopic is a word (folded: lower case, no accents) used more than in the previous
// period: Count and Previous are how many activity records hold it in the range and in the
// period of equal length before; Change is (Count - Previous) / max(Previous, 1).
type RisingTopic struct {
	Word     string  `json:"word"`
	Count    int     `json:"count"`
	Previous int     `json:"previous"`
	Change   float64 `json:"change"`
}
