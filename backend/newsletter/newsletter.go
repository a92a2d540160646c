// Package newsletter composes newsletters in Markdown with merge fields and sends them by e-mail
// to the members who agreed to receive them.
//
// The contract:
//   - A newsletter is a draft (subject, Markdown body, language, audience by tags and/or search)
//     until it is sent; only drafts can be edited. Merge fields ({{first_name}}, {{email}},
//     {{custom.city}}, with a fallback: {{first_name|there}}) are checked when a draft is saved.
//   - Render turns a newsletter into a responsive HTML part (Markdown through goldmark, sanitised
//     with bluemonday; member data is HTML-escaped after sanitising, and each message's body is
//     sanitised again once filled, so that links and images point at http, https or mailto
//     addresses only, whatever a member's values make of them) and a plain-text part (links
//     spelled out, those whose filled address is not http, https or mailto as their words only).
//   - The audience is every member matching any of the tags (every member when there is none)
//     and the search, with an e-mail. At send time the consent ledger (purpose "newsletter", now,
//     under that purpose's expiry) and the newsletter suppression list (hard bounces and
//     unsubscribes) filter it; Plan says how many are excluded and why (no consent, withdrawn,
//     expired: with the rule and the expiry dates), before anyone confirms.
//   - Send writes one delivery record per recipient (personal data: sealed with the member's key)
//     as pending, durably, before the first message leaves. Each message is marked "sending" and
//     that mark synced to disk before the SMTP transaction starts; the record becomes "sent" after
//     the server's 250 to DATA (or failed after a refusal). A send that stops (crash, kill, power
//     cut, cancel, server down) resumes with Send again, which never resends to a recipient marked
//     sent, and turns every delivery still marked "sending" into "uncertain": the server may or
//     may not have taken that message, and it is not sent again unless the manager confirms it
//     (SendWith ResendUncertain). A connection lost after the message's final dot, before the
//     server's reply, is uncertain too. So no newsletter reaches anyone twice without the
//     manager's say-so; the price is that a crash can leave a few recipients (at most one per
//     crash, or one per connection lost at the end of DATA) uncertain, counted in Counts.Uncertain.
//   - Temporary (4xx) failures are retried in later rounds with exponential backoff, a bounded
//     number of times; a permanent (5xx) refusal of the recipient marks the delivery failed and
//     suppresses the address for newsletters. Sending is throttled to the configured rate.
//   - The SMTP settings' password is sealed in the workspace with its own key and leaves this
//     package only inside a Transport, whose password never prints (Secret). It is never returned
//     to the window, never logged, never exported, never part of an error.
//   - Every newsletter message carries its recipient's own unsubscribe address: a mailto: to the
//     sending address whose subject holds a token naming the newsletter and the member,
//     authenticated with a key derived from the workspace secret (unsubscribe.go), in the
//     List-Unsubscribe header and in the footer of both parts. Test sends and automations' e-mails
//     carry the plain address.
//   - ProcessReplies reads the reply mailbox (IMAP settings beside the SMTP ones, password in the
//     secret store): a reply carrying a genuine token withdraws that member's newsletter consent
//     with the message (date, sender, Message-ID) as proof; an RFC 3464 report of a permanent
//     failure (Action: failed, Status 5.x.x) suppresses the address; automatic answers, soft
//     bounces, forged tokens and people's other replies change nothing; a malformed message is
//     counted and skipped. A message is processed once: its Message-ID's keyed hash is recorded
//     in the store (a set that travels with team bundles), and it is marked $Hearth-Processed on
//     the server where keywords are kept.
//
// The package does not speak SMTP or IMAP: a Dialer (sync/smtp in the app) opens a Sender, a
// MailboxDialer (sync/imap) a Mailbox.
package newsletter

import (
	"time"

	"hearth/backend/consent"
)

// EventChanged is emitted with a ChangedEvent after a newsletter is saved, deleted or sent.
const EventChanged = "newsletter:changed"

// ChangedEvent names the newsletter that changed.
type ChangedEvent struct {
	ID string `json:"id"`
}

// Purpose is the consent purpose a member must have granted to receive newsletters.
const Purpose = "newsletter"

// SuppressionKind is the store suppression kind of addresses that must not get newsletters
// (hard bounces, unsubscribes).
const SuppressionKind = "newsletter"

// Status is where a newsletter stands.
type Status string

// The statuses.
const (
	StatusDraft   Status = "draft"
	StatusSending Status = "sending"
	StatusSent    Status = "sent"
)

