import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { CalendarItem, Recurrence } from '../../api';
import { userTimeZone } from '../../i18n/zoned';
import { renderApp } from '../../test/renderApp';
import { dayKey } from './dates';

const now = new Date();
/** A day of the current month, at 09:30 in this computer's zone. */
const onDay = (day: number, hour = 9, minute = 30) =>
  new Date(now.getFullYear(), now.getMonth(), day, hour, minute);

function item(over: Partial<CalendarItem> & { id: string; title: string }): CalendarItem {
  return {
    kind: 'post',
    body: '',
    attachments: [],
    channels: ['mastodon'],
    status: 'draft',
    assignee: '',
    campaign: '',
    notes: '',
    timeZone: userTimeZone(),
    at: onDay(10).toISOString(),
    latePolicy: 'publish',
    graceMinutes: 1440,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    ...over,
  };
}

const weekly: Recurrence = {
  freq: 'weekly',
  interval: 1,
  weekdays: [],
  monthDay: 0,
  week: 0,
  until: '',
  count: 3,
};

async function openCalendar(items: CalendarItem[]) {
  const app = await renderApp({ calendarItems: items });
  await app.user.click(screen.getByTestId('nav-calendar'));
  await screen.findByTestId('screen-calendar');
  return app;
}

/** Drags the chip onto the target the way a browser does. */
function drag(chip: HTMLElement, target: HTMLElement) {
  fireEvent.dragStart(chip);
  fireEvent.dragEnter(target);
  fireEvent.dragOver(target);
  fireEvent.drop(target);
  fireEvent.dragEnd(chip);
}

describe('Calendar', () => {
  it('shows items on their day in the month view, coloured by status', async () => {
    await openCalendar([
      item({ id: 'a', title: 'Release notes', status: 'approved' }),
      item({ id: 'b', title: 'Meetup promo', at: onDay(12).toISOString(), kind: 'event_promo' }),
    ]);
    const day10 = screen.getByTestId(`calendar-day-${dayKey(onDay(10))}`);
    const chip = await within(day10).findByText(/Release notes/);
    expect(chip.closest('[data-testid="calendar-item"]')).toHaveAttribute(
      'data-status',
      'approved',
    );
    expect(chip).toHaveTextContent('09:30');
    expect(
      within(screen.getByTestId(`calendar-day-${dayKey(onDay(12))}`)).getByText(/Meetup promo/),
    ).toBeInTheDocument();
  });

  it('reschedules a one-off item dragged to another day, keeping its time', async () => {
    const { api } = await openCalendar([item({ id: 'a', title: 'Release notes' })]);
    const chip = await screen.findByTestId('calendar-item');
    expect(chip).toHaveAttribute('data-item-id', 'a');
    drag(chip, screen.getByTestId(`calendar-day-${dayKey(onDay(15))}`));

    await waitFor(() => expect(api.reschedules()).toHaveLength(1));
    const call = api.reschedules()[0]!;
    expect(call).toMatchObject({ id: 'a', scope: 'one' });
    expect(new Date(call.occurrence).getTime()).toBe(onDay(10).getTime());
    expect(new Date(call.newAt).getTime()).toBe(onDay(15).getTime());
    await waitFor(() =>
      expect(
        within(screen.getByTestId(`calendar-day-${dayKey(onDay(15))}`)).getByText(/Release notes/),
      ).toBeInTheDocument(),
    );
    expect(await screen.findByText(/moved to/)).toBeInTheDocument();
  });

  it('asks whether to move one occurrence or the whole series', async () => {
    const { api, user } = await openCalendar([
      item({ id: 's', title: 'Weekly digest', at: onDay(1).toISOString(), repeat: weekly }),
    ]);
    await waitFor(() => expect(screen.getAllByTestId('calendar-item')).toHaveLength(3));
    const second = screen.getAllByTestId('calendar-item')[1]!;
    const target = dayKey(new Date(new Date(second.dataset.occurrence!).getTime() + 86_400_000));
    drag(second, screen.getByTestId(`calendar-day-${target}`));

    await user.click(await screen.findByTestId('reschedule-series'));
    await waitFor(() => expect(api.reschedules()).toHaveLength(1));
    expect(api.reschedules()[0]).toMatchObject({ id: 's', scope: 'series' });
    // The whole series moved a day later.
    const first = new Date(api.calendarItems()[0]!.at!);
    expect(first.getTime()).toBe(onDay(2).getTime());
  });

  it('moves an item to another hour in the week view', async () => {
    const { api, user } = await openCalendar([item({ id: 'a', title: 'Release notes' })]);
    await user.click(screen.getByTestId('calendar-today'));
    await user.click(screen.getByTestId('calendar-view-week'));
    // Go to the week of the 10th.
    while (!screen.queryByTestId(`calendar-slot-${dayKey(onDay(10))}-09`)) {
      await user.click(screen.getByTestId(onDay(10) < now ? 'calendar-prev' : 'calendar-next'));
    }
    const chip = await screen.findByTestId('calendar-item');
    drag(chip, screen.getByTestId(`calendar-slot-${dayKey(onDay(10))}-14`));
    await waitFor(() => expect(api.reschedules()).toHaveLength(1));
    expect(new Date(api.reschedules()[0]!.newAt).getTime()).toBe(onDay(10, 14, 30).getTime());
  });

  it('lists upcoming occurrences in the list view', async () => {
    const soon = new Date(now.getTime() + 2 * 86_400_000);
    const { user } = await openCalendar([
      item({ id: 'a', title: 'Soon', at: soon.toISOString() }),
      item({ id: 'b', title: 'Long ago', at: '2001-01-01T09:00:00Z' }),
    ]);
    await user.click(screen.getByTestId('calendar-view-list'));
    const list = await screen.findByTestId('calendar-list');
    expect(await within(list).findByText(/Soon/)).toBeInTheDocument();
    expect(within(list).queryByText(/Long ago/)).toBeNull();
  });
});

