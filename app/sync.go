package app

import (
	"time"

	"hearth/backend/activity"
	"hearth/backend/connections"
	"hearth/backend/errs"
	"hearth/backend/syncstate"
	"hearth/backend/wiring"
)

// SyncOverview is the Sync screen's and the status bar's summary.
type SyncOverview struct {
	Running     bool               `json:"running"`
	LastRunAt   time.Time          `json:"lastRunAt,omitzero"`
	Queued      int                `json:"queued"`
	Parked      int                `json:"parked"`
	Connections []ConnectionStatus `json:"connections"`
}

// ConnectionStatus is a connection's sync status with its name and platform.
type ConnectionStatus struct {
	syncstate.Status
	Name     string `json:"name"`
	Platform string `json:"platform"`
}

// SyncService is the Sync screen's door to the backend.
type SyncService struct {
	calls
	d SyncDeps
}

// SyncDeps are what the Sync screen reads and drives.
type SyncDeps struct {
	Connections *connections.Service
	State       *syncstate.Service
	Activity    *activity.Service
	// Engine runs syncs; nil when there is none (RunNow answers "unavailable").
	Engine wiring.Syncer
}

// NewSyncService binds the sync state and engine for the window.
func NewSyncService(d SyncDeps) *SyncService { return &SyncService{d: d} }

// Overview returns every connection's status and the queue's size.
func (s *SyncService) Overview() (SyncOverview, error) {
	ctx := s.ctx()
	conns, err := s.d.Connections.List(ctx)
	if err != nil {
		return SyncOverview{}, err
	}
	statuses, err := s.d.State.Statuses(ctx)
	if err != nil {
		return SyncOverview{}, err
	}
	byID := make(map[string]syncstate.Status, len(statuses))
	for _, st := range statuses {
		byID[st.Connection] = st
	}
	queued, parked, err := s.d.State.Totals(ctx)
	if err != nil {
		return SyncOverview{}, err
	}
	out := SyncOverview{Queued: queued, Parked: parked}
	if s.d.Engine != nil {
		out.Running, out.LastRunAt = s.d.Engine.Running()
	}
	out.Connections = make([]ConnectionStatus, 0, len(conns))
	for _, c := range conns {
		st := byID[c.ID]
		st.Connection = c.ID
		out.Connections = append(out.Connections, ConnectionStatus{Status: st, Name: c.Name, Platform: string(c.Platform)})
	}
	return out, nil
}

// Deliveries lists queued, sending, sent or parked deliveries, newest first.
func (s *SyncService) Deliveries(q syncstate.DeliveryQuery) ([]syncstate.Delivery, error) {
	return s.d.State.Deliveries(s.ctx(), q)
}

// Retry puts a parked delivery back in the queue; the next sync run tries it.
func (s *SyncService) Retry(deliveryID string) (syncstate.Delivery, error) {
	return s.d.State.Retry(s.ctx(), deliveryID)
}

// RunNow syncs every connection now and waits for the result.
func (s *SyncService) RunNow() (syncstate.RunReport, error) {
	if s.d.Engine == nil {
		return syncstate.RunReport{}, errs.New(errs.Unavailable, "sync_unavailable", "app: sync is not available")
	}
	return s.d.Engine.RunOnce(s.ctx())
}

// Cancel stops the sync under way (a person pressed Stop); what was published or pulled so far
// is kept and the rest waits for the next run.
func (s *SyncService) Cancel() {
	if s.d.Engine != nil {
		s.d.Engine.Cancel()
	}
}

// Feed returns a page of incoming activity, newest first.
func (s *SyncService) Feed(q activity.FeedQuery) (activity.FeedPage, error) {
	return s.d.Activity.Feed(s.ctx(), q)
}

// Checker is the connection tester of the window and the CLI: the sync engine, or nil (Test
// then answers "unavailable") when the backend was opened without one. (A nil engine must not
// become a non-nil interface holding nil.)
func Checker(engine wiring.Syncer) ConnectionChecker {
	if engine == nil {
		return nil
	}
	return engine
}
