import * as AutomationsService from '../../wailsjs/go/app/AutomationsService';
import * as CalendarService from '../../wailsjs/go/app/CalendarService';
import * as ConnectionsService from '../../wailsjs/go/app/ConnectionsService';
import * as ConsentService from '../../wailsjs/go/app/ConsentService';
import * as DashboardService from '../../wailsjs/go/app/DashboardService';
import * as ExportService from '../../wailsjs/go/app/ExportService';
import * as GdprService from '../../wailsjs/go/app/GdprService';
import * as ImportService from '../../wailsjs/go/app/ImportService';
import * as MembersService from '../../wailsjs/go/app/MembersService';
import * as NewsletterService from '../../wailsjs/go/app/NewsletterService';
import * as ReportsService from '../../wailsjs/go/app/ReportsService';
import * as SettingsService from '../../wailsjs/go/app/SettingsService';
import * as SyncService from '../../wailsjs/go/app/SyncService';
import * as TasksService from '../../wailsjs/go/app/TasksService';
import * as WorkspaceService from '../../wailsjs/go/app/WorkspaceService';
import { EventsOn, WindowSetTitle } from '../../wailsjs/runtime/runtime';
import { shiftInZone, toRfc3339, userTimeZone } from '../i18n/zoned';
import type { Api } from './api';
import { toApiError } from './errors';
import {
  type BehindMetric,
  type FunnelResult,
  type CampaignReport,
  type ROISettings,
  type LevelSettings,
  type ReportSchedule,
  type ReportScheduleInput,
  type KPIs,
  ACTIVITY_CHANGED,
  CONNECTIONS_CHANGED,
  SYNC_CHANGED,
  type Connection,
  type ConnectionInput,
  type ConnectionPatch,
  type Delivery,
  type DeliveryQuery,
  type FeedPage,
  type FeedQuery,
  type RunReport,
  type SyncOverview,
  type TestResult,
  AUTOMATIONS_CHANGED,
  AUTOMATIONS_PROGRESS,
  CALENDAR_CHANGED,
  CONSENT_CHANGED,
  MEMBERS_CHANGED,
  TASKS_CHANGED,
  TASKS_DUE,
  newsletterDoneEvent,
  newsletterProgressEvent,
  type Automation,
  type AutomationInput,
  type CalendarChanged,
  type CalendarItem,
  type Enrolment,
  type ItemInput,
  type ItemPatch,
  type ItemStatus,
  type Newsletter,
  type NewsletterInput,
  type NewsletterPlan,
  type NewsletterDone,
  type NewsletterProgress,
  type Occurrence,
  type Rendered,
  type ChannelSlots,
  type CalendarQuery,
  type SmtpInput,
  type SmtpSettings,
  type Task,
  type TaskFilter,
  type TaskInput,
  importDoneEvent,
  importProgressEvent,
  type AuditEntry,
  type ConsentChanged,
  type ConsentEvent,
  type ConsentInput,
  type ConsentStatus,
  type CreateInput,
  type ExportRequest,
  type ImportPreview,
  type ImportProgress,
  type ImportRequest,
  type ImportSummary,
  type Notice,
  type NoticeInput,
  type Purpose,
  type PurposeInput,
  type Settings,
  type ListQuery,
  type Member,
  type MembersChanged,
  type Page,
  type Patch,
  type TagCount,
  type WorkspaceInfo,
} from './types';

// The generated .d.ts files type arguments with generated model classes; we
// only rely on the function names (checked here) and on the JSON contract
// (the hand-written types), so regenerating bindings never breaks the build.
type AnyBinding = (...args: never[]) => Promise<unknown>;

