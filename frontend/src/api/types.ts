// The Go↔frontend contract under the names the screens use. Every shape here is an alias of a
// type generated from the Go code (`make generate` writes wailsjs/go/models.ts and
// ./generated/), so a Go field renamed or retyped fails `tsc` wherever the frontend used it.
// What is written by hand is the UI's own vocabulary: option lists in display order, each
// checked against the Go union it offers values of.
//
// What Go only takes (inputs) has optional fields, since Go reads a missing one as zero; where
// a screen edits a whole input as its form, the alias is Required<…> of it.
import type {
  activity,
  analytics,
  app,
  audit,
  automations,
  backup,
  calendar,
  connections,
  consent,
  exports,
  gdpr,
  importer,
  imports,
  members,
  newsletter,
  reports,
  syncstate,
  tasks,
  team,
  timeline,
} from '../../wailsjs/go/models';

export * from './generated/events';

// ---------------------------------------------------------------------------
// Members (MembersService, WorkspaceService)

export const PLATFORMS = ['discourse', 'discord', 'mastodon', 'mailchimp', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];

export type Handle = members.Handle;
export type Member = members.Member;
export type CreateInput = Required<members.CreateInput>;
/** Only the fields present are changed. */
export type Patch = members.Patch;
export type SortKey = members.Sort;
export const SORT_KEYS = [
  'name',
  'email',
  'created',
  'updated',
] as const satisfies readonly SortKey[];
export type ListQuery = members.ListQuery;
export const MAX_PAGE_LIMIT = 500;
export type Page = members.Page;
export type TagCount = members.TagCount;
export type WorkspaceInfo = app.WorkspaceInfo;
/** Payload of MEMBERS_CHANGED. */
export type MembersChanged = members.ChangedEvent;

// A member's story (MembersService.Timeline): what they did and what happened to them, newest
// first, a page at a time, beside where they stand.
export type TimelineKind = timeline.Kind;
/** The kinds of entry, in the order the story's filters show them. */
export const TIMELINE_KINDS = [
  'activity',
  'question',
  'answer',
  'consent',
  'mail',
  'task',
  'automation',
  'merge',
  'log',
] as const satisfies readonly TimelineKind[];
export type TimelineQuery = timeline.Query;
export type TimelinePage = timeline.Page;
export type TimelineEntry = timeline.Entry;
export type TimelineSummary = timeline.Summary;

// ---------------------------------------------------------------------------
// Import (ImportService). Long job: Start returns a job id, then importProgressEvent(id) and
// importDoneEvent(id) report on it.

export type ImportFormat = 'csv' | 'xlsx';
export type ImportSource = importer.Source;
export type ImportRequest = imports.Request;
export type ImportColumn = importer.Column;
export type ImportPreviewRow = imports.PreviewRow;
export type ImportPreview = imports.Preview;

/** Reason codes of a rejected row; anything else shows the English `message`. */
export const IMPORT_REASONS = [
  'email',
  'required',
  'duplicate_in_file',
  'suppressed',
  'max',
  'date',
  'conflict',
  'platform',
] as const;

export type ImportRowError = imports.RowError;
export type ImportSummary = imports.Summary;
/** Payload of importProgressEvent(id). */
export type ImportProgress = imports.Progress;

// ---------------------------------------------------------------------------
// Export (ExportService)

export type ExportFormat = 'xlsx' | 'csv';
export type ExportRequest = exports.Request;

// ---------------------------------------------------------------------------
// Consent (ConsentService)

export type Purpose = consent.Purpose;
export type PurposeInput = consent.PurposeInput;
export type Notice = consent.Notice;
export type NoticeInput = consent.NoticeInput;
export type ConsentState = consent.State;
export const CONSENT_STATES = [
  'granted',
  'withdrawn',
  'expired',
  'none',
] as const satisfies readonly ConsentState[];
/** A member's standing for a purpose; Go leaves the method empty for `none`. */
export type ConsentStatus = Omit<consent.Status, 'method'> & { method: ConsentMethod | '' };
export type ConsentMethod = consent.Method;
export const CONSENT_METHODS = [
  'form',
  'import',
  'platform',
  'manual',
] as const satisfies readonly ConsentMethod[];
export type ConsentProof = consent.Proof;
export type ConsentEvent = consent.Event;
export type ConsentInput = consent.Input;
/** Payload of CONSENT_CHANGED. */
export type ConsentChanged = consent.ChangedEvent;

