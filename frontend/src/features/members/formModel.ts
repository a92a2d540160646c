import type { CreateInput, FieldError, Handle, Member, Patch } from '../../api';

export interface CustomFieldRow {
  key: string;
  value: string;
  /** Added in this form: its key is typed; a saved field shows its label instead. */
  isNew?: boolean;
}

/** What the form edits. Lists may hold blank rows the user has not filled yet. */
export interface FormValues {
  name: string;
  emails: string[];
  tags: string[];
  handles: Handle[];
  customFields: CustomFieldRow[];
  notes: string;
}

export function emptyForm(): FormValues {
  return { name: '', emails: [''], tags: [], handles: [], customFields: [], notes: '' };
}

export function fromMember(m: Member): FormValues {
  return {
    name: m.name,
    emails: m.emails.length > 0 ? [...m.emails] : [''],
    tags: [...m.tags],
    handles: m.handles.map((h) => ({ ...h })),
    customFields: Object.entries(m.customFields).map(([key, value]) => ({ key, value })),
    notes: m.notes,
  };
}

/**
 * The input to send, without blank rows, plus `toFormPath` which maps a field
 * path of the sent input (as the Go side reports it: `emails[1]`) back to the
 * row the user sees (`emails[2]` when row 1 was blank).
 */
export function toInput(v: FormValues): { input: CreateInput; toFormPath(path: string): string } {
  const emailRows = indexesWhere(v.emails, (e) => e.trim() !== '');
  const handleRows = indexesWhere(v.handles, (h) => h.platform !== '' || h.handle.trim() !== '');
  const input: CreateInput = {
    name: v.name.trim(),
    emails: emailRows.map((i) => (v.emails[i] ?? '').trim()),
    tags: v.tags,
    handles: handleRows.map((i) => {
      const h = v.handles[i] as Handle;
      return { platform: h.platform, handle: h.handle.trim() };
    }),
    customFields: Object.fromEntries(
      v.customFields
        .filter((r) => r.key.trim() !== '' || r.value.trim() !== '')
        .map((r) => [r.key.trim(), r.value]),
    ),
    notes: v.notes,
  };
  const rows: Record<string, number[]> = { emails: emailRows, handles: handleRows };
  const toFormPath = (path: string) =>
    path.replace(/^(emails|handles)\[(\d+)\]/, (whole, list: string, i: string) => {
      const row = rows[list]?.[Number(i)];
      return row === undefined ? whole : `${list}[${row}]`;
    });
  return { input, toFormPath };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what changed compared to `m`; an empty object when nothing did. */
export function toPatch(m: Member, input: CreateInput): Patch {
  const patch: Patch = {};
  if (input.name !== m.name) patch.name = input.name;
  if (!same(input.emails, m.emails)) patch.emails = input.emails;
  if (!same(input.tags, m.tags)) patch.tags = input.tags;
  if (!same(input.handles, m.handles)) patch.handles = input.handles;
  if (!same(sortedEntries(input.customFields), sortedEntries(m.customFields)))
    patch.customFields = input.customFields;
  if (input.notes !== m.notes) patch.notes = input.notes;
  return patch;
}

/** Field errors keyed by form path (`emails[0]`), several per path possible. */
export type ErrorMap = Record<string, FieldError[]>;

export function toErrorMap(errors: FieldError[], toFormPath: (p: string) => string = (p) => p) {
  const map: ErrorMap = {};
  for (const e of errors) {
    const field = toFormPath(e.field);
    (map[field] ??= []).push({ ...e, field });
  }
  return map;
}

/** Errors whose path is `prefix` or inside it (`emails` → `emails`, `emails[0]`, …). */
export function errorsUnder(map: ErrorMap, prefix: string): FieldError[] {
  return Object.entries(map)
    .filter(
      ([path]) => path === prefix || path.startsWith(`${prefix}[`) || path.startsWith(`${prefix}.`),
    )
    .flatMap(([, errs]) => errs);
}

export function withoutErrorsUnder(map: ErrorMap, prefix: string): ErrorMap {
  const under = new Set(errorsUnder(map, prefix).map((e) => e.field));
  return Object.fromEntries(Object.entries(map).filter(([path]) => !under.has(path)));
}

function indexesWhere<T>(xs: T[], keep: (x: T) => boolean): number[] {
  return xs.flatMap((x, i) => (keep(x) ? [i] : []));
}

function sortedEntries(r: Record<string, string>) {
  return Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