interface MembersBindings {
  List(q: ListQuery): Promise<Page>;
  Get(id: string): Promise<Member>;
  Create(input: CreateInput): Promise<Member>;
  Update(id: string, patch: Patch): Promise<Member>;
  Delete(id: string): Promise<Member>;
  Restore(member: Member): Promise<Member>;
  Tags(): Promise<TagCount[] | null>;
}
interface WorkspaceBindings {
  Info(): Promise<WorkspaceInfo>;
}
interface ImportBindings {
  ChooseFile(): Promise<string>;
  Preview(req: ImportRequest): Promise<ImportPreview>;
  Start(req: ImportRequest): Promise<string>;
  Cancel(jobId: string): Promise<void>;
  SaveRejected(jobId: string): Promise<string>;
}
interface ExportBindings {
  Export(req: ExportRequest): Promise<string>;
}
interface ConsentBindings {
  Purposes(): Promise<Purpose[] | null>;
  SavePurpose(p: PurposeInput): Promise<Purpose>;
  Notices(purpose: string): Promise<Notice[] | null>;
  PublishNotice(n: NoticeInput): Promise<Notice>;
  Summary(memberId: string): Promise<ConsentStatus[] | null>;
  History(memberId: string): Promise<ConsentEvent[] | null>;
  Grant(input: ConsentInput): Promise<ConsentStatus>;
  Withdraw(input: ConsentInput): Promise<ConsentStatus>;
}
interface GdprBindings {
  Export(memberId: string): Promise<string>;
  Erase(memberId: string, confirmation: string): Promise<void>;
  Inactive(months: number): Promise<Member[] | null>;
  Anonymise(ids: string[]): Promise<number>;
  Audit(memberId: string, limit: number): Promise<AuditEntry[] | null>;
}
interface SettingsBindings {
  Get(): Promise<Settings>;
  Save(s: Settings): Promise<Settings>;
}

interface CalendarBindings {
  List(q: CalendarQuery): Promise<Occurrence[] | null>;
  Get(id: string): Promise<CalendarItem>;
  Create(input: ItemInput): Promise<CalendarItem>;
  /** With `occurrence` set, moves that occurrence of a series alone. */
  Update(id: string, patch: ItemPatch & { occurrence?: string }): Promise<CalendarItem>;
  SetStatus(id: string, status: ItemStatus): Promise<CalendarItem>;
  Retry(id: string, occurrence: string): Promise<CalendarItem>;
  AddToQueue(id: string, channel: string): Promise<CalendarItem>;
  NextSlot(channel: string): Promise<string>;
  Slots(): Promise<ChannelSlots[] | null>;
  SaveSlots(cs: ChannelSlots): Promise<ChannelSlots>;
  Delete(id: string, occurrence: string | null): Promise<CalendarItem>;
  LocalZone(): Promise<string>;
}
interface NewsletterBindings {
  List(): Promise<Newsletter[] | null>;
  Get(id: string): Promise<Newsletter>;
  Save(input: NewsletterInput): Promise<Newsletter>;
  Preview(id: string, memberId: string): Promise<Rendered>;
  Plan(id: string): Promise<NewsletterPlan>;
  Send(id: string): Promise<string>;
  Cancel(id: string): Promise<void>;
  Delete(id: string): Promise<void>;
  TestSend(id: string, to: string): Promise<void>;
  Settings(): Promise<SmtpSettings>;
  SaveSettings(input: SmtpInput): Promise<SmtpSettings>;
}
interface AutomationsBindings {
  List(): Promise<Automation[] | null>;
  Get(id: string): Promise<Automation>;
  Save(input: AutomationInput): Promise<Automation>;
  SetEnabled(id: string, enabled: boolean): Promise<Automation>;
  Progress(id: string): Promise<Enrolment[] | null>;
  Delete(id: string): Promise<void>;
  ForMember(memberId: string): Promise<Enrolment[] | null>;
}
interface TasksBindings {
  List(filter: TaskFilter): Promise<Task[] | null>;
  ForMember(memberId: string): Promise<Task[] | null>;
  Save(id: string, input: TaskInput): Promise<Task>;
  Create(input: TaskInput): Promise<Task>;
  Update(id: string, input: TaskInput): Promise<Task>;
  Complete(id: string, done: boolean): Promise<Task>;
  Delete(id: string): Promise<Task>;
  Restore(task: Task): Promise<Task>;
}

interface ConnectionsBindings {
  List(): Promise<Connection[] | null>;
  Add(input: ConnectionInput): Promise<Connection>;
  Update(id: string, patch: ConnectionPatch): Promise<Connection>;
  Remove(id: string): Promise<void>;
  Test(id: string): Promise<TestResult>;
  SecretBackend(): Promise<string>;
}
interface SyncBindings {
  Overview(): Promise<SyncOverview>;
  Deliveries(q: DeliveryQuery): Promise<Delivery[] | null>;
  Retry(deliveryId: string): Promise<Delivery>;
  RunNow(): Promise<RunReport>;
  Cancel(): Promise<void>;
  Feed(q: FeedQuery): Promise<FeedPage>;
}

