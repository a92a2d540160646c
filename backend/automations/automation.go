// Package automations runs the manager's automations: a trigger (a member is created, or
// imported with enrolment asked, a tag is added, a consent is granted, a date such as the membership anniversary
// comes round) followed by steps (wait N days, send an e-mail, add or remove a tag, create a
// reminder task). A ready-made, disabled "welcome sequence" exists in every workspace.
//
// The contract:
//
//   - Triggers are found by polling (Tick, every minute from the scheduler) against persisted
//     checkpoints, so nothing is missed while the app is closed and nothing needs an event bus.
//     A disabled automation enrols nobody and advances nobody; enabling it again resumes its
//     enrolments where they stopped, and only members triggering after that are enrolled.
//   - Each member's progress is one Enrolment record per automation and member (per year for
//     anniversaries). Enrolments are personal data: sealed with the member's key, shredded by
//     erasure (ForgetMember runs in the erasure's transaction).
//   - Steps run at most once. Before a step acts, the enrolment records it as started under an
//     idempotency key (enrolment id + step id); after, as done. A step interrupted between the
//     two runs again with the same key after a restart: the Mailer and tasks.CreateOnce treat a
//     repeated key as already done, and tag changes are idempotent by nature. So a crash never
//     sends an e-mail twice nor makes a second task.
//   - Editing an automation keeps its running enrolments at their step index; steps keep their
//     ids across edits, so a step that was sent is never sent again under a new key.
package automations

import (
	"context"
	"time"

	"hearth/backend/members"
	"hearth/backend/store"
)

// Events emitted through the notifier.
const (
	// EventChanged is emitted with a ChangedEvent after an automation is saved or switched.
	EventChanged = "automations:changed"
	// EventProgress is emitted with a ChangedEvent naming the automations whose enrolments
	// moved during a Tick.
	EventProgress = "automations:progress"
)

// ChangedEvent names automations.
type ChangedEvent struct {
	IDs []string `json:"ids"`
}

// TriggerKind is what starts an automation for a member.
type TriggerKind string

// The triggers.
const (
	// TriggerMemberCreated fires for each member created after the automation was enabled, in
	// the app or by an import that asked to enrol its new members (members.MergeOptions.Enrol).
	TriggerMemberCreated TriggerKind = "member_created"
	// TriggerTagAdded fires when a member gains Trigger.Tag (not for the tags a member an import
	// created without enrolment arrived with).
	TriggerTagAdded TriggerKind = "tag_added"
	// TriggerConsentGranted fires when a member's consent to Trigger.Purpose becomes granted.
	TriggerConsentGranted TriggerKind = "consent_granted"
	// TriggerDateAnniversary fires every year, Trigger.Days days after (negative: before) the
	// anniversary of the date in Trigger.Field ("createdAt" or a custom field holding a date).
	TriggerDateAnniversary TriggerKind = "date_anniversary"
	// TriggerSegmentEntered fires when a member comes to match the saved segment Trigger.Segment
	// (not for the members already in it when the automation was enabled). Like tag_added, a
	// member is enrolled once: leaving and entering again does not enrol them twice.
	TriggerSegmentEntered TriggerKind = "segment_entered"
	// TriggerSegmentLeft fires when a member stops matching the saved segment Trigger.Segment
	// (not for one deleted or erased meanwhile).
	TriggerSegmentLeft TriggerKind = "segment_left"
)

// FieldCreatedAt names the member's creation date as an anniversary field.
const FieldCreatedAt = "createdAt"

// Trigger says which members enter an automation.
type Trigger struct {
	Kind TriggerKind `json:"kind"`
	// Tag is the tag of tag_added.
	Tag string `json:"tag,omitempty"`
	// Purpose is the consent purpose of consent_granted.
	Purpose string `json:"purpose,omitempty"`
	// Field is the date of date_anniversary: "createdAt" or a custom field's name.
	Field string `json:"field,omitempty"`
	// Days shifts date_anniversary: 0 on the day, -7 a week before, 3 three days after.
	Days int `json:"days,omitempty"`
	// Segment is the saved segment's id of segment_entered and segment_left.
	Segment string `json:"segment,omitempty"`
}

// StepKind is what a step does.
type StepKind string

// The steps.
const (
	StepWait       StepKind = "wait"
	StepSendEmail  StepKind = "send_email"
	StepAddTag     StepKind = "add_tag"
	StepRemoveTag  StepKind = "remove_tag"
	StepCreateTask StepKind = "create_task"
)

// Step is one action of an automation.
type Step struct {
	// ID identifies the step across edits (assigned on save when empty); idempotency keys use it.
	ID   string   `json:"id"`
	Kind StepKind `json:"kind"`
	// Days is how long a wait step waits.
	Days int `json:"days,omitempty"`
	// Subject and BodyMarkdown are a send_email step's message; "{{name}}" is replaced by the
	// member's name.
	Subject      string `json:"subject,omitempty"`
	BodyMarkdown string `json:"bodyMarkdown,omitempty"`
	// Purpose, when set on send_email, sends only to members whose consent to it is granted;
	// the others skip the step.
	Purpose string `json:"purpose,omitempty"`
	// Tag is the tag of add_tag and remove_tag.
	Tag string `json:"tag,omitempty"`
	// TaskTitle and TaskDueDays describe the task of create_task, due TaskDueDays after the
	// step runs.
	TaskTitle   string `json:"taskTitle,omitempty"`
	TaskDueDays int    `json:"taskDueDays,omitempty"`
}

