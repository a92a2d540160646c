import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WEEKDAYS } from '../../api';
import { RECORDED_NOW } from '../../api/fake/recorded';
import { userTimeZone } from '../../i18n/zoned';
import { renderApp } from '../../test/renderApp';
import { weekdayName } from './weekdays';

// Go's answers recorded at RECORDED_NOW (Monday 16 March 2026, 12:00 UTC) over the recorded
// calendar (app/recorded_calendar_test.go): Mastodon and Discourse post on Monday, Wednesday and
// Friday at 10:00; "Release notes" is a Bluesky draft.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => vi.useRealTimers());

const now = RECORDED_NOW;
/** `days` from today at hh:mm (UTC, the zone the screen tests run in). */
const inDays = (days: number, hour: number, minute = 0) =>
  new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, hour, minute);
const weekdayOf = (d: Date) => WEEKDAYS[(d.getDay() + 6) % 7]!;
const weekdayLabel = (d: Date) => weekdayName(weekdayOf(d), 'en', 'long');

/** Opens Settings on the posting slots section. */
async function openSlots(opts: Parameters<typeof renderApp>[0] = {}) {
  const app = await renderApp(opts);
  await app.user.click(screen.getByTestId('nav-settings'));
  // Settings shows one section at a time: the slots are under "Posting slots" (calendar).
  await app.user.click(await screen.findByTestId('settings-nav-calendar'));
  return { ...app, section: await screen.findByTestId('settings-slots') };
}

describe('Settings: posting slots', () => {
  it('lists each channel with its slots', async () => {
    const { section } = await openSlots();
    const mastodon = await within(section).findByTestId('slots-channel-mastodon');
    expect(within(mastodon).getAllByTestId('slots-row')).toHaveLength(3);
    expect(within(mastodon).getByTestId('slots-tz')).toHaveValue(userTimeZone());
    expect(within(section).getByTestId('slots-channel-discourse')).toBeInTheDocument();
  });

  it('shows the Go side’s field errors next to the slot', async () => {
    const { user, section } = await openSlots();
    await user.type(within(section).getByTestId('slots-channel-name'), 'bluesky');
    await user.click(within(section).getByTestId('slots-add-channel'));
    const card = await within(section).findByTestId('slots-channel-bluesky');
    await user.click(within(card).getByTestId('slots-add'));
    fireEvent.change(within(card).getByTestId('slots-time'), { target: { value: '' } });
    await user.click(within(card).getByTestId('slots-save'));
    // Go says an emptied time is required (the fake used to say it was not a valid time).
    expect(await within(card).findByTestId('field-error-slots[0].time')).toHaveTextContent(
      'Posting slot: required',
    );
  });

  it('adds a channel with two slots, and "Add to queue" then takes the next one', async () => {
    const { api, user, section } = await openSlots();
    expect(within(section).getByTestId('slots-channel-tz')).toHaveValue(userTimeZone());
    await user.type(within(section).getByTestId('slots-channel-name'), 'bluesky');
    await user.click(within(section).getByTestId('slots-add-channel'));
    const card = await within(section).findByTestId('slots-channel-bluesky');
    expect(within(card).getByTestId('slots-tz')).toHaveValue(userTimeZone());

    const first = inDays(2, 8, 15);
    const second = inDays(3, 17, 45);
    for (const [i, at] of [first, second].entries()) {
      await user.click(within(card).getByTestId('slots-add'));
      await user.click(within(card).getAllByTestId('slots-weekday')[i]!);
      await user.click(await screen.findByRole('option', { name: weekdayLabel(at) }));
      fireEvent.change(within(card).getAllByTestId('slots-time')[i]!, {
        target: { value: at.toTimeString().slice(0, 5) },
      });
    }
    await user.click(within(card).getByTestId('slots-save'));
    expect(await screen.findByText('Posting slots of bluesky saved')).toBeInTheDocument();
    const all = await api.calendar.slots();
    expect(all.map((cs) => cs.channel).sort()).toEqual(['bluesky', 'discourse', 'mastodon']);
    const saved = all.find((cs) => cs.channel === 'bluesky');
    expect(saved).toMatchObject({ channel: 'bluesky', timeZone: userTimeZone() });
    expect(saved!.slots).toHaveLength(2);
    expect(saved!.slots).toEqual(
      expect.arrayContaining([
        { weekday: weekdayOf(first), time: '08:15' },
        { weekday: weekdayOf(second), time: '17:45' },
      ]),
    );

    await user.click(screen.getByTestId('nav-calendar'));
    await user.click(
      (await screen.findAllByTestId('calendar-item')).find((c) =>
        c.textContent?.includes('Release notes'),
      )!,
    );
    const editor = await screen.findByTestId('item-editor');
    await user.click(within(editor).getByTestId('item-queue'));
    const release = () => api.calendarItems().find((i) => i.id === 'cal-release')!;
    await waitFor(() => expect(release().status).toBe('scheduled'));
    // Go's next free Bluesky slot: Wednesday the 18th at 08:15.
    expect(new Date(release().at!).getTime()).toBe(first.getTime());
  });
});
