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