describe('Calendar title', () => {
  it.each([
    { lang: 'fr' as const, month: /^[a-zéû]+ \d{4}$/ },
    { lang: 'en' as const, month: /^[A-Z][a-z]+ \d{4}$/ },
  ])(
    'writes months as the language does, not capitalised by style ($lang)',
    async ({ lang, month }) => {
      const { user } = await renderApp({ lang, calendarItems: [] });
      await user.click(screen.getByTestId('nav-calendar'));
      const title = await screen.findByTestId('calendar-title');
      expect(title.textContent).toBe(
        new Intl.DateTimeFormat(lang, { month: 'long', year: 'numeric' }).format(now),
      );
      expect(title.textContent).toMatch(month);
      expect(getComputedStyle(title).textTransform).not.toBe('capitalize');

      await user.click(screen.getByTestId('calendar-view-week'));
      await waitFor(() => expect(title.textContent).toMatch(/\d.*\d{4}/));
      if (lang === 'fr') expect(title.textContent).toBe(title.textContent?.toLocaleLowerCase('fr'));
      expect(getComputedStyle(title).textTransform).not.toBe('capitalize');
    },
  );

  it('keeps French month abbreviations lower-case in the week title (déc., janv.)', async () => {
    const { user } = await renderApp({ lang: 'fr', calendarItems: [] });
    await user.click(screen.getByTestId('nav-calendar'));
    await user.click(screen.getByTestId('calendar-view-week'));
    const title = await screen.findByTestId('calendar-title');
    const abbr = new Intl.DateTimeFormat('fr', { month: 'short' });
    const shown = [...(title.textContent ?? '').matchAll(/\p{L}+\.?/gu)].map((m) => m[0]);
    expect(shown.length).toBeGreaterThan(0);
    for (const word of shown) expect(word).toBe(word.toLocaleLowerCase('fr'));
    expect(
      shown.some((w) => abbr.format(now).startsWith(w.replace('.', '')) || w === abbr.format(now)),
    ).toBe(true);
  });
});