// ---------------------------------------------------------------------------
// Personal data (GdprService) and settings (SettingsService)

export const AUDIT_ACTIONS = [
  'member_created',
  'member_updated',
  'member_deleted',
  'member_erased',
  'member_exported',
  'members_imported',
  'members_exported',
  'consent_granted',
  'consent_withdrawn',
  'members_anonymised',
] as const;

export type AuditEntry = audit.Entry;
export type Settings = gdpr.Settings;

// ---------------------------------------------------------------------------
// Calendar (CalendarService). Times are RFC 3339 strings carrying the item zone's offset.

export type ItemKind = calendar.Kind;
export const ITEM_KINDS = [
  'post',
  'announcement',
  'newsletter',
  'event_promo',
] as const satisfies readonly ItemKind[];

export type ItemStatus = calendar.Status;
/** Editorial statuses, set by people, in their order. */
export const EDITORIAL_STATUSES = [
  'draft',
  'in_review',
  'approved',
  'scheduled',
] as const satisfies readonly ItemStatus[];
/** Every status an item or occurrence can show; the last five are set by publishing. */
export const ITEM_STATUSES = [
  ...EDITORIAL_STATUSES,
  'queued',
  'published',
  'failed',
  'missed',
  'cancelled',
] as const satisfies readonly ItemStatus[];

/**
 * Where the editor offers to take an item from each status: the editorial flow. (The Go side
 * accepts any editorial status except from queued or published.)
 */
export const STATUS_TRANSITIONS: Record<string, readonly ItemStatus[]> = {
  draft: ['in_review'],
  in_review: ['approved', 'draft'],
  approved: ['scheduled', 'in_review', 'draft'],
  scheduled: ['draft'],
  failed: ['scheduled', 'draft'],
  missed: ['scheduled', 'draft'],
};

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type Recurrence = calendar.Recurrence;
export type Attachment = calendar.Attachment;
export type CalendarItem = calendar.Item;
export type ItemInput = calendar.CreateInput;
/** Only the fields present change; `noRepeat` turns a series into a one-off item. */
export type ItemPatch = calendar.Patch;
/** One dated appearance of an item. */
export type Occurrence = calendar.Occurrence;
export type RescheduleScope = 'one' | 'series';
export type CalendarQuery = calendar.ListQuery;
export type Slot = calendar.Slot;
export type ChannelSlots = calendar.ChannelSlots;
/** Payload of CALENDAR_CHANGED. */
export type CalendarChanged = calendar.ChangedEvent;

// ---------------------------------------------------------------------------
// Newsletters (NewsletterService). Send is a long job: newsletterProgressEvent(id), then
// newsletterDoneEvent(id).

export type NewsletterStatus = newsletter.Status;
export type NewsletterCounts = newsletter.Counts;
export type Newsletter = newsletter.Newsletter;
/** Creates (empty id) or edits a draft. */
export type NewsletterInput = Required<newsletter.Input>;
export type Recipient = newsletter.Recipient;
/** Consents that expired under one purpose's rule: how many, and when. */
export type ConsentLapsed = consent.Lapsed;
export type NewsletterPlan = newsletter.Plan;
/** A newsletter as one member would receive it. `html` is sanitised by the Go side. */
export type Rendered = newsletter.Rendered;
/** Payload of newsletterProgressEvent(id). */
export type NewsletterProgress = newsletter.Progress;
/** Payload of newsletterDoneEvent(id). */
export type NewsletterDone = app.NewsletterDone;

/** Merge fields the composer offers; the Go side checks them on save. */
export const MERGE_FIELDS = [
  '{{first_name|there}}',
  '{{name}}',
  '{{email}}',
  '{{custom.city}}',
] as const;

export type TlsMode = newsletter.TLSMode;
export const TLS_MODES = ['starttls', 'implicit', 'none'] as const satisfies readonly TlsMode[];
/** Outgoing mail settings as shown: never the password. */
export type SmtpSettings = newsletter.SMTPSettings;
export type SmtpInput = newsletter.SMTPInput;
/** The reply mailbox (IMAP) settings as shown: never the password. */
export type MailboxSettings = newsletter.IMAPSettings;
export type MailboxInput = newsletter.IMAPInput;
/** What one check of the reply mailbox did. */
export type MailboxCheck = newsletter.ReplySummary;
/** When the reply mailbox was last read by itself (every 15 minutes), and how it went. */
export type MailboxReading = app.MailboxReading;

