package syncstate

import (
	"context"
	"errors"
	"time"

	"hearth/backend/errs"
	"hearth/backend/store"
)

// Pulled is what one replica of the workspace has pulled from one connection, all runs
// together: the Sync screen shows it instead of the last run's counts, which are mostly zeros
// once the history is in.
//
// Merge rule: each replica writes only its own record (its id is "<connection>~<replica>"), so
// the store's newest-write-wins per key never drops another teammate's counts. Readers combine
// the replicas' records by maximum (see combine): copies of a workspace that pull the same
// connection fetch the same platform items, which the activity store keeps once, so a sum would
// count every item once per teammate, while the maximum never claims more than the workspace
// holds. The record names a connection, never a person: erasing a member does not touch it, and
// ForgetConnection removes it with the connection.
type Pulled struct {
	Connection string `json:"connection"`
	Replica    string `json:"replica"`
	// Activity counts activity records stored (duplicates of earlier pulls are not counted);
	// NewMembers the members the pulls created.
	Activity   int `json:"activity"`
	NewMembers int `json:"newMembers"`
	// LastNewAt is when a pull last stored anything new (zero: never).
	LastNewAt time.Time `json:"lastNewAt,omitzero"`
}

var pulledRecords = &store.Collection[Pulled]{
	Name: "sync_pulled",
	Indexes: []store.Index[Pulled]{
		{Name: "connection", Values: func(p Pulled) []string { return []string{p.Connection} }},
	},
}

func pulledID(conn, replica string) string { return conn + "~" + replica }

// RecordPull adds one pull's stored activity and created members to this replica's totals for
// the connection; a pull that stored something new also moves LastNewAt to now.
func (s *Service) RecordPull(ctx context.Context, conn string, activity, newMembers int) error {
	if conn == "" {
		return errs.Fields("syncstate: invalid pull", errs.Field("connection", "required"))
	}
	if activity <= 0 && newMembers <= 0 {
		return nil
	}
	err := s.st.Update(ctx, func(tx *store.Tx) error {
		replica := s.st.Replica()
		id := pulledID(conn, replica)
		p, _, err := store.Get(tx, pulledRecords, id)
		if errors.Is(err, errs.NotFound) {
			p, err = Pulled{Connection: conn, Replica: replica}, nil
		}
		if err != nil {
			return err
		}
		p.Activity += max(activity, 0)
		p.NewMembers += max(newMembers, 0)
		p.LastNewAt = s.now()
		_, err = store.Put(tx, pulledRecords, id, p)
		return err
	})
	if err != nil {
		return err
	}
	s.Changed()
	return nil
}

// combine merges the replicas' records of one connection into st (see Pulled for the rule).
func combine(st *Status, records []Pulled) {
	for _, p := range records {
		st.TotalActivity = max(st.TotalActivity, p.Activity)
		st.TotalNewMembers = max(st.TotalNewMembers, p.NewMembers)
		if p.LastNewAt.After(st.LastNewAt) {
			st.LastNewAt = p.LastNewAt
		}
	}
}

func fillPulled(tx *store.Tx, st *Status) error {
	ids, err := store.IDsByIndex(tx, pulledRecords, "connection", st.Connection)
	if err != nil {
		return err
	}
	records := make([]Pulled, 0, len(ids))
	for _, id := range ids {
		p, _, err := store.Get(tx, pulledRecords, id)
		if err != nil {
			return err
		}
		records = append(records, p)
	}
	combine(st, records)
	return nil
}

func forgetPulled(tx *store.Tx, conn string) error {
	ids, err := store.IDsByIndex(tx, pulledRecords, "connection", conn)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := store.Delete(tx, pulledRecords, id); err != nil && !errors.Is(err, errs.NotFound) {
			return err
		}
	}
	return nil
}
