import type { Api, MembersApi } from '../api';
import { ApiError } from '../errors';
import {
  MEMBERS_CHANGED,
  importDoneEvent,
  importProgressEvent,
  type AuditEntry,
  type ConsentChanged,
  type ConsentEvent,
  type ImportProgress,
  type ImportRequest,
  type ImportSummary,
  type ListQuery,
  type Member,
  type MembersChanged,
  type Page,
  type Purpose,
  type TagCount,
  type TimelinePage,
  type WorkspaceInfo,
  CONSENT_CHANGED,
  AUTOMATIONS_CHANGED,
  AUTOMATIONS_PROGRESS,
  CALENDAR_CHANGED,
  TASKS_CHANGED,
  TASKS_DUE,
  newsletterDoneEvent,
  newsletterProgressEvent,
  mergesDoneEvent,
  mergesProgressEvent,
  type MergesFound,
  type MergesProgress,
  type Automation,
  type CalendarChanged,
  type CalendarItem,
  type Enrolment,
  type NewsletterDone,
  type NewsletterProgress,
  type Task,
  ACTIVITY_CHANGED,
  CONNECTIONS_CHANGED,
  SYNC_CHANGED,
  type Connection,
  type Delivery,
} from '../types';
import { createFakeConnections, type ConnectionCall, type ConnectionsStart } from './connections';
import { createFakeDashboard } from './dashboard';
import {
  MEMBERS_LIST_RECORDING,
  MEMBERS_TIMELINE_RECORDING,
  RECORDED_NOW,
  Scenario,
  TIMELINE_BLANK,
  Unrecorded,
  daysBetween,
  demoUnrecorded,
  recordedMembers,
  type DashboardRecording,
} from './recorded';
import { createFakeSync } from './sync';
import { DEMO_SYNC } from './syncSeed';
import { createFakeAutomations } from './automations';
import { createFakeCalendar } from './calendar';
import { createFakeNewsletters, type FakeNewsletterSeed } from './newsletter';
import { createFakeTasks } from './tasks';
import { createFakeConsent } from './consent';
import { FAKE_ACTOR, createBus, type FakeContext } from './context';
import { createFakeExports, createFakeGdpr, createFakeSettings, createGdprScenario } from './gdpr';
import { createFakeImports, type FakeImportOptions } from './importer';
import { createFakeBackups } from './backups';
import { createFakeReports, type FakeReportExport } from './reports';
import { createFakeTeam } from './team';
import { createFakeMerges } from './merges';
import { createFakeSegments } from './segments';
import { demoConsentEvents, demoEnrolments, demoMembers } from './seed';

export interface FakeApiOptions {
  /**
   * Members present at start. With the recorded workspace's (`recordedMembers()`), the Members
   * screen's list and changes replay Go's recorded answers; others are only listed as given.
   */
  members?: Member[];
  /** Delay of every call, to see loading states in demo mode. */
  latencyMs?: number;
  now?: () => Date;
  workspaceName?: string;
  /**
   * The member count `workspace.info` reports (the members given by default): a big workspace
   * for the screens that behave otherwise above some size, without listing its members.
   */
  memberCount?: number;
  /** The workspace opened read-only (a full disk). */
  readOnly?: boolean;
  /**
   * Purposes and consent events at start, for the fake's parts that still read them. The consent
   * screens (fake/consent.ts) and the newsletters' send check (fake/newsletter.ts) replay Go's
   * recorded answers whatever these say.
   */
  purposes?: Purpose[];
  consentEvents?: ConsentEvent[];
  import?: FakeImportOptions;
  newsletters?: FakeNewsletterSeed;
  /** Members' progress through automations (the automations are Go's recorded ones). */
  enrolments?: Enrolment[];
  /**
   * Demo mode: a call Go's recordings do not answer is refused with a notice that this is demo
   * data (fake/recorded.ts, demoUnrecorded) instead of failing as a test's mistake.
   */
  demo?: boolean;
  /**
   * The recorded workspace the Connections and Sync screens start from (fake/connections.ts):
   * 'empty' (no connection, the default), 'connected' (one per platform, never synced) or
   * 'failing' (the forum refusing new topics with a 502).
   */
  connections?: ConnectionsStart;
  /** Starts after one Sync now in that workspace. */
  synced?: boolean;
  /** How long Sync now takes. */
  syncRunMs?: number;
  /**
   * The workspace whose recorded Go answers the dashboard replays: 'community' (default) or
   * 'quiet' (no activity). Seed `members: recordedMembers()` to open the members it names.
   */
  dashboard?: DashboardRecording;
}