interface DashboardBindings {
  Stats(from: string, to: string): Promise<KPIs>;
  MembersBehind(
    from: string,
    to: string,
    metric: BehindMetric,
    limit: number,
  ): Promise<Member[] | null>;
  Funnel(from: string, to: string): Promise<FunnelResult>;
  Campaigns(from: string, to: string): Promise<CampaignReport>;
  ROISettings(): Promise<ROISettings>;
  SaveROISettings(input: ROISettings): Promise<ROISettings>;
  LevelSettings(): Promise<LevelSettings>;
  LevelDefaults(): Promise<LevelSettings>;
  SaveLevelSettings(input: LevelSettings): Promise<LevelSettings>;
  ResetLevelSettings(): Promise<LevelSettings>;
}

interface ReportsBindings {
  ExportKPI(from: string, to: string, lang: string): Promise<string>;
  ExportMembers(lang: string): Promise<string>;
  Schedule(): Promise<ReportSchedule>;
  SetSchedule(input: ReportScheduleInput): Promise<ReportSchedule>;
  ChooseFolder(): Promise<string>;
}

const members = MembersService satisfies Record<
  keyof MembersBindings,
  AnyBinding
> as unknown as MembersBindings;
const workspace = WorkspaceService satisfies Record<
  keyof WorkspaceBindings,
  AnyBinding
> as unknown as WorkspaceBindings;

const imports = ImportService satisfies Record<
  keyof ImportBindings,
  AnyBinding
> as unknown as ImportBindings;
const exporter = ExportService satisfies Record<
  keyof ExportBindings,
  AnyBinding
> as unknown as ExportBindings;
const consent = ConsentService satisfies Record<
  keyof ConsentBindings,
  AnyBinding
> as unknown as ConsentBindings;
const gdpr = GdprService satisfies Record<
  keyof GdprBindings,
  AnyBinding
> as unknown as GdprBindings;
const settings = SettingsService satisfies Record<
  keyof SettingsBindings,
  AnyBinding
> as unknown as SettingsBindings;

const calendar = CalendarService satisfies Record<
  keyof CalendarBindings,
  AnyBinding
> as unknown as CalendarBindings;
const newsletters = NewsletterService satisfies Record<
  keyof NewsletterBindings,
  AnyBinding
> as unknown as NewsletterBindings;
const automations = AutomationsService satisfies Record<
  keyof AutomationsBindings,
  AnyBinding
> as unknown as AutomationsBindings;
const tasks = TasksService satisfies Record<
  keyof TasksBindings,
  AnyBinding
> as unknown as TasksBindings;

const connections = ConnectionsService satisfies Record<
  keyof ConnectionsBindings,
  AnyBinding
> as unknown as ConnectionsBindings;
const sync = SyncService satisfies Record<
  keyof SyncBindings,
  AnyBinding
> as unknown as SyncBindings;

const dashboard = DashboardService satisfies Record<
  keyof DashboardBindings,
  AnyBinding
> as unknown as DashboardBindings;

const reports = ReportsService satisfies Record<
  keyof ReportsBindings,
  AnyBinding
> as unknown as ReportsBindings;

/** Go's nil maps and slices arrive as null. */
function normaliseLevels(s: LevelSettings): LevelSettings {
  return {
    ...s,
    weights: s.weights ?? {},
    milestones: s.milestones ?? [],
    team_tags: s.team_tags ?? [],
    goal_tags: s.goal_tags ?? [],
  };
}

/** Rejections become ApiError, whatever shape the Go side used. */
async function call<T>(promise: () => Promise<T>): Promise<T> {
  try {
    return await promise();
  } catch (reason) {
    throw toApiError(reason);
  }
}

/** Zero times are left out by Go (omitzero); a year-1 stamp from an older build is dropped too. */
export function normaliseSchedule(s: ReportSchedule): ReportSchedule {
  const when = (v: string | undefined) => (v && !v.startsWith('0001-') ? v : undefined);
  const out: ReportSchedule = {
    enabled: !!s.enabled,
    weekday: s.weekday ?? 'monday',
    at: s.at ?? '08:00',
    folder: s.folder ?? '',
    lang: s.lang || 'en',
  };
  const stamps = ['since', 'lastSlot', 'nextSlot', 'updatedAt'] as const;
  for (const k of stamps) {
    const v = when(s[k]);
    if (v) out[k] = v;
  }
  if (s.lastFile) out.lastFile = s.lastFile;
  return out;
}

