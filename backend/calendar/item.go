// Package calendar is the content calendar: posts, announcements, newsletters and event promos,
// each with a Markdown body, attachments copied into the workspace, target channels, an
// editorial status (draft → in review → approved → scheduled), an IANA time zone and, for
// recurring content, a recurrence rule expanded in that zone so that a post at 09:00 stays at
// 09:00 local time across daylight-saving changes.
//
// Publishing: PublishDue finds the scheduled occurrences whose time has come and, in one durable
// transaction per occurrence, marks each "queued" and writes its outbox entry (idempotency key
// "<item id>@<original occurrence time, RFC 3339 UTC>"), so running it twice or after a crash
// never queues an occurrence twice. Occurrences found late (the app was closed) follow the
// item's late policy: published late (flagged late beyond the item's grace window), or skipped,
// marked missed and announced with the "calendar:missed" event. The sync engine's outcomes come
// back through OutcomeHook (wired into outbox.WithOutcome) and make occurrences published or
// failed.
//
// Every occurrence that leaves "scheduled", and every occurrence moved or cancelled on its own,
// has an occurrence record keyed by the item id and the occurrence's original time; the item
// keeps the editorial status of the whole series (a one-off item also mirrors its single
// occurrence's publishing status).
package calendar

import (
	"time"
)

// Kind is what a calendar item is.
type Kind string

// The kinds.
const (
	KindPost         Kind = "post"
	KindAnnouncement Kind = "announcement"
	KindNewsletter   Kind = "newsletter"
	KindEventPromo   Kind = "event_promo"
)

// Status is where an item or an occurrence stands.
type Status string

// Editorial statuses are set by people; publishing statuses by PublishDue and the outbox.
const (
	Draft     Status = "draft"
	InReview  Status = "in_review"
	Approved  Status = "approved"
	Scheduled Status = "scheduled"
	Queued    Status = "queued"
	Published Status = "published"
	Failed    Status = "failed"
	Missed    Status = "missed"
	// Cancelled is an occurrence of a series removed on its own (never an item's status).
	Cancelled Status = "cancelled"
)

// LatePolicy says what to do with an occurrence found past its time (the app was closed).
type LatePolicy string

// The late policies.
const (
	LatePublish LatePolicy = "publish"
	LateSkip    LatePolicy = "skip"
)

// DefaultGraceMinutes is how late an occurrence may be published before it is flagged late.
const DefaultGraceMinutes = 24 * 60