type Namespace =
  | 'imports'
  | 'exports'
  | 'consent'
  | 'gdpr'
  | 'settings'
  | 'calendar'
  | 'newsletters'
  | 'automations'
  | 'tasks'
  | 'connections'
  | 'sync'
  | 'dashboard'
  | 'reports'
  | 'backups'
  | 'team'
  | 'merges'
  | 'segments';
/** A members method (`delete`), or another service's as `consent.grant`. */
export type FailableMethod =
  keyof MembersApi | { [K in Namespace]: `${K}.${keyof Api[K] & string}` }[Namespace];

/** The fake plus hooks tests use to look inside and to inject failures. */
export interface FakeApi extends Api {
  /** All stored members, for assertions. */
  all(): Member[];
  /** Number of List calls so far. */
  listCalls(): number;
  /** Makes the next call of `method` reject with `error`. */
  failNext(method: FailableMethod, error: ApiError): void;
  /** Every request ImportService.Start received. */
  importRequests(): ImportRequest[];
  consentEvents(): ConsentEvent[];
  auditLog(): AuditEntry[];
  calendarItems(): CalendarItem[];
  /** Every Reschedule call, in order. */
  reschedules(): { id: string; occurrence: string; newAt: string; scope: string }[];
  /** Every TestSend call. */
  testSends(): { id: string; to: string }[];
  automationsAll(): Automation[];
  tasksAll(): Task[];
  /** Go's connections in the current recorded state, for assertions. */
  connectionsAll(): Connection[];
  /** The connections' changes and tests as the window sent them (secrets included). */
  connectionCalls(): ConnectionCall[];
  /** Go's queued, sending and parked deliveries in the current recorded state. */
  deliveriesAll(): Delivery[];
  /** Replays another recorded workspace and emits `activity:changed`, as a sync would. */
  replayDashboard(recording: DashboardRecording): void;
  /** Every workbook export asked for, in order (path '' when cancelled). */
  reportExports(): FakeReportExport[];
  /** Ids of the backups restored so far (Hearth restarts after each). */
  backupsRestored(): string[];
  /** Makes the next save or folder dialog of ReportsService answer as if cancelled. */
  cancelNextDialog(): void;
  /** Emits an event as the Go side would (e.g. `tasks:due`). */
  emit(event: string, payload: unknown): void;
}

/**
 * Whether `given` are the recorded workspace's members as recorded (in any order): the members
 * list then replays Go's answers.
 */
function isRecordedWorkspace(given: Member[]): boolean {
  const recorded = new Map(recordedMembers().map((m) => [m.id, JSON.stringify(m)]));
  return (
    given.length === recorded.size && given.every((m) => recorded.get(m.id) === JSON.stringify(m))
  );
}

/**
 * An in-memory Api that replays what the Go services answered (fake/recorded.ts). The members
 * are a registry the fake's parts share (`ctx.members`); what the Members screen lists, searches,
 * sorts and pages, and what adding, editing, deleting and restoring a member answer, are Go's
 * recorded answers (app/recorded_members_test.go) while the members are the recorded
 * workspace's (`members: recordedMembers()`) and only recorded changes were made to them. Other
 * members (a test's own, demo mode's generated ones, or after an import or an erasure) are
 * listed as they were given, unsorted: the fake has no search, sort or validation rule, so a
 * search, a filter or another order of them is refused as unrecorded (demo mode: with the
 * notice that this is demo data).
 */
