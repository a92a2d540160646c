package app

import (
	"context"
	"time"

	"hearth/backend/activity"
	"hearth/backend/errs"
	"hearth/backend/gdpr"
	"hearth/backend/syncstate"
)

// Syncer is the sync engine as the app sees it (sync/engine, built by BackendOptions.Sync).
type Syncer interface {
	// RunOnce drains the outbox to every reachable connection and pulls each one, then returns.
	RunOnce(ctx context.Context) (syncstate.RunReport, error)
	// RunDue is the periodic run: it publishes, and pulls the connections whose pull is due.
	RunDue(ctx context.Context) (syncstate.RunReport, error)
	// Running reports whether a run (the periodic one included) is under way, and when the
	// last one finished.
	Running() (running bool, lastRun time.Time)
	// Cancel stops the run under way, if any; what it did so far is kept.
	Cancel()
	ConnectionChecker
}

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
	b *Backend
}

// NewSyncService binds the backend's sync engine and state for the window.
func NewSyncService(b *Backend) *SyncService { return &SyncService{b: b} }

// Overview returns every connection's status and the queue's size.
func (s *SyncService) Overview() (SyncOverview, error) {
	ctx := s.ctx()
	conns, err := s.b.Connections.List(ctx)
	if err != nil {
		return SyncOverview{}, err
	}
	statuses, err := s.b.SyncState.Statuses(ctx)
	if err != nil {
		return SyncOverview{}, err
	}
	byID := make(map[string]syncstate.Status, len(statuses))
	for _, st := range statuses {
		byID[st.Connection] = st
	}
	queued, parked, err := s.b.SyncState.Totals(ctx)
	if err != nil {
		return SyncOverview{}, err
	}
	out := SyncOverview{Queued: queued, Parked: parked}
	if s.b.Sync != nil {
		out.Running, out.LastRunAt = s.b.Sync.Running()
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
	return s.b.SyncState.Deliveries(s.ctx(), q)
}

// Retry puts a parked delivery back in the queue; the next sync run tries it.
func (s *SyncService) Retry(deliveryID string) (syncstate.Delivery, error) {
	return s.b.SyncState.Retry(s.ctx(), deliveryID)
}

// RunNow syncs every connection now and waits for the result.
func (s *SyncService) RunNow() (syncstate.RunReport, error) {
	if s.b.Sync == nil {
		return syncstate.RunReport{}, errs.New(errs.Unavailable, "sync_unavailable", "app: sync is not available")
	}
	return s.b.Sync.RunOnce(s.ctx())
}

// Cancel stops the sync under way (a person pressed Stop); what was published or pulled so far
// is kept and the rest waits for the next run.
func (s *SyncService) Cancel() {
	if s.b.Sync != nil {
		s.b.Sync.Cancel()
	}
}

// Feed returns a page of incoming activity, newest first.
func (s *SyncService) Feed(q activity.FeedQuery) (activity.FeedPage, error) {
	return s.b.Activity.Feed(s.ctx(), q)
}

// Checker is the connection tester of the window and the CLI: the sync engine, or nil (tests
// then answer "unavailable") when the backend was opened without one.
func (b *Backend) Checker() ConnectionChecker {
	if b.Sync == nil {
		return nil
	}
	return b.Sync
}

// RemoveConnection removes a connection (its secret included) and parks what was still queued
// for it, with the reason, so nothing waits forever for a connection that is gone.
func (b *Backend) RemoveConnection(ctx context.Context, id string) error {
	if err := b.Connections.Remove(ctx, id); err != nil {
		return err
	}
	return b.SyncState.ForgetConnection(ctx, id)
}

// dossierActivity lists a member's platform activity for their GDPR dossier.
func (b *Backend) dossierActivity(ctx context.Context, memberID string) ([]gdpr.Activity, error) {
	recs, err := b.Activity.ForMember(ctx, memberID, maxDossierActivity)
	if err != nil {
		return nil, err
	}
	out := make([]gdpr.Activity, 0, len(recs))
	for _, r := range recs {
		out = append(out, gdpr.Activity{At: r.At, Platform: string(r.Platform), Kind: string(r.Kind), Channel: r.Channel,
			Title: r.Title, Text: r.Text, Link: r.Link})
	}
	return out, nil
}
