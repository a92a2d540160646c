package app

import (
	"hearth/backend/backup"
)

// BackupsService is Settings > Backups: the workspace's backups, what each holds, and
// restoring one.
type BackupsService struct {
	calls
	b       *backup.Service
	restart func()
}

// NewBackupsService binds b for the window; restart closes the window and starts Hearth again
// on the same workspace (Window.Restart), which finishes a prepared restore.
func NewBackupsService(b *backup.Service, restart func()) *BackupsService {
	return &BackupsService{b: b, restart: restart}
}

// List returns the backups, newest first: when, why, how many members.
func (s *BackupsService) List() ([]backup.Backup, error) { return listed(s.b.List()) }

// Create takes a backup now.
func (s *BackupsService) Create() (backup.Backup, error) {
	return s.b.Create(s.ctx(), backup.ReasonManual)
}

// Restore prepares the restore of backup id (the current state is backed up first; people
// erased since stay erased), then restarts Hearth, whose next open swaps it in. It resolves
// before the window closes, with what was prepared.
func (s *BackupsService) Restore(id string) (backup.Restore, error) {
	res, err := s.b.Prepare(s.ctx(), id)
	if err != nil {
		return backup.Restore{}, err
	}
	if s.restart != nil {
		s.restart()
	}
	return res, nil
}
