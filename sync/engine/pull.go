package engine

import (
	"context"
	"log/slog"

	"hearth/backend/activity"
	"hearth/backend/connections"
	"hearth/backend/syncstate"
	"hearth/sync/connector"
)

// sink hands a pull's batches to the connection's ingester and saves its cursor durably.
type sink struct {
	e    *Engine
	conn string
	ing  Ingester
}

var _ connector.Sink = (*sink)(nil)

func (s *sink) People(ctx context.Context, people []activity.Person) error {
	return s.ing.People(ctx, people)
}

func (s *sink) Activities(ctx context.Context, items []activity.Incoming) error {
	return s.ing.Activities(ctx, items)
}

// Cursor is saved even when the run is being cancelled: what it covers is already stored.
func (s *sink) Cursor(ctx context.Context, cursor string) error {
	_, err := s.e.o.State.UpdateStatus(context.WithoutCancel(ctx), s.conn, func(st *syncstate.Status) { st.Cursor = cursor })
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
	cursor, perr := conn.Pull(ctx, st.Cursor, &sink{e: e, conn: c.ID, ing: ing})
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
