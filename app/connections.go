package app

import (
	"context"
	"errors"
	"time"

	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/errs"
	"hearth/backend/syncstate"
)

// ConnectionChecker tests a connection against its platform: the sync engine, which the window
// and the CLI reach through this interface so that app/ does not depend on sync/.
type ConnectionChecker interface {
	Check(ctx context.Context, connectionID string) (syncstate.Status, error)
}

// TestResult is what testing a connection found.
type TestResult struct {
	OK bool `json:"ok"`
	// Kind classifies a failure (unreachable, auth, rate_limited, temporary, invalid, gone) for
	// the window to say in the person's language; Message is the platform's answer, readable and
	// free of secrets, shown as the detail.
	Kind      string    `json:"kind,omitempty"`
	Message   string    `json:"message"`
	CheckedAt time.Time `json:"checkedAt"`
}

// ConnectionsService is Settings > Connections' door to the backend.
type ConnectionsService struct {
	calls
	conns   *connections.Service
	checker ConnectionChecker
	clock   clock.Clock
}

// NewConnectionsService binds conns for the window; checker tests them (nil without a sync
// engine, when Test answers "unavailable"); clk dates a test the platform did not date.
func NewConnectionsService(conns *connections.Service, checker ConnectionChecker, clk clock.Clock) *ConnectionsService {
	return &ConnectionsService{conns: conns, checker: checker, clock: clk}
}

// List returns every connection, sorted by name, without secrets.
func (s *ConnectionsService) List() ([]connections.Connection, error) {
	return s.conns.List(s.ctx())
}

// Add creates a connection and saves its secret outside the workspace.
func (s *ConnectionsService) Add(in connections.AddInput) (connections.Connection, error) {
	return s.conns.Add(s.ctx(), in)
}

// Update edits a connection; an empty secret keeps the stored one.
func (s *ConnectionsService) Update(id string, p connections.Patch) (connections.Connection, error) {
	return s.conns.Update(s.ctx(), id, p)
}

// Remove deletes a connection and its secret; what was still queued for it is parked with the
// reason (connections.OnRemove, wired in backend/wiring).
func (s *ConnectionsService) Remove(id string) error {
	return s.conns.Remove(s.ctx(), id)
}

// SecretBackend says where secrets are kept: "keychain" or "file".
func (s *ConnectionsService) SecretBackend() string {
	return s.conns.SecretBackend()
}

// Test asks the platform whether the connection works.
func (s *ConnectionsService) Test(id string) (TestResult, error) {
	return TestConnection(s.ctx(), s.conns, s.checker, s.clock, id)
}

// TestConnection checks connection id with checker, for the window and the CLI alike. A
// connection that does not exist is an error; a platform that refuses or cannot be reached is
// a result with OK false and the reason.
func TestConnection(ctx context.Context, conns *connections.Service, checker ConnectionChecker, clk clock.Clock, id string) (TestResult, error) {
	if checker == nil {
		return TestResult{}, errs.New(errs.Unavailable, "sync_unavailable", "app: the sync engine is not running")
	}
	if _, err := conns.Get(ctx, id); err != nil {
		return TestResult{}, err
	}
	st, err := checker.Check(ctx, id)
	now := clk.Now().UTC()
	at := st.CheckedAt
	if at.IsZero() {
		at = now
	}
	if err != nil {
		var e *errs.Error
		if errors.As(err, &e) && e.Code == "sync_check_failed" { // the platform answered no
			return TestResult{OK: false, Kind: e.Params["kind"], Message: e.Params["reason"], CheckedAt: at}, nil
		}
		if errors.As(err, &e) {
			return TestResult{}, err // ours (a missing secret, a removed connection): say it as such
		}
		return TestResult{OK: false, Message: err.Error(), CheckedAt: now}, nil
	}
	return TestResult{OK: st.Online && !st.AuthFailed, Kind: st.LastErrorKind, Message: st.LastError, CheckedAt: at}, nil
}
