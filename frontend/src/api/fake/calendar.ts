import {
  instantToZoned,
  isTimeZone,
  shiftInZone,
  toRfc3339,
  userTimeZone,
  zonedToInstant,
} from '../../i18n/zoned';
import type { CalendarApi } from '../api';
import { ApiError, type FieldError } from '../errors';
import {
  CALENDAR_CHANGED,
  EDITORIAL_STATUSES,
  ITEM_KINDS,
  STATUS_TRANSITIONS,
  WEEKDAYS,
  type CalendarItem,
  type ItemInput,
  type ItemStatus,
  type Occurrence,
  type Recurrence,
  type ChannelSlots,
} from '../types';
import { invalid, notFound, type FakeContext } from './context';
import { present } from './validate';

/** The weekday codes, as Go checks a slot's (any string is sent). */
const DAYS: readonly string[] = WEEKDAYS;

const DAY_MS = 86_400_000;
/** Occurrences the fake expands at most per item and call. */
const MAX_EXPANSION_DAYS = 3 * 366;

/** A wall date `YYYY-MM-DD` as a day number, for calendar arithmetic free of zones. */
const dayNumber = (date: string) =>
  Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8, 10)) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 0 = Monday. */
const weekdayOf = (day: number) => (new Date(day * DAY_MS).getUTCDay() + 6) % 7;
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Whether the wall date `day` is an occurrence of `r` for a series starting on `start`. */
function matches(r: Recurrence, start: number, day: number): boolean {
  const interval = Math.max(r.interval, 1);
  const s = new Date(start * DAY_MS);
  const d = new Date(day * DAY_MS);
  const wd = WEEKDAYS[weekdayOf(day)]!;
  const months = (d.getUTCFullYear() - s.getUTCFullYear()) * 12 + d.getUTCMonth() - s.getUTCMonth();
  const onMonthRule = () => {
    const dom = d.getUTCDate();
    const last = daysInMonth(d.getUTCFullYear(), d.getUTCMonth() + 1);
    if (r.monthDay !== 0)
      return r.monthDay > 0 ? dom === r.monthDay : dom === last + r.monthDay + 1;
    if (r.week !== 0) {
      if (r.weekdays[0] !== wd) return false;
      return r.week > 0
        ? Math.ceil(dom / 7) === r.week
        : Math.ceil((last - dom + 1) / 7) === -r.week;
    }
    return dom === s.getUTCDate();
  };
  switch (r.freq) {
    case 'daily':
      return (day - start) % interval === 0 && (r.weekdays.length === 0 || r.weekdays.includes(wd));
    case 'weekly': {
      const weeks = Math.floor((day - weekdayOf(day) - (start - weekdayOf(start))) / 7);
      const days = r.weekdays.length > 0 ? r.weekdays : [WEEKDAYS[weekdayOf(start)]!];
      return weeks % interval === 0 && days.includes(wd);
    }
    case 'monthly':
      return months % interval === 0 && onMonthRule();
    case 'yearly':
      return months % (12 * interval) === 0 && onMonthRule();
    case '':
      return false; // a rule held whole (r.rule): the demo does not expand RRULEs
  }
}

/** Original times (instants) of an item's occurrences before `to`, in order. */
export function expand(item: CalendarItem, to: Date): Date[] {
  if (!item.at) return [];
  const first = new Date(item.at);
  if (!item.repeat) return first < to ? [first] : [];
  const r = item.repeat;
  const wall = instantToZoned(first, item.timeZone);
  const [date, time] = wall.split('T') as [string, string];
  const start = dayNumber(date);
  const until = r.until ? dayNumber(r.until) : Infinity;
  const out: Date[] = [];
  for (let day = start; day <= start + MAX_EXPANSION_DAYS && day <= until; day++) {
    if (!matches(r, start, day)) continue;
    const at = zonedToInstant(`${dateOf(day)}T${time}`, item.timeZone);
    if (!at || at >= to) break;
    out.push(at);
    if (r.count > 0 && out.length >= r.count) break;
  }
  return out;
}

