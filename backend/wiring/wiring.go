// Package wiring is the one place the backend is assembled: Open opens a workspace and builds
// every backend service over it, each given the services it depends on, and the scheduler with
// the app's jobs. The window (main.go), the CLI (app/cli) and the tests all open a workspace
// through it; app/ only adapts the services it returns. What depends on the platform comes in
// through Options: main.go passes the sync engine's builder (sync/platforms), the SMTP dialer
// (sync/smtp) and, in tests, a secrets store, so that backend/ imports neither sync/ nor Wails.
package wiring

import (
	"context"
	"log/slog"
	"path/filepath"
	"time"

	"hearth/backend/activity"
	"hearth/backend/analytics"
	"hearth/backend/audit"
	"hearth/backend/automations"
	"hearth/backend/backup"
	"hearth/backend/calendar"
	"hearth/backend/campaigns"
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
	"hearth/backend/segments"
	"hearth/backend/store"
	"hearth/backend/syncstate"
	"hearth/backend/tasks"
	"hearth/backend/team"
	"hearth/backend/timeline"
	"hearth/backend/workspace"
)

// Backend is the set of backend services one open workspace provides.
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
	// Campaigns says what each newsletter sent achieved.
	Campaigns *campaigns.Service
	// Reports writes the Excel workbooks and keeps the weekly report's schedule.
	Reports *reports.Service
	// Backups takes the workspace's backups (daily, before imports and erasures) and
	// restores them.
	Backups *backup.Service
	// Team exports and merges bundles between teammates' copies.
	Team *team.Service
	// Timeline tells a member's whole story, from the services above.
	Timeline *timeline.Service
	// Segments saves segments and counts their members.
	Segments *segments.Service
	// Sync is the sync engine (Options.Sync); nil when the backend was opened without one,
	// and then sync commands answer "unavailable".
	Sync Syncer
	// Scheduler runs Jobs(b); built with the jobs registered, started only by the window
	// (StartScheduler).
	Scheduler *scheduler.Scheduler
	// Clock is Options.Clock: what "today" and "now" mean to the adapters too.
	Clock clock.Clock
	// Zone is the workspace's time zone (Options.Zone): calendar days, dates in files and
	// dossiers are reckoned there.
	Zone *time.Location
}

// Syncer is the sync engine as the backend's users see it (sync/engine, built by
// Options.Sync).
type Syncer interface {
	// RunOnce drains the outbox to every reachable connection and pulls each one, then returns.
	RunOnce(ctx context.Context) (syncstate.RunReport, error)
	// RunDue is the periodic run: it publishes, and pulls the connections whose pull is due.
	RunDue(ctx context.Context) (syncstate.RunReport, error)
	// Running reports whether a run (the periodic one included) is under way, and when the
	// last one finished.
	Running() (running bool, lastRun time.Time)
	// Cancel stops the run under way, if any; what it did so far is kept.
	Cancel()
	// Check tests a connection against its platform.
	Check(ctx context.Context, connectionID string) (syncstate.Status, error)
}

// Options configure Open.
type Options struct {
	// Dir is the workspace directory; the default workspace when empty.
	Dir    string
	Clock  clock.Clock
	Logger *slog.Logger
	// Notifier receives the services' change and progress events (the window; nil drops them).
	Notifier notify.Notifier
	// Lang is the workspace language ("fr" or "en") of ready-made texts (the welcome sequence).
	Lang string
	// Zone is the workspace's time zone; the computer's (time.Local) when nil.
	Zone *time.Location
	// Secrets keeps connection secrets; nil opens the user's credentials store
	// (backend/credentials: the OS keychain, else an encrypted file in the config directory),
	// which touches nothing until a connection's secret is first read or written.
	Secrets connections.SecretStore
	// Sync builds the sync engine over the opened backend; main.go passes sync/platforms',
	// so that backend/ does not depend on sync/. Nil leaves Backend.Sync nil.
	Sync func(b *Backend) Syncer
	// Dialer opens the SMTP connections newsletters and automations send through; main.go
	// passes sync/smtp's. Nil leaves sending unavailable (the other commands work).
	Dialer newsletter.Dialer
	// Mailboxes opens the newsletter reply mailbox over IMAP; main.go passes sync/imap's.
	// Nil leaves reading replies unavailable.
	Mailboxes newsletter.MailboxDialer
}