// Automation is a stored automation.
type Automation struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Enabled bool    `json:"enabled"`
	Trigger Trigger `json:"trigger"`
	Steps   []Step  `json:"steps"`
	// Builtin names a ready-made automation ("welcome"); "" for the manager's own.
	Builtin string `json:"builtin,omitempty"`
	// EnabledAt is when the automation was last enabled: members triggering before it are not
	// enrolled.
	EnabledAt time.Time `json:"enabledAt,omitzero"`
	// Runner is the copy of the workspace that enabled the automation last, and alone runs it:
	// automations and their progress travel to teammates' copies (backend/team), and a welcome
	// e-mail must not go out from two laptops. Empty for automations enabled before teams
	// (store.Mine).
	Runner    string    `json:"runner,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Input creates (empty ID) or edits an automation. Enabling is SetEnabled's job.
type Input struct {
	ID      string  `json:"id"`
	Name    string  `json:"name"`
	Trigger Trigger `json:"trigger"`
	Steps   []Step  `json:"steps"`
}

// Status is where an enrolment stands.
type Status string

// The statuses.
const (
	StatusActive    Status = "active"
	StatusCompleted Status = "completed"
	// StatusCancelled: the member was deleted while enrolled.
	StatusCancelled Status = "cancelled"
	// StatusFailed: a step kept failing (maxAttempts times); LastError says why.
	StatusFailed Status = "failed"
)

// Outcomes of a step run.
const (
	OutcomeDone             = "done"
	OutcomeSkippedNoEmail   = "skipped_no_email"
	OutcomeSkippedNoConsent = "skipped_no_consent"
	// OutcomeUncertain: an e-mail step's sending was cut off (a crash, a broken connection) when
	// the server may already have taken it; it is not sent again.
	OutcomeUncertain = "uncertain"
)

// MailUncertain is the error code of a Mailer's SendOnce for an e-mail it will not send again
// because an earlier attempt may have been delivered.
const MailUncertain = "mail_uncertain"

// Enrolment is one member's progress through one automation.
type Enrolment struct {
	ID           string `json:"id"`
	AutomationID string `json:"automationId"`
	MemberID     string `json:"memberId"`
	// Occurrence tells yearly enrolments apart ("2027" for an anniversary); "" otherwise.
	Occurrence string `json:"occurrence,omitempty"`
	Status     Status `json:"status"`
	// Step is the index of the next step to run.
	Step       int       `json:"step"`
	NextAt     time.Time `json:"nextAt"`
	EnrolledAt time.Time `json:"enrolledAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
	// Attempts counts failures of the current step; LastError is the last one's message code.
	Attempts  int    `json:"attempts,omitempty"`
	LastError string `json:"lastError,omitempty"`
	// History lists the steps run, oldest first.
	History []StepRun `json:"history"`
}

// StepRun records one step of an enrolment.
type StepRun struct {
	Step   int      `json:"step"`
	StepID string   `json:"stepId"`
	Kind   StepKind `json:"kind"`
	// Key is the idempotency key the step acted under.
	Key       string    `json:"key"`
	StartedAt time.Time `json:"startedAt"`
	// DoneAt is zero while the step is started but not known to be done.
	DoneAt  time.Time `json:"doneAt,omitzero"`
	Outcome string    `json:"outcome,omitempty"`
}

// Mailer sends automation e-mails. SendOnce must treat a key it has already sent under as
// sent: return nil without sending again. That is what makes a step replayed after a crash
// harmless. A key whose earlier attempt was cut off while the message was going out (the server
// may have taken it) is not sent again either: SendOnce answers an error with code MailUncertain,
// and the step is done with OutcomeUncertain. Implemented by the newsletter engine (SMTP).
type Mailer interface {
	SendOnce(ctx context.Context, key string, to members.Member, subject, bodyMarkdown string) error
}

// cursor is an automation's polling checkpoint.
type cursor struct {
	ID string `json:"id"` // the automation's id
	// Basis is the trigger and EnabledAt the checkpoint was taken for; a different basis
	// (the trigger was edited, the automation re-enabled) starts a new baseline.
	Basis string `json:"basis"`
	// Scanned is when the trigger was last scanned (member_created, tag_added, consent_granted).
	Scanned time.Time `json:"scanned,omitzero"`
	// Tagged holds the ids of the members carrying the tag (tag_added) or matching the segment
	// (segment_entered, segment_left) at the last scan, sorted.
	Tagged []string `json:"tagged,omitempty"`
	// LastDay is the last local day checked (date_anniversary), "2006-01-02".
	LastDay string `json:"lastDay,omitempty"`
}

var (
	automationsColl = &store.Collection[Automation]{Name: "automation"}
	cursors         = &store.Collection[cursor]{Name: "automation_cursor"}
	// enrolments are personal data: sealed with the member's key.
	enrolments = &store.Collection[Enrolment]{
		Name:    "automation_enrolment",
		Subject: func(e Enrolment) string { return e.MemberID },
		Indexes: []store.Index[Enrolment]{
			{Name: "automation", Values: func(e Enrolment) []string { return []string{e.AutomationID} }},
			{Name: "member", Values: func(e Enrolment) []string { return []string{e.MemberID} }},
			{Name: "active", Values: func(e Enrolment) []string {
				if e.Status == StatusActive {
					return []string{"1"}
				}
				return nil
			}},
		},
	}
)

func enrolmentID(automationID, memberID, occurrence string) string {
	id := automationID + "." + memberID
	if occurrence != "" {
		id += "." + occurrence
	}
	return id
}