export const DEMO_SLOTS: ChannelSlots[] = ['mastodon', 'discourse'].map((channel) => ({
  channel,
  timeZone: userTimeZone(),
  slots: (['MO', 'WE', 'FR'] as const).map((weekday) => ({ weekday, time: '10:00' })),
}));

interface Exception {
  at?: string;
  cancelled?: boolean;
}

const LIMITS = { title: 300, body: 100_000, assignee: 200, campaign: 100, notes: 20_000 };
const LABEL = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;

function validate(
  input: Partial<ItemInput>,
  status: ItemStatus,
  at: string | undefined,
): FieldError[] {
  const errs: FieldError[] = [];
  const max = (field: keyof typeof LIMITS) => {
    const v = input[field];
    if (typeof v === 'string' && v.length > LIMITS[field])
      errs.push({ field, code: 'max', params: { max: String(LIMITS[field]) } });
  };
  if (input.title !== undefined && input.title.trim() === '')
    errs.push({ field: 'title', code: 'required' });
  (Object.keys(LIMITS) as (keyof typeof LIMITS)[]).forEach(max);
  if (input.kind !== undefined && !(ITEM_KINDS as readonly string[]).includes(input.kind))
    errs.push({ field: 'kind', code: 'oneof' });
  input.channels?.forEach((c, i) => {
    if (!LABEL.test(c)) errs.push({ field: `channels[${i}]`, code: 'label' });
  });
  if (input.timeZone !== undefined && input.timeZone !== '' && !isTimeZone(input.timeZone))
    errs.push({ field: 'timeZone', code: 'time_zone' });
  if (input.at !== undefined && input.at !== '' && Number.isNaN(new Date(input.at).getTime()))
    errs.push({ field: 'at', code: 'invalid' });
  if (!at && (status === 'scheduled' || input.repeat)) errs.push({ field: 'at', code: 'required' });
  const r = input.repeat;
  if (r) {
    if (r.count > 0 && r.until) errs.push({ field: 'repeat.until', code: 'count_and_until' });
    if (r.week !== 0 && r.weekdays.length !== 1)
      errs.push({ field: 'repeat.weekdays', code: 'one_weekday' });
  }
  return errs;
}