// noDialer is the Dialer of a backend opened without one.
type noDialer struct{}

func (noDialer) Open(newsletter.Transport) (newsletter.Sender, error) {
	return nil, errs.New(errs.Unavailable, "no_mailer", "wiring: this backend was opened without a way to send mail")
}

// Open opens (creating if needed) a workspace and builds its services.
func Open(ctx context.Context, o Options) (*Backend, error) {
	if o.Clock == nil {
		o.Clock = clock.System{}
	}
	if o.Dialer == nil {
		o.Dialer = noDialer{}
	}
	if o.Zone == nil {
		o.Zone = time.Local
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
	st, clk, n := ws.Store, o.Clock, o.Notifier
	watch := members.NewWatch(n)
	b := &Backend{
		Clock:     clk,
		Zone:      o.Zone,
		Workspace: ws,
		Members:   members.NewService(st, clk, watch), // segments and analytics hear which members change
		Consent:   consent.NewService(st, clk, n, consent.WithMemberCheck(members.Exists)),
		Audit:     audit.NewLog(st),
	}
	b.GDPR = gdpr.NewService(st, b.Members, b.Consent, b.Audit, clk,
		automations.ForgetMember, tasks.ForgetMember, newsletter.ForgetMember, activity.ForgetMember, members.ForgetMerges,
		func(tx *store.Tx, id string) error { return b.Analytics.ForgetMember(tx, id) }) // built below
	b.GDPR.SetZone(o.Zone)
	b.Imports = imports.NewService(st, b.Members, b.Consent, clk)
	b.Tasks = tasks.NewService(st, clk, n, tasks.WithMemberCheck(members.Exists))
	b.Automations = automations.NewService(st, clk, n, automations.Deps{
		Members: b.Members, Tasks: b.Tasks, Consent: b.Consent, Lang: o.Lang, // Mailer: the newsletters, below
	})
	b.Calendar = calendar.NewService(st, clk, n, calendar.WithWorkspaceDir(ws.Dir))
	b.Outbox = outbox.NewService(st, clk, outbox.WithOutcome(calendar.OutcomeHook))
	b.Newsletters = newsletter.NewService(st, b.Members, b.Consent, o.Dialer, clk, n,
		newsletter.Options{Secrets: o.Secrets, SecretRef: st.Replica() + "/smtp",
			IMAPSecretRef: st.Replica() + "/imap", Mailboxes: o.Mailboxes})
	if err := b.Newsletters.MovePasswordOut(ctx); err != nil && o.Logger != nil {
		// The password stays sealed in the workspace and is moved at a later open.
		o.Logger.Warn("newsletter: cannot move the smtp password to the credentials store", "err", err)
	}
	b.Automations.SetMailer(b.Newsletters)
	b.SyncState = syncstate.NewService(st, clk, n)
	// A removed connection's queued deliveries are parked with the reason, so that nothing
	// waits forever for a connection that is gone.
	b.Connections = connections.NewService(st, o.Secrets, st.Replica(), clk, n, connections.OnRemove(b.SyncState.ForgetConnection))
	b.Activity = activity.NewService(st, b.Members, clk, n)
	b.Analytics = analytics.NewService(st, b.Members, b.Activity, analytics.Options{Zone: o.Zone, Consent: b.Consent, SubscriberPurpose: newsletter.Purpose})
	b.Analytics.Follow(watch.Follow()) // members merged or erased whatever their edit times
	// Merging two members who are one person moves every domain's records about them.
	b.Members.SetMovers(mergeMovers(b.Activity)...)
	if err := b.Members.FinishMerges(ctx); err != nil && o.Logger != nil { // a merge a crash cut short
		o.Logger.Warn("members: an interrupted merge could not be completed; it will be tried at the next open", "err", err)
	}
	b.Campaigns = campaigns.NewService(b.Newsletters, b.Analytics)
	b.Segments = segments.NewService(st, b.Members, segments.Sources{Activity: b.Activity, Analytics: b.Analytics,
		Consent: b.Consent, Newsletters: b.Newsletters, Zone: o.Zone}, clk)
	b.Newsletters.SetSegments(b.Segments) // newsletter create --segment
	b.Automations.SetSegments(b.Segments) // segment_entered, segment_left
	b.Segments.Follow(watch.Follow())
	b.Reports = reports.NewService(st, clk, reports.ScheduleOptions{Zone: o.Zone})
	b.Timeline = timeline.NewService(timeline.Sources{Activity: b.Activity, Consent: b.Consent, Newsletters: b.Newsletters,
		Tasks: b.Tasks, Automations: b.Automations, Audit: b.Audit, Analytics: b.Analytics, Members: b.Members}, clk)
	b.GDPR.SetActivity(dossierActivity(b.Activity))
	b.GDPR.SetRecords(gdpr.Records{Tasks: b.Tasks.ForMember, Automations: b.Automations.ForMember, Deliveries: dossierMails(b.Newsletters)})
	b.Backups = backup.NewService(ws.Dir, st, clk, b.GDPR.ForgetErased)
	// A backup before every import and erasure: a wrong import can be undone, and an
	// erasure's backup holds the person only as ciphertext once their key is destroyed.
	b.Imports.SetBefore(b.Backups.Before(backup.ReasonImport))
	b.GDPR.SetBefore(b.Backups.Before(backup.ReasonErasure))
	b.Team = team.NewService(st, b.Members, b.Activity, b.GDPR, o.Secrets, clk)
	// A backup before merging, unless one is less than an hour old (a shared folder merges
	// every five minutes).
	b.Team.SetBefore(b.Backups.BeforeUnlessRecent(backup.ReasonMerge, time.Hour))
	b.Audit.SetTeammates(b.Team.Names) // the log names who did what on a shared workspace
	// A merge cut short (a kill, a power cut) is completed from its journal before anything else
	// reads the workspace: a merge is all or nothing to whoever opens it next.
	b.Team.SetJournal(filepath.Join(ws.Dir, workspace.SnapshotDir))
	if _, resumed, err := b.Team.Resume(ctx); err != nil && o.Logger != nil {
		o.Logger.Warn("team: an interrupted merge could not be completed; it will be tried at the next open", "err", err)
	} else if resumed && o.Logger != nil {
		o.Logger.Info("team: an interrupted merge was completed")
	}
	if o.Sync != nil {
		b.Sync = o.Sync(b)
	}
	b.Scheduler = newScheduler(b, o.Logger, n)
	return b, nil
}

// Close closes the workspace.
func (b *Backend) Close() error { return b.Workspace.Close() }

// maxDossierActivity bounds the activity records a GDPR dossier lists (the newest).
const maxDossierActivity = 100_000

// dossierMails lists the newsletters and one-off e-mails sent to a member, for their dossier.
func dossierMails(n *newsletter.Service) func(ctx context.Context, memberID string) ([]newsletter.Delivery, error) {
	return func(ctx context.Context, memberID string) ([]newsletter.Delivery, error) {
		sent, err := n.MemberDeliveries(ctx, memberID)
		if err != nil {
			return nil, err
		}
		once, err := n.MemberMails(ctx, memberID)
		return append(sent, once...), err
	}
}

// dossierActivity lists a member's platform activity for their GDPR dossier (gdpr does not
// import activity: activity depends on its erasure).
func dossierActivity(a *activity.Service) func(ctx context.Context, memberID string) ([]gdpr.Activity, error) {
	return func(ctx context.Context, memberID string) ([]gdpr.Activity, error) {
		recs, err := a.ForMember(ctx, memberID, maxDossierActivity)
		if err != nil {
			return nil, err
		}
		out := make([]gdpr.Activity, 0, len(recs))
		for _, r := range recs {
			out = append(out, gdpr.Activity{At: r.At, Platform: string(r.Platform), Kind: string(r.Kind), Channel: r.Channel,
				Title: r.Title, Text: r.Text, Link: r.Link})
		}
		return out, nil
	}
}
