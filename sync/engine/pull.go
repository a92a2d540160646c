package engine

import (
	"context"
	"log/slog"

	"hearth/backend/activity"
	"hearth/backend/connections"
	"hearth/backend/syncstate"
	"hearth/sync/connector"
)

// pullBatch is how many people and activities a pull gathers before storing them: platforms
// page by 50 to 1,000, and storing each page with its own disk sync made a big first pull
// several times slower.
const pullBatch = 5_000

// sink hands a pull's pages to the connection's ingester in batches and saves the cursor once
// what it covers is stored: a killed pull resumes from the last saved cursor and pages pulled
// twice are deduplicated by the activity store.
type sink struct {
	e    *Engine
	conn string
	ing  Ingester

	people  []activity.Person
	items   []activity.Incoming
	cursor  string
	pending bool // cursor not saved yet
}

var _ connector.Sink = (*sink)(nil)

func (s *sink) People(_ context.Context, people []activity.Person) error {
	s.people = append(s.people, people...)
	return nil
}

func (s *sink) Activities(_ context.Context, items []activity.Incoming) error {
	s.items = append(s.items, items...)
	return nil
}

// Cursor records how far the pull got; it is saved with the batch it covers.
func (s *sink) Cursor(ctx context.Context, cursor string) error {
	s.cursor, s.pending = cursor, true
	if len(s.people)+len(s.items) < pullBatch {
		return nil
	}
	return s.flush(ctx)
}

// flush stores the gathered people, then activities, then saves the cursor. It runs even when
// the run is being cancelled: what was pulled is kept.
func (s *sink) flush(ctx context.Context) error {
	ctx = context.WithoutCancel(ctx)
	if len(s.people) > 0 {
		if err := s.ing.People(ctx, s.people); err != nil {
			return err
		}
		s.people = s.people[:0]
	}
	if len(s.items) > 0 {
		if err := s.ing.Activities(ctx, s.items); err != nil {
			return err
		}
		s.items = s.items[:0]
	}
	if !s.pending {
		return nil
	}
	_, err := s.e.o.State.UpdateStatus(ctx, s.conn, func(st *syncstate.Status) { st.Cursor = s.cursor })
	s.pending = err != nil
	return err
}

// pull brings in what happened on the connection since its cursor.
func (e *Engine) pull(ctx context.Context, c connections.Connection, conn connector.Connector, rep *syncstate.ConnectionReport, log *slog.Logger) {
	if e.o.Ingest == nil {
		return
	}
	st, err := e.o.State.Status(ctx, c.ID)
	if err != nil {
		rep.Error = describe(err)
		return
	}
	ing := e.o.Ingest(c)
	sk := &sink{e: e, conn: c.ID, ing: ing}
	cursor, perr := conn.Pull(ctx, st.Cursor, sk)
	if err := sk.flush(ctx); err != nil && perr == nil {
		perr = err
	}
	counts := ing.Counts()
	rep.Pulled, rep.PulledPeople = counts.Activity, counts.People
	now := e.now()
	_, err = e.o.State.UpdateStatus(context.WithoutCancel(ctx), c.ID, func(st *syncstate.Status) {
		st.PulledPeople, st.PulledActivity = counts.People, counts.Activity
		if perr == nil {
			st.Cursor, st.LastPullAt = cursor, now
		}
	})
	if err != nil {
		log.Error("cannot save connection status", "error", err)
	}
	if err := e.o.State.RecordPull(context.WithoutCancel(ctx), c.ID, counts.Activity, counts.Created); err != nil {
		log.Error("cannot save the pull totals", "error", err)
	}
	if perr != nil {
		if ctx.Err() == nil {
			e.stopped(ctx, c, perr, rep)
		}
		log.Warn("pull failed", "kind", connector.KindOf(perr), "error", describe(perr), "people", counts.People, "activity", counts.Activity)
		return
	}
	log.Info("pulled", "people", counts.People, "activity", counts.Activity, "created", counts.Created, "suppressed", counts.Suppressed)
}

// pushAudience pushes the mailing audience to connectors that hold one.
func (e *Engine) pushAudience(ctx context.Context, c connections.Connection, conn connector.Connector, rep *syncstate.ConnectionReport, log *slog.Logger) {
	as, ok := conn.(connector.AudienceSyncer)
	if !ok || e.o.Audience == nil {
		return
	}
	members, err := e.o.Audience(ctx)
	if err != nil {
		rep.Error = describe(err)
		log.Error("cannot list the audience", "error", rep.Error)
		return
	}
	res, err := as.SyncAudience(ctx, members)
	rep.AudienceUpserted = res.Upserted
	if err != nil {
		if ctx.Err() == nil {
			e.stopped(ctx, c, err, rep)
		}
		log.Warn("audience push failed", "kind", connector.KindOf(err), "error", describe(err))
		return
	}
	log.Info("audience pushed", "upserted", res.Upserted, "failed", res.Failed)
}
