import type {
  CalendarItem,
  FieldError,
  ItemInput,
  ItemKind,
  ItemPatch,
  ItemStatus,
} from '../../api';
import {
  instantToZoned,
  isTimeZone,
  toRfc3339,
  userTimeZone,
  zonedToInstant,
} from '../../i18n/zoned';
import { fromRecurrence, noRepeat, sameRecurrence, toRecurrence, type RepeatForm } from './repeat';

export interface ItemFormValues {
  title: string;
  kind: ItemKind;
  body: string;
  channels: string[];
  /** Wall time in `timeZone`, `YYYY-MM-DDTHH:MM`; '' for an undated draft. */
  at: string;
  timeZone: string;
  repeat: RepeatForm;
  status: ItemStatus;
  assignee: string;
  campaign: string;
  notes: string;
}

export const TITLE_MAX = 300;

export function emptyItemForm(at?: Date): ItemFormValues {
  const zone = userTimeZone();
  return {
    title: '',
    kind: 'post',
    body: '',
    channels: [],
    at: at ? instantToZoned(at, zone) : '',
    timeZone: zone,
    repeat: noRepeat(),
    status: 'draft',
    assignee: '',
    campaign: '',
    notes: '',
  };
}

export function fromItem(item: CalendarItem): ItemFormValues {
  const zone = item.timeZone || userTimeZone();
  const at = item.at ? instantToZoned(new Date(item.at), zone) : '';
  return {
    title: item.title,
    kind: item.kind,
    body: item.body,
    channels: item.channels,
    at,
    timeZone: zone,
    repeat: fromRecurrence(item.repeat, at.slice(0, 10)),
    status: item.status,
    assignee: item.assignee,
    campaign: item.campaign,
    notes: item.notes,
  };
}

/** The instant the form's date and zone name; null when either is missing or invalid. */
export function formInstant(v: ItemFormValues): Date | null {
  return v.at ? zonedToInstant(v.at, v.timeZone) : null;
}

/** Checks the form the way the Go side will, with the same field paths and codes. */
export function validateItemForm(v: ItemFormValues): FieldError[] {
  const errs: FieldError[] = [];
  const title = v.title.trim();
  if (title === '') errs.push({ field: 'title', code: 'required' });
  else if (title.length > TITLE_MAX)
    errs.push({ field: 'title', code: 'max', params: { max: String(TITLE_MAX) } });
  if (!isTimeZone(v.timeZone)) errs.push({ field: 'timeZone', code: 'invalid' });
  else if (v.at !== '' && !formInstant(v)) errs.push({ field: 'at', code: 'invalid' });
  else if (v.at === '' && (v.repeat.kind !== 'none' || v.status === 'scheduled'))
    errs.push({ field: 'at', code: 'required' });
  const r = v.repeat;
  if (r.kind !== 'none') {
    if (r.end === 'until') {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(r.until))
        errs.push({ field: 'repeat.until', code: 'required' });
      else if (v.at && r.until < v.at.slice(0, 10))
        errs.push({ field: 'repeat.until', code: 'before_start' });
    }
    if (r.end === 'count' && !(Number.isInteger(r.count) && r.count >= 1))
      errs.push({ field: 'repeat.count', code: 'min', params: { min: '1' } });
    if (r.kind === 'daily' && !(Number.isInteger(r.interval) && r.interval >= 1))
      errs.push({ field: 'repeat.interval', code: 'min', params: { min: '1' } });
  }
  return errs;
}

export function toItemInput(v: ItemFormValues): ItemInput {
  const instant = formInstant(v);
  return {
    kind: v.kind,
    title: v.title.trim(),
    body: v.body,
    channels: v.channels.map((c) => c.trim()).filter(Boolean),
    status: v.status,
    assignee: v.assignee.trim(),
    campaign: v.campaign.trim(),
    notes: v.notes,
    timeZone: v.timeZone,
    ...(instant ? { at: toRfc3339(instant, v.timeZone) } : {}),
    repeat: instant ? toRecurrence(v.repeat, v.at.slice(0, 10)) : null,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what changed; the status changes through SetStatus. */
export function toItemPatch(item: CalendarItem, input: ItemInput): ItemPatch {
  const patch: ItemPatch = {};
  const keys = [
    'kind',
    'title',
    'body',
    'channels',
    'assignee',
    'campaign',
    'notes',
    'timeZone',
  ] as const;
  for (const k of keys) if (!same(item[k], input[k])) Object.assign(patch, { [k]: input[k] });
  if (input.at && (!item.at || new Date(item.at).getTime() !== new Date(input.at).getTime()))
    patch.at = input.at;
  if (!sameRecurrence(item.repeat, input.repeat)) {
    if (input.repeat) patch.repeat = input.repeat;
    else patch.noRepeat = true;
  }
  return patch;
}
