import type { SegmentsApi } from './segmentsApi';
import type { ApiError } from './errors';
import type {
  Backup,
  BackupRestore,
  BehindMetric,
  FunnelResult,
  CampaignReport,
  ROISettings,
  LevelSettings,
  ReportSchedule,
  ReportScheduleInput,
  KPIs,
  Connection,
  ConnectionInput,
  ConnectionPatch,
  Delivery,
  DeliveryQuery,
  FeedPage,
  FeedQuery,
  RunReport,
  SecretBackend,
  SyncOverview,
  TestResult,
  AuditEntry,
  Automation,
  AutomationInput,
  CalendarChanged,
  CalendarItem,
  Enrolment,
  ItemInput,
  ItemPatch,
  ItemStatus,
  Newsletter,
  NewsletterInput,
  NewsletterPlan,
  NewsletterDone,
  NewsletterProgress,
  Occurrence,
  Rendered,
  RescheduleScope,
  ChannelSlots,
  SmtpInput,
  SmtpSettings,
  Task,
  TaskFilter,
  TaskInput,
  TeamConflict,
  TeamExport,
  TeamExportRequest,
  TeamMerge,
  TeamMergeRequest,
  Teammate,
  MergeSuggestion,
  MergeSettings,
  MergesFound,
  MergesProgress,
  MailboxCheck,
  MailboxInput,
  MailboxSettings,
  MailboxReading,
  PeopleMerge,
  TeamShare,
  TeamShareInput,
  TeamShareRun,
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
  TimelinePage,
  TimelineQuery,
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
  calendar: CalendarApi;
  newsletters: NewslettersApi;
  automations: AutomationsApi;
  tasks: TasksApi;
  connections: ConnectionsApi;
  sync: SyncApi;
  dashboard: DashboardApi;
  reports: ReportsApi;
  backups: BackupsApi;
  team: TeamApi;
  merges: MergesApi;
  segments: SegmentsApi;
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
  /** A page of the member's story, newest first, beside where they stand. */
  timeline(id: string, query: TimelineQuery): Promise<TimelinePage>;
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

export interface CalendarApi {
  /** Occurrences with `from <= at < to` (RFC 3339), sorted by time. */
  list(from: string, to: string): Promise<Occurrence[]>;
  get(id: string): Promise<CalendarItem>;
  create(input: ItemInput): Promise<CalendarItem>;
  update(id: string, patch: ItemPatch): Promise<CalendarItem>;
  /**
   * Moves the occurrence originally at `occurrence` to `newAt`: alone (`one`), or the whole
   * series shifted by the same amount (`series`). A one-off item takes either.
   */
  reschedule(
    id: string,
    occurrence: string,
    newAt: string,
    scope: RescheduleScope,
  ): Promise<CalendarItem>;
  setStatus(id: string, status: ItemStatus): Promise<CalendarItem>;
  /** Dates the item at the next free slot of `channel`. */
  addToQueue(id: string, channel: string): Promise<CalendarItem>;
  /** Every channel's posting slots. */
  slots(): Promise<ChannelSlots[]>;
  /** Replaces one channel's slots. */
  saveSlots(slots: ChannelSlots): Promise<ChannelSlots>;
  /** Removes the item, or cancels one occurrence (by its original time) of a series. */
  delete(id: string, occurrence?: string): Promise<CalendarItem>;
}

export interface NewslettersApi {
  /** Newest first. */
  list(): Promise<Newsletter[]>;
  get(id: string): Promise<Newsletter>;
  save(input: NewsletterInput): Promise<Newsletter>;
  /** As `memberId` would receive it; '' for sample data. */
  preview(id: string, memberId: string): Promise<Rendered>;
  plan(id: string): Promise<NewsletterPlan>;
  /** Starts sending and resolves with the job id; follow it with `events.onNewsletter*`. */
  send(id: string): Promise<string>;
  /**
   * Like `send`, and also sends again to the recipients an interrupted send left uncertain
   * (`counts.uncertain`): some of them may get it twice, so only after the person confirms.
   */
  resendUncertain(id: string): Promise<string>;
  cancel(id: string): Promise<void>;
  testSend(id: string, to: string): Promise<void>;
  settings(): Promise<SmtpSettings>;
  saveSettings(input: SmtpInput): Promise<SmtpSettings>;
  /** The reply mailbox (IMAP) settings: `passwordSet`, never the password. */
  mailboxSettings(): Promise<MailboxSettings>;
  /** Replaces them (no password: the stored one is kept; '': removed); field errors by name. */
  saveMailboxSettings(input: MailboxInput): Promise<MailboxSettings>;
  /** Reads the reply mailbox once, as `hearth newsletter replies` does; what it did. */
  checkMailbox(): Promise<MailboxCheck>;
  /** When the scheduler last read the reply mailbox by itself, and the error that stopped it. */
  mailboxLastCheck(): Promise<MailboxReading>;
  /** Removes a draft; a sent newsletter is kept as a record (`newsletter_not_draft`). */
  delete(id: string): Promise<void>;
}

export interface AutomationsApi {
  list(): Promise<Automation[]>;
  get(id: string): Promise<Automation>;
  save(input: AutomationInput): Promise<Automation>;
  setEnabled(id: string, enabled: boolean): Promise<Automation>;
  /** Every member's enrolment in the automation. */
  progress(id: string): Promise<Enrolment[]>;
  /** Removes an automation and its members' progress. */
  delete(id: string): Promise<void>;
}

export interface TasksApi {
  list(filter: TaskFilter): Promise<Task[]>;
  create(input: TaskInput): Promise<Task>;
  update(id: string, input: TaskInput): Promise<Task>;
  complete(id: string, done: boolean): Promise<Task>;
  /** Resolves with the deleted task so it can be restored. */
  delete(id: string): Promise<Task>;
  restore(task: Task): Promise<Task>;
}

export interface ConnectionsApi {
  list(): Promise<Connection[]>;
  add(input: ConnectionInput): Promise<Connection>;
  update(id: string, patch: ConnectionPatch): Promise<Connection>;
  remove(id: string): Promise<void>;
  /** Checks the settings and credentials against the platform. */
  test(id: string): Promise<TestResult>;
  /** Where secrets are kept on this computer. */
  secretBackend(): Promise<SecretBackend>;
}

export interface SyncApi {
  overview(): Promise<SyncOverview>;
  deliveries(q: DeliveryQuery): Promise<Delivery[]>;
  /** Puts a parked delivery back in the queue. */
  retry(deliveryId: string): Promise<Delivery>;
  /** Drains the outbox and pulls every connection once; resolves when done. */
  runNow(): Promise<RunReport>;
  /** Stops the run under way; the run's promise then rejects with code "cancelled". */
  cancel(): Promise<void>;
  /** Incoming activity, newest first. */
  feed(q: FeedQuery): Promise<FeedPage>;
}

export interface DashboardApi {
  /**
   * The KPIs of `from`..`to` (YYYY-MM-DD, both days included, in the local zone), with
   * `previous` holding the period of equal length just before; of the members of the saved
   * segment `segment` (its id) when not '' (`unfiltered` then names the parts left empty).
   */
  stats(from: string, to: string, segment: string): Promise<KPIs>;
  /**
   * The members behind one number of `stats(from, to, segment)`, at most `limit`, most
   * relevant first.
   */
  membersBehind(
    from: string,
    to: string,
    metric: BehindMetric,
    segment: string,
    limit: number,
  ): Promise<Member[]>;
  /** The conversion funnel of `from`..`to` and its ROI (slower than `stats`: reads consent). */
  funnel(from: string, to: string): Promise<FunnelResult>;
  /**
   * What each newsletter sent in `from`..`to` achieved, with totals (slower than `stats`:
   * reads deliveries and consent).
   */
  campaigns(from: string, to: string): Promise<CampaignReport>;
  /** The saved ROI settings (0 and EUR when never saved). */
  roiSettings(): Promise<ROISettings>;
  /** Validates (amounts ≥ 0, a three-letter currency) and saves the ROI settings. */
  saveRoiSettings(input: ROISettings): Promise<ROISettings>;
  /** The engagement levels and goal settings in force (the defaults when never saved). */
  levelSettings(): Promise<LevelSettings>;
  /** The defaults "Restore defaults" puts back in the form (nothing saved). */
  levelDefaults(): Promise<LevelSettings>;
  /** Validates (field errors on weights.<kind>, milestones[i].minScore, …), saves, applies. */
  saveLevelSettings(input: LevelSettings): Promise<LevelSettings>;
  /** Forgets the saved settings; resolves with the defaults, now in force. */
  resetLevelSettings(): Promise<LevelSettings>;
}

export interface ReportsApi {
  /**
   * The KPI workbook of `from`..`to` (YYYY-MM-DD, both included) in `lang` ('' = the app's),
   * of the saved segment `segment` (its id; '' for everyone): native save dialog; the path
   * written, '' when cancelled.
   */
  exportKpi(from: string, to: string, segment: string, lang: string): Promise<string>;
  /** The members workbook; native save dialog; the path written, '' when cancelled. */
  exportMembers(lang: string): Promise<string>;
  /** The weekly report's settings, with when it runs next. */
  schedule(): Promise<ReportSchedule>;
  /** Validates (field errors on weekday, at, folder, lang) and saves the weekly report. */
  setSchedule(input: ReportScheduleInput): Promise<ReportSchedule>;
  /** Native folder dialog; '' when cancelled. */
  chooseFolder(): Promise<string>;
}

export interface BackupsApi {
  /** Newest first. */
  list(): Promise<Backup[]>;
  /** Takes a backup now. */
  create(): Promise<Backup>;
  /**
   * Prepares the restore of a backup (the current state is backed up first; people erased
   * since stay erased); Hearth then restarts on its own to finish it.
   */
  restore(id: string): Promise<BackupRestore>;
}

export interface TeamApi {
  /** This copy's teammate: replica id, my name ('' until set), my public key. */
  whoami(): Promise<Teammate>;
  /** Names the person who keeps this copy (field error on `name`). */
  setName(name: string): Promise<Teammate>;
  /** My age public key ("age1…"), which teammates encrypt bundles to. */
  publicKey(): Promise<string>;
  /** Every copy this one knows of, mine included. */
  teammates(): Promise<Teammate[]>;
  /** Native save dialog for a bundle; '' when cancelled. */
  chooseExportFile(): Promise<string>;
  /** Writes the workspace as a bundle (never its secrets). */
  export(req: TeamExportRequest): Promise<TeamExport>;
  /** Native open dialog for a teammate's bundle; '' when cancelled. */
  chooseBundle(): Promise<string>;
  /** Merges a teammate's bundle; a refused one changes nothing. */
  merge(req: TeamMergeRequest): Promise<TeamMerge>;
  /** The last merge since the window opened (`done` false when none). */
  lastMerge(): Promise<TeamMerge>;
  /** Takes a conflict's losing value back; resolves with the last merge, the conflict marked. */
  takeOther(conflict: TeamConflict): Promise<TeamMerge>;
  /** Native folder dialog for the shared folder; '' when cancelled. */
  chooseShareFolder(): Promise<string>;
  /** The shared folder's setting and its last run. */
  share(): Promise<TeamShare>;
  /** Turns the shared folder on or off, or moves it; field errors on `folder`. */
  setShare(input: TeamShareInput): Promise<TeamShare>;
  /** Shares through the folder once: merges teammates' files, writes mine if it changed. */
  shareNow(): Promise<TeamShareRun>;
}

/** Possible duplicates on the Members screen: members who look like one person. */
export interface MergesApi {
  /** Members who look like one person, strongest first, one suggestion per person. */
  suggestions(): Promise<MergeSuggestion[]>;
  /** Merges each of `others` into `keep`, in order, whole or not at all; the merges, for undo. */
  mergeGroup(keep: string, others: string[]): Promise<PeopleMerge[]>;
  /** Undoes merges by their ids, the last one first. */
  undo(mergeIds: string[]): Promise<void>;
  /** `a` and each of `others` are not one person: never proposed together again. */
  dismiss(a: string, others: string[]): Promise<void>;
  /** The suggestion one member is part of (none or one), found from that member's keys. */
  suggestionsFor(memberId: string): Promise<MergeSuggestion[]>;
  /**
   * Starts the search for duplicates in the background and resolves with its job id; follow it
   * with `events.onMerges*`. While one runs, its id.
   */
  find(): Promise<string>;
  /** Stops the search `id`; its done event says it was cancelled. */
  cancel(id: string): Promise<void>;
  /** Automatic merging, on or off. */
  settings(): Promise<MergeSettings>;
  saveSettings(settings: MergeSettings): Promise<MergeSettings>;
}

export interface WindowApi {
  /** Sets the native window's title (the page title outside Wails). */
  setTitle(title: string): void;
  /** Why the workspace could not be opened (damaged, in use, a full disk), or null when it opened. */
  startupFailure(): Promise<ApiError | null>;
  /** Closes the window and ends Hearth. */
  quit(): void;
  /**
   * Says the first content of a screen is on screen (the first member rows, the dashboard's
   * cards), for the window benchmark; nothing the person sees.
   */
  painted(what: PaintedScreen): void;
}

/** The screens whose first paint the window benchmark times. */
export type PaintedScreen = 'members' | 'dashboard';

export interface EventsApi {
  /** Returns the function that unsubscribes. */
  onMembersChanged(callback: (change: MembersChanged) => void): () => void;
  onConsentChanged(callback: (change: ConsentChanged) => void): () => void;
  onImportProgress(jobId: string, callback: (progress: ImportProgress) => void): () => void;
  onImportDone(jobId: string, callback: (summary: ImportSummary) => void): () => void;
  onCalendarChanged(callback: (change: CalendarChanged) => void): () => void;
  onNewsletterProgress(id: string, callback: (p: NewsletterProgress) => void): () => void;
  onNewsletterDone(id: string, callback: (p: NewsletterDone) => void): () => void;
  onMergesProgress(id: string, callback: (p: MergesProgress) => void): () => void;
  onMergesDone(id: string, callback: (p: MergesFound) => void): () => void;
  /** Automations saved, switched, or whose members moved on. */
  onAutomationsChanged(callback: () => void): () => void;
  onTasksChanged(callback: () => void): () => void;
  /** The tasks that just became due (each announced once). */
  onTasksDue(callback: (tasks: Task[]) => void): () => void;
  /** Deliveries or connection statuses changed (a run, a retry). */
  onSyncChanged(callback: () => void): () => void;
  onConnectionsChanged(callback: () => void): () => void;
  /** New incoming activity was stored. */
  onActivityChanged(callback: () => void): () => void;
}
