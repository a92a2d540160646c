import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { WEEKDAYS, type CalendarItem } from '../../api';
import { userTimeZone } from '../../i18n/zoned';
import { renderApp } from '../../test/renderApp';
import { weekdayName } from './weekdays';

const now = new Date();
/** `days` from today at hh:mm on this computer's clock. */
const inDays = (days: number, hour: number, minute = 0) =>
  new Date(now.getFullYear(), now.getMonth(), now.getDate() + days, hour, minute);
const weekdayOf = (d: Date) => WEEKDAYS[(d.getDay() + 6) % 7]!;
const weekdayLabel = (d: Date) => weekdayName(weekdayOf(d), 'en', 'long');

const draft: CalendarItem = {
  id: 'a',
  title: 'Release notes',
  kind: 'post',
  body: '',
  attachments: [],
  channels: ['bluesky'],
  status: 'draft',
  assignee: '',
  campaign: '',
  notes: '',
  timeZone: userTimeZone(),
  at: new Date(now.getFullYear(), now.getMonth(), 10, 9, 30).toISOString(),
  latePolicy: 'publish',
  graceMinutes: 1440,
  createdAt: '2025-01-01T00:00:00Z',
  updatedAt: '2025-01-01T00:00:00Z',
};

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
    const { user, section } = await openSlots({ slots: [] });
    await user.type(within(section).getByTestId('slots-channel-name'), 'bluesky');
    await user.click(within(section).getByTestId('slots-add-channel'));
    const card = await within(section).findByTestId('slots-channel-bluesky');
    await user.click(within(card).getByTestId('slots-add'));
    fireEvent.change(within(card).getByTestId('slots-time'), { target: { value: '' } });
    await user.click(within(card).getByTestId('slots-save'));
    expect(await within(card).findByTestId('field-error-slots[0].time')).toHaveTextContent(
      'Posting slot: not a valid time (HH:MM)',
    );
  });

  it('adds a channel with two slots, and "Add to queue" then takes the next one', async () => {
    const { api, user, section } = await openSlots({ slots: [], calendarItems: [draft] });
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
    const [saved, ...others] = await api.calendar.slots();
    expect(others).toEqual([]);
    expect(saved).toMatchObject({ channel: 'bluesky', timeZone: userTimeZone() });
    expect(saved!.slots).toHaveLength(2);
    expect(saved!.slots).toEqual(
      expect.arrayContaining([
        { weekday: weekdayOf(first), time: '08:15' },
        { weekday: weekdayOf(second), time: '17:45' },
      ]),
    );

    await user.click(screen.getByTestId('nav-calendar'));
    await user.click(await screen.findByTestId('calendar-item'));
    const editor = await screen.findByTestId('item-editor');
    await user.click(within(editor).getByTestId('item-queue'));
    await waitFor(() => expect(api.calendarItems()[0]!.status).toBe('scheduled'));
    expect(new Date(api.calendarItems()[0]!.at!).getTime()).toBe(first.getTime());
  });
});
