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
  /** Consent lapses after this many months; 0 = never; null = the workspace default. */
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
