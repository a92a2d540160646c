import { screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { HELENE, member, renderApp } from '../../test/renderApp';

async function openSettings(opts: Parameters<typeof renderApp>[0] = {}) {
  const app = await renderApp(opts);
  await app.user.click(screen.getByTestId('nav-settings'));
  await screen.findByTestId('purpose-edit-newsletter');
  return app;
}

describe('Settings: consent purposes', () => {
  it('edits a purpose', async () => {
    const { api, user } = await openSettings();
    await user.click(screen.getByTestId('purpose-edit-newsletter'));
    const form = await screen.findByTestId('purpose-form');
    expect(within(form).getByTestId('purpose-id')).toBeDisabled();
    const name = within(form).getByTestId('purpose-name');
    await user.clear(name);
    await user.type(name, 'Monthly newsletter');
    const expiry = within(form).getByTestId('purpose-expiry');
    await user.clear(expiry);
    await user.type(expiry, '6');
    await user.click(within(form).getByTestId('purpose-save'));

    await waitFor(() => expect(screen.queryByTestId('purpose-form')).toBeNull());
    const row = screen.getByTestId('purpose-row-newsletter');
    expect(row).toHaveTextContent('Monthly newsletter');
    expect(row).toHaveTextContent('after 6 months');
    expect((await api.consent.purposes()).find((p) => p.id === 'newsletter')).toMatchObject({
      name: 'Monthly newsletter',
      expiryMonths: 6,
      archived: false,
    });
  });

  it('shows the Go side’s field errors inline when adding a purpose', async () => {
    const { user } = await openSettings();
    await user.click(screen.getByTestId('purpose-new'));
    const form = await screen.findByTestId('purpose-form');
    await user.type(within(form).getByTestId('purpose-id'), 'Not A Slug');
    await user.click(within(form).getByTestId('purpose-save'));
    expect(await within(form).findByTestId('field-error-id')).toHaveTextContent(
      'Identifier: use lower-case letters, digits, - and _',
    );
    expect(within(form).getByTestId('field-error-name')).toHaveTextContent('Name: required');
  });

  it('archives a purpose, which hides it from the member consent panel', async () => {
    const { user } = await openSettings({ members: [HELENE()] });
    await user.click(screen.getByTestId('purpose-archive-events'));
    await waitFor(() =>
      expect(screen.getByTestId('purpose-row-events')).toHaveTextContent('Archived'),
    );
    await user.click(screen.getByTestId('nav-members'));
    await user.click(await screen.findByText('Hélène Dupont'));
    await screen.findByTestId('consent-state-newsletter');
    expect(screen.queryByTestId('consent-state-events')).toBeNull();
  });

  it('publishes a new notice version', async () => {
    const { user } = await openSettings();
    const notices = screen.getByTestId('settings-notices');
    await waitFor(() => expect(within(notices).getAllByTestId('notice-row')).toHaveLength(2));
    expect(within(notices).getByTestId('notice-version')).toHaveValue('3');
    await user.type(within(notices).getByTestId('notice-text'), 'Now weekly.');
    await user.click(within(notices).getByTestId('notice-publish'));
    await waitFor(() => expect(within(notices).getAllByTestId('notice-row')).toHaveLength(3));
    const newest = within(notices).getAllByTestId('notice-row')[0]!;
    expect(newest).toHaveTextContent(/^3/);
    // The first 12 hex digits of sha-256("Now weekly.").
    expect(newest).toHaveTextContent('7b615bcc2835');
  });
});

describe('Settings: retention and audit', () => {
  it('lists inactive members and anonymises the selected ones after confirming', async () => {
    const recent = member({ name: 'Recent One', updatedAt: new Date().toISOString() });
    const { api, user } = await openSettings({
      members: [HELENE(), member({ name: 'Zoë Martin' }), recent],
    });
    const section = screen.getByTestId('settings-retention');
    await waitFor(() => expect(within(section).getByTestId('retention-months')).toHaveValue('24'));
    const months = within(section).getByTestId('inactive-months');
    await user.clear(months);
    await user.type(months, '6');
    await user.click(within(section).getByTestId('inactive-list'));
    await waitFor(() => expect(within(section).getAllByTestId('inactive-row')).toHaveLength(2));

    await user.click(within(section).getByRole('checkbox', { name: 'Select Zoë Martin' }));
    await user.click(within(section).getByTestId('inactive-anonymise'));
    await user.click(await screen.findByTestId('anonymise-confirm'));
    expect(await screen.findByText('1 member anonymised')).toBeInTheDocument();
    expect(api.all().some((m) => m.name === 'Zoë Martin')).toBe(false);
    expect(api.all().find((m) => m.name === 'Hélène Dupont')?.emails).toEqual([
      'helene@example.org',
    ]);
  });

  it('saves the retention setting', async () => {
    const { api, user } = await openSettings();
    const input = screen.getByTestId('retention-months');
    await waitFor(() => expect(input).toHaveValue('24'));
    await user.clear(input);
    await user.type(input, '36');
    await user.click(screen.getByTestId('retention-save'));
    expect(await screen.findByText('Retention saved')).toBeInTheDocument();
    expect(await api.settings.get()).toEqual({ retentionMonths: 36 });
  });

  it('shows the latest audit entries with translated actions', async () => {
    const helene = HELENE();
    const app = await renderApp({ members: [helene], lang: 'fr' });
    await act(() => app.api.consent.grant({ memberId: helene.id, purpose: 'newsletter' }));
    await app.user.click(screen.getByTestId('nav-settings'));
    const audit = await screen.findByTestId('settings-audit');
    const rows = await within(audit).findAllByTestId('audit-row');
    expect(rows[0]).toHaveTextContent('Consentement enregistré');
    expect(rows[0]).toHaveTextContent(helene.id);
  });
});
