// Package schema lists the workspace's schema migrations, in order. Each later domain that
// changes how its records are stored appends a migration here; versions are never reused.
package schema

import (
	"context"

	"hearth/backend/store"
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
	}
}
