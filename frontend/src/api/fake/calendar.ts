import type { CalendarApi } from '../api';
import { reschedulePatch } from '../reschedule';
import { CALENDAR_CHANGED, type CalendarItem, type ChannelSlots, type Occurrence } from '../types';
import type { FakeContext } from './context';
import { CALENDAR_RECORDING, RECORDED_NOW, Scenario, wholeWeeksBetween } from './recorded';

/**
 * The calendar part of the fake. Every answer replays what Go's CalendarService answered in
 * recorded scenarios (app/recorded_calendar_test.go) over the recorded workspace's calendar (in
 * UTC, the zone the screen tests run in): the views' occurrences with recurring items expanded
 * by Go (wall times across daylight saving included), validation, edits, editorial statuses,
 * moves, deleting an item or one occurrence, posting slots and the queue's next slot (or its
 * refusal for a channel with no slot) are Go's. Moving an occurrence sends what the window
 * sends (reschedulePatch). In demo mode (`demo`), a call nobody recorded is refused as demo data.
 *
 * On another day than the recording's (demo mode), the recording is moved by whole weeks, so
 * that a Monday stays a Monday and a weekly series keeps its day: today lands in the recorded
 * week, whose month, week and list views were recorded from each of its days.
 */
export function createFakeCalendar(ctx: FakeContext, opts: { demo?: boolean } = {}) {
  const scenario = new Scenario(
    CALENDAR_RECORDING,
    'calendar',
    '',
    () => wholeWeeksBetween(RECORDED_NOW, ctx.now()),
    { demo: opts.demo },
  );
  const reschedules: { id: string; occurrence: string; newAt: string; scope: string }[] = [];
  const step = (method: string, args: unknown[]) => {
    const item = scenario.step<CalendarItem>(method, args);
    ctx.emit(CALENDAR_CHANGED, { ids: [item.id] });
    return item;
  };

  const api: CalendarApi = {
    list: (from, to) =>
      ctx.settle('calendar.list', () => scenario.read<Occurrence[]>('list', [from, to])),
    get: (id) => ctx.settle('calendar.get', () => scenario.read<CalendarItem>('get', [id])),
    create: (input) => ctx.settle('calendar.create', () => step('create', [input])),
    update: (id, patch) => ctx.settle('calendar.update', () => step('update', [id, patch])),
    reschedule: (id, occurrence, newAt, scope) =>
      ctx.settle('calendar.reschedule', () => {
        reschedules.push({ id, occurrence, newAt, scope });
        const item = scenario.read<CalendarItem>('get', [id]);
        return step('update', [id, reschedulePatch(item, occurrence, newAt, scope)]);
      }),
    setStatus: (id, status) =>
      ctx.settle('calendar.setStatus', () => step('setStatus', [id, status])),
    addToQueue: (id, channel) =>
      ctx.settle('calendar.addToQueue', () => step('addToQueue', [id, channel])),
    slots: () => ctx.settle('calendar.slots', () => scenario.read<ChannelSlots[]>('slots', [])),
    saveSlots: (cs) =>
      ctx.settle('calendar.saveSlots', () => scenario.step<ChannelSlots>('saveSlots', [cs])),
    delete: (id, occurrence) =>
      ctx.settle('calendar.delete', () =>
        step('delete', occurrence === undefined ? [id] : [id, occurrence]),
      ),
  };

  return {
    api,
    /** The items in the current recorded state, oldest first, for assertions. */
    items: () => scenario.read<CalendarItem[]>('items', []),
    reschedules: () => [...reschedules],
  };
}
