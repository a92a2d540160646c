import { screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORDED_NOW, recordedMembers } from '../../api/fake/recorded';
import { HELENE, renderApp } from '../../test/renderApp';

/** Opens Settings, then one section from the side navigation. */
async function openSettings(opts: Parameters<typeof renderApp>[0] = {}, section = 'consent') {
  const app = await renderApp(opts);
  await app.user.click(screen.getByTestId('nav-settings'));
  await app.user.click(await screen.findByTestId(`settings-nav-${section}`));
  if (section === 'consent') await screen.findByTestId('purpose-edit-newsletter');
  return app;
}

describe('Settings: consent purposes', () => {
  // Go's answers recorded at RECORDED_NOW (app/recorded_consent_test.go).
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(RECORDED_NOW);
  });
  afterEach(() => vi.useRealTimers());

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
  }, 60_000);

  it('shows the Go side’s field errors inline when adding a purpose', async () => {
    const { user } = await openSettings();
    await user.click(screen.getByTestId('purpose-new'));
    const form = await screen.findByTestId('purpose-form');
    await user.type(within(form).getByTestId('purpose-id'), 'Not A Slug');
    await user.click(within(form).getByTestId('purpose-save'));
    expect(await within(form).findByTestId('field-error-id')).toHaveTextContent(
      'Identifier: use lower-case letters, digits, - and _',
    );
    // Go checks the name once the form's fields are valid: it rejects the identifier alone.
    expect(within(form).queryByTestId('field-error-name')).toBeNull();
  }, 60_000);

  it('archives a purpose, which hides it from the member consent panel', async () => {
    const { user } = await openSettings({ members: [HELENE()] });
    await user.click(screen.getByTestId('purpose-archive-event_reminders'));
    await waitFor(() =>
      expect(screen.getByTestId('purpose-row-event_reminders')).toHaveTextContent('Archived'),
    );
    await user.click(screen.getByTestId('nav-members'));
    await user.click(await screen.findByText('Hélène Dupont'));
    await user.click(await screen.findByTestId('member-tab-details'));
    await screen.findByTestId('consent-state-newsletter');
    expect(screen.queryByTestId('consent-state-event_reminders')).toBeNull();
  }, 60_000);

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
  // Go's answers recorded at RECORDED_NOW over the recorded members (app/recorded_gdpr_test.go):
  // 36 months of retention by default; five members not updated for 4 months.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(RECORDED_NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('lists inactive members and anonymises the selected ones after confirming', async () => {
    const { api, user } = await openSettings({ members: recordedMembers() }, 'gdpr');
    const section = screen.getByTestId('settings-retention');
    await waitFor(() => expect(within(section).getByTestId('retention-months')).toHaveValue('36'));
    const months = within(section).getByTestId('inactive-months');
    // Replace the whole value: a cleared field falls back to its minimum, 1.
    await user.tripleClick(months);
    await user.keyboard('4');
    await user.click(within(section).getByTestId('inactive-list'));
    await waitFor(() => expect(within(section).getAllByTestId('inactive-row')).toHaveLength(5));

    await user.click(within(section).getByRole('checkbox', { name: 'Select Ana Lima' }));
    await user.click(within(section).getByTestId('inactive-anonymise'));
    await user.click(await screen.findByTestId('anonymise-confirm'));
    expect(await screen.findByText('1 member anonymised')).toBeInTheDocument();
    expect(api.all().some((m) => m.name === 'Ana Lima')).toBe(false);
    expect(api.all().find((m) => m.name === 'Hélène Dupont')?.emails).toEqual([
      'helene@example.org',
    ]);
  }, 60_000);

  it('saves the retention setting', async () => {
    const { api, user } = await openSettings({}, 'gdpr');
    const input = screen.getByTestId('retention-months');
    await waitFor(() => expect(input).toHaveValue('36'));
    await user.clear(input);
    await user.type(input, '12');
    await user.click(screen.getByTestId('retention-save'));
    expect(await screen.findByText('Retention saved')).toBeInTheDocument();
    expect(await api.settings.get()).toEqual({ retentionMonths: 12 });
  });

  it.each([
    ['fr', 'Consentement enregistré', 'vous (fenêtre)'],
    ['en', 'Consent recorded', 'you (window)'],
  ] as const)(
    'shows the latest audit entries in people’s words (%s)',
    async (lang, action, actor) => {
      const helene = HELENE();
      const app = await renderApp({ members: [helene], lang });
      await act(() => app.api.consent.grant({ memberId: helene.id, purpose: 'newsletter' }));
      await app.user.click(screen.getByTestId('nav-settings'));
      await app.user.click(screen.getByTestId('settings-nav-gdpr'));
      const audit = await screen.findByTestId('settings-audit');
      const rows = await within(audit).findAllByTestId('audit-row');
      expect(rows[0]).toHaveTextContent(action);
      expect(within(rows[0]!).getByTestId('audit-actor').textContent).toBe(actor);
      expect(await within(rows[0]!).findByTestId('audit-member')).toHaveTextContent(
        'Hélène Dupont',
      );
      expect(audit).not.toHaveTextContent(helene.id);
      expect(audit.textContent).not.toMatch(/\bcli\b|\bscheduler\b|consent_granted/);
    },
  );
});

describe('Settings: section navigation', () => {
  it.each([
    [
      'en',
      [
        'General',
        'Connections',
        'Newsletter sending',
        'Posting slots',
        'Consent and notices',
        'GDPR and retention',
        'Engagement levels',
        'Backups',
        'Team',
      ],
    ],
    [
      'fr',
      [
        'Général',
        'Connexions',
        'Envoi des newsletters',
        'Créneaux de publication',
        'Consentement et mentions',
        'RGPD et conservation',
        'Niveaux d’engagement',
        'Sauvegardes',
        'Équipe',
      ],
    ],
  ] as const)('shows one section at a time, chosen on the side (%s)', async (lang, labels) => {
    const app = await renderApp({ lang });
    await app.user.click(screen.getByTestId('nav-settings'));
    const nav = await screen.findAllByTestId(/^settings-nav-/);
    expect(nav.map((n) => n.textContent)).toEqual(labels);
    expect(screen.getByTestId('settings-workspace')).toBeVisible();
    expect(screen.getByTestId('settings-page-gdpr')).not.toBeVisible();

    await app.user.click(screen.getByTestId('settings-nav-gdpr'));
    expect(screen.getByTestId('settings-nav-gdpr')).toHaveAttribute('aria-selected', 'true');
    expect(await screen.findByTestId('settings-retention')).toBeVisible();
    expect(screen.getByTestId('settings-audit')).toBeVisible();
    expect(screen.getByTestId('settings-workspace')).not.toBeVisible();
    expect(screen.getByTestId('screen-settings').textContent).not.toMatch(/settings\.\w/);
  });
});