/** Go encodes nil slices and maps as null; the UI always gets empty ones. */
export function normaliseMember(m: Member): Member {
  return {
    ...m,
    name: m.name ?? '',
    emails: m.emails ?? [],
    handles: m.handles ?? [],
    tags: m.tags ?? [],
    customFields: m.customFields ?? {},
    notes: m.notes ?? '',
  };
}

export function normalisePreview(p: ImportPreview): ImportPreview {
  return {
    ...p,
    encoding: p.encoding ?? '',
    delimiter: p.delimiter ?? '',
    sheets: p.sheets ?? [],
    sheet: p.sheet ?? '',
    columns: (p.columns ?? []).map((c) => ({ ...c, header: c.header ?? '', field: c.field ?? '' })),
    rows: (p.rows ?? []).map((r) => ({ ...r, cells: r.cells ?? [] })),
    fields: p.fields ?? [],
  };
}

export function normaliseSummary(s: Partial<ImportSummary>): ImportSummary {
  return {
    jobId: s.jobId ?? '',
    dryRun: s.dryRun ?? false,
    cancelled: s.cancelled ?? false,
    created: s.created ?? 0,
    updated: s.updated ?? 0,
    unchanged: s.unchanged ?? 0,
    rejected: s.rejected ?? 0,
    errors: (s.errors ?? []).map((e) => ({
      ...e,
      column: e.column ?? '',
      message: e.message ?? '',
    })),
  };
}

export function normaliseItem(i: CalendarItem): CalendarItem {
  return {
    ...i,
    body: i.body ?? '',
    attachments: i.attachments ?? [],
    channels: i.channels ?? [],
    assignee: i.assignee ?? '',
    campaign: i.campaign ?? '',
    notes: i.notes ?? '',
    repeat: i.repeat ? { ...i.repeat, weekdays: i.repeat.weekdays ?? [] } : null,
  };
}

const normaliseOccurrence = (o: Occurrence): Occurrence => ({
  ...o,
  channels: o.channels ?? [],
  campaign: o.campaign ?? '',
  assignee: o.assignee ?? '',
});

export function normaliseNewsletter(n: Newsletter): Newsletter {
  return { ...n, tags: n.tags ?? [], search: n.search ?? '', sentAt: n.sentAt ?? null };
}

export function normaliseProgress(
  p: Partial<NewsletterDone> | undefined,
  id: string,
): NewsletterDone {
  return {
    ...(p?.status ? { status: p.status } : {}),
    ...(p?.counts ? { counts: p.counts } : {}),
    ...(p?.error ? { error: p.error } : {}),
    newsletterId: p?.newsletterId ?? id,
    total: p?.total ?? 0,
    done: p?.done ?? 0,
    sent: p?.sent ?? 0,
    failedTemp: p?.failedTemp ?? 0,
    failedPerm: p?.failedPerm ?? 0,
    round: p?.round ?? 1,
  };
}

const normaliseAutomation = (a: Automation): Automation => ({ ...a, steps: a.steps ?? [] });
const normaliseEnrolment = (e: Enrolment): Enrolment => ({ ...e, history: e.history ?? [] });

const normaliseEvent = (e: ConsentEvent): ConsentEvent => ({ ...e, proof: e.proof ?? {} });

export function normaliseConnection(c: Connection): Connection {
  return { ...c, settings: c.settings ?? {} };
}

export function normaliseOverview(o: SyncOverview): SyncOverview {
  return {
    ...o,
    queued: o.queued ?? 0,
    parked: o.parked ?? 0,
    connections: o.connections ?? [],
  };
}

/** Go leaves out empty strings (omitempty): the UI always gets them. */
export function normaliseFeed(p: FeedPage | null): FeedPage {
  return {
    items: (p?.items ?? []).map((i) => ({
      ...i,
      memberId: i.memberId ?? '',
      memberName: i.memberName ?? '',
      channel: i.channel ?? '',
      link: i.link ?? '',
      title: i.title ?? '',
      text: i.text ?? '',
    })),
    next: p?.next ?? '',
  };
}

