import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORDED_NOW } from '../../api/fake/recorded';
import type { Language } from '../../i18n';
import { renderApp } from '../../test/renderApp';

// Go's answers recorded at RECORDED_NOW (app/recorded_consent_test.go).
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => vi.useRealTimers());

async function openPurposes(lang: Language) {
  const app = await renderApp({ lang });
  await app.user.click(screen.getByTestId('nav-settings'));
  // Settings may open on another section: go to the consent one when there is a side navigation.
  const section = await waitFor(() => {
    const found =
      screen.queryByTestId('settings-nav-consent') ??
      screen.queryByTestId('purpose-edit-newsletter');
    if (!found) throw new Error('Settings not shown yet');
    return found;
  });
  if (section.dataset.testid === 'settings-nav-consent') await app.user.click(section);
  await screen.findByTestId('purpose-edit-newsletter');
  return app;
}

const newsletterExpiry = async (api: Awaited<ReturnType<typeof openPurposes>>['api']) =>
  (await api.consent.purposes()).find((p) => p.id === 'newsletter')?.expiryMonths;

async function setExpiry(user: Awaited<ReturnType<typeof openPurposes>>['user'], months: string) {
  await user.click(screen.getByTestId('purpose-edit-newsletter'));
  const form = await screen.findByTestId('purpose-form');
  const expiry = within(form).getByTestId('purpose-expiry');
  await user.clear(expiry);
  if (months) await user.type(expiry, months);
  await user.click(within(form).getByTestId('purpose-save'));
  return form;
}

describe('Settings: the expiry rule of a purpose', () => {
  it.each([
    ['en', 'Never', 'after 24 months'],
    ['fr', 'Jamais', 'après 24 mois'],
  ] as const)(
    'shows the rule that is applied, never by default (%s)',
    async (lang, never, months) => {
      const { api, user } = await openPurposes(lang);
      const shown = () => screen.getByTestId('purpose-expiry-newsletter');
      expect(shown()).toHaveTextContent(never);
      expect(await newsletterExpiry(api)).toBeNull();

      await setExpiry(user, '24');
      await waitFor(() => expect(screen.queryByTestId('purpose-form')).toBeNull());
      expect(shown()).toHaveTextContent(months);
      expect(await newsletterExpiry(api)).toBe(24);
    },
    60_000,
  );

  it('goes back to never when the expiry is emptied, stored as null like the Go side does', async () => {
    const { api, user } = await openPurposes('en');
    await setExpiry(user, '6');
    await waitFor(() => expect(screen.queryByTestId('purpose-form')).toBeNull());
    await setExpiry(user, '');
    await waitFor(() => expect(screen.queryByTestId('purpose-form')).toBeNull());
    expect(screen.getByTestId('purpose-expiry-newsletter')).toHaveTextContent('Never');
    expect(await newsletterExpiry(api)).toBeNull();
  }, 60_000);

  it.each([
    ['en', 'Expiry: a whole number of months from 1 to 1200, or empty for never'],
    ['fr', 'Expiration : un nombre entier de mois de 1 à 1200, ou vide pour jamais'],
  ] as const)(
    'shows the Go side’s expiry_range error translated (%s)',
    async (lang, message) => {
      const { user } = await openPurposes(lang);
      const form = await setExpiry(user, '1201');
      expect(await within(form).findByTestId('field-error-expiryMonths')).toHaveTextContent(
        message,
      );
    },
    60_000,
  );
});
