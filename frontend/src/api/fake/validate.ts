import type { FieldError } from '../errors';
import { PLATFORMS, type CreateInput } from '../types';
import { isEmail } from './text';

// Limits the fake enforces: the validator tags of backend/members.CreateInput.
export const LIMITS = {
  name: 200,
  email: 254,
  emails: 20,
  tag: 64,
  tags: 50,
  handle: 100,
  handles: 20,
  customFields: 50,
  customKey: 64,
  customValue: 2000,
  notes: 20_000,
} as const;

const max = (field: string, limit: number): FieldError => ({
  field,
  code: 'max',
  params: { max: String(limit) },
});

/** Field errors for a complete input, in the same paths and codes as the Go side. */
export function validateInput(input: CreateInput): FieldError[] {
  const errs: FieldError[] = [];
  if (input.name.length > LIMITS.name) errs.push(max('name', LIMITS.name));

  if (input.emails.length === 0 && input.handles.length === 0)
    errs.push({ field: 'emails', code: 'required' });
  if (input.emails.length > LIMITS.emails) errs.push(max('emails', LIMITS.emails));
  const seenEmails = new Set<string>();
  input.emails.forEach((email, i) => {
    const field = `emails[${i}]`;
    if (email === '') errs.push({ field, code: 'required' });
    else if (email.length > LIMITS.email) errs.push(max(field, LIMITS.email));
    else if (!isEmail(email)) errs.push({ field, code: 'email' });
    else if (seenEmails.has(email.toLowerCase())) errs.push({ field, code: 'duplicate' });
    seenEmails.add(email.toLowerCase());
  });

  if (input.handles.length > LIMITS.handles) errs.push(max('handles', LIMITS.handles));
  input.handles.forEach((h, i) => {
    if (!(PLATFORMS as readonly string[]).includes(h.platform))
      errs.push({ field: `handles[${i}].platform`, code: 'platform' });
    if (h.handle === '') errs.push({ field: `handles[${i}].handle`, code: 'required' });
    else if (h.handle.length > LIMITS.handle) errs.push(max(`handles[${i}].handle`, LIMITS.handle));
  });

  if (input.tags.length > LIMITS.tags) errs.push(max('tags', LIMITS.tags));
  const seenTags = new Set<string>();
  input.tags.forEach((tag, i) => {
    const field = `tags[${i}]`;
    if (tag === '') errs.push({ field, code: 'required' });
    else if (tag.length > LIMITS.tag) errs.push(max(field, LIMITS.tag));
    else if (seenTags.has(tag.toLowerCase())) errs.push({ field, code: 'duplicate' });
    seenTags.add(tag.toLowerCase());
  });

  const entries = Object.entries(input.customFields);
  if (entries.length > LIMITS.customFields) errs.push(max('customFields', LIMITS.customFields));
  if (
    entries.some(
      ([k, v]) => k.trim() === '' || k.length > LIMITS.customKey || v.length > LIMITS.customValue,
    )
  )
    errs.push({ field: 'customFields', code: 'invalid' });

  if (input.notes.length > LIMITS.notes) errs.push(max('notes', LIMITS.notes));
  return errs;
}

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
