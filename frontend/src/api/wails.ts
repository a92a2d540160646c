import * as MembersService from '../../wailsjs/go/app/MembersService';
import * as WorkspaceService from '../../wailsjs/go/app/WorkspaceService';
import { EventsOn, WindowSetTitle } from '../../wailsjs/runtime/runtime';
import type { Api } from './api';
import { toApiError } from './errors';
import {
  MEMBERS_CHANGED,
  type CreateInput,
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

const members = MembersService satisfies Record<
  keyof MembersBindings,
  AnyBinding
> as unknown as MembersBindings;
const workspace = WorkspaceService satisfies Record<
  keyof WorkspaceBindings,
  AnyBinding
> as unknown as WorkspaceBindings;

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
    events: {
      onMembersChanged: (callback) =>
        EventsOn(MEMBERS_CHANGED, (payload?: Partial<MembersChanged>) =>
          callback({ ids: payload?.ids ?? [] }),
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
