// Package app holds the adapters a person touches: the services bound into the Wails window
// and the headless CLI (app/cli). Adapters decode, call backend/ and return (T, error); the
// rules live in backend/.
package app

import (
	"context"
	"encoding/json"
	"log/slog"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/audit"
	"hearth/backend/automations"
	"hearth/backend/calendar"
	"hearth/backend/clock"
	"hearth/backend/connections"
	"hearth/backend/consent"
	"hearth/backend/credentials"
	"hearth/backend/errs"
	"hearth/backend/gdpr"
	"hearth/backend/imports"
	"hearth/backend/members"
	"hearth/backend/newsletter"
	"hearth/backend/notify"
	"hearth/backend/outbox"
	"hearth/backend/reports"
	"hearth/backend/scheduler"
	"hearth/backend/schema"
	"hearth/backend/store"
	"hearth/backend/syncstate"
	"hearth/backend/tasks"
	"hearth/backend/workspace"
)

// Backend is the set of backend services one open workspace provides, built in main.go.
type Backend struct {
	Workspace   *workspace.Workspace
	Members     *members.Service
	Consent     *consent.Service
	GDPR        *gdpr.Service
	Audit       *audit.Log
	Imports     *imports.Service
	Tasks       *tasks.Service
	Automations *automations.Service
	Calendar    *calendar.Service
	Outbox      *outbox.Service
	Newsletters *newsletter.Service
	// Connections are the platform connections; their secrets live outside the workspace.
	Connections *connections.Service
	// SyncState is what the sync engine remembers (deliveries, per-connection status);
	// Activity what the platforms' pulls brought in.
	SyncState *syncstate.Service
	Activity  *activity.Service
	// Analytics computes KPIs from counters the activity writes keep up to date.
	Analytics *analytics.Service
	// Reports writes the Excel workbooks and keeps the weekly report's schedule.
	Reports *reports.Service
	// Sync is the sync engine (BackendOptions.Sync); nil when the backend was opened without
	// one, and then sync commands answer "unavailable".
	Sync Syncer
	// Scheduler runs Jobs(b); built with the jobs registered, started only by the window.
	Scheduler *scheduler.Scheduler
	// Clock is BackendOptions.Clock: what "today" and "now" mean to the adapters too.
	Clock clock.Clock
}

// BackendOptions configure OpenBackend.
type BackendOptions struct {
	// Dir is the workspace directory; the default workspace when empty.
	Dir      string
	Clock    clock.Clock
	Logger   *slog.Logger
	Notifier notify.Notifier
	// Lang is the workspace language ("fr" or "en") of ready-made texts (the welcome sequence).
	Lang string
	// Secrets keeps connection secrets; nil opens the user's credentials store
	// (backend/credentials: the OS keychain, else an encrypted file in the config directory),
	// which touches nothing until a connection's secret is first read or written.
	Secrets connections.SecretStore
	// Sync builds the sync engine over the opened backend; main.go passes sync/engine's, so
	// that app/ does not depend on sync/. Nil leaves Backend.Sync nil.
	Sync func(b *Backend) Syncer
	// Dialer opens the SMTP connections newsletters and automations send through; main.go
	// passes sync/smtp's. Nil leaves sending unavailable (the other commands work).
	Dialer newsletter.Dialer
}

// noDialer is the Dialer of a backend opened without one.
type noDialer struct{}

func (noDialer) Open(newsletter.Transport) (newsletter.Sender, error) {
	return nil, errs.New(errs.Unavailable, "no_mailer", "app: this backend was opened without a way to send mail")
}