// ---------------------------------------------------------------------------
// Automations (AutomationsService)

export type TriggerKind = automations.TriggerKind;
export const TRIGGER_KINDS = [
  'member_created',
  'tag_added',
  'consent_granted',
  'date_anniversary',
  'segment_entered',
  'segment_left',
] as const satisfies readonly TriggerKind[];
export type Trigger = automations.Trigger;
export type StepKind = automations.StepKind;
export const STEP_KINDS = [
  'wait',
  'send_email',
  'add_tag',
  'remove_tag',
  'create_task',
] as const satisfies readonly StepKind[];
export type Step = automations.Step;
export type Automation = automations.Automation;
/** Creates (empty id) or edits; enabling is SetEnabled's job. */
export type AutomationInput = Required<automations.Input>;
export type EnrolmentStatus = automations.Status;
export type StepRun = automations.StepRun;
/** One member's progress through one automation. */
export type Enrolment = automations.Enrolment;

// ---------------------------------------------------------------------------
// Tasks (TasksService)

export type Task = tasks.Task;
export type TaskInput = tasks.Input;
export type TaskFilter = tasks.Filter;
export const TASK_FILTERS = [
  'open',
  'due',
  'overdue',
  'done',
  'all',
] as const satisfies readonly TaskFilter[];

// ---------------------------------------------------------------------------
// Connections (ConnectionsService): the platforms Hearth talks to. A connection's name is the
// channel calendar items use. Its secret (API key, token, webhook URL) is never sent back.

export type ConnectionPlatform = connections.Platform;
export const CONNECTION_PLATFORMS = [
  'discourse',
  'discord',
  'mastodon',
  'mailchimp',
  'rss',
] as const satisfies readonly ConnectionPlatform[];
/** Non-secret settings; which apply depends on the platform. */
export type ConnectionSettings = connections.Settings;
export type Connection = connections.Connection;
export type ConnectionInput = Required<connections.AddInput>;
/** Only the fields present change; an absent or empty secret keeps the stored one. */
export type ConnectionPatch = connections.Patch;

/** How a platform failed; the window says it in the person's language. */
export type FailureKind =
  'unreachable' | 'temporary' | 'rate_limited' | 'auth' | 'invalid' | 'gone';

export type TestResult = app.TestResult;

/** Where secrets are kept: the OS keychain, or an encrypted file in the user's settings. */
export type SecretBackend = 'keychain' | 'file';

// ---------------------------------------------------------------------------
// Sync (SyncService): what the engine pushed, parked and pulled.

export type DeliveryState = syncstate.DeliveryState;
export const DELIVERY_STATES = [
  'queued',
  'sending',
  'sent',
  'parked',
] as const satisfies readonly DeliveryState[];

/** Reason codes the window translates; anything else shows the Go side's reason as is. */
export const REASON_CODES = [
  'no_connection',
  'auth',
  'invalid',
  'gone',
  'too_many_failures',
  'temporary',
  'unreachable',
  'rate_limited',
] as const;

/** One connection as the engine knows it. */
export type ConnectionStatus = app.ConnectionStatus;
export type SyncOverview = app.SyncOverview;
/** One outbox entry on one connection. */
export type Delivery = syncstate.Delivery;
export type DeliveryQuery = syncstate.DeliveryQuery;
export type ConnectionReport = syncstate.ConnectionReport;
export type RunReport = syncstate.RunReport;

export type ActivityKind = activity.Kind;
export const ACTIVITY_KINDS = [
  'post',
  'reply',
  'message',
  'reaction',
  'join',
  'follow',
  'mention',
  'article',
  'event',
  'goal',
] as const satisfies readonly ActivityKind[];
/** Something a person did on a platform. Every text field is untrusted platform content. */
export type FeedItem = activity.FeedItem;
export type FeedQuery = activity.FeedQuery;
export type FeedPage = activity.FeedPage;

// ---------------------------------------------------------------------------
// Dashboard (DashboardService): KPIs of a date range compared with the previous one.

