// The segment builder's rows, written as the text syntax of docs/SEGMENTS.md: the rows are a
// way to write the expression, never a second language; Go parses and counts the text.

/** What a row tests. */
export const ROW_FIELDS = [
  'tag',
  'custom',
  'platform',
  'level',
  'joined',
  'last_activity',
  'activities',
  'consent',
  'newsletters',
  'received',
] as const;
export type RowField = (typeof ROW_FIELDS)[number];

export const OPERATORS = ['=', '!=', '<', '<=', '>', '>=', 'contains'] as const;
export type Operator = (typeof OPERATORS)[number];

/** The operators a field takes (backend/segments/syntax.go, allows). */
export function operatorsOf(field: RowField): readonly Operator[] {
  switch (field) {
    case 'tag':
    case 'custom':
      return OPERATORS;
    case 'platform':
    case 'consent':
    case 'received':
      return ['=', '!='];
    default:
      return ['=', '!=', '<', '<=', '>', '>='];
  }
}

export const LEVELS = ['ambassador', 'contributor', 'participant', 'observer'] as const;
export const CONSENT_STATES = ['granted', 'withdrawn', 'expired', 'none'] as const;
export const ACTIVITY_KINDS = [
  'post',
  'reply',
  'message',
  'reaction',
  'join',
  'follow',
  'mention',
  'event',
  'goal',
] as const;

/** One condition: FIELD OPERATOR VALUE, or NOT of it. */
export interface Condition {
  type: 'cond';
  id: string;
  not: boolean;
  field: RowField;
  /** The custom field's name, the consent purpose, or the kind of activity ('' for any). */
  name: string;
  /** The window of activities(…) and newsletters(…), in days. */
  days: string;
  op: Operator;
  value: string;
}

/** Conditions and groups joined by one word, in parentheses inside another group. */
export interface Group {
  type: 'group';
  id: string;
  not: boolean;
  join: 'AND' | 'OR';
  items: Node[];
}

export type Node = Condition | Group;

let nextId = 0;
const newId = () => `n${++nextId}`;

export function newCondition(field: RowField = 'tag'): Condition {
  return { type: 'cond', id: newId(), not: false, field, name: '', days: '30', op: '=', value: '' };
}

export function newGroup(join: 'AND' | 'OR' = 'AND', items: Node[] = []): Group {
  return { type: 'group', id: newId(), not: false, join, items };
}

/** A condition changed to another field: an operator the field does not take becomes `=`. */
export function withField(c: Condition, field: RowField): Condition {
  const op = operatorsOf(field).includes(c.op) ? c.op : '=';
  return { ...c, field, op, name: '', value: '' };
}

const RESERVED = new Set([
  'and',
  'or',
  'not',
  'contains',
  'tag',
  'tags',
  'platform',
  'level',
  'joined',
  'last_activity',
  'received',
  'activities',
  'newsletters',
  'consent',
  'event',
  'events',
]);

/** A word the parser reads as one token (syntax.go, isWordRune). */
const WORD = /^[\p{L}\p{N}_\-.@'+/:]+$/u;
const RELATIVE = /^\d+[dj]$/i;
const NUMBER = /^-?\d+([.,]\d+)?$/;

/** Text in double quotes, with `\` before a quote or a backslash inside. */
export function quoted(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const bare = (s: string) => (WORD.test(s) ? s : quoted(s));

/** A custom field's name: a bare word when it reads as one and names no built-in field. */
function fieldName(name: string): string {
  return WORD.test(name) && !RESERVED.has(name.toLowerCase()) ? name : quoted(name);
}

/** A value compared as text: in quotes, except a number of days ago (30d), which is a word. */
const textValue = (v: string) => (RELATIVE.test(v) ? v : quoted(v));

/** A condition's text, or null while it misses something (a value, a name, a number of days). */
export function conditionText(c: Condition): string | null {
  const value = c.value.trim();
  const name = c.name.trim();
  const days = c.days.trim();
  if (value === '') return null;
  let left: string;
  let right: string;
  switch (c.field) {
    case 'tag':
      left = 'tag';
      right = quoted(value);
      break;
    case 'custom':
      if (name === '') return null;
      left = fieldName(name);
      right = textValue(value);
      break;
    case 'platform':
    case 'level':
      left = c.field;
      right = bare(value);
      break;
    case 'joined':
    case 'last_activity':
      left = c.field;
      right = bare(value);
      break;
    case 'activities':
      if (!/^\d+$/.test(days)) return null;
      left = name === '' ? `activities(${days}d)` : `activities(${bare(name)}, ${days}d)`;
      right = NUMBER.test(value) ? value : quoted(value);
      break;
    case 'newsletters':
      if (!/^\d+$/.test(days)) return null;
      left = `newsletters(${days}d)`;
      right = NUMBER.test(value) ? value : quoted(value);
      break;
    case 'consent':
      if (!WORD.test(name)) return null;
      left = `consent.${name}`;
      right = bare(value);
      break;
    case 'received':
      left = 'received';
      right = quoted(value);
      break;
  }
  const text = `${left} ${c.op} ${right}`;
  return c.not ? `NOT ${text}` : text;
}

/** A node's text; a group inside another is in parentheses when it holds more than one part. */
function nodeText(n: Node, inner: boolean): string | null {
  if (n.type === 'cond') return conditionText(n);
  const parts = n.items.map((x) => nodeText(x, true)).filter((x): x is string => x !== null);
  if (parts.length === 0) return null;
  let text = parts.join(` ${n.join} `);
  if (parts.length > 1 && (inner || n.not)) text = `(${text})`;
  return n.not ? `NOT ${text}` : text;
}

/** The whole expression the rows write ('' when no row is complete yet). */
export function expressionText(root: Group): string {
  return nodeText(root, false) ?? '';
}

/** `root` with the node `id` replaced by what `fn` makes of it (null removes it). */
export function updateNode(root: Group, id: string, fn: (n: Node) => Node | null): Group {
  const walk = (g: Group): Group => ({
    ...g,
    items: g.items.flatMap((n) => {
      if (n.id === id) {
        const out = fn(n);
        return out === null ? [] : [out];
      }
      return n.type === 'group' ? [walk(n)] : [n];
    }),
  });
  if (root.id === id) {
    const out = fn(root);
    return out !== null && out.type === 'group' ? out : newGroup(root.join);
  }
  return walk(root);
}
