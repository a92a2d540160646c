import { screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import type { ConsentEvent } from '../../api';
import { HELENE, member, renderApp } from '../../test/renderApp';

const badge = (purpose: string) => screen.getByTestId(`consent-state-${purpose}`);

async function openHelene(opts: Parameters<typeof renderApp>[0] = {}) {
  const helene = HELENE();
  const app = await renderApp({ members: [helene], ...opts });
  await app.user.click(await screen.findByText('Hélène Dupont'));
  await screen.findByTestId('consent-state-newsletter');
  return { ...app, helene };
}

describe('Consent panel', () => {
  it('grants and withdraws consent, updating the badge and the history', async () => {
    const { api, user, helene } = await openHelene();
    expect(badge('newsletter')).toHaveTextContent('No record');
    expect(badge('events')).toHaveTextContent('No record');

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
    expect(
      within(history).getAllByText(/Recorded by hand · by you \(window\) · notice v2/),
    ).toHaveLength(2);
  });

  it('shows expired consent and its proof as text', async () => {
    const helene = HELENE();
    const old: ConsentEvent = {
      id: 'c1',
      memberId: helene.id,
      purpose: 'events',
      kind: 'granted',
      at: '2020-01-10T10:00:00Z',
      method: 'import',
      by: 'demo',
      noticeVersion: '1',
      noticeSha256: '',
      recordedAt: '2020-01-10T10:00:00Z',
      source: '',
      proof: { file: 'mailchimp.csv', row: 4, ip: '203.0.113.7', formData: { note: '<b>hi</b>' } },
    };
    const { user } = await renderApp({ members: [helene], consentEvents: [old] });
    await user.click(await screen.findByText('Hélène Dupont'));
    await waitFor(() => expect(badge('events')).toHaveTextContent('Expired'));
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
        'by Jules Martin',
        'by mailchimp.csv',
      ],
    },
    {
      lang: 'fr' as const,
      want: [
        'par vous (fenêtre)',
        'par ligne de commande',
        'par planificateur',
        'par Jules Martin',
        'par mailchimp.csv',
      ],
    },
  ])('says who recorded each event in people’s words ($lang)', async ({ lang, want }) => {
    const helene = HELENE();
    const jules = member({ name: 'Jules Martin' });
    const event = (i: number, by: string): ConsentEvent => ({
      id: `c${i}`,
      memberId: helene.id,
      purpose: 'newsletter',
      kind: 'granted',
      at: `2026-0${i}-10T10:00:00Z`,
      method: 'manual',
      by,
      noticeVersion: '',
      noticeSha256: '',
      recordedAt: `2026-0${i}-10T10:00:00Z`,
      source: '',
      proof: { file: '', row: 0, ip: '', formData: {} },
    });
    const events = ['window', 'cli', 'scheduler', jules.id, 'mailchimp.csv'].map((by, i) =>
      event(5 - i, by),
    );
    const { user } = await renderApp({ lang, members: [helene, jules], consentEvents: events });
    await user.click(await screen.findByText('Hélène Dupont'));
    await user.click(await screen.findByTestId('consent-history-toggle'));
    const items = () =>
      within(screen.getByTestId('consent-history'))
        .getAllByTestId('consent-history-item')
        .map((el) => el.textContent ?? '');
    await waitFor(() => expect(items().some((s) => s.includes(want[3] ?? ''))).toBe(true));
    want.forEach((w, i) => expect(items()[i]).toContain(w));
    expect(items().join(' ')).not.toContain(jules.id);
  });

  it('refreshes when consent changes elsewhere', async () => {
    const { api, helene } = await openHelene();
    await act(() => api.consent.grant({ memberId: helene.id, purpose: 'events' }));
    await waitFor(() => expect(badge('events')).toHaveTextContent('Granted'));
  });
});
