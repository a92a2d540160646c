// Hand-written mirrors of the Go JSON contract (camelCase). Kept apart from the
// generated wailsjs models so regenerating bindings never ripples through the UI.

export const PLATFORMS = ['discourse', 'discord', 'mastodon', 'mailchimp', 'other'] as const;
export type Platform = (typeof PLATFORMS)[number];

export interface Handle {
  platform: string;
  handle: string;
}

export interface Member {
  id: string;
  name: string;
  /** The first address is the primary one. */
  emails: string[];
  handles: Handle[];
  tags: string[];
  customFields: Record<string, string>;
  notes: string;
  /** RFC 3339 */
  createdAt: string;
  /** RFC 3339 */
  updatedAt: string;
}

export type CreateInput = Omit<Member, 'id' | 'createdAt' | 'updatedAt'>;

/** Only the fields present are changed. */
export type Patch = Partial<CreateInput>;

export const SORT_KEYS = ['name', 'email', 'created', 'updated'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface ListQuery {
  search: string;
  tag: string;
  sort: SortKey;
  desc: boolean;
  offset: number;
  /** At most MAX_PAGE_LIMIT. */
  limit: number;
}

export const MAX_PAGE_LIMIT = 500;

export interface Page {
  items: Member[];
  /** Number of members matching the query, all pages together. */
  total: number;
  offset: number;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface WorkspaceInfo {
  id: string;
  name: string;
  dir: string;
  schemaVersion: number;
  createdAt: string;
  memberCount: number;
}

/** Payload of the `members:changed` event. */
export interface MembersChanged {
  ids: string[];
}

export const MEMBERS_CHANGED = 'members:changed';

// ---------------------------------------------------------------------------
// Import (ImportService). Long job: Start returns a job id, then events
// `import:progress:<id>` and `import:done:<id>` report on it.

export type ImportFormat = 'csv' | 'xlsx';
export type ImportSource = 'generic' | 'mailchimp' | 'discourse';

export interface ImportRequest {
  path: string;
  /** XLSX only; '' for the first sheet or a CSV file. */
  sheet: string;
  /** Column header → target field (one of ImportPreview.fields). */
  mapping: Record<string, string>;
  dryRun: boolean;
  /** Chosen by the caller so it can listen for the job's events before starting it. */
  jobId?: string;
}

export interface ImportColumn {
  index: number;
  header: string;
  /** The target field the automatic mapping chose ('ignore' when none). */
  field: string;
  /** True when `field` was guessed, false when it is a plain default. */
  auto: boolean;
}

export interface ImportPreviewRow {
  /** Line number in the file (1 = header). */
  line: number;
  cells: string[];
}

export interface ImportPreview {
  format: ImportFormat;
  source: ImportSource;
  encoding: string;
  delimiter: string;
  sheets: string[];
  sheet: string;
  columns: ImportColumn[];
  /** The first ~20 data rows. */
  rows: ImportPreviewRow[];
  /**
   * Allowed targets: `email`, `email2`, `name`, `first_name`, `last_name`, `tags`, `notes`,
   * `phone`, `city`, `handle:<platform>`, `custom:<header>`, `ignore`, `consent:optin_time`,
   * `consent:optin_ip`, `consent:confirm_time`, `consent:confirm_ip`.
   */
  fields: string[];
}

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

export interface ImportRowError {
  line: number;
  /** Header of the column at fault; '' for the whole row. */
  column: string;
  reason: string;
  /** English fallback. */
  message: string;
  params?: Record<string, string>;
}

export interface ImportSummary {
  jobId: string;
  dryRun: boolean;
  cancelled: boolean;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: ImportRowError[];
}

/** Payload of `import:progress:<jobId>`. */
export interface ImportProgress {
  rows: number;
  /** 0..1 of the file read. */
  fraction: number;
}

export const importProgressEvent = (jobId: string) => `import:progress:${jobId}`;
export const importDoneEvent = (jobId: string) => `import:done:${jobId}`;

// ---------------------------------------------------------------------------
// Export (ExportService)

export type ExportFormat = 'xlsx' | 'csv';

export interface ExportRequest {
  format: ExportFormat;
  tag: string;
  search: string;
}

// ---------------------------------------------------------------------------
// Consent (ConsentService). Every shape the consent UI relies on is here, so
// adjusting to the Go side is a change in this one place.

export interface Purpose {
  /** Stable slug, e.g. `newsletter`. */
  id: string;
  name: string;
  description: string;
  /** Consent expires this many months after it was given; null (the default) or 0 = never. */
  expiryMonths: number | null;
  archived: boolean;
}

export type PurposeInput = Omit<Purpose, 'archived'> & { archived?: boolean };

export interface Notice {
  purpose: string;
  version: string;
  text: string;
  /** SHA-256 of the text, hex. */
  sha256: string;
  /** RFC 3339 */
  publishedAt: string;
}

export type NoticeInput = Pick<Notice, 'purpose' | 'version' | 'text'>;

export const CONSENT_STATES = ['granted', 'withdrawn', 'expired', 'none'] as const;
export type ConsentState = (typeof CONSENT_STATES)[number];

export interface ConsentStatus {
  purpose: string;
  state: ConsentState;
  /** RFC 3339; absent when state is `none`. */
  since?: string;
  method: string;
  source: string;
  noticeVersion: string;
}

export const CONSENT_METHODS = ['form', 'import', 'platform', 'manual'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export interface ConsentProof {
  ip?: string;
  file?: string;
  row?: number;
  formData?: Record<string, string>;
}

export interface ConsentEvent {
  id: string;
  memberId: string;
  purpose: string;
  kind: 'granted' | 'withdrawn';
  /** RFC 3339 */
  at: string;
  method: ConsentMethod;
  by: string;
  noticeVersion: string;
  proof: ConsentProof;
}

export interface ConsentInput {
  memberId: string;
  purpose: string;
  /** Omitted: the purpose's latest notice. */
  noticeVersion?: string;
  /** Where the person expressed the choice ("AGM sign-up sheet"). */
  source?: string;
}

/** Payload of the `consent:changed` event. */
export interface ConsentChanged {
  memberId: string;
}

export const CONSENT_CHANGED = 'consent:changed';

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

export interface AuditEntry {
  /** RFC 3339 */
  at: string;
  actor: string;
  /** One of AUDIT_ACTIONS; an unknown code is shown as is. */
  action: string;
  /** '' when the entry is not about one member. */
  memberId: string;
  details: string;
}

export interface Settings {
  /** Members not updated for this many months are listed as inactive; 0 = off. */
  retentionMonths: number;
}

// ---------------------------------------------------------------------------
// Calendar (CalendarService). Times are RFC 3339 strings carrying the item zone's offset.

export const ITEM_KINDS = ['post', 'announcement', 'newsletter', 'event_promo'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

/** Editorial statuses, set by people, in their order. */
export const EDITORIAL_STATUSES = ['draft', 'in_review', 'approved', 'scheduled'] as const;
/** Every status an item or occurrence can show; the last five are set by publishing. */
export const ITEM_STATUSES = [
  ...EDITORIAL_STATUSES,
  'queued',
  'published',
  'failed',
  'missed',
  'cancelled',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

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

/**
 * A series' rule, in one of two forms. The simple form, which the editor builds: every
 * `interval` days/weeks/months; weekly on `weekdays`; monthly on `monthDay` (-1 = last day) or
 * on the `week`-th `weekdays[0]` ("2nd Tuesday": week 2, weekdays ['TU']; -1 = last); ending
 * after `count` occurrences or on the `until` date (YYYY-MM-DD, inclusive, in the item's zone),
 * or never (both 0/''). Or `rule`, any other RFC 5545 RRULE value (then `freq` is '' and the
 * simple fields are empty). `exDates` and `rDates` (RFC 3339) take occurrences out and add some.
 */
export interface Recurrence {
  freq: 'daily' | 'weekly' | 'monthly' | 'yearly' | '';
  interval: number;
  weekdays: Weekday[];
  monthDay: number;
  week: number;
  until: string;
  count: number;
  rule?: string;
  exDates?: string[];
  rDates?: string[];
}

export interface Attachment {
  name: string;
  /** Relative to the workspace directory. */
  path: string;
  size: number;
}

export interface CalendarItem {
  id: string;
  kind: ItemKind;
  title: string;
  /** Markdown. */
  body: string;
  attachments: Attachment[];
  channels: string[];
  status: ItemStatus;
  assignee: string;
  campaign: string;
  notes: string;
  /** IANA zone the item's times are meant in. */
  timeZone: string;
  /** RFC 3339, the (first) occurrence; absent for an undated draft. */
  at?: string;
  /** Absent for a one-off item. */
  repeat?: Recurrence | null;
  latePolicy: 'publish' | 'skip' | '';
  graceMinutes: number;
  createdAt: string;
  updatedAt: string;
}

export interface ItemInput {
  kind: ItemKind;
  title: string;
  body: string;
  channels: string[];
  /** Initial status; draft when omitted. */
  status?: ItemStatus;
  assignee: string;
  campaign: string;
  notes: string;
  timeZone: string;
  /** RFC 3339; omitted for an undated draft. */
  at?: string;
  repeat: Recurrence | null;
}

/** Only the fields present change; `noRepeat` turns a series into a one-off item. */
export type ItemPatch = Partial<Omit<ItemInput, 'status' | 'repeat'>> & {
  repeat?: Recurrence;
  noRepeat?: boolean;
};

/** One dated appearance of an item. */
export interface Occurrence {
  itemId: string;
  /** The occurrence's time in its series (its identity), RFC 3339. */
  original: string;
  /** When it happens: differs from `original` when moved on its own. */
  at: string;
  status: ItemStatus;
  late: boolean;
  moved: boolean;
  recurring: boolean;
  reason?: string;
  kind: ItemKind;
  title: string;
  channels: string[];
  campaign: string;
  assignee: string;
  timeZone: string;
}

export type RescheduleScope = 'one' | 'series';

/** What CalendarService.List takes: occurrences with from <= at < to (RFC 3339). */
export interface CalendarQuery {
  from: string;
  to: string;
  /** '' for every channel. */
  channel: string;
}

/** A weekly posting time ("Add to queue" fills the next free one). */
export interface Slot {
  weekday: Weekday;
  /** HH:MM, in the channel's zone. */
  time: string;
}

/** A channel's posting slots, like a Buffer queue, in a time zone. */
export interface ChannelSlots {
  channel: string;
  timeZone: string;
  slots: Slot[];
}

/** Payload of `calendar:changed`. */
export interface CalendarChanged {
  ids: string[];
}

export const CALENDAR_CHANGED = 'calendar:changed';

// ---------------------------------------------------------------------------
// Newsletters (NewsletterService). Send is a long job: `newsletter:progress:<id>`, then
// `newsletter:done:<id>`.

export type NewsletterStatus = 'draft' | 'sending' | 'sent';

export interface NewsletterCounts {
  recipients: number;
  sent: number;
  failedTemp: number;
  failedPerm: number;
  pending: number;
  excludedNoConsent: number;
  excludedSuppressed: number;
  excludedNoEmail: number;
}

export interface Newsletter {
  id: string;
  subject: string;
  bodyMarkdown: string;
  /** Language of the footer Hearth adds ('en' | 'fr'). */
  lang: string;
  /** Members carrying any of these tags; none = every member. */
  tags: string[];
  search: string;
  status: NewsletterStatus;
  createdAt: string;
  updatedAt: string;
  sentAt: string | null;
  counts: NewsletterCounts;
}

/** Creates (empty id) or edits a draft. */
export interface NewsletterInput {
  id: string;
  subject: string;
  bodyMarkdown: string;
  lang: string;
  tags: string[];
  search: string;
}

export interface Recipient {
  memberId: string;
  name: string;
  email: string;
}

/** Consents that expired under one purpose's rule: how many, and when. */
export interface ConsentLapsed {
  purpose: string;
  /** '' for a built-in purpose never renamed: translated by id. */
  purposeName: string;
  /** The rule applied; 0 = never. */
  expiryMonths: number;
  count: number;
  /** RFC 3339: the earliest and latest expiry counted (absent when count is 0). */
  first?: string;
  last?: string;
}

/** The send check: who a send would reach now, and who is excluded and why. */
export interface NewsletterPlan {
  newsletterId: string;
  recipients: number;
  /** Everyone whose consent is not granted: excludedNotAsked + excludedWithdrawn + expired.count. */
  excludedNoConsent: number;
  excludedNotAsked: number;
  excludedWithdrawn: number;
  expired: ConsentLapsed;
  excludedSuppressed: number;
  excludedNoEmail: number;
  alreadySent: number;
  sample: Recipient[];
}

/** A newsletter as one member would receive it. `html` is sanitised by the Go side. */
export interface Rendered {
  subject: string;
  html: string;
  text: string;
}

/** Payload of `newsletter:progress:<id>` and `newsletter:done:<id>`. */
export interface NewsletterProgress {
  newsletterId: string;
  total: number;
  done: number;
  sent: number;
  failedTemp: number;
  failedPerm: number;
  round: number;
}

/** Payload of `newsletter:done:<id>`: the last progress, the newsletter's state, and the error
 * that stopped the send (absent when it finished). */
export interface NewsletterDone extends NewsletterProgress {
  status?: NewsletterStatus;
  counts?: NewsletterCounts;
  error?: { kind: string; code: string; message: string } | null;
}

export const newsletterProgressEvent = (id: string) => `newsletter:progress:${id}`;
export const newsletterDoneEvent = (id: string) => `newsletter:done:${id}`;

/** Merge fields the composer offers; the Go side checks them on save. */
export const MERGE_FIELDS = [
  '{{first_name|there}}',
  '{{name}}',
  '{{email}}',
  '{{custom.city}}',
] as const;

export const TLS_MODES = ['starttls', 'implicit', 'none'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

/** Outgoing mail settings as shown: never the password. */
export interface SmtpSettings {
  host: string;
  port: number;
  tls: TlsMode;
  username: string;
  passwordSet: boolean;
  fromAddress: string;
  fromName: string;
  /** Messages per second; 0 = as fast as the server accepts. */
  ratePerSecond: number;
  updatedAt?: string;
}

export interface SmtpInput {
  host: string;
  port: number;
  tls: TlsMode;
  username: string;
  /** Omitted (undefined): keep the stored password; '' clears it. */
  password?: string;
  fromAddress: string;
  fromName: string;
  ratePerSecond: number;
}

// ---------------------------------------------------------------------------
// Automations (AutomationsService)

export const TRIGGER_KINDS = [
  'member_created',
  'tag_added',
  'consent_granted',
  'date_anniversary',
] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export interface Trigger {
  kind: TriggerKind;
  /** tag_added */
  tag?: string;
  /** consent_granted */
  purpose?: string;
  /** date_anniversary: `createdAt` or a custom field's name. */
  field?: string;
  /** date_anniversary: days after (negative: before) the anniversary. */
  days?: number;
}

export const STEP_KINDS = ['wait', 'send_email', 'add_tag', 'remove_tag', 'create_task'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export interface Step {
  /** Assigned on save when empty; keeps a step's identity across edits. */
  id: string;
  kind: StepKind;
  /** wait */
  days?: number;
  /** send_email */
  subject?: string;
  bodyMarkdown?: string;
  purpose?: string;
  /** add_tag, remove_tag */
  tag?: string;
  /** create_task */
  taskTitle?: string;
  taskDueDays?: number;
}

export interface Automation {
  id: string;
  name: string;
  enabled: boolean;
  trigger: Trigger;
  steps: Step[];
  /** A ready-made automation's name ("welcome"); '' for the manager's own. */
  builtin?: string;
  enabledAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** Creates (empty id) or edits; enabling is SetEnabled's job. */
export interface AutomationInput {
  id: string;
  name: string;
  trigger: Trigger;
  steps: Step[];
}

export type EnrolmentStatus = 'active' | 'completed' | 'cancelled' | 'failed';

export interface StepRun {
  step: number;
  stepId: string;
  kind: StepKind;
  key: string;
  startedAt: string;
  /** Absent while the step is started but not known to be done. */
  doneAt?: string;
  outcome?: string;
}

/** One member's progress through one automation. */
export interface Enrolment {
  id: string;
  automationId: string;
  memberId: string;
  occurrence?: string;
  status: EnrolmentStatus;
  /** Index of the next step to run. */
  step: number;
  nextAt: string;
  enrolledAt: string;
  updatedAt: string;
  attempts?: number;
  lastError?: string;
  /** Oldest first. */
  history: StepRun[];
}

export const AUTOMATIONS_CHANGED = 'automations:changed';
export const AUTOMATIONS_PROGRESS = 'automations:progress';

// ---------------------------------------------------------------------------
// Tasks (TasksService)

export interface Task {
  id: string;
  title: string;
  notes: string;
  /** The member the task is about; '' for none. */
  memberId: string;
  /** RFC 3339; absent for "someday". */
  dueAt?: string;
  done: boolean;
  doneAt?: string;
  createdAt: string;
  updatedAt: string;
  /** `manual` or `automation:<id>`. */
  source: string;
}

export interface TaskInput {
  title: string;
  notes: string;
  memberId: string;
  /** RFC 3339; omitted for "someday". */
  dueAt?: string;
}

export const TASK_FILTERS = ['open', 'due', 'overdue', 'done', 'all'] as const;
export type TaskFilter = (typeof TASK_FILTERS)[number];

export const TASKS_CHANGED = 'tasks:changed';
/** Payload: the tasks that just became due. */
export const TASKS_DUE = 'tasks:due';

// ---------------------------------------------------------------------------
// Connections (ConnectionsService): the platforms Hearth talks to. A connection's name is the
// channel calendar items use. Its secret (API key, token, webhook URL) is never sent back.

export const CONNECTION_PLATFORMS = [
  'discourse',
  'discord',
  'mastodon',
  'mailchimp',
  'rss',
] as const;
export type ConnectionPlatform = (typeof CONNECTION_PLATFORMS)[number];

/** Non-secret settings; which apply depends on the platform. */
export interface ConnectionSettings {
  url?: string;
  username?: string;
  /** Discourse category id to post in. */
  category?: string;
  /** Discord channel id. */
  channel?: string;
  /** Discord server (guild) id, to pull its members. */
  guild?: string;
  /** Discord or Mailchimp API base address, when not the default. */
  apiUrl?: string;
  /** Discord: the secret is a webhook URL instead of a bot token. */
  webhook?: boolean;
  /** Mailchimp audience (list) id. */
  listId?: string;
  /** RSS: items matching none are ignored; none keeps every item. */
  keywords?: string[];
}

export interface Connection {
  id: string;
  name: string;
  platform: ConnectionPlatform;
  settings: ConnectionSettings;
  /** A secret is stored for it. */
  hasSecret: boolean;
  paused: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ConnectionInput {
  name: string;
  platform: ConnectionPlatform;
  settings: ConnectionSettings;
  secret: string;
}

/** Only the fields present change; an absent or empty secret keeps the stored one. */
export interface ConnectionPatch {
  name?: string;
  settings?: ConnectionSettings;
  secret?: string;
  paused?: boolean;
}

/** How a platform failed; the window says it in the person's language. */
export type FailureKind =
  'unreachable' | 'temporary' | 'rate_limited' | 'auth' | 'invalid' | 'gone';

export interface TestResult {
  ok: boolean;
  /** Why it failed, when it did. */
  kind?: FailureKind;
  /** The Go side's words (English), never a secret. */
  message: string;
  checkedAt: string;
}

/** Where secrets are kept: the OS keychain, or an encrypted file in the user's settings. */
export type SecretBackend = 'keychain' | 'file';

export const CONNECTIONS_CHANGED = 'connections:changed';

// ---------------------------------------------------------------------------
// Sync (SyncService): what the engine pushed, parked and pulled.

export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'parked'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

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
export interface ConnectionStatus {
  /** The connection's id. */
  connection: string;
  name: string;
  platform: ConnectionPlatform;
  online: boolean;
  checkedAt?: string;
  lastError?: string;
  lastErrorKind?: FailureKind;
  /** The platform refused the credentials: nothing is tried until they change or a test. */
  authFailed?: boolean;
  /** Set while the platform asked to wait (rate limit). */
  pausedUntil?: string;
  lastPullAt?: string;
  /** What the last pull brought (mostly zeros once the history is in). */
  pulledPeople: number;
  pulledActivity: number;
  pushed: number;
  queued: number;
  parked: number;
  /** What every pull stored, all runs together, and the members they created. */
  totalActivity: number;
  totalNewMembers: number;
  /** When a pull last brought anything new. */
  lastNewAt?: string;
}

export interface SyncOverview {
  running: boolean;
  lastRunAt?: string;
  queued: number;
  parked: number;
  connections: ConnectionStatus[];
}

/** One outbox entry on one connection. */
export interface Delivery {
  id: string;
  entryId: string;
  entryKey: string;
  /** Connection id. */
  connection: string;
  /** The channel name the calendar item used. */
  channel: string;
  title: string;
  state: DeliveryState;
  attempts: number;
  nextAt?: string;
  /** Readable (English) last failure. */
  reason?: string;
  /** One of REASON_CODES, when known. */
  reasonCode?: string;
  remoteId?: string;
  url?: string;
  dueAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryQuery {
  state?: DeliveryState;
  /** Connection id. */
  connection?: string;
  limit?: number;
}

export interface ConnectionReport {
  connection: string;
  name: string;
  platform: string;
  online: boolean;
  pushed: number;
  failed: number;
  parked: number;
  pulled: number;
  pulledPeople: number;
  audienceUpserted?: number;
  error?: string;
}

export interface RunReport {
  startedAt: string;
  finishedAt: string;
  connections: ConnectionReport[];
}

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
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** Something a person did on a platform. Every text field is untrusted platform content. */
export interface FeedItem {
  id: string;
  /** Connection id. */
  connection: string;
  platform: string;
  remoteId: string;
  kind: string;
  /** '' when the person is not (or no longer) a member. */
  memberId: string;
  memberName: string;
  at: string;
  channel: string;
  link: string;
  title: string;
  text: string;
  createdAt: string;
}

export interface FeedQuery {
  limit?: number;
  /** The `next` of the previous page. */
  before?: string;
  connection?: string;
  kind?: string;
}

export interface FeedPage {
  items: FeedItem[];
  /** '' when there is nothing older. */
  next: string;
}

export const SYNC_CHANGED = 'sync:changed';
export const ACTIVITY_CHANGED = 'activity:changed';

// ---------------------------------------------------------------------------
// Dashboard (DashboardService): KPIs of a date range compared with the previous one. These
// mirror backend/analytics/types.go key for key, snake_case as `hearth stats --json` prints.

/** One day of a range. */
export interface DayPoint {
  /** YYYY-MM-DD in the workspace's zone. */
  day: string;
  activities: number;
  active_members: number;
  new_members: number;
  members_total: number;
}

/** Members who joined in one month and the share of them active in each month after. */
export interface Cohort {
  /** YYYY-MM */
  month: string;
  size: number;
  /** 0..1; [0] is the joining month itself. */
  retention: number[];
}

/** One engagement level (Orbit model), with the period's moves. */
export interface LevelCount {
  /** 1 (most engaged, Ambassadors) to 4. */
  level: number;
  name: string;
  members: number;
  promoted: number;
  demoted: number;
}

/** A member ranked by weighted activity; `counts` and `last_active` make the reason shown. */
export interface SuperUser {
  member_id: string;
  name: string;
  score: number;
  level: number;
  /** Activities by kind in the range. */
  counts: Record<string, number>;
  /** RFC 3339; absent when unknown. */
  last_active?: string;
}

/** One day's activity records by mood. */
export interface SentimentDay {
  /** YYYY-MM-DD */
  day: string;
  positive: number;
  negative: number;
  neutral: number;
}

/** Activity records by mood; `score` is (positive − negative) / (positive + negative), −1..1. */
export interface Sentiment {
  positive: number;
  negative: number;
  neutral: number;
  score: number;
  daily: SentimentDay[];
}

/** A keyword used more than before: records holding it now and before; change = (count − previous) / max(previous, 1). */
export interface RisingTopic {
  word: string;
  count: number;
  previous: number;
  change: number;
}

/** The numbers of one period; `to` is exclusive (RFC 3339 instants). */
export interface KPIs {
  from: string;
  to: string;
  members_total: number;
  members_new: number;
  members_churned: number;
  members_active: number;
  dau: number;
  wau: number;
  mau: number;
  /** DAU / MAU, 0..1. */
  stickiness: number;
  /** members_new / members at `from`. */
  growth_rate: number;
  /** members_active / members_total, 0..1. */
  engagement_rate: number;
  activities: number;
  activities_by_kind: Record<string, number>;
  activities_by_channel: Record<string, number>;
  daily: DayPoint[];
  cohorts: Cohort[];
  levels: LevelCount[];
  super_users: SuperUser[];
  gone_quiet: SuperUser[];
  /** Activity records by mood (lexicon-based, French and English). */
  sentiment: Sentiment;
  /** Words in more records than in the previous period (at least 3), fastest growing first. */
  rising_topics: RisingTopic[];
  /** Questions asked in the period (a thread's first message that asks something). */
  questions: number;
  /** Of those, answered by another member before the period's end. */
  questions_answered: number;
  /** questions_answered / questions, 0..1 (0 without questions). */
  answer_rate: number;
  /** Median time from a question to its first answer, in seconds (0: none answered). */
  median_response_seconds: number;
  /** 90 % of the answered questions were answered within this many seconds. */
  response_time_p90_seconds: number;
  /** The period of equal length just before; absent inside it. */
  previous?: KPIs | null;
}

// Campaign results (DashboardService.Campaigns): what the members each newsletter reached did
// afterwards. Hearth tracks no opens or clicks (no server; private by design).

/** What a newsletter, or the newsletters of a period added up, achieved (rates over delivered). */
export interface CampaignCounts {
  recipients: number;
  delivered: number;
  bounced: number;
  failed_temp: number;
  unsubscribed: number;
  engaged: number;
  /** engaged / delivered */
  engaged_rate: number;
  baseline_engaged: number;
  /** The same recipients' share active in the 7 days before the send. */
  baseline_engaged_rate: number;
  conversions: number;
}

/** What one newsletter achieved (analytics.CampaignResult, DashboardService.Campaigns). */
export interface CampaignResult extends CampaignCounts {
  id: string;
  /** Written by a teammate, with member data possibly merged in: shown as text only. */
  subject: string;
  /** RFC 3339 instant. */
  sent_at: string;
}

/** The newsletters of a period added up (rates are the sums' ratios). */
export interface CampaignTotals extends CampaignCounts {
  newsletters: number;
}

/** The results of the newsletters sent in a period, oldest first. */
export interface CampaignReport {
  from: string;
  to: string;
  newsletters: CampaignResult[];
  totals: CampaignTotals;
}

/** The conversion funnel of a period (DashboardService.Funnel). Rates are 0 without a base. */
export interface Funnel {
  /** Members at the period's end. */
  members: number;
  /** Members whose newsletter consent is granted at the period's end. */
  subscribers: number;
  /** Members with at least one "event" activity in the period. */
  attendees: number;
  /** Members with at least one "goal" activity in the period. */
  goal: number;
  subscriber_rate: number;
  attendee_rate: number;
  goal_rate: number;
  conversion_rate: number;
}

/** What the community costs and what a conversion is worth. */
export interface ROISettings {
  cost_per_month: number;
  value_per_conversion: number;
  /** ISO 4217, "EUR" by default. */
  currency: string;
}

/** What a level asks over the score window: a weighted score and distinct active days. */
export interface Milestone {
  /** 1 to 3, set from the position. */
  level: number;
  min_score: number;
  active_days: number;
}

/** The engagement levels and goal the person sets (Settings > Engagement levels). */
export interface LevelSettings {
  /** Points per activity kind (0 to 100). */
  weights: Record<string, number>;
  /** Levels 1, 2 and 3, each at least as hard as the next. */
  milestones: Milestone[];
  /** 7 to 365. */
  score_window_days: number;
  team_tags: string[];
  /** A member carrying one counts as reaching the goal, from that edit. */
  goal_tags: string[];
}

/** The return of a period: cost prorated by days / 30.44; roi null when the cost is 0. */
export interface ROI {
  currency: string;
  cost: number;
  conversions: number;
  value: number;
  roi: number | null;
}

/** A period's funnel and its ROI under the saved settings. */
export interface FunnelResult {
  funnel: Funnel;
  roi: ROI;
}

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

/** What the weekly report is set to do. */
export interface ReportScheduleInput {
  enabled: boolean;
  /** `monday` … `sunday`. */
  weekday: string;
  /** Local time of day, `HH:MM` (24-hour). */
  at: string;
  /** Absolute path of the folder the workbooks are written to. */
  folder: string;
  /** `fr` or `en`. */
  lang: string;
}

/** The weekly report's settings and what was last written (RFC 3339 instants). */
export interface ReportSchedule extends ReportScheduleInput {
  /** When the schedule was last switched on. */
  since?: string;
  /** The last slot a workbook was written for, and its path. */
  lastSlot?: string;
  lastFile?: string;
  /** When the next workbook is due; absent when the schedule is off. */
  nextSlot?: string;
  updatedAt?: string;
}
