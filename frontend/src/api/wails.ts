import * as automations from '../../wailsjs/go/app/AutomationsService';
import * as backups from '../../wailsjs/go/app/BackupsService';
import * as calendar from '../../wailsjs/go/app/CalendarService';
import * as connections from '../../wailsjs/go/app/ConnectionsService';
import * as consent from '../../wailsjs/go/app/ConsentService';
import * as dashboard from '../../wailsjs/go/app/DashboardService';
import * as exporter from '../../wailsjs/go/app/ExportService';
import * as gdpr from '../../wailsjs/go/app/GdprService';
import * as imports from '../../wailsjs/go/app/ImportService';
import * as members from '../../wailsjs/go/app/MembersService';
import * as merges from '../../wailsjs/go/app/MergesService';
import * as newsletters from '../../wailsjs/go/app/NewsletterService';
import * as reports from '../../wailsjs/go/app/ReportsService';
import * as segments from '../../wailsjs/go/app/SegmentsService';
import * as settings from '../../wailsjs/go/app/SettingsService';
import * as startup from '../../wailsjs/go/app/StartupService';
import * as sync from '../../wailsjs/go/app/SyncService';
import * as tasks from '../../wailsjs/go/app/TasksService';
import * as team from '../../wailsjs/go/app/TeamService';
import * as workspace from '../../wailsjs/go/app/WorkspaceService';
import { EventsOn, Quit, WindowSetTitle } from '../../wailsjs/runtime/runtime';
import type { Api } from './api';
import { reschedulePatch } from './reschedule';
import { toApiError } from './errors';
import {
  ACTIVITY_CHANGED,
  AUTOMATIONS_CHANGED,
  AUTOMATIONS_PROGRESS,
  CALENDAR_CHANGED,
  CONNECTIONS_CHANGED,
  CONSENT_CHANGED,
  MEMBERS_CHANGED,
  SYNC_CHANGED,
  TASKS_CHANGED,
  TASKS_DUE,
  importDoneEvent,
  importProgressEvent,
  newsletterDoneEvent,
  newsletterProgressEvent,
  mergesDoneEvent,
  mergesProgressEvent,
  type MergesFound,
  type MergesProgress,
  type CalendarChanged,
  type ConsentChanged,
  type ImportProgress,
  type ImportSummary,
  type MembersChanged,
  type NewsletterDone,
  type NewsletterProgress,
  type Task,
} from './types';

/** Rejections become ApiError, whatever shape the Go side used. */
async function call<T>(promise: () => Promise<T>): Promise<T> {
  try {
    return await promise();
  } catch (reason) {
    throw toApiError(reason);
  }
}

/** Go's zero time.Time, which CalendarService.Delete reads as "the whole item". */
const WHOLE_ITEM = '0001-01-01T00:00:00Z';

/** True when the page runs inside Wails with the app's services bound. */
export function hasWailsBindings(): boolean {
  const w = window as unknown as { go?: { app?: { MembersService?: unknown } } };
  return w.go?.app?.MembersService !== undefined;
}

