import * as ConsentService from '../../wailsjs/go/app/ConsentService';
import * as ExportService from '../../wailsjs/go/app/ExportService';
import * as GdprService from '../../wailsjs/go/app/GdprService';
import * as ImportService from '../../wailsjs/go/app/ImportService';
import * as MembersService from '../../wailsjs/go/app/MembersService';
import * as SettingsService from '../../wailsjs/go/app/SettingsService';
import * as WorkspaceService from '../../wailsjs/go/app/WorkspaceService';
import { EventsOn, WindowSetTitle } from '../../wailsjs/runtime/runtime';
import type { Api } from './api';
import { toApiError } from './errors';
import {
  CONSENT_CHANGED,
  MEMBERS_CHANGED,
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

/** Rejections become ApiError, whatever shape the Go side used. */
async function call<T>(promise: () => Promise<T>): Promise<T> {
  try {
    return await promise();
  } catch (reason) {
    throw toApiError(reason);
  }
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

const normaliseEvent = (e: ConsentEvent): ConsentEvent => ({ ...e, proof: e.proof ?? {} });

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
    events: {
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
    },
    window: {
      setTitle: (title) => {
        document.title = title;
        WindowSetTitle(title);
      },
    },
  };
}