export type DayPoint = analytics.DayPoint;
export type Cohort = analytics.Cohort;
export type LevelCount = analytics.LevelCount;
export type SuperUser = analytics.SuperUser;
export type SentimentDay = analytics.SentimentDay;
export type Sentiment = analytics.Sentiment;
export type RisingTopic = analytics.RisingTopic;
export type KPIs = analytics.KPIs;
export type CampaignResult = analytics.CampaignResult;
export type CampaignTotals = analytics.CampaignTotals;
/** What a newsletter, or the newsletters of a period added up, achieved. */
export type CampaignCounts = Omit<CampaignTotals, 'newsletters'>;
export type CampaignReport = analytics.CampaignReport;
export type Funnel = analytics.Funnel;
export type ROISettings = analytics.ROISettings;
export type Milestone = analytics.Milestone;
export type LevelSettings = analytics.LevelSettings;
export type ROI = analytics.ROI;
export type FunnelResult = app.FunnelResult;

/** What DashboardService.MembersBehind lists: the members behind one number. */
export type BehindMetric =
  | 'new'
  | 'active'
  | 'churned'
  | `level:${1 | 2 | 3 | 4}`
  | 'gone_quiet'
  | 'super_users'
  | 'answerers';

// ---------------------------------------------------------------------------
// Excel reports (ReportsService): KPI and members workbooks, and the weekly KPI report.

/** The days of the weekly report, as ReportsService spells them. */
export const REPORT_WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type ReportWeekday = (typeof REPORT_WEEKDAYS)[number];

/** The languages a workbook can be written in. */
export const REPORT_LANGS = ['fr', 'en'] as const;
export type ReportLang = (typeof REPORT_LANGS)[number];

export type ReportScheduleInput = Required<reports.ScheduleInput>;
export type ReportSchedule = reports.Schedule;

/** A backup of the workspace: when, why, how many members (Settings > Backups). */
export type Backup = backup.Backup;
export type BackupReason = backup.Reason;
/** What preparing a restore did; Hearth restarts to finish it. */
export type BackupRestore = backup.Restore;

// ---------------------------------------------------------------------------
// Team (TeamService): this copy's teammate, bundles exported for teammates and merged from them.

/** A copy of the workspace and the person who keeps it (name, age public key). */
export type Teammate = team.Teammate;
/** Where to write a bundle and whom it is for: a passphrase or teammates' public keys. */
export type TeamExportRequest = Required<app.TeamExportRequest>;
export type TeamExport = app.TeamExport;
/** A teammate's bundle to merge, and its passphrase ('' when it is encrypted to my key). */
export type TeamMergeRequest = Required<app.TeamMergeRequest>;
/** A merge as Settings > Team shows it: its report, and which conflicts were taken back. */
export type TeamMerge = app.TeamMerge;
export type TeamReport = team.Report;
/** A field both copies changed apart: the newer value was kept. */
export type TeamConflict = team.Conflict;
/** The shared folder: on or off, where, this copy's file in it, and its last run. */
export type TeamShare = team.ShareSetting;
/** Turns the shared folder on or off, or moves it (turning it off keeps the folder). */
export type TeamShareInput = Required<team.ShareInput>;
/** What one run through the shared folder did. */
export type TeamShareRun = team.ShareRun;
/** What a run did with one teammate's file: merged, up to date, or failed (and why). */
export type TeamShareFile = team.ShareFile;

// ---------------------------------------------------------------------------
// Possible duplicates (MergesService): members who look like one person, merged into one or
// said not to be.

/** Members who look like one person: `a` is kept, `others` (B first) are merged into it. */
export type MergeSuggestion = members.Suggestion;
/** One member proposed to be merged into a suggestion's kept member, with its own reason. */
export type MergeCandidate = members.Candidate;
/** The reasons Go gives (backend/members/suggest.go), from the strongest. */
export const MERGE_REASONS = [
  'same_email',
  'profile_email',
  'same_handle',
  'profile_url',
  'same_name_handle',
] as const;
export type MergeReason = (typeof MERGE_REASONS)[number];
/** One merge done: enough for Go to undo it (its id). */
export type PeopleMerge = members.PeopleMerge;
/** The identity-resolution settings: `auto` merges the members a sync or an import brings who surely are a member already. */
export type MergeSettings = members.MergeSettings;
/** Payload of mergesProgressEvent(id): members examined of the total. */
export type MergesProgress = members.SuggestProgress;
/** Payload of mergesDoneEvent(id): what the search found, or that it was cancelled. */
export type MergesFound = app.MergesFound;
