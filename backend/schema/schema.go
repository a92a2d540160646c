// Package schema lists the workspace's schema migrations, in order. Each later domain that
// changes how its records are stored appends a migration here; versions are never reused.
//
// Team bundles (backend/team) carry records in clear JSON with the schema version of the copy
// that wrote them. A merge seals and indexes every record the way this copy's collections say,
// so a migration that changes only how records are kept (sealing, hashing, indexes: versions
// 2 and 3) needs nothing more for bundles from older copies. A migration that changes a record's
// JSON must also say how to upgrade that JSON when it comes in an older bundle.
package schema

import (
	"context"

	"hearth/backend/members"
	"hearth/backend/store"
	"hearth/backend/tasks"
)

// Migrations returns every migration, version 1 first.
func Migrations() []store.Migration {
	return []store.Migration{
		{
			// Version 1 is the layout described in docs/ARCHITECTURE.md as first shipped:
			// member records with their e-mail (unique) and tag indexes. A new workspace has
			// nothing to transform.
			Version: 1,
			Name:    "initial layout",
			Up:      func(context.Context, *store.Store) error { return nil },
		},
		{
			// Version 2 seals member records with per-member data keys (so that GDPR erasure
			// can shred them), indexes e-mails by keyed hash instead of in clear, and adds the
			// unique platform-handle index.
			Version: 2,
			Name:    "seal members, hash their e-mails, index handles",
			Up:      members.Rewrite,
		},
		{
			// Version 3 seals tasks with the data key of the member they are about (tasks
			// about nobody under a key of their own), so that erasing the member shreds every
			// version of their tasks' titles and notes.
			Version: 3,
			Name:    "seal tasks",
			Up:      tasks.Rewrite,
		},
	}
}