describe('Calendar item editor', () => {
  it('requires a title and shows the error in place', async () => {
    const { api, user } = await openCalendar([]);
    await user.click(screen.getByTestId('calendar-new'));
    const editor = await screen.findByTestId('item-editor');
    expect(within(editor).getByTestId('item-tz')).toHaveValue(userTimeZone());
    await user.click(within(editor).getByTestId('item-save'));
    expect(await within(editor).findByTestId('field-error-title')).toHaveTextContent(
      'Title: required',
    );
    expect(api.calendarItems()).toHaveLength(0);
  });

  it('refuses a repeat that ends before it starts', async () => {
    const { api, user } = await openCalendar([]);
    await user.click(screen.getByTestId('calendar-new'));
    const editor = await screen.findByTestId('item-editor');
    await user.type(within(editor).getByTestId('item-title'), 'Digest');
    fireEvent.change(within(editor).getByTestId('item-at'), {
      target: { value: '2030-06-10T09:00' },
    });
    await user.click(within(editor).getByTestId('item-repeat'));
    await user.click(await screen.findByRole('option', { name: /Weekly/ }));
    await user.click(within(editor).getByTestId('item-repeat-end'));
    await user.click(await screen.findByRole('option', { name: 'On a date' }));
    fireEvent.change(within(editor).getByTestId('item-repeat-until'), {
      target: { value: '2030-06-01' },
    });
    await user.click(within(editor).getByTestId('item-save'));
    expect(await within(editor).findByTestId('field-error-repeat.until')).toHaveTextContent(
      'is before the first date',
    );
    expect(api.calendarItems()).toHaveLength(0);

    fireEvent.change(within(editor).getByTestId('item-repeat-until'), {
      target: { value: '2030-07-01' },
    });
    expect(within(editor).getByTestId('item-repeat-summary')).toHaveTextContent(
      'Every week on Monday, until Jul 1, 2030',
    );
    await user.click(within(editor).getByTestId('item-save'));
    await waitFor(() => expect(api.calendarItems()).toHaveLength(1));
    const saved = api.calendarItems()[0]!;
    expect(saved).toMatchObject({ title: 'Digest', timeZone: userTimeZone(), status: 'draft' });
    expect(saved.repeat).toMatchObject({ freq: 'weekly', weekdays: ['MO'], until: '2030-07-01' });
    expect(new Date(saved.at!).getTime()).toBe(new Date(2030, 5, 10, 9, 0).getTime());
  });

  it('previews Markdown as text, never as HTML', async () => {
    const { user } = await openCalendar([]);
    await user.click(screen.getByTestId('calendar-new'));
    const editor = await screen.findByTestId('item-editor');
    await user.type(
      within(editor).getByTestId('item-body'),
      'Hello **world** <img src=x onerror=alert(1)>',
    );
    await user.click(within(editor).getByTestId('item-preview-tab'));
    const preview = await within(editor).findByTestId('item-preview');
    expect(within(preview).getByText('world').tagName).toBe('STRONG');
    expect(preview).toHaveTextContent('<img src=x onerror=alert(1)>');
    expect(preview.querySelector('img')).toBeNull();
  });

  it('moves an item through its statuses', async () => {
    const { api, user } = await openCalendar([item({ id: 'a', title: 'Release notes' })]);
    await user.click(await screen.findByTestId('calendar-item'));
    const editor = await screen.findByTestId('item-editor');
    expect(within(editor).getByTestId('item-status-current')).toHaveTextContent('Draft');
    expect(within(editor).queryByTestId('item-status-scheduled')).toBeNull();
    await user.click(within(editor).getByTestId('item-status-in_review'));
    await waitFor(() =>
      expect(within(editor).getByTestId('item-status-current')).toHaveTextContent('In review'),
    );
    await user.click(within(editor).getByTestId('item-status-approved'));
    await user.click(await within(editor).findByTestId('item-status-scheduled'));
    await waitFor(() => expect(api.calendarItems()[0]!.status).toBe('scheduled'));
  });
});
