import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HELENE, renderApp } from '../../test/renderApp';

const rejectedRows = () =>
  screen.getAllByTestId('import-rejected-row').map((r) =>
    within(r)
      .getAllByRole('cell')
      .map((c) => c.textContent),
  );

const count = (key: string) => screen.getByTestId(`import-count-${key}`).textContent;

async function openPreview(opts: Parameters<typeof renderApp>[0] = {}) {
  const app = await renderApp({ members: [HELENE()], ...opts });
  await app.user.click(screen.getByTestId('members-import'));
  await app.user.click(await screen.findByTestId('import-choose'));
  await screen.findByTestId('import-column-field-7');
  return app;
}

describe('Import wizard', () => {
  it('previews the file, sends the changed mapping, and lists rejected rows with translated reasons', async () => {
    const { api, user } = await openPreview({ import: { tickMs: 5 } });
    const wizard = screen.getByTestId('import-wizard');
    expect(within(wizard).getByText('Mailchimp export')).toBeInTheDocument();
    expect(within(wizard).getByText('Delimiter: comma')).toBeInTheDocument();
    expect(screen.getByTestId('import-column-field-0')).toHaveValue('E-mail');
    expect(screen.getByTestId('import-column-field-7')).toHaveValue('Do not import');
    // File content is shown as text, never as HTML.
    expect(within(wizard).getByText('<img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(document.querySelector('img')).toBeNull();

    await user.click(screen.getByTestId('import-column-field-7'));
    expect(await screen.findByRole('option', { name: 'Join date' })).toBeInTheDocument();
    await user.click(await screen.findByRole('option', { name: 'Notes' }));
    expect(screen.getByTestId('import-column-field-7')).toHaveValue('Notes');

    await user.click(screen.getByTestId('import-dry-run'));
    await screen.findByTestId('import-summary', {}, { timeout: 10_000 });
    expect(api.importRequests()).toHaveLength(1);
    expect(api.importRequests()[0]).toMatchObject({
      path: 'demo.csv',
      dryRun: true,
      enrol: false,
      lang: 'en',
      mapping: { 'Email Address': 'email', 'Favourite language': 'notes' },
    });
    expect(count('created')).toBe('4');
    expect(count('rejected')).toBe('1');
    // Amélie's second row merges into her first instead of being rejected.
    expect(rejectedRows()).toEqual([['4', 'Email Address', 'not a valid e-mail address']]);
    expect(screen.getByTestId('import-merged')).toHaveTextContent(
      '1 row merged into an earlier row of the same person',
    );
    expect(screen.getByTestId('import-join-dates')).toHaveTextContent(
      '4 members would get their join date from the file',
    );
    expect(api.all()).toHaveLength(1);

    // An import is not a sign-up: the welcome sequence is off unless asked for.
    expect(screen.getByTestId('import-enrol')).not.toBeChecked();
    await user.click(screen.getByTestId('import-start'));
    await screen.findByTestId('import-save-rejected', {}, { timeout: 10_000 });
    expect(count('created')).toBe('4');
    expect(screen.getByTestId('import-join-dates')).toHaveTextContent(
      '4 members got their join date from the file',
    );
    expect(api.importRequests()[1]).toMatchObject({ dryRun: false, enrol: false });
    expect(api.all()).toHaveLength(5);
    expect(api.all().find((m) => m.emails[0] === 'kenji.sato@example.net')).toMatchObject({
      name: 'Kenji Sato',
      notes: 'Rust',
      tags: ['speaker'],
      noAutoEnrol: true,
      customFields: { member_since: '2024-05-19T18:40:12Z' },
    });

    await user.click(screen.getByTestId('import-save-rejected'));
    expect(
      await screen.findByText('Rejected rows saved to /home/demo/Documents/job2-rejected.csv'),
    ).toBeInTheDocument();
    await user.click(screen.getByTestId('import-close'));
    await waitFor(() => expect(screen.queryByTestId('import-wizard')).toBeNull());
  }, 60_000); // a dry run and a real import: slow on a loaded machine

  it('translates rejected rows in French', async () => {
    const { user } = await openPreview({ import: { tickMs: 5 }, lang: 'fr' });
    await user.click(screen.getByTestId('import-dry-run'));
    await screen.findByTestId('import-summary', {}, { timeout: 10_000 });
    expect(rejectedRows().map((r) => r[2])).toEqual(['adresse e-mail non valide']);
    expect(screen.getByTestId('import-merged')).toHaveTextContent(
      '1 ligne fusionnée avec une ligne précédente de la même personne',
    );
  });

  it('enrols the new members in automations only when the box is ticked', async () => {
    const { api, user } = await openPreview({ import: { tickMs: 5 } });
    await user.click(screen.getByTestId('import-dry-run'));
    await user.click(await screen.findByTestId('import-enrol', {}, { timeout: 10_000 }));
    await user.click(screen.getByTestId('import-start'));
    await screen.findByTestId('import-close', {}, { timeout: 10_000 });
    expect(api.importRequests()[1]).toMatchObject({ dryRun: false, enrol: true, lang: 'en' });
    const kenji = api.all().find((m) => m.emails[0] === 'kenji.sato@example.net');
    expect(kenji?.noAutoEnrol).toBeUndefined();
  });

  it('shows the progress of the real import and can cancel it', async () => {
    const { api, user } = await openPreview({ import: { tickMs: 40, ticks: 40 } });
    await user.click(screen.getByTestId('import-dry-run'));
    await user.click(await screen.findByTestId('import-start', {}, { timeout: 10_000 }));

    const bar = await screen.findByTestId('import-progress');
    await waitFor(() =>
      expect(
        Number(within(bar).getByRole('progressbar').getAttribute('aria-valuenow')),
      ).toBeGreaterThan(0),
    );
    // No way out but Cancel while it runs.
    expect(screen.queryByRole('button', { name: /close/i })).toBeNull();
    await user.click(screen.getByTestId('import-cancel'));

    expect(await screen.findByTestId('import-cancelled')).toBeInTheDocument();
    const created = Number(count('created'));
    expect(created).toBeLessThan(4);
    expect(api.all()).toHaveLength(1 + created);
  });

  it('warns when no column identifies a person', async () => {
    const { user } = await openPreview();
    await user.click(screen.getByTestId('import-column-field-0'));
    await user.click(await screen.findByRole('option', { name: 'Do not import' }));
    expect(screen.getByTestId('import-no-key')).toBeInTheDocument();
  });

  it('re-previews another sheet of a workbook', async () => {
    const { user } = await openPreview({ import: { file: '/tmp/list.xlsx' } });
    expect(screen.getByTestId('import-sheet')).toHaveValue('Subscribed');
    await user.click(screen.getByTestId('import-sheet'));
    await user.click(await screen.findByRole('option', { name: 'Unsubscribed' }));
    await waitFor(() => expect(screen.getByTestId('import-sheet')).toHaveValue('Unsubscribed'));
  });
});

describe('Export', () => {
  it('exports the filtered members and says where', async () => {
    const { api, user } = await renderApp({ members: [HELENE()] });
    await user.type(screen.getByTestId('members-search'), 'hel');
    // What the list shows once the search applies is what gets exported.
    await waitFor(() =>
      expect(screen.getByTestId('members-count')).toHaveTextContent('1 matching member'),
    );
    await user.click(screen.getByTestId('members-export'));
    await user.click(await screen.findByTestId('export-csv'));
    expect(
      await screen.findByText('Exported to /home/demo/Documents/members.csv'),
    ).toBeInTheDocument();
    expect(api.auditLog()[0]).toMatchObject({
      action: 'members_exported',
      details: 'csv; tag=; search=hel',
    });
  });
});
