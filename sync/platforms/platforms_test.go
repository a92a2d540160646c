package platforms

import (
	"testing"

	"hearth/backend/connections"
)

func TestEveryPlatformAConnectionCanHaveHasAConnector(t *testing.T) {
	f := Factories()
	for _, p := range connections.Platforms {
		if f[p] == nil {
			t.Errorf("no connector for %s", p)
		}
	}
	if len(f) != len(connections.Platforms) {
		t.Errorf("%d factories for %d platforms", len(f), len(connections.Platforms))
	}
}
