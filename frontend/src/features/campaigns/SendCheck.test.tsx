import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ConsentEvent, Member, Purpose } from '../../api';
import type { Language } from '../../i18n';
import { member, renderApp } from '../../test/renderApp';

const event = (m: Member, kind: ConsentEvent['kind'], at: string): ConsentEvent =>
  ({
    id: `c-${m.id}-${kind}`,
    memberId: m.id,
    purpose: 'newsletter',
    kind,
    at,
    recordedAt: at,
    method: 'import',
    by: 'import subscribed.csv',
    source: 'import subscribed.csv',
    noticeVersion: '',
    noticeSha256: '',
    proof: { ip: '', file: 'subscribed.csv', row: 2, formData: {} },
  }) as ConsentEvent;

const recent = member({ name: 'Recent Reader' });
const march = member({ name: 'March Reader' });
const may = member({ name: 'May Reader' });
const gone = member({ name: 'Withdrawn Reader' });
const never = member({ name: 'Never Asked' });
const people = [recent, march, may, gone, never];
const events = [
  event(recent, 'granted', '2025-01-10T10:00:00Z'),
  event(march, 'granted', '2023-03-12T09:35:00Z'),
  event(may, 'granted', '2023-05-03T09:00:00Z'),
  event(gone, 'granted', '2024-01-10T10:00:00Z'),
  event(gone, 'withdrawn', '2024-02-10T10:00:00Z'),
];

/** The Newsletter purpose as Go seeds it (no name: translated by id), with the given expiry. */
const purposes = (expiryMonths: number | null): Purpose[] => [
  {
    id: 'newsletter',
    name: '',
    description: '',
    expiryMonths,
    archived: false,
    builtin: true,
    createdAt: '2024-01-15T09:00:00Z',
    updatedAt: '2024-01-15T09:00:00Z',
  },
];

async function review(lang: Language, expiryMonths: number | null) {
  const app = await renderApp({
    lang,
    members: people,
    consentEvents: events,
    purposes: purposes(expiryMonths),
    now: () => new Date('2025-06-01T10:00:00Z'),
  });
  await app.user.click(screen.getByTestId('nav-campaigns'));
  await screen.findByTestId('screen-campaigns');
  await app.user.click(screen.getByTestId('newsletter-new'));
  await app.user.type(screen.getByTestId('newsletter-subject'), 'June news');
  await app.user.click(screen.getByTestId('newsletter-review'));
  return screen.findByTestId('newsletter-check');
}

describe('Newsletter send check', () => {
  it('sends to the 2023 opt-ins when the purpose sets no expiry, and says why others are left out', async () => {
    const check = await review('en', null);
    expect(within(check).getByTestId('newsletter-check-summary')).toHaveTextContent(
      '3 of 5 members will receive it.',
    );
    expect(within(check).getByTestId('newsletter-excluded-consent')).toHaveTextContent('1');
    expect(within(check).getByTestId('newsletter-excluded-withdrawn')).toHaveTextContent('1');
    expect(within(check).getByTestId('newsletter-excluded-expired')).toHaveTextContent('0');
    expect(within(check).queryByTestId('newsletter-expired-note')).toBeNull();
  }, 60_000);

  it('names the expired consents, their dates and the rule before sending (English)', async () => {
    const check = await review('en', 24);
    expect(within(check).getByTestId('newsletter-check-summary')).toHaveTextContent(
      '1 of 5 members will receive it.',
    );
    expect(within(check).getByTestId('newsletter-excluded-expired')).toHaveTextContent('2');
    expect(within(check).getByTestId('newsletter-expired-note')).toHaveTextContent(
      '2 consents expired between Mar 12, 2025 and May 3, 2025 (rule: 24 months for “Newsletter”).',
    );
    // The composer says it too, under the audience.
    expect(screen.getByTestId('newsletter-audience-expired')).toHaveTextContent(
      '2 consents expired',
    );
  }, 60_000);

  it('names the expired consents, their dates and the rule before sending (French)', async () => {
    const check = await review('fr', 24);
    expect(within(check).getByTestId('newsletter-check-summary')).toHaveTextContent(
      '1 membre sur 5 la recevra.',
    );
    expect(within(check).getByTestId('newsletter-expired-note')).toHaveTextContent(
      '2 consentements ont expiré entre le 12 mars 2025 et le 3 mai 2025 (règle : 24 mois pour « Lettre d’information »).',
    );
  }, 60_000);
});
