import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORDED_NOW } from '../../api/fake/recorded';
import { userTimeZone } from '../../i18n/zoned';
import { renderApp } from '../../test/renderApp';
import { dayKey } from './dates';

// Go's answers recorded at RECORDED_NOW (Monday 16 March 2026, 12:00 UTC; the screen tests run
// in UTC) over the recorded calendar (app/recorded_calendar_test.go): "Release notes" (draft,
// Bluesky) on the 10th at 09:30, "Meetup promo" (approved) on the 12th, "Weekly digest" every
// Monday from the 2nd, three times, "Soon" on the 18th, "Paris meetup" every second Tuesday at
// 09:00 in Paris and "Long ago" in 2001.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => vi.useRealTimers());

const now = RECORDED_NOW;
/** A day of March 2026, at 09:30 (UTC). */
const onDay = (day: number, hour = 9, minute = 30) => new Date(2026, 2, day, hour, minute);
const chipOf = (title: string) =>
  screen.getAllByTestId('calendar-item').find((c) => c.textContent?.includes(title))!;

async function openCalendar() {
  const app = await renderApp();
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
    await openCalendar();
    const day10 = screen.getByTestId(`calendar-day-${dayKey(onDay(10))}`);
    const chip = await within(day10).findByText(/Release notes/);
    expect(chip.closest('[data-testid="calendar-item"]')).toHaveAttribute('data-status', 'draft');
    expect(chip).toHaveTextContent('09:30');
    const meetup = within(screen.getByTestId(`calendar-day-${dayKey(onDay(12))}`)).getByText(
      /Meetup promo/,
    );
    expect(meetup.closest('[data-testid="calendar-item"]')).toHaveAttribute(
      'data-status',
      'approved',
    );
    // Go expanded the weekly series: Mondays the 2nd, 9th and 16th.
    for (const d of [2, 9, 16])
      expect(
        within(screen.getByTestId(`calendar-day-${dayKey(onDay(d))}`)).getByText(/Weekly digest/),
      ).toBeInTheDocument();
  });

  it('reschedules a one-off item dragged to another day, keeping its time', async () => {
    const { api } = await openCalendar();
    await screen.findByText(/Release notes/);
    const chip = chipOf('Release notes');
    expect(chip).toHaveAttribute('data-item-id', 'cal-release');
    drag(chip, screen.getByTestId(`calendar-day-${dayKey(onDay(15))}`));

    await waitFor(() => expect(api.reschedules()).toHaveLength(1));
    const call = api.reschedules()[0]!;
    expect(call).toMatchObject({ id: 'cal-release', scope: 'one' });
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
    const { api, user } = await openCalendar();
    await screen.findByText(/Release notes/);
    const series = screen
      .getAllByTestId('calendar-item')
      .filter((c) => c.dataset.itemId === 'cal-digest');
    expect(series).toHaveLength(3);
    const second = series[1]!;
    const target = dayKey(new Date(new Date(second.dataset.occurrence!).getTime() + 86_400_000));
    drag(second, screen.getByTestId(`calendar-day-${target}`));

    await user.click(await screen.findByTestId('reschedule-series'));
    await waitFor(() => expect(api.reschedules()).toHaveLength(1));
    expect(api.reschedules()[0]).toMatchObject({ id: 'cal-digest', scope: 'series' });
    // The whole series moved a day later.
    const digest = api.calendarItems().find((i) => i.id === 'cal-digest')!;
    expect(new Date(digest.at!).getTime()).toBe(onDay(3).getTime());
  });

  it('moves an item to another hour in the week view', async () => {
    const { api, user } = await openCalendar();
    await user.click(screen.getByTestId('calendar-today'));
    await user.click(screen.getByTestId('calendar-view-week'));
    // Go to the week of the 10th.
    while (!screen.queryByTestId(`calendar-slot-${dayKey(onDay(10))}-09`)) {
      await user.click(screen.getByTestId(onDay(10) < now ? 'calendar-prev' : 'calendar-next'));
    }
    await screen.findByText(/Release notes/);
    drag(chipOf('Release notes'), screen.getByTestId(`calendar-slot-${dayKey(onDay(10))}-14`));
    await waitFor(() => expect(api.reschedules()).toHaveLength(1));
    expect(new Date(api.reschedules()[0]!.newAt).getTime()).toBe(onDay(10, 14, 30).getTime());
  });

  it('lists upcoming occurrences in the list view', async () => {
    const { user } = await openCalendar();
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
      const { user } = await renderApp({ lang });
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
    const { user } = await renderApp({ lang: 'fr' });
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
    const { api, user } = await openCalendar();
    await user.click(screen.getByTestId('calendar-new'));
    const editor = await screen.findByTestId('item-editor');
    expect(within(editor).getByTestId('item-tz')).toHaveValue(userTimeZone());
    await user.click(within(editor).getByTestId('item-save'));
    expect(await within(editor).findByTestId('field-error-title')).toHaveTextContent(
      'Title: required',
    );
    expect(api.calendarItems()).toHaveLength(6);
  });

  it('refuses a repeat that ends before it starts', async () => {
    const { api, user } = await openCalendar();
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
    expect(api.calendarItems()).toHaveLength(6);

    fireEvent.change(within(editor).getByTestId('item-repeat-until'), {
      target: { value: '2030-07-01' },
    });
    expect(within(editor).getByTestId('item-repeat-summary')).toHaveTextContent(
      'Every week on Monday, until Jul 1, 2030',
    );
    await user.click(within(editor).getByTestId('item-save'));
    await waitFor(() => expect(api.calendarItems()).toHaveLength(7));
    const saved = api.calendarItems()[6]!;
    expect(saved).toMatchObject({ title: 'Digest', timeZone: userTimeZone(), status: 'draft' });
    expect(saved.repeat).toMatchObject({ freq: 'weekly', weekdays: ['MO'], until: '2030-07-01' });
    expect(new Date(saved.at!).getTime()).toBe(new Date(2030, 5, 10, 9, 0).getTime());
  });

  it('previews Markdown as text, never as HTML', async () => {
    const { user } = await openCalendar();
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

  it('saves only what changed in an item and shows Go’s answer', async () => {
    const { api, user } = await openCalendar();
    await screen.findByText(/Release notes/);
    await user.click(chipOf('Release notes'));
    const editor = await screen.findByTestId('item-editor');
    await user.clear(within(editor).getByTestId('item-title'));
    await user.type(within(editor).getByTestId('item-title'), 'Release notes 2.0');
    await user.click(within(editor).getByTestId('item-save'));
    await waitFor(() => expect(screen.queryByTestId('item-editor')).toBeNull());
    await waitFor(() => expect(chipOf('Release notes 2.0')).toBeDefined());
    expect(api.calendarItems().find((i) => i.id === 'cal-release')).toMatchObject({
      title: 'Release notes 2.0',
      status: 'draft',
    });
  });

  it('deletes an item once confirmed', async () => {
    const { api, user } = await openCalendar();
    await screen.findByText(/Release notes/);
    await user.click(chipOf('Release notes'));
    const editor = await screen.findByTestId('item-editor');
    await user.click(within(editor).getByTestId('item-delete'));
    await user.click(await screen.findByTestId('item-delete-confirm'));
    expect(await screen.findByText('“Release notes” deleted')).toBeInTheDocument();
    await waitFor(() => expect(chipOf('Release notes')).toBeUndefined());
    expect(api.calendarItems().map((i) => i.id)).not.toContain('cal-release');
  });

  it('says so when Go cannot queue an item: its channel has no posting slot', async () => {
    const { api, user } = await openCalendar();
    await screen.findByText(/Release notes/);
    await user.click(chipOf('Release notes'));
    const editor = await screen.findByTestId('item-editor');
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    await user.click(within(editor).getByTestId('item-queue'));
    expect(await screen.findByText('This channel has no posting slots yet.')).toBeInTheDocument();
    expect(api.calendarItems().find((i) => i.id === 'cal-release')?.status).toBe('draft');
    expect(consoleError).toHaveBeenCalledOnce();
    consoleError.mockRestore();
  });

  it('moves an item through its statuses', async () => {
    const { api, user } = await openCalendar();
    await screen.findByText(/Release notes/);
    await user.click(chipOf('Release notes'));
    const editor = await screen.findByTestId('item-editor');
    expect(within(editor).getByTestId('item-status-current')).toHaveTextContent('Draft');
    expect(within(editor).queryByTestId('item-status-scheduled')).toBeNull();
    await user.click(within(editor).getByTestId('item-status-in_review'));
    await waitFor(() =>
      expect(within(editor).getByTestId('item-status-current')).toHaveTextContent('In review'),
    );
    await user.click(within(editor).getByTestId('item-status-approved'));
    await user.click(await within(editor).findByTestId('item-status-scheduled'));
    await waitFor(() =>
      expect(api.calendarItems().find((i) => i.id === 'cal-release')!.status).toBe('scheduled'),
    );
  });
});
