package app

// Services are the services the window binds, in one list for main.go, Wails' binding
// generator and cmd/contractgen. With a nil backend they are zero values: enough to describe
// their methods, not to call them.
func Services(b *Backend, win *Window, lang string) []any {
	if b == nil {
		return []any{&MembersService{}, &WorkspaceService{}, &ConsentService{}, &ExportService{},
			&GdprService{}, &SettingsService{}, &ImportService{}, &AutomationsService{}, &TasksService{},
			&CalendarService{}, &NewsletterService{}, &SchedulerService{}, &ConnectionsService{},
			&SyncService{}, &DashboardService{}, &ReportsService{}}
	}
	out := []any{
		NewMembersService(b.Members),
		NewWorkspaceService(b.Workspace, b.Members),
		NewConsentService(b.Consent),
		NewExportService(b, win, lang),
		NewGdprService(b, win, lang),
		NewSettingsService(b),
		NewImportService(b, win),
		NewAutomationsService(b.Automations),
		NewTasksService(b.Tasks),
		NewCalendarService(b.Calendar),
		NewNewsletterService(b, win),
		NewSchedulerService(b.Scheduler),
		NewConnectionsService(b, b.Checker()),
		NewSyncService(b),
		NewDashboardService(b),
		NewReportsService(b, win, lang),
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
