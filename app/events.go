package app

import (
	"hearth/backend/activity"
	"hearth/backend/automations"
	"hearth/backend/calendar"
	"hearth/backend/connections"
	"hearth/backend/consent"
	"hearth/backend/errs"
	"hearth/backend/imports"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/tasks"
)

// The events of the window's long jobs; each name ends with the job's id.
const (
	// EventImportProgress carries an imports.Progress at most every 100 ms.
	EventImportProgress = "import:progress:"
	// EventImportDone carries the imports.Summary.
	EventImportDone = "import:done:"
	// EventNewsletterProgress carries a newsletter.Progress at most every 100 ms.
	EventNewsletterProgress = "newsletter:progress:"
	// EventNewsletterDone carries a NewsletterDone.
	EventNewsletterDone = "newsletter:done:"
	// EventMergesProgress carries a members.SuggestProgress at most every 100 ms.
	EventMergesProgress = "merges:progress:"
	// EventMergesDone carries a MergesFound.
	EventMergesDone = "merges:done:"
)

// NewsletterDone is the payload of EventNewsletterDone: the last progress, the newsletter's
// status and counts, and the error that stopped the send (absent when it finished).
type NewsletterDone struct {
	newsletter.Progress
	Status newsletter.Status `json:"status"`
	Counts newsletter.Counts `json:"counts"`
	Error  *errs.Error       `json:"error,omitempty"`
}

// EventPayloads are zero values of what the window's events carry, for tools/contractgen
// (the frontend's types of event payloads come from these).
func EventPayloads() []any {
	return []any{
		imports.Progress{}, imports.Summary{}, newsletter.Progress{}, NewsletterDone{},
		members.SuggestProgress{}, MergesFound{},
		activity.ChangedEvent{}, automations.ChangedEvent{}, calendar.ChangedEvent{}, calendar.MissedEvent{},
		connections.ChangedEvent{}, consent.ChangedEvent{}, consent.PurposesChangedEvent{},
		members.ChangedEvent{}, newsletter.ChangedEvent{}, tasks.ChangedEvent{}, []tasks.Task{},
	}
}
