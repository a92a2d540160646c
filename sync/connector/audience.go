package connector

import "context"

// AudienceMember is one member as a mailing platform's audience should hold them, derived from
// Hearth's members and consent ledger.
type AudienceMember struct {
	Email string
	Name  string
	// Subscribed is the member's current newsletter consent; Suppressed marks an address that
	// must never be mailed again (erased or hard-bounced): unsubscribed there, never re-added.
	Subscribed bool
	Suppressed bool
	Tags       []string
}

// AudienceResult counts what an audience push did.
type AudienceResult struct {
	Upserted int `json:"upserted"`
	Failed   int `json:"failed"`
	// Errors are the first few per-address failures, for the person to read.
	Errors []string `json:"errors,omitempty"`
}

// AudienceSyncer is implemented by connectors that hold a mailing audience (Mailchimp): the
// engine pushes Hearth's consent state to it on every sync run. Pushing the same members again
// changes nothing on the platform.
type AudienceSyncer interface {
	SyncAudience(ctx context.Context, members []AudienceMember) (AudienceResult, error)
}
