// Package consent is Hearth's consent ledger: the evidence a community keeps to show that a
// member agreed (or stopped agreeing) to each use of their data, as GDPR articles 7(1) and 7(3)
// ask.
//
// The contract:
//
//   - Purposes are what consent is asked for. Four are built in (newsletter, event_reminders,
//     analytics, partner_sharing), seeded once per workspace with an empty name that the UI
//     translates by id; any purpose can be renamed, described or archived, and new ones created.
//     Purposes are never deleted: past evidence must keep meaning something.
//   - Each purpose has an expiry in months, or none (null, the default): the GDPR sets no
//     lifetime for consent, so a grant lasts until it is withdrawn unless the manager sets one for
//     the purpose (the CNIL, say, recommends asking prospects again after three years). The
//     purpose's expiry is the only rule: what Settings shows is what the ledger and the newsletter
//     send apply. Expiry is policy, not evidence: it is applied when state is derived, from the
//     current setting, so changing it takes effect on existing grants at once.
//   - Notices are the texts shown to people when consent was asked, one version at a time per
//     purpose, with the SHA-256 of the exact text. They are append-only.
//   - Events (granted or withdrawn) are append-only evidence: when, how (method), who recorded
//     it (by), where the person expressed it (source), under which notice, and proof (IP, import
//     file and row, form fields). "Expired" is never stored; it is derived. Events are personal
//     data: the store seals them with the member's data key, and ForgetMember deletes them inside
//     the erasure transaction.
//   - State(member, purpose, T) is decided by the latest event at or before T (later recordings
//     win ties); a grant is expired from grant time + expiry onwards (the boundary instant is
//     already expired); no event means "none". Events after T are ignored, so the ledger answers
//     "was this allowed on that day?" as well as "is it allowed now?".
//
// Every consent write is a synced commit (store.UpdateDurable): evidence must survive a power cut.
package consent

import (
	"time"

	"hearth/backend/store"
)

// EventChanged is emitted with a ChangedEvent after a member's consent events change.
const EventChanged = "consent:changed"

// EventPurposesChanged is emitted with a PurposesChangedEvent after a purpose or a notice
// changes.
const EventPurposesChanged = "consent:purposes:changed"

// ChangedEvent names the member whose consent changed; an empty MemberID means many members
// (a bulk import): refresh everything shown.
type ChangedEvent struct {
	MemberID string `json:"memberId"`
}

// PurposesChangedEvent names the purpose that changed.
type PurposesChangedEvent struct {
	Purpose string `json:"purpose"`
}

// MaxExpiryMonths is the longest expiry a purpose can have: a century.
const MaxExpiryMonths = 1200

// BuiltinPurposes are the purposes every workspace starts with, in the order they are shown.
var BuiltinPurposes = []string{"newsletter", "event_reminders", "analytics", "partner_sharing"}

// Purpose is something consent is asked for.
type Purpose struct {
	// ID is a slug ("newsletter"); it is what the CLI's --purpose takes and never changes.
	ID string `json:"id"`
	// Name is empty for a built-in purpose that was never renamed: the UI shows its translated
	// default label.
	Name        string `json:"name"`
	Description string `json:"description"`
	Builtin     bool   `json:"builtin"`
	// ExpiryMonths is how many months a grant lasts; null (the default) means it never expires.
	ExpiryMonths *int      `json:"expiryMonths"`
	Archived     bool      `json:"archived"`
	CreatedAt    time.Time `json:"createdAt"`
	UpdatedAt    time.Time `json:"updatedAt"`
}

// PurposeInput creates or edits a purpose. An empty ID creates a purpose whose id is derived
// from the name; an existing ID edits it (name, description, expiry and archived are replaced).
// An ExpiryMonths of null or 0 means never; otherwise it is 1 to MaxExpiryMonths.
type PurposeInput struct {
	ID           string `json:"id" validate:"omitempty,slug,max=64"`
	Name         string `json:"name" validate:"max=100,label"`
	Description  string `json:"description" validate:"max=2000"`
	ExpiryMonths *int   `json:"expiryMonths"` // checked by SavePurpose: expiry_range
	Archived     bool   `json:"archived"`
}

// seedMark is the record that marks a workspace whose built-in purposes were seeded. Workspaces
// seeded before the purpose's expiry became the only rule hold a workspace-wide default of 24
// months in it ({"defaultExpiryMonths":24}, a default nobody chose and Settings never showed):
// it is ignored, so their grants do not expire unless a purpose says so.
type seedMark struct{}

// Notice is one published version of the text people see when asked for a purpose.
type Notice struct {
	ID      string `json:"id"`
	Purpose string `json:"purpose"`
	Version string `json:"version"`
	Text    string `json:"text"`
	// SHA256 is the lower-case hex SHA-256 of Text's UTF-8 bytes, exactly as stored.
	SHA256      string    `json:"sha256"`
	PublishedAt time.Time `json:"publishedAt"`
	RecordedAt  time.Time `json:"recordedAt"`
}