// Newsletter is the stored record of one newsletter.
type Newsletter struct {
	ID           string `json:"id"`
	Subject      string `json:"subject"`
	BodyMarkdown string `json:"bodyMarkdown"`
	// Lang ("en" or "fr") is the language of the footer Hearth adds (unsubscribe line).
	Lang string `json:"lang"`
	// Tags selects members carrying any of them; none means every member.
	Tags []string `json:"tags"`
	// Search further keeps members whose name, e-mails, handles or tags contain every word.
	Search string `json:"search"`
	// Segment, when set, further keeps the members of that saved segment (its id) at the time
	// of the send (backend/segments); the consent check still applies to each.
	Segment   string     `json:"segment,omitempty"`
	Status    Status     `json:"status"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
	SentAt    *time.Time `json:"sentAt"`
	Counts    Counts     `json:"counts"`
}

// Counts summarise a newsletter's sending.
type Counts struct {
	// Recipients is how many members were to receive it at the last send.
	Recipients int `json:"recipients"`
	Sent       int `json:"sent"`
	// FailedTemp counts recipients still refused temporarily after every attempt.
	FailedTemp int `json:"failedTemp"`
	// FailedPerm counts recipients refused permanently (their address is now suppressed).
	FailedPerm int `json:"failedPerm"`
	Pending    int `json:"pending"`
	// Uncertain counts recipients whose message was being sent when a send stopped (a crash, or
	// the connection lost before the server answered): the server may have taken it. They are
	// not sent again unless the manager confirms it (SendOptions.ResendUncertain).
	Uncertain          int `json:"uncertain"`
	ExcludedNoConsent  int `json:"excludedNoConsent"`
	ExcludedSuppressed int `json:"excludedSuppressed"`
	ExcludedNoEmail    int `json:"excludedNoEmail"`
}

// Input creates (empty ID) or edits a draft.
type Input struct {
	ID           string   `json:"id" validate:"max=64"`
	Subject      string   `json:"subject" validate:"required,max=300"`
	BodyMarkdown string   `json:"bodyMarkdown" validate:"max=200000"`
	Lang         string   `json:"lang" validate:"omitempty,oneof=en fr"`
	Tags         []string `json:"tags" validate:"max=50,dive,required,max=64"`
	Search       string   `json:"search" validate:"max=200"`
	Segment      string   `json:"segment" validate:"max=64"`
}

// DeliveryStatus is where one recipient's message stands.
type DeliveryStatus string

// The delivery statuses.
const (
	DeliveryPending    DeliveryStatus = "pending"
	DeliverySent       DeliveryStatus = "sent"
	DeliveryFailedTemp DeliveryStatus = "failed_temp"
	DeliveryFailedPerm DeliveryStatus = "failed_perm"
	// DeliverySending is durable before the SMTP transaction starts; a record found so by a later
	// Send was cut off (crash) and becomes DeliveryUncertain.
	DeliverySending DeliveryStatus = "sending"
	// DeliveryUncertain: the server may or may not have taken the message. Only a send with
	// SendOptions.ResendUncertain tries it again.
	DeliveryUncertain DeliveryStatus = "uncertain"
)

// SendOptions are the manager's choices for one run of a send.
type SendOptions struct {
	// ResendUncertain sends again to the recipients whose earlier message is uncertain (see
	// DeliveryUncertain), which may give some of them a second copy (same Message-ID). Allowed on
	// a newsletter already sent, when it has uncertain recipients.
	ResendUncertain bool `json:"resendUncertain"`
}

// Delivery is the record of one newsletter to one member: personal data, sealed with the
// member's key (so erasing the member makes it unreadable).
type Delivery struct {
	NewsletterID string         `json:"newsletterId"`
	MemberID     string         `json:"memberId"`
	Email        string         `json:"email"`
	Status       DeliveryStatus `json:"status"`
	Attempts     int            `json:"attempts"`
	// LastError is the server's reply to the last failed attempt (code and text).
	LastError string     `json:"lastError"`
	SentAt    *time.Time `json:"sentAt"`
	UpdatedAt time.Time  `json:"updatedAt"`
}

// Plan is who a send would reach, for the confirmation screen and --dry-run: the send check.
type Plan struct {
	NewsletterID string `json:"newsletterId"`
	Recipients   int    `json:"recipients"`
	// ExcludedNoConsent counts members with an e-mail whose consent is not granted now, whatever
	// the reason: ExcludedNotAsked + ExcludedWithdrawn + Expired.Count.
	ExcludedNoConsent int `json:"excludedNoConsent"`
	// ExcludedNotAsked counts members the ledger has no consent from.
	ExcludedNotAsked int `json:"excludedNotAsked"`
	// ExcludedWithdrawn counts members who withdrew their consent.
	ExcludedWithdrawn int `json:"excludedWithdrawn"`
	// Expired counts members whose consent expired, under which rule (the newsletter purpose's
	// expiry, also when nobody is excluded by it) and when.
	Expired            consent.Lapsed `json:"expired"`
	ExcludedSuppressed int            `json:"excludedSuppressed"`
	ExcludedNoEmail    int            `json:"excludedNoEmail"`
	// AlreadySent counts recipients a previous, interrupted send reached: they are not sent again.
	AlreadySent int `json:"alreadySent"`
	// Uncertain counts recipients a previous send was cut off while sending to: not sent again
	// unless the manager confirms it.
	Uncertain int `json:"uncertain"`
	// Sample is the first few recipients.
	Sample []Recipient `json:"sample"`
}

// Recipient is one member a newsletter goes to.
type Recipient struct {
	MemberID string `json:"memberId"`
	Name     string `json:"name"`
	Email    string `json:"email"`
}

// Progress reports a running send.
type Progress struct {
	NewsletterID string `json:"newsletterId"`
	// Total is how many messages this run has to send (recipients not sent yet).
	Total      int `json:"total"`
	Done       int `json:"done"`
	Sent       int `json:"sent"`
	FailedTemp int `json:"failedTemp"`
	FailedPerm int `json:"failedPerm"`
	// Uncertain counts messages of this run whose connection was lost before the server answered.
	Uncertain int `json:"uncertain"`
	// Round is 1 for the first pass, then 2, 3… for retries of temporary failures.
	Round int `json:"round"`
}

// Rendered is a newsletter as one member would receive it.
type Rendered struct {
	Subject string `json:"subject"`
	HTML    string `json:"html"`
	Text    string `json:"text"`
}
