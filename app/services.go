package app

import "hearth/backend/wiring"

// Services are the services the window binds, in one list for main.go, Wails' binding
// generator and cmd/contractgen, each given the backend services it uses and nothing else.
// With a nil backend they are zero values: enough to describe their methods, not to call them.
func Services(b *wiring.Backend, win *Window, lang string) []any {
	if b == nil {
		return []any{&MembersService{}, &WorkspaceService{}, &ConsentService{}, &ExportService{},
			&GdprService{}, &SettingsService{}, &ImportService{}, &AutomationsService{}, &TasksService{},
			&CalendarService{}, &NewsletterService{}, &SchedulerService{}, &ConnectionsService{},
			&SyncService{}, &DashboardService{}, &ReportsService{}, &BackupsService{}, &StartupService{}, &TeamService{},
			&MergesService{}, &SegmentsService{}}
	}
	out := []any{
		NewMembersService(b.Members, b.Timeline),
		NewWorkspaceService(b.Workspace, b.Members),
		NewConsentService(b.Consent),
		NewExportService(b.Reports.Exports(), b.Members, b.Segments, win, lang),
		NewGdprService(b.GDPR, b.Audit, win, lang),
		NewSettingsService(b.GDPR),
		NewImportService(b.Imports, b.Workspace.Store.NewID, win),
		NewAutomationsService(b.Automations),
		NewTasksService(b.Tasks),
		NewCalendarService(b.Calendar),
		NewNewsletterService(b.Newsletters, b.Scheduler, win),
		NewSchedulerService(b.Scheduler),
		NewConnectionsService(b.Connections, Checker(b.Sync), b.Clock),
		NewSyncService(SyncDeps{Connections: b.Connections, State: b.SyncState, Activity: b.Activity, Engine: b.Sync}),
		NewDashboardService(b.Analytics, b.Members, b.Campaigns, b.Segments, b.Clock),
		NewReportsService(ReportsDeps{Reports: b.Reports, Analytics: b.Analytics, Members: b.Members, Segments: b.Segments, Clock: b.Clock}, win, lang),
		NewBackupsService(b.Backups, win.Restart),
		NewStartupService(nil),
		NewTeamService(b.Team, win, b.Clock),
		NewMergesService(b.Members, win),
		NewSegmentsService(b.Segments, b.Members),
	}
	for _, s := range out {
		s.(interface{ attach(*Window) }).attach(win)
	}
	return out
}

// listed is a list answer as the window gets it: empty, never null (a nil slice is JSON null,
// and the frontend's types, generated from Go, say a list is always a list).
func listed[T any](xs []T, err error) ([]T, error) {
	if xs == nil && err == nil {
		xs = []T{}
	}
	return xs, err
}
