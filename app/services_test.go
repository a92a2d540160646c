package app

import (
	"hearth/backend/wiring"
)

// The window services of b as Services builds them, for tests that call one directly.

func dashboardOf(b *wiring.Backend) *DashboardService {
	return NewDashboardService(b.Analytics, b.Members, b.Campaigns, b.Segments, b.Clock)
}

func reportsOf(b *wiring.Backend, d Dialogs, lang string) *ReportsService {
	return NewReportsService(ReportsDeps{Reports: b.Reports, Analytics: b.Analytics, Members: b.Members, Segments: b.Segments, Clock: b.Clock}, d, lang)
}

func connectionsOf(b *wiring.Backend, checker ConnectionChecker) *ConnectionsService {
	return NewConnectionsService(b.Connections, checker, b.Clock)
}

func syncOf(b *wiring.Backend) *SyncService {
	return NewSyncService(SyncDeps{Connections: b.Connections, State: b.SyncState, Activity: b.Activity, Engine: b.Sync})
}