// OpenBackend opens (creating if needed) a workspace and builds its services. It is the one
// place where the window, the CLI and the tests assemble the backend.
func OpenBackend(ctx context.Context, o BackendOptions) (*Backend, error) {
	if o.Clock == nil {
		o.Clock = clock.System{}
	}
	if o.Dialer == nil {
		o.Dialer = noDialer{}
	}
	if o.Dir == "" {
		d, err := workspace.DefaultDir()
		if err != nil {
			return nil, err
		}
		o.Dir = d
	}
	if o.Secrets == nil {
		cs, err := credentials.Open(credentials.Options{})
		if err != nil {
			return nil, err
		}
		o.Secrets = cs
	}
	ws, err := workspace.Open(ctx, o.Dir, workspace.Options{Clock: o.Clock, Logger: o.Logger, Migrations: schema.Migrations()})
	if err != nil {
		return nil, err
	}
	b := &Backend{
		Clock:     o.Clock,
		Workspace: ws,
		Members:   members.NewService(ws.Store, o.Clock, o.Notifier),
		Consent:   consent.NewService(ws.Store, o.Clock, o.Notifier, consent.WithMemberCheck(members.Exists)),
		Audit:     audit.NewLog(ws.Store),
	}
	b.GDPR = gdpr.NewService(ws.Store, b.Members, b.Consent, b.Audit, o.Clock,
		automations.ForgetMember, tasks.ForgetMember, newsletter.ForgetMember, activity.ForgetMember,
		func(tx *store.Tx, id string) error { return b.Analytics.ForgetMember(tx, id) }) // built below
	b.Imports = imports.NewService(ws.Store, b.Members, b.Consent, o.Clock)
	b.Tasks = tasks.NewService(ws.Store, o.Clock, o.Notifier, tasks.WithMemberCheck(members.Exists))
	b.Automations = automations.NewService(ws.Store, o.Clock, o.Notifier, automations.Deps{
		Members: b.Members, Tasks: b.Tasks, Consent: b.Consent, Lang: o.Lang, // Mailer: set with SetMailer by the newsletter wiring
	})
	b.Calendar = calendar.NewService(ws.Store, o.Clock, o.Notifier, calendar.WithWorkspaceDir(ws.Dir))
	b.Outbox = outbox.NewService(ws.Store, o.Clock, outbox.WithOutcome(calendar.OutcomeHook))
	b.Newsletters = newsletter.NewService(ws.Store, b.Members, b.Consent, o.Dialer, o.Clock, o.Notifier,
		newsletter.Options{Secrets: o.Secrets, SecretRef: ws.Store.Replica() + "/smtp"})
	if err := b.Newsletters.MovePasswordOut(ctx); err != nil && o.Logger != nil {
		// The password stays sealed in the workspace and is moved at a later open.
		o.Logger.Warn("newsletter: cannot move the smtp password to the credentials store", "err", err)
	}
	b.Automations.SetMailer(b.Newsletters)
	b.Connections = connections.NewService(ws.Store, o.Secrets, ws.Store.Replica(), o.Clock, o.Notifier)
	b.SyncState = syncstate.NewService(ws.Store, o.Clock, o.Notifier)
	b.Activity = activity.NewService(ws.Store, b.Members, o.Clock, o.Notifier)
	b.Analytics = analytics.NewService(ws.Store, b.Members, b.Activity, analytics.Options{Consent: b.Consent, SubscriberPurpose: newsletter.Purpose})
	b.Reports = reports.NewService(ws.Store, o.Clock, reports.ScheduleOptions{Zone: time.Local})
	b.GDPR.SetActivity(b.dossierActivity)
	if o.Sync != nil {
		b.Sync = o.Sync(b)
	}
	b.Scheduler = newScheduler(b, o.Logger, o.Notifier)
	return b, nil
}

// maxDossierActivity bounds the activity records a GDPR dossier lists (the newest).
const maxDossierActivity = 100_000

// Close closes the workspace.
func (b *Backend) Close() error { return b.Workspace.Close() }

// FormatError is the window's error formatter: a rejected promise carries the classified error
// (kind, code, English message, params, fields) as JSON, which the frontend translates. It is a
// JSON string, not an object, because the Wails runtime wraps rejections in a JavaScript Error
// (new Error(value)), which would turn an object into "[object Object]".
func FormatError(err error) any {
	b, jerr := json.Marshal(errs.From(err))
	if jerr != nil {
		return err.Error()
	}
	return string(b)
}