// Item is the stored record of one piece of content (one-off or recurring).
type Item struct {
	ID          string       `json:"id"`
	Kind        Kind         `json:"kind"`
	Title       string       `json:"title"`
	Body        string       `json:"body"`
	Attachments []Attachment `json:"attachments"`
	Channels    []string     `json:"channels"`
	Status      Status       `json:"status"`
	Assignee    string       `json:"assignee"`
	Campaign    string       `json:"campaign"`
	Notes       string       `json:"notes"`
	// TimeZone is the IANA zone the item's times are meant in ("Europe/Paris").
	TimeZone string `json:"timeZone"`
	// At is the (first) occurrence, shown with the zone's offset; zero for an undated draft.
	At time.Time `json:"at,omitzero"`
	// Repeat makes the item recurring; nil for a one-off item.
	Repeat       *Recurrence `json:"repeat,omitempty"`
	LatePolicy   LatePolicy  `json:"latePolicy"`
	GraceMinutes int         `json:"graceMinutes"`
	// ScheduledAt is when the item last became scheduled: PublishDue leaves a series'
	// occurrences before then alone (scheduling a series that started last month does not post
	// a month of occurrences at once).
	ScheduledAt time.Time `json:"scheduledAt,omitzero"`
	// Publisher is the copy of the workspace that scheduled the item last, and alone publishes
	// it: items travel to teammates' copies (backend/team), and two copies must never both post
	// it. Empty for items scheduled before teams (store.Mine).
	Publisher string `json:"publisher,omitempty"`
	// Through is PublishDue's watermark: every original occurrence time up to it was handled.
	Through   time.Time `json:"through,omitzero"`
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Attachment is a file copied into <workspace>/attachments/<item id>/.
type Attachment struct {
	Name string `json:"name"`
	// Path is relative to the workspace directory, slash-separated.
	Path string `json:"path"`
	Size int64  `json:"size"`
}

// CreateInput is what a caller sends to create an item.
type CreateInput struct {
	Kind     Kind     `json:"kind" validate:"omitempty,oneof=post announcement newsletter event_promo"`
	Title    string   `json:"title" validate:"required,max=300"`
	Body     string   `json:"body" validate:"max=100000"`
	Channels []string `json:"channels" validate:"max=20,dive,required,max=64,label"`
	// Status is the initial status: draft (default), in_review, approved or scheduled.
	Status   Status `json:"status" validate:"omitempty,oneof=draft in_review approved scheduled"`
	Assignee string `json:"assignee" validate:"max=200"`
	Campaign string `json:"campaign" validate:"max=100"`
	Notes    string `json:"notes" validate:"max=20000"`
	// TimeZone defaults to the service's zone (the computer's).
	TimeZone     string      `json:"timeZone" validate:"max=64"`
	At           time.Time   `json:"at"`
	Repeat       *Recurrence `json:"repeat"`
	LatePolicy   LatePolicy  `json:"latePolicy" validate:"omitempty,oneof=publish skip"`
	GraceMinutes int         `json:"graceMinutes" validate:"min=0,max=525600"`
	// Attach lists files to copy into the workspace.
	Attach []string `json:"attach" validate:"max=20,dive,required"`
}

// Patch changes some fields of an item (or, with Occurrence set, moves one occurrence of a
// series); nil fields are left as they are.
type Patch struct {
	Kind         *Kind       `json:"kind,omitempty"`
	Title        *string     `json:"title,omitempty"`
	Body         *string     `json:"body,omitempty"`
	Channels     *[]string   `json:"channels,omitempty"`
	Assignee     *string     `json:"assignee,omitempty"`
	Campaign     *string     `json:"campaign,omitempty"`
	Notes        *string     `json:"notes,omitempty"`
	TimeZone     *string     `json:"timeZone,omitempty"`
	At           *time.Time  `json:"at,omitempty"`
	Repeat       *Recurrence `json:"repeat,omitempty"`
	NoRepeat     bool        `json:"noRepeat,omitempty"`
	LatePolicy   *LatePolicy `json:"latePolicy,omitempty"`
	GraceMinutes *int        `json:"graceMinutes,omitempty"`
	Attach       []string    `json:"attach,omitempty"`
	Detach       []string    `json:"detach,omitempty"`
	// Occurrence names one occurrence of a series (by its original time): only At applies,
	// and moves that occurrence alone (an exception to the series).
	Occurrence *time.Time `json:"occurrence,omitempty"`
}

// Occurrence is one dated appearance of an item in the calendar.
type Occurrence struct {
	ItemID string `json:"itemId"`
	// Original is the occurrence's time in the series (its identity); At is when it happens,
	// different when the occurrence was moved on its own. Both carry the item zone's offset.
	Original  time.Time `json:"original"`
	At        time.Time `json:"at"`
	Status    Status    `json:"status"`
	Late      bool      `json:"late"`
	Moved     bool      `json:"moved"`
	Recurring bool      `json:"recurring"`
	Reason    string    `json:"reason,omitempty"`
	Kind      Kind      `json:"kind"`
	Title     string    `json:"title"`
	Channels  []string  `json:"channels"`
	Campaign  string    `json:"campaign"`
	Assignee  string    `json:"assignee"`
	TimeZone  string    `json:"timeZone"`
}

// record is the stored state of one occurrence that differs from its series: moved, cancelled,
// or past "scheduled" (queued, published, failed, missed).
type record struct {
	ItemID   string    `json:"itemId"`
	Original time.Time `json:"original"`
	// At is set when the occurrence was moved.
	At        *time.Time `json:"at,omitempty"`
	Status    Status     `json:"status,omitempty"`
	Late      bool       `json:"late,omitempty"`
	Key       string     `json:"key,omitempty"`
	Reason    string     `json:"reason,omitempty"`
	RemoteID  string     `json:"remoteId,omitempty"`
	UpdatedAt time.Time  `json:"updatedAt"`
}

// when is the occurrence's effective time.
func (r record) when() time.Time {
	if r.At != nil {
		return *r.At
	}
	return r.Original
}

// OccurrenceKey is the identity of an occurrence, and the idempotency key of its outbox entry.
func OccurrenceKey(itemID string, original time.Time) string {
	return itemID + "@" + original.UTC().Format(time.RFC3339)
}
