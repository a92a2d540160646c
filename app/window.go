package app

import (
	"context"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"hearth/backend/audit"
	"hearth/backend/errs"
	"hearth/backend/notify"
)

// Window is the app's handle on the Wails window once it runs: it forwards backend
// notifications as Wails events and opens the native file dialogs. Before the window starts
// (in the CLI, in tests) events are dropped and dialogs are unavailable.
type Window struct {
	ctx atomic.Pointer[context.Context]

	once sync.Once
	life context.Context
	stop context.CancelFunc

	restart atomic.Bool

	paintsMu sync.Mutex
	paints   io.Writer

	// afterPaint is what AfterFirstPaint holds until the first paint; closed, once Close ran.
	afterMu    sync.Mutex
	afterPaint func()
	closed     bool
}

// AfterFirstPaint runs f once, on its own goroutine: when the window first says it painted a
// screen's content (StartupService.Painted), or after limit if it never does (an empty
// workspace), and not at all once the window is closed. main.go starts the background jobs
// this way, so that their first patrol (a daily backup, a catch-up of what fell due) does not
// compete with the window's first paint.
func (w *Window) AfterFirstPaint(limit time.Duration, f func()) {
	w.afterMu.Lock()
	w.afterPaint = f
	w.afterMu.Unlock()
	time.AfterFunc(limit, w.runAfterPaint)
}

// runAfterPaint runs what AfterFirstPaint holds, under the lock Close takes: a Close that
// comes meanwhile waits for it, then stops what it started.
func (w *Window) runAfterPaint() {
	w.afterMu.Lock()
	defer w.afterMu.Unlock()
	f := w.afterPaint
	w.afterPaint = nil
	if f != nil && !w.closed {
		f()
	}
}

// ReportPaints writes a line to out each time the window says it painted a screen's first
// content (StartupService.Painted): "hearth: painted WHAT at UNIX_MS", the wall clock in
// milliseconds, for tools/windowbench to time from the process's start. main.go turns it on
// when HEARTH_PAINTS is set.
func (w *Window) ReportPaints(out io.Writer) {
	w.paintsMu.Lock()
	defer w.paintsMu.Unlock()
	w.paints = out
}

func (w *Window) painted(what string) {
	at := time.Now().UnixMilli()
	go w.runAfterPaint()
	w.paintsMu.Lock()
	defer w.paintsMu.Unlock()
	if w.paints != nil {
		fmt.Fprintf(w.paints, "hearth: painted %q at %d\n", what, at)
	}
}

// restartDelay lets the call that asked for a restart answer, and the window say so, before
// the window closes.
const restartDelay = 2 * time.Second

// Restart closes the window soon and asks main.go to start Hearth again once the workspace is
// closed (RestartRequested): a restore prepared by the backups takes effect at that open.
// Without a window (the CLI, tests) it only records the request.
func (w *Window) Restart() {
	w.restart.Store(true)
	if ctx := w.ctx.Load(); ctx != nil {
		go func() {
			time.Sleep(restartDelay)
			runtime.Quit(*ctx)
		}()
	}
}

// RestartRequested reports whether Restart was called.
func (w *Window) RestartRequested() bool { return w.restart.Load() }

func (w *Window) lifetime() {
	w.once.Do(func() { w.life, w.stop = context.WithCancel(windowCtx()) })
}

// Context is what window calls run under: it names the window as the actor of what they
// change, and Close cancels it, so that calls and jobs still running when the window closes
// stop (keeping what they did).
func (w *Window) Context() context.Context {
	w.lifetime()
	return w.life
}

// Close cancels the window's calls and jobs still running; main.go calls it when the window
// shuts down.
func (w *Window) Close() {
	w.lifetime()
	w.stop()
	w.afterMu.Lock()
	w.closed, w.afterPaint = true, nil
	w.afterMu.Unlock()
}

// windowCtx is the context of calls from the window: the audit log names the window as actor.
func windowCtx() context.Context { return audit.WithActor(context.Background(), "window") }

// calls gives a bound service the context of its window's calls; a service without a window
// (tests) runs them under a background context naming the window as actor.
type calls struct{ win *Window }

func (c *calls) attach(w *Window) { c.win = w }

func (c *calls) ctx() context.Context {
	if c.win == nil {
		return windowCtx()
	}
	return c.win.Context()
}

// Dialogs are the native file dialogs; each returns "" when the person cancels.
type Dialogs interface {
	OpenFile(title string, fs ...FileFilter) (string, error)
	SaveFile(title, name string, fs ...FileFilter) (string, error)
	ChooseDir(title string) (string, error)
}

var (
	_ notify.Notifier = (*Window)(nil)
	_ Dialogs         = (*Window)(nil)
)

// Attach starts using the window whose Wails context is ctx.
func (w *Window) Attach(ctx context.Context) { w.ctx.Store(&ctx) }

// Emit sends the event to the window.
func (w *Window) Emit(event string, payload any) {
	if ctx := w.ctx.Load(); ctx != nil {
		runtime.EventsEmit(*ctx, event, payload)
	}
}

// FileFilter narrows a file dialog to some file types, e.g. {"Spreadsheets", "*.csv;*.xlsx"}.
type FileFilter struct{ Name, Pattern string }

func (w *Window) context() (context.Context, error) {
	ctx := w.ctx.Load()
	if ctx == nil {
		return nil, errs.New(errs.Unavailable, "no_window", "app: no window to open a dialog in")
	}
	return *ctx, nil
}

func filters(fs []FileFilter) []runtime.FileFilter {
	out := make([]runtime.FileFilter, len(fs))
	for i, f := range fs {
		out[i] = runtime.FileFilter{DisplayName: f.Name, Pattern: f.Pattern}
	}
	return out
}

// OpenFile asks the person for a file to read; "" when they cancel.
func (w *Window) OpenFile(title string, fs ...FileFilter) (string, error) {
	ctx, err := w.context()
	if err != nil {
		return "", err
	}
	return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{Title: title, Filters: filters(fs)})
}

// SaveFile asks the person where to write a file; "" when they cancel.
func (w *Window) SaveFile(title, name string, fs ...FileFilter) (string, error) {
	ctx, err := w.context()
	if err != nil {
		return "", err
	}
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name, Filters: filters(fs)})
}

// ChooseDir asks the person for a folder; "" when they cancel.
func (w *Window) ChooseDir(title string) (string, error) {
	ctx, err := w.context()
	if err != nil {
		return "", err
	}
	return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title, CanCreateDirectories: true})
}