/** Go encodes nil maps and slices as null and leaves out a zero `last_active`. */
export function normaliseKpis(k: KPIs): KPIs {
  const users = (xs: KPIs['super_users'] | null) =>
    (xs ?? []).map((u) => ({ ...u, name: u.name ?? '', counts: u.counts ?? {} }));
  return {
    ...k,
    activities_by_kind: k.activities_by_kind ?? {},
    activities_by_channel: k.activities_by_channel ?? {},
    daily: k.daily ?? [],
    cohorts: (k.cohorts ?? []).map((c) => ({ ...c, retention: c.retention ?? [] })),
    levels: k.levels ?? [],
    super_users: users(k.super_users),
    gone_quiet: users(k.gone_quiet),
    sentiment: {
      positive: k.sentiment?.positive ?? 0,
      negative: k.sentiment?.negative ?? 0,
      neutral: k.sentiment?.neutral ?? 0,
      score: k.sentiment?.score ?? 0,
      daily: k.sentiment?.daily ?? [],
    },
    rising_topics: k.rising_topics ?? [],
    previous: k.previous ? normaliseKpis(k.previous) : null,
  };
}

/** True when the page runs inside Wails with the app's services bound. */
export function hasWailsBindings(): boolean {
  const w = window as unknown as { go?: { app?: { MembersService?: unknown } } };
  return w.go?.app?.MembersService !== undefined;
}