// The bindings and their types are generated from Go (make generate), and Go never sends null
// for a list: what a call resolves to goes to the screens as it is.
export function createWailsApi(): Api {
  return {
    members: {
      list: (q) => call(() => members.List(q)),
      get: (id) => call(() => members.Get(id)),
      create: (input) => call(() => members.Create(input)),
      update: (id, patch) => call(() => members.Update(id, patch)),
      delete: (id) => call(() => members.Delete(id)),
      restore: (m) => call(() => members.Restore(m)),
      tags: () => call(() => members.Tags()),
      timeline: (id, q) => call(() => members.Timeline(id, q)),
    },
    workspace: {
      info: () => call(() => workspace.Info()),
    },
    imports: {
      chooseFile: () => call(() => imports.ChooseFile()),
      preview: (req) => call(() => imports.Preview(req)),
      start: (req) => call(() => imports.Start(req)),
      cancel: (jobId) => call(() => imports.Cancel(jobId)),
      saveRejected: (jobId) => call(() => imports.SaveRejected(jobId)),
    },
    exports: {
      export: (req) => call(() => exporter.Export(req)),
    },
    consent: {
      purposes: () => call(() => consent.Purposes()),
      savePurpose: (p) => call(() => consent.SavePurpose(p)),
      // Go lists notices and history oldest first; the screens show the newest first.
      notices: (purpose) => call(async () => (await consent.Notices(purpose)).reverse()),
      publishNotice: (n) => call(() => consent.PublishNotice(n)),
      summary: (memberId) => call(() => consent.Summary(memberId)),
      history: (memberId) => call(async () => (await consent.History(memberId)).reverse()),
      grant: (input) => call(() => consent.Grant(input)),
      withdraw: (input) => call(() => consent.Withdraw(input)),
    },
    gdpr: {
      export: (memberId) => call(() => gdpr.Export(memberId)),
      erase: (memberId, confirmation) => call(() => gdpr.Erase(memberId, confirmation)),
      inactive: (months) => call(() => gdpr.Inactive(months)),
      anonymise: (ids) => call(() => gdpr.Anonymise(ids)),
      audit: (memberId, limit) => call(() => gdpr.Audit(memberId, limit)),
    },
    settings: {
      get: () => call(() => settings.Get()),
      save: (s) => call(() => settings.Save(s)),
    },
    calendar: {
      list: (from, to) => call(() => calendar.List({ from, to, channel: '' })),
      get: (id) => call(() => calendar.Get(id)),
      create: (input) => call(() => calendar.Create(input)),
      update: (id, patch) => call(() => calendar.Update(id, patch)),
      reschedule: (id, occurrence, newAt, scope) =>
        call(async () =>
          calendar.Update(id, reschedulePatch(await calendar.Get(id), occurrence, newAt, scope)),
        ),
      setStatus: (id, status) => call(() => calendar.SetStatus(id, status)),
      addToQueue: (id, channel) => call(() => calendar.AddToQueue(id, channel)),
      slots: () => call(() => calendar.Slots()),
      saveSlots: (cs) => call(() => calendar.SaveSlots(cs)),
      delete: (id, occurrence) => call(() => calendar.Delete(id, occurrence ?? WHOLE_ITEM)),
    },
    newsletters: {
      list: () => call(() => newsletters.List()),
      get: (id) => call(() => newsletters.Get(id)),
      save: (input) => call(() => newsletters.Save(input)),
      preview: (id, memberId) => call(() => newsletters.Preview(id, memberId)),
      plan: (id) => call(() => newsletters.Plan(id)),
      send: (id) => call(() => newsletters.Send(id)),
      resendUncertain: (id) => call(() => newsletters.ResendUncertain(id)),
      cancel: (id) => call(() => newsletters.Cancel(id)),
      testSend: (id, to) => call(() => newsletters.TestSend(id, to)),
      settings: () => call(() => newsletters.Settings()),
      saveSettings: (input) => call(() => newsletters.SaveSettings(input)),
      mailboxSettings: () => call(() => newsletters.MailboxSettings()),
      saveMailboxSettings: (input) => call(() => newsletters.SaveMailboxSettings(input)),
      checkMailbox: () => call(() => newsletters.CheckMailbox()),
      mailboxLastCheck: () => call(() => newsletters.MailboxLastCheck()),
      delete: (id) => call(() => newsletters.Delete(id)),
    },
    automations: {
      list: () => call(() => automations.List()),
      get: (id) => call(() => automations.Get(id)),
      save: (input) => call(() => automations.Save(input)),
      setEnabled: (id, on) => call(() => automations.SetEnabled(id, on)),
      progress: (id) => call(() => automations.Progress(id)),
      delete: (id) => call(() => automations.Delete(id)),
    },
    tasks: {
      list: (filter) => call(() => tasks.List(filter)),
      create: (input) => call(() => tasks.Create(input)),
      update: (id, input) => call(() => tasks.Update(id, input)),
      complete: (id, done) => call(() => tasks.Complete(id, done)),
      delete: (id) => call(() => tasks.Delete(id)),
      restore: (task) => call(() => tasks.Restore(task)),
    },
    connections: {
      list: () => call(() => connections.List()),
      add: (input) => call(() => connections.Add(input)),
      update: (id, patch) => call(() => connections.Update(id, patch)),
      remove: (id) => call(() => connections.Remove(id)),
      test: (id) => call(() => connections.Test(id)),
      secretBackend: () =>
        call(async () =>
          (await connections.SecretBackend()) === 'keychain' ? 'keychain' : 'file',
        ),
    },
    sync: {
      overview: () => call(() => sync.Overview()),
      deliveries: (q) => call(() => sync.Deliveries(q)),
      retry: (id) => call(() => sync.Retry(id)),
      runNow: () => call(() => sync.RunNow()),
      cancel: () => call(() => sync.Cancel()),
      feed: (q) => call(() => sync.Feed(q)),
    },
    dashboard: {
      stats: (from, to, segment) => call(() => dashboard.Stats(from, to, segment)),
      membersBehind: (from, to, metric, segment, limit) =>
        call(() => dashboard.MembersBehind(from, to, metric, segment, limit)),
      funnel: (from, to) => call(() => dashboard.Funnel(from, to)),
      campaigns: (from, to) => call(() => dashboard.Campaigns(from, to)),
      roiSettings: () => call(() => dashboard.ROISettings()),
      saveRoiSettings: (input) => call(() => dashboard.SaveROISettings(input)),
      levelSettings: () => call(() => dashboard.LevelSettings()),
      levelDefaults: () => call(() => dashboard.LevelDefaults()),
      saveLevelSettings: (input) => call(() => dashboard.SaveLevelSettings(input)),
      resetLevelSettings: () => call(() => dashboard.ResetLevelSettings()),
    },
    reports: {
      exportKpi: (from, to, segment, lang) =>
        call(() => reports.ExportKPI(from, to, segment, lang)),
      exportMembers: (lang) => call(() => reports.ExportMembers(lang)),
      schedule: () => call(() => reports.Schedule()),
      setSchedule: (input) => call(() => reports.SetSchedule(input)),
      chooseFolder: () => call(() => reports.ChooseFolder()),
    },
    backups: {
      list: () => call(() => backups.List()),
      create: () => call(() => backups.Create()),
      restore: (id) => call(() => backups.Restore(id)),
    },
    team: {
      whoami: () => call(() => team.Whoami()),
      setName: (name) => call(() => team.SetName(name)),
      publicKey: () => call(() => team.PublicKey()),
      teammates: () => call(() => team.Teammates()),
      chooseExportFile: () => call(() => team.ChooseExportFile()),
      export: (req) => call(() => team.Export(req)),
      chooseBundle: () => call(() => team.ChooseBundle()),
      merge: (req) => call(() => team.Merge(req)),
      lastMerge: () => call(() => team.LastMerge()),
      takeOther: (conflict) => call(() => team.TakeOther(conflict)),
      chooseShareFolder: () => call(() => team.ChooseShareFolder()),
      share: () => call(() => team.Share()),
      setShare: (input) => call(() => team.SetShare(input)),
      shareNow: () => call(() => team.ShareNow()),
    },
    merges: {
      suggestions: () => call(() => merges.Suggestions()),
      mergeGroup: (keep, others) => call(() => merges.MergeGroup(keep, others)),
      undo: (ids) => call(() => merges.Undo(ids)),
      dismiss: (a, others) => call(() => merges.Dismiss(a, others)),
      suggestionsFor: (id) => call(() => merges.SuggestionsFor(id)),
      find: () => call(() => merges.Find()),
      cancel: (id) => call(() => merges.Cancel(id)),
      settings: () => call(() => merges.Settings()),
      saveSettings: (s) => call(() => merges.SaveSettings(s)),
    },
    segments: {
      list: () => call(() => segments.List()),
      create: (input) => call(() => segments.Create(input)),
      update: (id, patch) => call(() => segments.Update(id, patch)),
      delete: (id) => call(() => segments.Delete(id)),
      count: (where) => call(() => segments.Count(where)),
      members: (segment, query) => call(() => segments.Members(segment, query)),
    },
    events: {
      onSyncChanged: (callback) => EventsOn(SYNC_CHANGED, () => callback()),
      onConnectionsChanged: (callback) => EventsOn(CONNECTIONS_CHANGED, () => callback()),
      onActivityChanged: (callback) => EventsOn(ACTIVITY_CHANGED, () => callback()),
      onMembersChanged: (callback) =>
        EventsOn(MEMBERS_CHANGED, (change: MembersChanged) => callback(change)),
      onConsentChanged: (callback) =>
        EventsOn(CONSENT_CHANGED, (change: ConsentChanged) => callback(change)),
      onImportProgress: (jobId, callback) =>
        EventsOn(importProgressEvent(jobId), (p: ImportProgress) => callback(p)),
      onImportDone: (jobId, callback) =>
        EventsOn(importDoneEvent(jobId), (summary: ImportSummary) => callback(summary)),
      onCalendarChanged: (callback) =>
        EventsOn(CALENDAR_CHANGED, (change: CalendarChanged) => callback(change)),
      onNewsletterProgress: (id, callback) =>
        EventsOn(newsletterProgressEvent(id), (p: NewsletterProgress) => callback(p)),
      onNewsletterDone: (id, callback) =>
        EventsOn(newsletterDoneEvent(id), (p: NewsletterDone) => callback(p)),
      onMergesProgress: (id, callback) =>
        EventsOn(mergesProgressEvent(id), (p: MergesProgress) => callback(p)),
      onMergesDone: (id, callback) =>
        EventsOn(mergesDoneEvent(id), (p: MergesFound) => callback(p)),
      onAutomationsChanged: (callback) => {
        const offChanged = EventsOn(AUTOMATIONS_CHANGED, () => callback());
        const offProgress = EventsOn(AUTOMATIONS_PROGRESS, () => callback());
        return () => {
          offChanged();
          offProgress();
        };
      },
      onTasksChanged: (callback) => EventsOn(TASKS_CHANGED, () => callback()),
      onTasksDue: (callback) => EventsOn(TASKS_DUE, (due: Task[]) => callback(due)),
    },
    window: {
      setTitle: (title) => {
        document.title = title;
        WindowSetTitle(title);
      },
      startupFailure: () =>
        startup.Check().then(
          () => null,
          (reason: unknown) => toApiError(reason),
        ),
      quit: () => Quit(),
      painted: (what) => void startup.Painted(what).catch(() => {}),
    },
  };
}
