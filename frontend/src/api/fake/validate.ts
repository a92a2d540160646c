import type { CreateInput } from '../types';

/** Trims what the Go side trims, so stored values are clean. */
export function cleanInput(input: CreateInput): CreateInput {
  return {
    name: input.name.trim(),
    emails: input.emails.map((e) => e.trim()),
    handles: input.handles.map((h) => ({ platform: h.platform.trim(), handle: h.handle.trim() })),
    tags: input.tags.map((t) => t.trim()),
    customFields: Object.fromEntries(
      Object.entries(input.customFields).map(([k, v]) => [k.trim(), v]),
    ),
    notes: input.notes,
  };
}

/** The fields of a patch that are set: Go reads a left-out or null field as "unchanged". */
export function present<T extends object>(patch: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v != null)) as {
    [K in keyof T]?: NonNullable<T[K]>;
  };
}