/** The calendar part of the fake: items, recurrence in the item's zone, moves, the queue. */
export function createFakeCalendar(
  ctx: FakeContext,
  seed: { items?: CalendarItem[]; slots?: ChannelSlots[] } = {},
) {
  const items = new Map((seed.items ?? []).map((i) => [i.id, structuredClone(i)]));
  const exceptions = new Map<string, Exception>();
  let slots: ChannelSlots[] = structuredClone(seed.slots ?? DEMO_SLOTS);
  let seq = 0;
  const reschedules: { id: string; occurrence: string; newAt: string; scope: string }[] = [];

  const key = (id: string, original: Date) => `${id}@${original.toISOString()}`;
  const require = (id: string) => {
    const item = items.get(id);
    if (!item) throw notFound('calendar_item_not_found', `calendar item ${id}`);
    return item;
  };
  const changed = (id: string) => ctx.emit(CALENDAR_CHANGED, { ids: [id] });
  const stamp = () => ctx.now().toISOString();

  const occurrences = (from: Date, to: Date): Occurrence[] => {
    const out: Occurrence[] = [];
    for (const item of items.values()) {
      // Moved occurrences can land in the range from outside it: expand a little wider.
      for (const original of expand(item, new Date(to.getTime() + 366 * DAY_MS))) {
        const ex = exceptions.get(key(item.id, original));
        if (ex?.cancelled) continue;
        const at = ex?.at ? new Date(ex.at) : original;
        if (at < from || at >= to) continue;
        out.push({
          itemId: item.id,
          original: toRfc3339(original, item.timeZone),
          at: toRfc3339(at, item.timeZone),
          status: item.status,
          late: false,
          moved: ex?.at !== undefined,
          recurring: item.repeat != null,
          kind: item.kind,
          title: item.title,
          channels: item.channels,
          campaign: item.campaign,
          assignee: item.assignee,
          timeZone: item.timeZone,
        });
      }
    }
    return out.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
  };

  const normaliseAt = (at: string | undefined, zone: string) =>
    at ? toRfc3339(new Date(at), zone) : undefined;

  const api: CalendarApi = {
    list: (from, to) =>
      ctx.settle('calendar.list', () => occurrences(new Date(from), new Date(to))),
    get: (id) => ctx.settle('calendar.get', () => require(id)),
    create: (input) =>
      ctx.settle('calendar.create', () => {
        const status = input.status ?? 'draft';
        const errs = validate(input, status, input.at);
        if (errs.length > 0) throw invalid(errs);
        const zone = input.timeZone || userTimeZone();
        const item: CalendarItem = {
          id: `i${ctx.now().getTime().toString(36)}${(seq++).toString(36)}`,
          kind: input.kind || 'post',
          title: (input.title ?? '').trim(),
          body: input.body ?? '',
          attachments: [],
          channels: input.channels ?? [],
          status,
          assignee: input.assignee ?? '',
          campaign: input.campaign ?? '',
          notes: input.notes ?? '',
          timeZone: zone,
          at: normaliseAt(input.at, zone),
          ...(input.repeat ? { repeat: input.repeat } : {}),
          latePolicy: 'publish',
          graceMinutes: 1440,
          createdAt: stamp(),
          updatedAt: stamp(),
        };
        items.set(item.id, item);
        changed(item.id);
        return item;
      }),
    update: (id, patch) =>
      ctx.settle('calendar.update', () => {
        const item = require(id);
        const { noRepeat, ...rest } = present(patch);
        const next: CalendarItem = { ...item, ...rest, updatedAt: stamp() };
        if (noRepeat) delete next.repeat;
        const errs = validate(rest, next.status, next.at);
        if (errs.length > 0) throw invalid(errs);
        next.at = normaliseAt(next.at, next.timeZone);
        items.set(id, next);
        changed(id);
        return next;
      }),
    reschedule: (id, occurrence, newAt, scope) =>
      ctx.settle('calendar.reschedule', () => {
        const item = require(id);
        reschedules.push({ id, occurrence, newAt, scope });
        const original = new Date(occurrence);
        const target = new Date(newAt);
        if (Number.isNaN(target.getTime())) throw invalid([{ field: 'at', code: 'invalid' }]);
        const k = key(id, original);
        if (scope === 'one' && item.repeat) {
          exceptions.set(k, { at: target.toISOString() });
        } else {
          // The series moves by as much wall time as the occurrence (from its original time).
          const first = item.repeat
            ? shiftInZone(new Date(item.at ?? occurrence), original, target, item.timeZone)
            : target;
          item.at = toRfc3339(first, item.timeZone);
          if (!item.repeat) exceptions.delete(k);
        }
        item.updatedAt = stamp();
        changed(id);
        return item;
      }),
    setStatus: (id, status) =>
      ctx.settle('calendar.setStatus', () => {
        const item = require(id);
        const allowed = STATUS_TRANSITIONS[item.status] ?? [];
        if (
          !(EDITORIAL_STATUSES as readonly string[]).includes(status) ||
          !allowed.includes(status)
        )
          throw new ApiError({
            kind: 'conflict',
            code: 'calendar_bad_transition',
            message: `cannot go from ${item.status} to ${status}`,
          });
        if (status === 'scheduled' && !item.at) throw invalid([{ field: 'at', code: 'required' }]);
        item.status = status;
        item.updatedAt = stamp();
        changed(id);
        return item;
      }),
    addToQueue: (id, channel) =>
      ctx.settle('calendar.addToQueue', () => {
        const item = require(id);
        if (item.repeat) throw invalid([{ field: 'repeat', code: 'queue_one_off' }]);
        channel = channel.trim() || item.channels[0] || '';
        if (!channel) throw invalid([{ field: 'channels', code: 'required' }]);
        const queue = slots.find((cs) => cs.channel.toLowerCase() === channel.toLowerCase());
        if (!queue || queue.slots.length === 0)
          throw new ApiError({
            kind: 'invalid',
            code: 'calendar_no_slots',
            message: 'no posting slots',
          });
        const zone = queue.timeZone || userTimeZone();
        const now = ctx.now();
        const horizon = new Date(now.getTime() + 366 * DAY_MS);
        const taken = new Set(
          occurrences(now, horizon)
            .filter((o) => o.itemId !== id && o.channels.includes(channel))
            .map((o) => new Date(o.at).getTime()),
        );
        for (let d = 0; d < 366; d++) {
          const date = instantToZoned(new Date(now.getTime() + d * DAY_MS), zone).slice(0, 10);
          const free = queue.slots
            .filter((s) => WEEKDAYS[weekdayOf(dayNumber(date))] === s.weekday)
            .map((s) => zonedToInstant(`${date}T${s.time}`, zone))
            .filter((at): at is Date => at !== null && at > now && !taken.has(at.getTime()))
            .sort((a, b) => a.getTime() - b.getTime())[0];
          if (free) {
            item.at = toRfc3339(free, item.timeZone);
            item.status = 'scheduled';
            if (!item.channels.includes(channel)) item.channels = [...item.channels, channel];
            item.updatedAt = stamp();
            changed(id);
            return item;
          }
        }
        throw new ApiError({
          kind: 'conflict',
          code: 'calendar_queue_full',
          message: 'no free slot',
        });
      }),
    slots: () => ctx.settle('calendar.slots', () => slots),
    saveSlots: (input) =>
      ctx.settle('calendar.saveSlots', () => {
        // As the Go side: trimmed, default zone, sorted by weekday and time, repeats dropped.
        const next: ChannelSlots = {
          channel: input.channel.trim(),
          timeZone: input.timeZone.trim() || userTimeZone(),
          slots: [...input.slots],
        };
        const errs: FieldError[] = [];
        if (next.channel === '') errs.push({ field: 'channel', code: 'required' });
        else if (!LABEL.test(next.channel)) errs.push({ field: 'channel', code: 'label' });
        if (!isTimeZone(next.timeZone)) errs.push({ field: 'timeZone', code: 'time_zone' });
        next.slots.forEach((s, i) => {
          if (!DAYS.includes(s.weekday)) errs.push({ field: `slots[${i}].weekday`, code: 'oneof' });
          if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(s.time))
            errs.push({ field: `slots[${i}].time`, code: 'datetime' });
        });
        if (errs.length > 0) throw invalid(errs);
        next.slots = next.slots
          .sort(
            (a, b) =>
              DAYS.indexOf(a.weekday) - DAYS.indexOf(b.weekday) || a.time.localeCompare(b.time),
          )
          .filter(
            (s, i, all) =>
              i === 0 || s.weekday !== all[i - 1]!.weekday || s.time !== all[i - 1]!.time,
          );
        const id = next.channel.toLowerCase();
        slots = [...slots.filter((cs) => cs.channel.toLowerCase() !== id), structuredClone(next)];
        return next;
      }),
    delete: (id, occurrence) =>
      ctx.settle('calendar.delete', () => {
        const item = require(id);
        if (occurrence && item.repeat)
          exceptions.set(key(id, new Date(occurrence)), { cancelled: true });
        else items.delete(id);
        changed(id);
        return item;
      }),
  };

  return {
    api,
    items: () => [...items.values()].map((i) => structuredClone(i)),
    reschedules: () => [...reschedules],
  };
}