export function createFakeApi(opts: FakeApiOptions = {}): FakeApi {
  const now = opts.now ?? (() => new Date());
  const latency = opts.latencyMs ?? 0;
  const store = new Map<string, Member>();
  for (const m of opts.members ?? []) store.set(m.id, m);
  // Whether the members are the recorded workspace's, changed only as recorded: Go's answers
  // hold for them.
  let recorded = isRecordedWorkspace(opts.members ?? []);
  const membersScenario = new Scenario(MEMBERS_LIST_RECORDING, 'members', '', () => 0, {
    demo: opts.demo,
  });
  // Members' stories: Go's recorded answers, a member it was not shown answered as one with
  // nothing but their creation; moved to the fake's today as consent is.
  const timelineScenario = new Scenario(
    MEMBERS_TIMELINE_RECORDING,
    'members',
    TIMELINE_BLANK,
    () => daysBetween(RECORDED_NOW, now()),
    { demo: opts.demo },
  );
  const bus = createBus();
  const audit: AuditEntry[] = [];
  const failures = new Map<string, ApiError>();
  const createdAt = now().toISOString();
  let seq = 0;
  let listCount = 0;

  const settle = <T>(method: string, work: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const run = () => {
        const failure = failures.get(method);
        if (failure) {
          failures.delete(method);
          reject(failure);
          return;
        }
        try {
          resolve(structuredClone(work()));
        } catch (e) {
          reject(e);
        }
      };
      if (latency > 0) setTimeout(run, latency);
      else queueMicrotask(run);
    });

  const changed = (ids: string[]) => {
    bus.emit(MEMBERS_CHANGED, { ids } satisfies MembersChanged);
  };

  const record = (action: string, memberId: string, details: string) =>
    audit.unshift({
      id: `a${(seq++).toString(36)}`,
      at: now().toISOString(),
      actor: FAKE_ACTOR,
      action,
      memberId,
      details,
    });

  const newId = () => `m${now().getTime().toString(36)}${(seq++).toString(36).padStart(4, '0')}`;

  const requireMember = (id: string): Member => {
    const found = store.get(id);
    if (!found)
      throw new ApiError({
        kind: 'not_found',
        code: 'member_not_found',
        message: `member ${id} not found`,
      });
    return found;
  };

  /** A members call Go's recordings cannot answer for members it was not shown. */
  const unrecorded = (method: string, args: unknown[]) =>
    opts.demo
      ? demoUnrecorded('members', method)
      : new Unrecorded(
          `fake: members.${method}${JSON.stringify(args)} is answered by Go's recordings only ` +
            "over the recorded workspace's members: seed `members: recordedMembers()`, or " +
            'override the method in the test (vi.spyOn); members Go was not shown are only ' +
            'listed as given, unsearched and unsorted',
        );

  /** Go's recorded answer to a change of the recorded workspace; the state moves on. */
  const step = (method: string, args: unknown[]): Member => {
    if (!recorded) throw unrecorded(method, args);
    return membersScenario.step<Member>(method, args);
  };

  /** A page of the members as given, for members Go was not shown: no search, filter or order. */
  const given = (q: Required<ListQuery>): Page => {
    if (q.search !== '' || q.tag !== '' || q.sort !== 'name' || q.desc)
      throw unrecorded('list', [q]);
    const rows = [...store.values()];
    return {
      items: rows.slice(q.offset, q.offset + q.limit),
      total: rows.length,
      offset: q.offset,
    };
  };

  const ctx: FakeContext = {
    now,
    settle,
    emit: bus.emit,
    on: bus.on,
    members: {
      find: (id) => store.get(id),
      require: requireMember,
      all: () => [...store.values()],
      // A change nobody recorded (an import, an erasure): Go's list answers no longer hold.
      put: (m) => {
        store.set(m.id, m);
        recorded = false;
      },
      remove: (id) => {
        store.delete(id);
        recorded = false;
      },
      changed,
      newId,
    },
    audit: record,
    auditLog: () => audit,
  };
  const consent = createFakeConsent(ctx, {
    purposes: opts.purposes,
    events: opts.consentEvents,
    demo: opts.demo,
  });
  const gdprScenario = createGdprScenario(ctx, { demo: opts.demo });
  const imports = createFakeImports(ctx, consent, { ...opts.import, demo: opts.demo });
  const calendar = createFakeCalendar(ctx, { demo: opts.demo });
  const newsletters = createFakeNewsletters(ctx, { ...opts.newsletters, demo: opts.demo });
  const automations = createFakeAutomations(ctx, {
    enrolments: opts.enrolments,
    demo: opts.demo,
  });
  const tasks = createFakeTasks(ctx, { demo: opts.demo });
  const connections = createFakeConnections(ctx, {
    start: opts.connections,
    synced: opts.synced,
    demo: opts.demo,
  });
  const sync = createFakeSync(ctx, connections, { runMs: opts.syncRunMs });

  const dashboard = createFakeDashboard(ctx, { recording: opts.dashboard });
  const reports = createFakeReports(ctx, { demo: opts.demo });
  const backups = createFakeBackups(ctx, { demo: opts.demo });
  const team = createFakeTeam(ctx, { demo: opts.demo });
  const merges = createFakeMerges(ctx, { demo: opts.demo });
  const segments = createFakeSegments(ctx, { demo: opts.demo });

  const api: FakeApi = {
    members: {
      list: (raw) =>
        settle('list', (): Page => {
          listCount++;
          const q: Required<ListQuery> = {
            search: '',
            tag: '',
            sort: 'name',
            desc: false,
            offset: 0,
            limit: 0,
            ...raw,
          };
          return recorded ? membersScenario.read<Page>('list', [q]) : given(q);
        }),
      get: (id) => settle('get', () => requireMember(id)),
      create: (input) =>
        settle('create', () => {
          const member = step('create', [input]);
          store.set(member.id, member);
          changed([member.id]);
          record('member_created', member.id, '');
          return member;
        }),
      update: (id, patch) =>
        settle('update', () => {
          const member = step('update', [id, patch]);
          store.set(id, member);
          changed([id]);
          record('member_updated', id, Object.keys(patch).join(', '));
          return member;
        }),
      delete: (id) =>
        settle('delete', () => {
          const member = step('delete', [id]);
          store.delete(id);
          changed([id]);
          record('member_deleted', id, '');
          return member;
        }),
      restore: (member) =>
        settle('restore', () => {
          const back = step('restore', [member]);
          store.set(back.id, back);
          changed([back.id]);
          return back;
        }),
      tags: () =>
        settle('tags', () => {
          if (recorded) return membersScenario.read<TagCount[]>('tags', []);
          // Members Go was not shown: how Go would count and order their tags is not known.
          throw unrecorded('tags', []);
        }),
      timeline: (id, q) =>
        settle('timeline', () => {
          requireMember(id);
          return timelineScenario.read<TimelinePage>('timeline', [id, q], id);
        }),
    },
    workspace: {
      info: () =>
        settle('info', (): WorkspaceInfo => ({
          id: 'demo-workspace',
          name: opts.workspaceName ?? 'Demo community',
          dir: '(in memory)',
          schemaVersion: 1,
          createdAt,
          memberCount: opts.memberCount ?? store.size,
          ...(opts.readOnly ? { readOnly: true } : {}),
        })),
    },
    imports: imports.api,
    exports: createFakeExports(ctx),
    consent: consent.api,
    gdpr: createFakeGdpr(ctx, gdprScenario, consent, imports.suppress),
    settings: createFakeSettings(ctx, gdprScenario),
    calendar: calendar.api,
    newsletters: newsletters.api,
    automations: automations.api,
    tasks: tasks.api,
    connections: connections.api,
    sync: sync.api,
    dashboard: dashboard.api,
    reports: reports.api,
    backups: backups.api,
    team: team.api,
    merges: merges.api,
    segments: segments.api,
    events: {
      onSyncChanged: (callback) => bus.on(SYNC_CHANGED, () => callback()),
      onConnectionsChanged: (callback) => bus.on(CONNECTIONS_CHANGED, () => callback()),
      onActivityChanged: (callback) => bus.on(ACTIVITY_CHANGED, () => callback()),
      onMembersChanged: (callback) => bus.on(MEMBERS_CHANGED, (p) => callback(p as MembersChanged)),
      onConsentChanged: (callback) => bus.on(CONSENT_CHANGED, (p) => callback(p as ConsentChanged)),
      onImportProgress: (jobId, callback) =>
        bus.on(importProgressEvent(jobId), (p) => callback(p as ImportProgress)),
      onImportDone: (jobId, callback) =>
        bus.on(importDoneEvent(jobId), (p) => callback(p as ImportSummary)),
      onCalendarChanged: (callback) =>
        bus.on(CALENDAR_CHANGED, (p) => callback(p as CalendarChanged)),
      onNewsletterProgress: (id, callback) =>
        bus.on(newsletterProgressEvent(id), (p) => callback(p as NewsletterProgress)),
      onNewsletterDone: (id, callback) =>
        bus.on(newsletterDoneEvent(id), (p) => callback(p as NewsletterDone)),
      onMergesProgress: (id, callback) =>
        bus.on(mergesProgressEvent(id), (p) => callback(p as MergesProgress)),
      onMergesDone: (id, callback) =>
        bus.on(mergesDoneEvent(id), (p) => callback(p as MergesFound)),
      onAutomationsChanged: (callback) => {
        const offs = [AUTOMATIONS_CHANGED, AUTOMATIONS_PROGRESS].map((e) => bus.on(e, callback));
        return () => offs.forEach((off) => off());
      },
      onTasksChanged: (callback) => bus.on(TASKS_CHANGED, () => callback()),
      onTasksDue: (callback) => bus.on(TASKS_DUE, (p) => callback((p as Task[] | null) ?? [])),
    },
    window: {
      setTitle: (title) => {
        document.title = title;
      },
      startupFailure: () => Promise.resolve(null),
      quit: () => {},
      painted: () => {},
    },
    all: () => [...store.values()].map((m) => structuredClone(m)),
    listCalls: () => listCount,
    failNext: (method, error) => failures.set(method, error),
    importRequests: imports.requests,
    consentEvents: consent.events,
    auditLog: () => structuredClone(audit),
    calendarItems: calendar.items,
    reschedules: calendar.reschedules,
    testSends: newsletters.testSends,
    automationsAll: automations.all,
    tasksAll: tasks.all,
    connectionsAll: connections.all,
    connectionCalls: connections.calls,
    deliveriesAll: sync.deliveries,
    replayDashboard: dashboard.replay,
    reportExports: reports.exports,
    backupsRestored: () => [...backups.restored],
    cancelNextDialog: reports.cancelNextDialog,
    emit: bus.emit,
  };
  return api;
}

/** Demo mode: a fake filled with `count` generated members. */
export function createDemoApi(count: number): FakeApi {
  // The recorded members first: the dashboard's answers name them.
  const members = [...recordedMembers(), ...demoMembers(count)];
  const now = new Date();
  return createFakeApi({
    connections: DEMO_SYNC.start,
    synced: DEMO_SYNC.synced,
    syncRunMs: 1500,
    members,
    consentEvents: demoConsentEvents(members),
    latencyMs: 60,
    demo: true,
    enrolments: demoEnrolments(now, members),
  });
}
