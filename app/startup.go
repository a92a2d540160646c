package app

// StartupService tells the window whether the workspace opened. When it could not (a damaged
// workspace, another Hearth holding it, a full disk), the window is still shown, with no other
// service usable, so that a person who started Hearth from a menu reads why, in their language,
// instead of seeing nothing at all. It also hears when the window first painted a screen's
// content, for the window benchmark (Window.ReportPaints).
type StartupService struct {
	err error
	win *Window
}

// NewStartupService returns the service of a window whose workspace opening ended in err (nil
// when it opened).
func NewStartupService(err error) *StartupService { return &StartupService{err: err} }

func (s *StartupService) attach(w *Window) { s.win = w }

// Painted is called by the window once the first content of a screen is on screen (what:
// "members" for the first member rows, "dashboard" for the KPI cards); it is written to the
// writer given to Window.ReportPaints, if any, and otherwise ignored.
func (s *StartupService) Painted(what string) {
	if s.win != nil {
		s.win.painted(what)
	}
}

// Check returns why the workspace could not be opened (the error as every window call
// reports one: kind, code, parameters), or nil when it opened.
func (s *StartupService) Check() error { return s.err }

// FailedServices are the services of a window whose workspace could not be opened: the
// startup service saying why, and every other service unusable (the window shows only why).
func FailedServices(err error) []any {
	out := Services(nil, nil, "")
	for i, s := range out {
		if _, ok := s.(*StartupService); ok {
			out[i] = NewStartupService(err)
		}
	}
	return out
}
