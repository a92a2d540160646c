import type {
  AuditEntry,
  ConsentChanged,
  ConsentEvent,
  ConsentInput,
  ConsentStatus,
  CreateInput,
  ExportRequest,
  ImportPreview,
  ImportProgress,
  ImportRequest,
  ImportSummary,
  ListQuery,
  Member,
  MembersChanged,
  Notice,
  NoticeInput,
  Page,
  Patch,
  Purpose,
  PurposeInput,
  Settings,
  TagCount,
  WorkspaceInfo,
} from './types';

/**
 * Everything the UI asks of the Go side. Two implementations: `createWailsApi`
 * (generated bindings) and `createFakeApi` (in memory, for tests and demo mode).
 * Every rejected promise carries an `ApiError`.
 */
export interface Api {
  members: MembersApi;
  workspace: WorkspaceApi;
  imports: ImportApi;
  exports: ExportApi;
  consent: ConsentApi;
  gdpr: GdprApi;
  settings: SettingsApi;
  events: EventsApi;
  window: WindowApi;
}

export interface MembersApi {
  list(query: ListQuery): Promise<Page>;
  get(id: string): Promise<Member>;
  create(input: CreateInput): Promise<Member>;
  update(id: string, patch: Patch): Promise<Member>;
  /** Resolves with the deleted member so it can be restored. */
  delete(id: string): Promise<Member>;
  /** Brings a deleted member back with the same id. */
  restore(member: Member): Promise<Member>;
  tags(): Promise<TagCount[]>;
}

export interface WorkspaceApi {
  info(): Promise<WorkspaceInfo>;
}

export interface ImportApi {
  /** Native open dialog; '' when cancelled. */
  chooseFile(): Promise<string>;
  preview(req: ImportRequest): Promise<ImportPreview>;
  /** Starts the job and resolves with its id; follow it with `events.onImport*`. */
  start(req: ImportRequest): Promise<string>;
  cancel(jobId: string): Promise<void>;
  /** Native save dialog for the rejected rows; the path written, '' when cancelled. */
  saveRejected(jobId: string): Promise<string>;
}

export interface ExportApi {
  /** Native save dialog; the path written, '' when cancelled. */
  export(req: ExportRequest): Promise<string>;
}

export interface ConsentApi {
  purposes(): Promise<Purpose[]>;
  savePurpose(p: PurposeInput): Promise<Purpose>;
  /** Newest first. */
  notices(purpose: string): Promise<Notice[]>;
  publishNotice(n: NoticeInput): Promise<Notice>;
  /** One status per purpose. */
  summary(memberId: string): Promise<ConsentStatus[]>;
  /** Newest first. */
  history(memberId: string): Promise<ConsentEvent[]>;
  grant(input: ConsentInput): Promise<ConsentStatus>;
  withdraw(input: ConsentInput): Promise<ConsentStatus>;
}

export interface GdprApi {
  /** Native folder dialog; the folder written (JSON + XLSX), '' when cancelled. */
  export(memberId: string): Promise<string>;
  /** Irreversible. `confirmation` is the primary e-mail, or the name when there is none. */
  erase(memberId: string, confirmation: string): Promise<void>;
  /** Members not updated for `months` months. */
  inactive(months: number): Promise<Member[]>;
  /** Resolves with the number of members anonymised. */
  anonymise(ids: string[]): Promise<number>;
  /** Newest first; memberId '' = every entry. */
  audit(memberId: string, limit: number): Promise<AuditEntry[]>;
}

export interface SettingsApi {
  get(): Promise<Settings>;
  save(s: Settings): Promise<Settings>;
}

export interface WindowApi {
  /** Sets the native window's title (the page title outside Wails). */
  setTitle(title: string): void;
}

export interface EventsApi {
  /** Returns the function that unsubscribes. */
  onMembersChanged(callback: (change: MembersChanged) => void): () => void;
  onConsentChanged(callback: (change: ConsentChanged) => void): () => void;
  onImportProgress(jobId: string, callback: (progress: ImportProgress) => void): () => void;
  onImportDone(jobId: string, callback: (summary: ImportSummary) => void): () => void;
}
