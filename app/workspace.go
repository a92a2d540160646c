package app

import (
	"context"
	"time"

	"hearth/backend/members"
	"hearth/backend/workspace"
)

// WorkspaceInfo describes the open workspace to the window.
type WorkspaceInfo struct {
	ID            string    `json:"id"`
	Name          string    `json:"name"`
	Dir           string    `json:"dir"`
	SchemaVersion int       `json:"schemaVersion"`
	CreatedAt     time.Time `json:"createdAt"`
	MemberCount   int       `json:"memberCount"`
	// ReadOnly is set when the disk was full at opening: everything reads, nothing can be
	// saved until room is made and Hearth started again.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// WorkspaceService tells the window about the open workspace.
type WorkspaceService struct {
	calls
	ws      *workspace.Workspace
	members *members.Service
}

// NewWorkspaceService binds ws for the window.
func NewWorkspaceService(ws *workspace.Workspace, m *members.Service) *WorkspaceService {
	return &WorkspaceService{ws: ws, members: m}
}

// Info returns the workspace's manifest, location and size.
func (s *WorkspaceService) Info() (WorkspaceInfo, error) {
	n, err := s.members.Count(context.Background())
	if err != nil {
		return WorkspaceInfo{}, err
	}
	m := s.ws.Manifest
	return WorkspaceInfo{ID: m.ID, Name: m.Name, Dir: s.ws.Dir, SchemaVersion: m.SchemaVersion, CreatedAt: m.CreatedAt, MemberCount: n,
		ReadOnly: s.ws.Store.ReadOnly()}, nil
}