export function createWailsApi(): Api {
  return {
    members: {
      list: (q) =>
        call(async () => {
          const page = await members.List(q);
          return { ...page, items: (page.items ?? []).map(normaliseMember) };
        }),
      get: (id) => call(async () => normaliseMember(await members.Get(id))),
      create: (input) => call(async () => normaliseMember(await members.Create(input))),
      update: (id, patch) => call(async () => normaliseMember(await members.Update(id, patch))),
      delete: (id) => call(async () => normaliseMember(await members.Delete(id))),
      restore: (m) => call(async () => normaliseMember(await members.Restore(m))),
      tags: () => call(async () => (await members.Tags()) ?? []),
    },
    workspace: {
      info: () => call(() => workspace.Info()),
    },
    imports: {
      chooseFile: () => call(() => imports.ChooseFile()),
      preview: (req) => call(async () => normalisePreview(await imports.Preview(req))),
      start: (req) => call(() => imports.Start(req)),
      cancel: (jobId) => call(() => imports.Cancel(jobId)),
      saveRejected: (jobId) => call(() => imports.SaveRejected(jobId)),
    },
    exports: {
      export: (req) => call(() => exporter.Export(req)),
    },
    consent: {
      purposes: () => call(async () => (await consent.Purposes()) ?? []),
      savePurpose: (p) => call(() => consent.SavePurpose(p)),
      // Go lists notices and history oldest first; the screens show the newest first.
      notices: (purpose) => call(async () => ((await consent.Notices(purpose)) ?? []).reverse()),
      publishNotice: (n) => call(() => consent.PublishNotice(n)),
      summary: (memberId) => call(async () => (await consent.Summary(memberId)) ?? []),
      history: (memberId) =>
        call(async () => ((await consent.History(memberId)) ?? []).map(normaliseEvent).reverse()),
      grant: (input) => call(() => consent.Grant(input)),
      withdraw: (input) => call(() => consent.Withdraw(input)),
    },
    gdpr: {
      export: (memberId) => call(() => gdpr.Export(memberId)),
      erase: (memberId, confirmation) => call(() => gdpr.Erase(memberId, confirmation)),
      inactive: (months) =>
        call(async () => ((await gdpr.Inactive(months)) ?? []).map(normaliseMember)),
      anonymise: (ids) => call(() => gdpr.Anonymise(ids)),
      audit: (memberId, limit) => call(async () => (await gdpr.Audit(memberId, limit)) ?? []),
    },
    settings: {
      get: () => call(() => settings.Get()),
      save: (s) => call(() => settings.Save(s)),
    },
    calendar: {
      list: (from, to) =>
        call(async () =>
          ((await calendar.List({ from, to, channel: '' })) ?? []).map(normaliseOccurrence),
        ),
      get: (id) => call(async () => normaliseItem(await calendar.Get(id))),
      create: (input) => call(async () => normaliseItem(await calendar.Create(input))),
      update: (id, patch) => call(async () => normaliseItem(await calendar.Update(id, patch))),
      // Go moves one occurrence with an Update naming it, and a series with an Update of its
      // first time: the series shifts by as much as the dragged occurrence.
      reschedule: (id, occurrence, newAt, scope) =>
        call(async () => {
          const item = await calendar.Get(id);
          if (item.repeat && scope === 'one')
            return normaliseItem(await calendar.Update(id, { at: newAt, occurrence }));
          const zone = item.timeZone || userTimeZone();
          const at =
            item.repeat && item.at
              ? toRfc3339(
                  shiftInZone(new Date(item.at), new Date(occurrence), new Date(newAt), zone),
                  zone,
                )
              : newAt;
          return normaliseItem(await calendar.Update(id, { at }));
        }),
      setStatus: (id, status) =>
        call(async () => normaliseItem(await calendar.SetStatus(id, status))),
      addToQueue: (id, channel) =>
        call(async () => normaliseItem(await calendar.AddToQueue(id, channel))),
      slots: () =>
        call(async () =>
          ((await calendar.Slots()) ?? []).map((cs) => ({ ...cs, slots: cs.slots ?? [] })),
        ),
      saveSlots: (cs) => call(() => calendar.SaveSlots(cs)),
      delete: (id, occurrence) =>
        call(async () => normaliseItem(await calendar.Delete(id, occurrence ?? null))),
    },
    newsletters: {
      list: () => call(async () => ((await newsletters.List()) ?? []).map(normaliseNewsletter)),
      get: (id) => call(async () => normaliseNewsletter(await newsletters.Get(id))),
      save: (input) => call(async () => normaliseNewsletter(await newsletters.Save(input))),
      preview: (id, memberId) => call(() => newsletters.Preview(id, memberId)),
      plan: (id) =>
        call(async () => {
          const plan = await newsletters.Plan(id);
          return { ...plan, sample: plan.sample ?? [] };
        }),
      send: (id) => call(() => newsletters.Send(id)),
      cancel: (id) => call(() => newsletters.Cancel(id)),
      testSend: (id, to) => call(() => newsletters.TestSend(id, to)),
      settings: () => call(() => newsletters.Settings()),
      saveSettings: (input) => call(() => newsletters.SaveSettings(input)),
      delete: (id) => call(() => newsletters.Delete(id)),
    },
    automations: {
      list: () => call(async () => ((await automations.List()) ?? []).map(normaliseAutomation)),
      get: (id) => call(async () => normaliseAutomation(await automations.Get(id))),
      save: (input) => call(async () => normaliseAutomation(await automations.Save(input))),
      setEnabled: (id, on) =>
        call(async () => normaliseAutomation(await automations.SetEnabled(id, on))),
      progress: (id) =>
        call(async () => ((await automations.Progress(id)) ?? []).map(normaliseEnrolment)),
      delete: (id) => call(() => automations.Delete(id)),
    },
    tasks: {
      list: (filter) => call(async () => (await tasks.List(filter)) ?? []),
      create: (input) => call(() => tasks.Create(input)),
      update: (id, input) => call(() => tasks.Update(id, input)),
      complete: (id, done) => call(() => tasks.Complete(id, done)),
      delete: (id) => call(() => tasks.Delete(id)),
      restore: (task) => call(() => tasks.Restore(task)),
    },
    connections: {
      list: () => call(async () => ((await connections.List()) ?? []).map(normaliseConnection)),
      add: (input) => call(async () => normaliseConnection(await connections.Add(input))),
      update: (id, patch) =>
        call(async () => normaliseConnection(await connections.Update(id, patch))),
      remove: (id) => call(() => connections.Remove(id)),
      test: (id) => call(() => connections.Test(id)),
      secretBackend: () =>
        call(async () =>
          (await connections.SecretBackend()) === 'keychain' ? 'keychain' : 'file',
        ),
    },
    sync: {
      overview: () => call(async () => normaliseOverview(await sync.Overview())),
      deliveries: (q) => call(async () => (await sync.Deliveries(q)) ?? []),
      retry: (id) => call(() => sync.Retry(id)),
      runNow: () =>
        call(async () => {
          const report = await sync.RunNow();
          return { ...report, connections: report.connections ?? [] };
        }),
      cancel: () => call(() => sync.Cancel()),
      feed: (q) => call(async () => normaliseFeed(await sync.Feed(q))),
    },
    dashboard: {
      stats: (from, to) => call(async () => normaliseKpis(await dashboard.Stats(from, to))),
      membersBehind: (from, to, metric, limit) =>
        call(async () =>
          ((await dashboard.MembersBehind(from, to, metric, limit)) ?? []).map(normaliseMember),
        ),
      funnel: (from, to) => call(() => dashboard.Funnel(from, to)),
      campaigns: (from, to) =>
        call(async () => {
          const r = await dashboard.Campaigns(from, to);
          return { ...r, newsletters: r.newsletters ?? [] };
        }),
      roiSettings: () => call(() => dashboard.ROISettings()),
      saveRoiSettings: (input) => call(() => dashboard.SaveROISettings(input)),
      levelSettings: () => call(async () => normaliseLevels(await dashboard.LevelSettings())),
      levelDefaults: () => call(async () => normaliseLevels(await dashboard.LevelDefaults())),
      saveLevelSettings: (input) =>
        call(async () => normaliseLevels(await dashboard.SaveLevelSettings(input))),
      resetLevelSettings: () =>
        call(async () => normaliseLevels(await dashboard.ResetLevelSettings())),
    },
    reports: {
      exportKpi: (from, to, lang) =>
        call(async () => (await reports.ExportKPI(from, to, lang)) ?? ''),
      exportMembers: (lang) => call(async () => (await reports.ExportMembers(lang)) ?? ''),
      schedule: () => call(async () => normaliseSchedule(await reports.Schedule())),
      setSchedule: (input) => call(async () => normaliseSchedule(await reports.SetSchedule(input))),
      chooseFolder: () => call(async () => (await reports.ChooseFolder()) ?? ''),
    },
    events: {
      onSyncChanged: (callback) => EventsOn(SYNC_CHANGED, () => callback()),
      onConnectionsChanged: (callback) => EventsOn(CONNECTIONS_CHANGED, () => callback()),
      onActivityChanged: (callback) => EventsOn(ACTIVITY_CHANGED, () => callback()),
      onMembersChanged: (callback) =>
        EventsOn(MEMBERS_CHANGED, (payload?: Partial<MembersChanged>) =>
          callback({ ids: payload?.ids ?? [] }),
        ),
      onConsentChanged: (callback) =>
        EventsOn(CONSENT_CHANGED, (payload?: Partial<ConsentChanged>) =>
          callback({ memberId: payload?.memberId ?? '' }),
        ),
      onImportProgress: (jobId, callback) =>
        EventsOn(importProgressEvent(jobId), (payload?: Partial<ImportProgress>) =>
          callback({ rows: payload?.rows ?? 0, fraction: payload?.fraction ?? 0 }),
        ),
      onImportDone: (jobId, callback) =>
        EventsOn(importDoneEvent(jobId), (payload?: Partial<ImportSummary>) =>
          callback(normaliseSummary({ jobId, ...payload })),
        ),
      onCalendarChanged: (callback) =>
        EventsOn(CALENDAR_CHANGED, (payload?: Partial<CalendarChanged>) =>
          callback({ ids: payload?.ids ?? [] }),
        ),
      onNewsletterProgress: (id, callback) =>
        EventsOn(newsletterProgressEvent(id), (payload?: Partial<NewsletterProgress>) =>
          callback(normaliseProgress(payload, id)),
        ),
      onNewsletterDone: (id, callback) =>
        EventsOn(newsletterDoneEvent(id), (payload?: Partial<NewsletterDone>) =>
          callback(normaliseProgress(payload, id)),
        ),
      onAutomationsChanged: (callback) => {
        const offChanged = EventsOn(AUTOMATIONS_CHANGED, () => callback());
        const offProgress = EventsOn(AUTOMATIONS_PROGRESS, () => callback());
        return () => {
          offChanged();
          offProgress();
        };
      },
      onTasksChanged: (callback) => EventsOn(TASKS_CHANGED, () => callback()),
      onTasksDue: (callback) =>
        EventsOn(TASKS_DUE, (payload?: Task[] | null) => callback(payload ?? [])),
    },
    window: {
      setTitle: (title) => {
        document.title = title;
        WindowSetTitle(title);
      },
    },
  };
}
