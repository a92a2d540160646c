import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NewsletterWorkspace } from '../../api/fake/newsletter';
import { RECORDED_NOW, recordedMembers } from '../../api/fake/recorded';
import type { Language } from '../../i18n';
import { renderApp } from '../../test/renderApp';

// Go's send check, recorded at RECORDED_NOW (16 March 2026) over the recorded community
// (app/recorded_newsletter_test.go): 13 members, of whom Grace Hopper, Kim Nguyen and Marc
// Lefèvre were never asked, Jack Smith's address bounced and Olivia Brown has no e-mail. In the
// "lapsing" workspace, newsletter consent lapses after 5 months (Hélène Dupont's, given on
// 27 September 2025, and Ana Lima's, on 7 October) and Dan Roy withdrew his.
async function review(lang: Language, workspace: NewsletterWorkspace) {
  const app = await renderApp({ lang, members: recordedMembers(), newsletters: { workspace } });
  await app.user.click(screen.getByTestId('nav-campaigns'));
  await screen.findByTestId('screen-campaigns');
  await app.user.click(screen.getByTestId('newsletter-new'));
  // The subject at once: the composer autosaves a draft only once it has one.
  await app.user.click(screen.getByTestId('newsletter-subject'));
  await app.user.paste('June news');
  await app.user.click(screen.getByTestId('newsletter-review'));
  return screen.findByTestId('newsletter-check');
}

describe('Newsletter send check', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(RECORDED_NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('sends to every member who agreed when the purpose sets no expiry, and says why others are left out', async () => {
    const check = await review('en', 'community');
    expect(within(check).getByTestId('newsletter-check-summary')).toHaveTextContent(
      '8 of 13 members will receive it.',
    );
    expect(within(check).getByTestId('newsletter-excluded-consent')).toHaveTextContent('3');
    expect(within(check).getByTestId('newsletter-excluded-withdrawn')).toHaveTextContent('0');
    expect(within(check).getByTestId('newsletter-excluded-expired')).toHaveTextContent('0');
    expect(within(check).getByTestId('newsletter-excluded-suppressed')).toHaveTextContent('1');
    expect(within(check).getByTestId('newsletter-excluded-no-email')).toHaveTextContent('1');
    expect(within(check).queryByTestId('newsletter-expired-note')).toBeNull();
  }, 60_000);

  it('names the expired consents, their dates and the rule before sending (English)', async () => {
    const check = await review('en', 'lapsing');
    expect(within(check).getByTestId('newsletter-check-summary')).toHaveTextContent(
      '5 of 13 members will receive it.',
    );
    expect(within(check).getByTestId('newsletter-excluded-withdrawn')).toHaveTextContent('1');
    expect(within(check).getByTestId('newsletter-excluded-expired')).toHaveTextContent('2');
    expect(within(check).getByTestId('newsletter-expired-note')).toHaveTextContent(
      '2 consents expired between Feb 27, 2026 and Mar 7, 2026 (rule: 5 months for “Newsletter”).',
    );
    // The composer says it too, under the audience.
    expect(screen.getByTestId('newsletter-audience-expired')).toHaveTextContent(
      '2 consents expired',
    );
  }, 60_000);

  it('names the expired consents, their dates and the rule before sending (French)', async () => {
    const check = await review('fr', 'lapsing');
    expect(within(check).getByTestId('newsletter-check-summary')).toHaveTextContent(
      '5 membres sur 13 la recevront.',
    );
    expect(within(check).getByTestId('newsletter-expired-note')).toHaveTextContent(
      '2 consentements ont expiré entre le 27 févr. 2026 et le 7 mars 2026 (règle : 5 mois pour « Lettre d’information »).',
    );
  }, 60_000);
});
