package wiring

import (
	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/audit"
	"hearth/backend/automations"
	"hearth/backend/consent"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/tasks"
)

// mergeMovers lists the domains whose records about a person move with them when two members
// are merged into one (members.Service.MergePeople), and back when the merge is undone:
// consent events, tasks, automation progress (enrolments, and the tag checkpoints that count
// them as tagged), the goal conversion counted, newsletters and e-mails sent, the audit log, and
// platform activity (named inside the merge's transaction and moved just after it, through the
// activity service, so that the analytics counters, and with them KPIs, levels and super users,
// count the person once; members.Service.FinishMerges completes a move a crash cut short).
func mergeMovers(a *activity.Service) []members.Mover {
	return []members.Mover{
		{Kind: "consent", Move: consent.MoveMember, PointAt: consent.PointAt},
		{Kind: "tasks", Move: tasks.MoveMember, PointAt: tasks.PointAt},
		{Kind: "automations", Move: automations.MoveMember, PointAt: automations.PointAt},
		{Kind: "goal", Move: analytics.MoveGoalMark, PointAt: analytics.PointGoalMarkAt},
		{Kind: "deliveries", Move: newsletter.MoveMember, PointAt: newsletter.PointAt},
		{Kind: "audit", Move: audit.MoveMember, PointAt: audit.PointAt},
		{Kind: "activity", List: activity.MemberRecords, PointAtAfter: a.PointAt},
	}
}
