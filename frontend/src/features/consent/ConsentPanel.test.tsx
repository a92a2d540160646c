import { screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORDED_NOW, recordedMembers } from '../../api/fake/recorded';
import { HELENE, renderApp } from '../../test/renderApp';

// The consent panel replays Go's answers recorded at RECORDED_NOW (app/recorded_consent_test.go):
// the recorded Hélène Dupont (member-01) has a history written by the window, the command line,
// the scheduler, Ana Lima and an import, and event reminders imported in January 2025 that
// expired under their 12-month rule; a member the recording does not know has no consent yet.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => vi.useRealTimers());

const badge = (purpose: string) => screen.getByTestId(`consent-state-${purpose}`);

async function openHelene(opts: Parameters<typeof renderApp>[0] = {}) {
  const helene = HELENE();
  const app = await renderApp({ members: [helene], ...opts });
  await app.user.click(await screen.findByText('Hélène Dupont'));
  await app.user.click(await screen.findByTestId('member-tab-details'));
  await screen.findByTestId('consent-state-newsletter');
  return { ...app, helene };
}

describe('Consent panel', () => {
  it('grants and withdraws consent, updating the badge and the history', async () => {
    const { api, user, helene } = await openHelene();
    expect(badge('newsletter')).toHaveTextContent('No record');
    expect(badge('event_reminders')).toHaveTextContent('No record');

    await user.click(screen.getByTestId('consent-grant-newsletter'));
    await waitFor(() => expect(badge('newsletter')).toHaveTextContent('Granted'));
    expect(badge('newsletter')).toHaveAttribute('data-state', 'granted');

    await user.click(screen.getByTestId('consent-withdraw-newsletter'));
    await waitFor(() => expect(badge('newsletter')).toHaveTextContent('Withdrawn'));
    expect(screen.getByTestId('consent-grant-newsletter')).toBeInTheDocument();

    expect(api.consentEvents().map((e) => [e.memberId, e.purpose, e.kind, e.method])).toEqual([
      [helene.id, 'newsletter', 'granted', 'manual'],
      [helene.id, 'newsletter', 'withdrawn', 'manual'],
    ]);

    await user.click(screen.getByTestId('consent-history-toggle'));
    const history = screen.getByTestId('consent-history');
    expect(within(history).getAllByTestId('consent-history-item')).toHaveLength(2);
    expect(within(history).getAllByText(/Recorded by hand · by you \(window\)/)).toHaveLength(2);
  });

  it('shows expired consent and its proof as text', async () => {
    const { user } = await renderApp({ members: recordedMembers() });
    await user.click(await screen.findByText('Hélène Dupont'));
    await user.click(await screen.findByTestId('member-tab-details'));
    await waitFor(() => expect(badge('event_reminders')).toHaveTextContent('Expired'));
    await user.click(screen.getByTestId('consent-history-toggle'));
    expect(
      within(screen.getByTestId('consent-history')).getByText(
        'Proof: IP 203.0.113.7 · file mailchimp.csv, row 4 · form: note = <b>hi</b>',
      ),
    ).toBeInTheDocument();
    expect(document.querySelector('#root b, [data-testid="consent-history"] b')).toBeNull();
  });

  it.each([
    {
      lang: 'en' as const,
      want: [
        'by you (window)',
        'by command line',
        'by scheduler',
        'by Ana Lima',
        'by mailchimp.csv',
      ],
    },
    {
      lang: 'fr' as const,
      want: [
        'par vous (fenêtre)',
        'par ligne de commande',
        'par planificateur',
        'par Ana Lima',
        'par mailchimp.csv',
      ],
    },
  ])('says who recorded each event in people’s words ($lang)', async ({ lang, want }) => {
    const { user } = await renderApp({ lang, members: recordedMembers() });
    await user.click(await screen.findByText('Hélène Dupont'));
    await user.click(await screen.findByTestId('member-tab-details'));
    await user.click(await screen.findByTestId('consent-history-toggle'));
    const items = () =>
      within(screen.getByTestId('consent-history'))
        .getAllByTestId('consent-history-item')
        .map((el) => el.textContent ?? '');
    await waitFor(() => expect(items().some((s) => s.includes(want[3] ?? ''))).toBe(true));
    want.forEach((w, i) => expect(items()[i]).toContain(w));
    expect(items().join(' ')).not.toContain('member-02');
  });

  it('refreshes when consent changes elsewhere', async () => {
    const { api, helene } = await openHelene();
    await act(() => api.consent.grant({ memberId: helene.id, purpose: 'event_reminders' }));
    await waitFor(() => expect(badge('event_reminders')).toHaveTextContent('Granted'));
  });
});