// NoticeInput publishes a notice version. A zero PublishedAt means now.
type NoticeInput struct {
	Purpose     string    `json:"purpose" validate:"required,slug,max=64"`
	Version     string    `json:"version" validate:"required,max=64,label"`
	Text        string    `json:"text" validate:"required,max=100000"`
	PublishedAt time.Time `json:"publishedAt"`
}

// Kind is what a consent event records.
type Kind string

// The event kinds. Expiry is derived, never stored.
const (
	Granted   Kind = "granted"
	Withdrawn Kind = "withdrawn"
)

// Method is how consent was collected.
type Method string

// The methods.
const (
	MethodForm     Method = "form"
	MethodImport   Method = "import"
	MethodPlatform Method = "platform"
	MethodManual   Method = "manual"
	// MethodEmailUnsubscribe: the person asked to leave by e-mail (a reply to a newsletter or
	// its List-Unsubscribe address), read from the reply mailbox. Withdrawals read that way
	// before this method existed were recorded as manual by "imap", and still read as such.
	MethodEmailUnsubscribe Method = "email_unsubscribe"
)

// Event is one entry of the ledger.
type Event struct {
	ID       string `json:"id"`
	MemberID string `json:"memberId"`
	Purpose  string `json:"purpose"`
	Kind     Kind   `json:"kind"`
	// At is when the person gave or withdrew consent; RecordedAt is when Hearth wrote it down.
	// They differ for imports and for a consent recorded after the fact.
	At         time.Time `json:"at"`
	RecordedAt time.Time `json:"recordedAt"`
	Method     Method    `json:"method"`
	// By says who recorded the event: "cli", "window", an import file name, a connector.
	By string `json:"by"`
	// Source says where the person expressed the choice ("AGM sign-up sheet", "reply to mail").
	Source string `json:"source"`
	// NoticeVersion and NoticeSHA256 identify the text the person was shown, if any.
	NoticeVersion string `json:"noticeVersion"`
	NoticeSHA256  string `json:"noticeSha256"`
	Proof         Proof  `json:"proof"`
}

// Proof is the material evidence attached to an event.
type Proof struct {
	IP       string            `json:"ip" validate:"omitempty,ip"`
	File     string            `json:"file" validate:"max=500"`
	Row      int               `json:"row" validate:"min=0"`
	FormData map[string]string `json:"formData" validate:"max=100,dive,keys,required,max=200,endkeys,max=5000"`
}

// Input records a grant or a withdrawal. A zero At means now; an empty Method means manual.
type Input struct {
	MemberID      string    `json:"memberId" validate:"required,max=64"`
	Purpose       string    `json:"purpose" validate:"required,slug,max=64"`
	At            time.Time `json:"at"`
	Method        Method    `json:"method" validate:"omitempty,oneof=form import platform manual email_unsubscribe"`
	By            string    `json:"by" validate:"required,max=200"`
	Source        string    `json:"source" validate:"max=500"`
	NoticeVersion string    `json:"noticeVersion" validate:"max=64"`
	Proof         Proof     `json:"proof"`
}

// State is a member's standing for one purpose at one time.
type State string

// The states.
const (
	StateGranted   State = "granted"
	StateWithdrawn State = "withdrawn"
	StateExpired   State = "expired"
	StateNone      State = "none"
)

// Status answers "may we use this member's data for this purpose at that time?".
type Status struct {
	Purpose string `json:"purpose"`
	State   State  `json:"state"`
	// Since is when the member entered State: the event's time, or the expiry time for
	// "expired"; absent for "none".
	Since time.Time `json:"since,omitzero"`
	// ExpiresAt is when a grant expires (or expired); absent when it never does.
	ExpiresAt     time.Time `json:"expiresAt,omitzero"`
	Method        Method    `json:"method"`
	Source        string    `json:"source"`
	By            string    `json:"by"`
	NoticeVersion string    `json:"noticeVersion"`
	// EventID is the ledger event the state derives from ("" for "none").
	EventID string `json:"eventId"`
}

// The collections. Only events are personal data (Subject); purposes, notices and the seed mark
// describe the workspace.
var (
	purposes = &store.Collection[Purpose]{Name: "consent_purpose"}
	notices  = &store.Collection[Notice]{
		Name: "consent_notice",
		Indexes: []store.Index[Notice]{
			{Name: "version", Unique: true, Values: func(n Notice) []string { return []string{noticeKey(n.Purpose, n.Version)} }},
			{Name: "purpose", Values: func(n Notice) []string { return []string{n.Purpose} }},
		},
	}
	events = &store.Collection[Event]{
		Name: "consent_event",
		Indexes: []store.Index[Event]{
			{Name: "member", Values: func(e Event) []string { return []string{e.MemberID} }},
		},
		Subject: func(e Event) string { return e.MemberID },
	}
	// seedMarks keeps its historical name: existing workspaces hold their mark there.
	seedMarks = &store.Collection[seedMark]{Name: "consent_settings"}
)

// seedID is the id of the one seed mark.
const seedID = "workspace"

// noticeKey is a notice's unique index value; purpose ids are slugs, so "/" cannot be ambiguous.
func noticeKey(purpose, version string) string { return purpose + "/" + version }
