import type {
  CreateInput,
  ListQuery,
  Member,
  MembersChanged,
  Page,
  Patch,
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

export interface WindowApi {
  /** Sets the native window's title (the page title outside Wails). */
  setTitle(title: string): void;
}

export interface EventsApi {
  /** Returns the function that unsubscribes. */
  onMembersChanged(callback: (change: MembersChanged) => void): () => void;
}
