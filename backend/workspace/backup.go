package workspace

import (
	"context"

	"hearth/backend/backup"
	"hearth/backend/store"
)

// backupBeforeMigration takes a backup of an existing workspace's database when a migration is
// about to run, so that a migration gone wrong can be undone by restoring it.
func backupBeforeMigration(ctx context.Context, dir string, st *store.Store, opts Options, existed bool) error {
	if !existed || len(opts.Migrations) == 0 {
		return nil
	}
	version, err := st.SchemaVersion()
	if err != nil || version >= len(opts.Migrations) || version == 0 {
		return err
	}
	_, err = backup.Write(ctx, dir, st, backup.ReasonMigration, opts.Clock.Now())
	return err
}
