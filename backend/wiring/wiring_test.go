package wiring

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"hearth/backend/clock"
	"hearth/backend/credentials"
	"hearth/backend/members"
)

func TestEveryServiceThatReckonsDaysGetsTheWorkspaceZone(t *testing.T) {
	ctx := context.Background()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	secrets, err := credentials.Open(credentials.Options{Dir: t.TempDir(), Keychain: credentials.KeychainOff})
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewManual(time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC))
	b, err := Open(ctx, Options{Dir: t.TempDir(), Secrets: secrets, Clock: clk, Zone: paris})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Zone != paris || b.Analytics.Zone() != paris || b.Reports.Zone() != paris || b.Reports.Exports().Zone() != paris {
		t.Fatalf("zones: backend %v, analytics %v, reports %v, exports %v", b.Zone, b.Analytics.Zone(), b.Reports.Zone(), b.Reports.Exports().Zone())
	}
	m, err := b.Members.Create(ctx, members.CreateInput{Name: "Ann", Emails: []string{"ann@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	paths, err := b.GDPR.Export(ctx, m.ID, t.TempDir(), "en")
	if err != nil {
		t.Fatal(err)
	}
	dossier, _ := os.ReadFile(paths[0])
	if !strings.Contains(string(dossier), `"exportedAt": "2026-01-15T10:30:00+01:00"`) {
		t.Fatalf("the dossier's times are not in the workspace zone:\n%s", dossier)
	}
}

func TestWithoutAZoneTheWorkspaceUsesTheComputers(t *testing.T) {
	b, err := Open(context.Background(), Options{Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Zone != time.Local || b.Analytics.Zone() != time.Local {
		t.Fatalf("zone %v, analytics %v", b.Zone, b.Analytics.Zone())
	}
}
