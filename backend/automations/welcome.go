package automations

import "hearth/backend/locale"

// WelcomeID is the id of the ready-made welcome sequence.
const WelcomeID = "welcome"

// builtins are the ready-made automations, disabled, in the workspace language (their words
// are in backend/locale's catalogs, under automations.welcome).
func builtins(lang string) []Automation {
	p := locale.For(lang)
	t := func(k string) string { return p.Text("automations.welcome." + k) }
	return []Automation{{
		ID: WelcomeID, Builtin: WelcomeID, Name: t("name"),
		Trigger: Trigger{Kind: TriggerMemberCreated},
		Steps: []Step{
			{ID: "welcome-email", Kind: StepSendEmail, Subject: t("welcome_subject"), BodyMarkdown: t("welcome_body")},
			{ID: "welcome-wait-3", Kind: StepWait, Days: 3},
			{ID: "welcome-getting-started", Kind: StepSendEmail, Subject: t("start_subject"), BodyMarkdown: t("start_body")},
			{ID: "welcome-wait-7", Kind: StepWait, Days: 7},
			{ID: "welcome-follow-up", Kind: StepCreateTask, TaskTitle: t("task_title"), TaskDueDays: 2},
		},
	}}
}
