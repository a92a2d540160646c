// Package audit is the log of who did what to personal data, and when. Entries are written in
// the same transaction as the change they describe, so the log can neither miss a change nor
// record one that did not happen. Entries name members by id only and carry no personal data
// themselves: once a member is erased, the log still says an erasure happened, but not to whom
// in any readable way.
package audit

import (
	"context"
	"time"

	"hearth/backend/store"
)

// Actions recorded in the log; the UI translates them.
const (
	MemberCreated     = "member_created"
	MemberUpdated     = "member_updated"
	MemberDeleted     = "member_deleted"
	MemberRestored    = "member_restored"
	MemberErased      = "member_erased"
	MemberExported    = "member_exported"
	MembersImported   = "members_imported"
	MembersExported   = "members_exported"
	MembersAnonymised = "members_anonymised"
	ConsentGranted    = "consent_granted"
	ConsentWithdrawn  = "consent_withdrawn"
)

// Entry is one line of the log.
type Entry struct {
	ID       string    `json:"id"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	MemberID string    `json:"memberId"`
	// Details holds counts or a file's base name, never personal data: free text of entries
	// written before Params (shown as it is).
	Details string `json:"details"`
	// Params are the entry's facts (a file's base name, counts, a connection's name, an
	// outcome), never personal data; the window words them in the reader's language
	// from the action ("audit.detail.<action>" in the catalogs). Absent when there are none.
	Params map[string]string `json:"params,omitempty"`
	// Teammate names the person whose copy of the workspace wrote the entry (backend/team), when
	// the workspace is shared and they gave their name; read from the entry's replica, not
	// stored in it.
	Teammate string `json:"teammate,omitempty"`
}

var collection = &store.Collection[Entry]{
	Name:    "audit",
	Indexes: []store.Index[Entry]{{Name: "member", Values: func(e Entry) []string { return []string{e.MemberID} }}},
}

type actorKey struct{}

// WithActor names who acts in ctx ("window", "cli", an import's file name...).
func WithActor(ctx context.Context, actor string) context.Context {
	return context.WithValue(ctx, actorKey{}, actor)
}

// Actor returns who acts in ctx; "hearth" when nobody was named.
func Actor(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "hearth"
}

// Write adds an entry inside tx, stamped now by at.
func Write(ctx context.Context, tx *store.Tx, at time.Time, action, memberID, details string) error {
	e := Entry{ID: tx.NewID(), At: at.UTC(), Actor: Actor(ctx), Action: action, MemberID: memberID, Details: details}
	_, err := store.Put(tx, collection, e.ID, e)
	return err
}

// WriteParams is Write with the entry's facts as params instead of free text, so that the
// reader sees them in their own language.
func WriteParams(ctx context.Context, tx *store.Tx, at time.Time, action, memberID string, params map[string]string) error {
	e := Entry{ID: tx.NewID(), At: at.UTC(), Actor: Actor(ctx), Action: action, MemberID: memberID, Params: params}
	_, err := store.Put(tx, collection, e.ID, e)
	return err
}

// Log reads the audit log, and records actions that change nothing else (exports).
type Log struct {
	st    *store.Store
	names func(context.Context) (map[string]string, error) // SetTeammates
}

// SetTeammates makes List name the teammate whose copy wrote each entry: names maps replica ids
// to teammates' names (team.Service.Names).
func (l *Log) SetTeammates(names func(context.Context) (map[string]string, error)) { l.names = names }

// NewLog reads the log of st.
func NewLog(st *store.Store) *Log {
	store.Declare(st, collection) // hearth workspace check/repair verify and rebuild its indexes
	return &Log{st: st}
}

// Record adds one entry in its own durable transaction.
func (l *Log) Record(ctx context.Context, at time.Time, action, memberID string, params map[string]string) error {
	return l.st.UpdateDurable(ctx, func(tx *store.Tx) error { return WriteParams(ctx, tx, at, action, memberID, params) })
}

// List returns the newest entries first, for one member when memberID is not empty; at most
// limit entries (200 when limit is not positive).
func (l *Log) List(ctx context.Context, memberID string, limit int) ([]Entry, error) {
	if limit <= 0 {
		limit = 200
	}
	names := map[string]string{}
	if l.names != nil {
		var err error
		if names, err = l.names(ctx); err != nil {
			return nil, err
		}
	}
	out := []Entry{}
	err := l.st.View(func(tx *store.Tx) error {
		if memberID == "" {
			return store.ScanNewest(tx, collection, func(_ string, e Entry, m store.Meta) error {
				e.Teammate = names[m.Replica]
				out = append(out, e)
				if len(out) == limit {
					return store.ErrStop
				}
				return nil
			})
		}
		ids, err := store.IDsByIndex(tx, collection, "member", memberID)
		if err != nil {
			return err
		}
		for i := len(ids) - 1; i >= 0 && len(out) < limit; i-- {
			e, m, err := store.Get(tx, collection, ids[i])
			if err != nil {
				return err
			}
			e.Teammate = names[m.Replica]
			out = append(out, e)
		}
		return nil
	})
	return out, err
}
