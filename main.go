// Command hearth is the Hearth desktop app and its headless CLI in one binary.
//
// main.go only wires: it reads the global flags, opens the workspace through backend/wiring
// (passing what depends on the platform: the sync engine and the SMTP dialer), then runs
// either a CLI command or the Wails window.
package main

import (
	"context"
	"embed"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"runtime/pprof"
	"syscall"
	"time"
	_ "time/tzdata" // calendar items carry IANA zones; laptops without tzdata still need them

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"hearth/app"
	"hearth/app/cli"
	"hearth/backend/credentials"
	"hearth/backend/wiring"
	"hearth/sync/imap"
	"hearth/sync/smtp"
)

//go:embed all:frontend/dist
var assets embed.FS

func main() {
	// HEARTH_CPUPROFILE=FILE writes a CPU profile of the whole run, for looking into a slow
	// command (go tool pprof FILE); HEARTH_MEMPROFILE=FILE, what the heap holds at the end of a
	// command, before the workspace closes (app/cli).
	if path := os.Getenv("HEARTH_CPUPROFILE"); path != "" {
		if f, err := os.Create(path); err == nil && pprof.StartCPUProfile(f) == nil {
			code := run(os.Args[1:], os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			_ = f.Close()
			os.Exit(code)
		}
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if bindingsOnly {
		// `wails build` runs the program once to generate frontend/wailsjs; it must not open or
		// create a workspace.
		return window(nil, app.Services(nil, nil, ""), &app.Window{}, stderr)
	}
	env := cli.Env{Stdout: stdout, Stderr: stderr, Lang: cli.LangFromEnv(os.Getenv)}
	dir, rest, err := cli.ParseGlobal(args)
	if err != nil {
		return cli.Report(env, err)
	}
	env.Dir = dir

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logLevel := slog.LevelWarn
	if cli.IsCommand(rest) {
		logLevel = slog.LevelError
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: logLevel}))

	win := &app.Window{}
	if os.Getenv("HEARTH_PAINTS") != "" {
		// HEARTH_PAINTS=1 says on stderr when the window first painted the members and the
		// dashboard's cards, for the window benchmark (tools/windowbench).
		win.ReportPaints(stderr)
	}
	// The person's credentials store (the keychain or an encrypted file): opening it touches
	// nothing until a secret is asked for. Without a usable one, wiring says why at open.
	if secrets, err := credentials.Open(credentials.Options{}); err == nil {
		env.Secrets = secrets
	}
	env.Open = func(ctx context.Context) (*wiring.Backend, error) {
		return wiring.Open(ctx, wiring.Options{Dir: dir, Logger: logger, Notifier: win, Lang: env.Lang,
			Sync: newSyncer(logger, win), Dialer: smtp.Dialer{}, Mailboxes: imap.Dialer{}, Secrets: env.Secrets})
	}
	if cli.IsCommand(rest) {
		return cli.Run(ctx, rest, env)
	}

	b, err := env.Open(ctx)
	if err != nil {
		// Said on stderr the way the CLI says it, and in a window for whoever started Hearth
		// from a menu; nothing of the workspace is touched.
		code := cli.Report(env, err)
		if exit := window(nil, app.FailedServices(err), win, stderr); exit != cli.ExitOK {
			return exit
		}
		return code
	}
	defer b.Close()
	defer restartIfAsked(win, b, stderr) // runs before Close's defer: closes first itself
	go func() {
		if err := b.Members.Warm(); err != nil {
			logger.Warn("members: load directory", "err", err)
		}
		// The dashboard's counters: loaded now rather than when the dashboard first opens.
		if err := b.Analytics.Warm(ctx); err != nil {
			logger.Warn("analytics: load counters", "err", err)
		}
	}()
	return window(b, app.Services(b, win, cli.LangFromEnv(os.Getenv)), win, stderr)
}

// schedulerDelay is how long the background jobs wait for the window's first paint at most.
const schedulerDelay = 10 * time.Second

// window runs the Wails window with the bound services until it is closed or the process gets
// SIGINT/SIGTERM. b is nil in the bindings-only run (zero services are enough to describe the
// methods) and when the workspace could not be opened (app.FailedServices).
func window(b *wiring.Backend, bound []any, win *app.Window, stderr io.Writer) int {
	err := wails.Run(&options.App{
		Title:     "Hearth",
		Width:     1280,
		Height:    820,
		MinWidth:  900,
		MinHeight: 600,
		AssetServer: &assetserver.Options{
			Assets: assets,
		},
		OnStartup: func(ctx context.Context) {
			win.Attach(ctx)
			go quitOnSignal(ctx)
			if b != nil {
				// Background jobs run while the window is open; the first patrol catches up
				// on whatever fell due while Hearth was closed or the laptop asleep. They start
				// once the first screen is painted, not to slow it down.
				win.AfterFirstPaint(schedulerDelay, func() {
					if err := b.StartScheduler(); err != nil {
						fmt.Fprintf(stderr, "hearth: %v\n", err)
					}
				})
			}
		},
		OnShutdown: func(context.Context) {
			win.Close() // window calls and jobs still running stop
			if b != nil {
				// Before run's deferred Close: running jobs finish (or are cancelled) first.
				if err := b.Scheduler.Shutdown(); err != nil {
					fmt.Fprintf(stderr, "hearth: %v\n", err)
				}
			}
		},
		Bind:           bound,
		ErrorFormatter: app.FormatError,
		Linux:          &linux.Options{ProgramName: "hearth", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	})
	if err != nil {
		fmt.Fprintf(stderr, "hearth: %v\n", err)
		return cli.ExitError
	}
	return cli.ExitOK
}

// restartIfAsked starts Hearth again on the same workspace when the window asked for it
// (app.Window.Restart, after preparing a restore), once this process has closed the workspace:
// the new process's open swaps the restored database in.
func restartIfAsked(win *app.Window, b *wiring.Backend, stderr io.Writer) {
	if !win.RestartRequested() {
		return
	}
	if err := b.Close(); err != nil {
		fmt.Fprintf(stderr, "hearth: %v\n", err)
		return
	}
	exe, err := os.Executable()
	if err == nil {
		cmd := exec.Command(exe, os.Args[1:]...)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		err = cmd.Start()
	}
	if err != nil {
		fmt.Fprintf(stderr, "hearth: restart: %v\n", err)
	}
}

// quitOnSignal watches SIGINT/SIGTERM while the window runs. Wails' own handler (started by
// wails.Run) closes the window on them, so that the workspace is closed by run's deferred
// Close instead of being cut off mid-write; quitting a second time from here raced with it
// (gtk_main_quit during the window's destruction: a crash, and the views not saved).
func quitOnSignal(ctx context.Context) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	select {
	case <-sig:
		// If the UI loop is wedged, do not hang forever: the store is closed by the deferred
		// Close in run only if the window closes, so give it a moment, then exit.
		time.Sleep(10 * time.Second)
		os.Exit(cli.ExitError)
	case <-ctx.Done():
	}
}
