import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ImportRequest, ImportSummary, Member } from '../../api';
import { createFakeApi } from '../../api/fake';
import { RECORDED_IMPORT_FILES } from '../../api/fake/importer';
import { IMPORT_RECORDING, recordedKey, recordedMembers } from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';

// The wizard replays what Go's ImportService answered over the recorded workspace
// (app/recorded_import_test.go): the Mailchimp export of app/testdata, whose rows are a bad
// e-mail, Amélie Roux twice, a French join-date column, markup in cells, and Hélène Dupont, a
// member the workspace has already; its newsletter consent lasts 24 months.

/** What Go did for the job `req` after the real imports `before`: its events and members. */
function recordedRun(req: ImportRequest, before: ImportRequest[] = []) {
  const asRecorded = (r: ImportRequest) => ({ ...r, jobId: 'job' });
  const state = before.map((r) => recordedKey('start', [asRecorded(r)])).join(' › ');
  const answer = IMPORT_RECORDING.answers[`${state}||${recordedKey('run', [asRecorded(req)])}`];
  const run = answer?.ok as { events: { payload: unknown }[]; members: Member[] } | undefined;
  if (!run) throw new Error(`no recorded run for ${JSON.stringify(req)}`);
  return { summary: run.events.at(-1)!.payload as ImportSummary, members: run.members };
}

const rejectedRows = () =>
  screen.getAllByTestId('import-rejected-row').map((r) =>
    within(r)
      .getAllByRole('cell')
      .map((c) => c.textContent),
  );

const count = (key: string) => screen.getByTestId(`import-count-${key}`).textContent;

async function openPreview(opts: Parameters<typeof renderApp>[0] = {}) {
  const app = await renderApp({ members: recordedMembers(), ...opts });
  await app.user.click(screen.getByTestId('members-import'));
  await app.user.click(await screen.findByTestId('import-choose'));
  await screen.findByTestId('import-column-field-0');
  return app;
}

describe('Import wizard', () => {
  it('lets a column moved to another field go back to its own custom field', async () => {
    const { user } = await openPreview();
    const field = screen.getByTestId('import-column-field-8');
    await user.click(field);
    await user.click(await screen.findByRole('option', { name: 'Notes' }));
    expect(field).toHaveValue('Notes');
    await user.click(field);
    // One custom field is offered, the column's own: not every column's, nor a nameless one.
    const custom = (await screen.findAllByRole('option')).filter((o) =>
      o.textContent?.startsWith('Custom field'),
    );
    expect(custom.map((o) => o.textContent)).toEqual(['Custom field “Favourite language”']);
    await user.click(custom[0]!);
    expect(field).toHaveValue('Custom field “Favourite language”');
  });

  it('previews the file, sends the changed mapping, and lists rejected rows with translated reasons', async () => {
    const { api, user } = await openPreview({ import: { tickMs: 5 } });
    const wizard = screen.getByTestId('import-wizard');
    expect(within(wizard).getByText('mailchimp-subscribed.csv')).toBeInTheDocument();
    expect(within(wizard).getByText('Mailchimp export')).toBeInTheDocument();
    expect(within(wizard).getByText('Delimiter: comma')).toBeInTheDocument();
    // Go's automatic mapping: the French join-date column too, unknown columns as custom fields.
    expect(screen.getByTestId('import-column-field-0')).toHaveValue('E-mail');
    expect(screen.getByTestId('import-column-field-7')).toHaveValue('Join date');
    expect(screen.getByTestId('import-column-field-8')).toHaveValue(
      'Custom field “Favourite language”',
    );
    // File content is shown as text, never as HTML.
    expect(within(wizard).getByText('<img src=x onerror=alert(1)>')).toBeInTheDocument();
    expect(document.querySelector('img')).toBeNull();

    await user.click(screen.getByTestId('import-column-field-8'));
    await user.click(await screen.findByRole('option', { name: 'Notes' }));
    expect(screen.getByTestId('import-column-field-8')).toHaveValue('Notes');

    await user.click(screen.getByTestId('import-dry-run'));
    await screen.findByTestId('import-summary', {}, { timeout: 10_000 });
    expect(api.importRequests()).toHaveLength(1);
    const dry = api.importRequests()[0]!;
    expect(dry).toMatchObject({
      path: RECORDED_IMPORT_FILES.mailchimp,
      dryRun: true,
      enrol: false,
      lang: 'en',
      mapping: {
        'Email Address': 'email',
        "Date d'inscription": 'join_date',
        'Favourite language': 'notes',
      },
    });
    const checked = recordedRun(dry).summary;
    expect(checked).toMatchObject({ created: 4, updated: 1, rejected: 1, merged: 1 });
    expect(count('created')).toBe(String(checked.created));
    expect(count('updated')).toBe(String(checked.updated));
    expect(count('rejected')).toBe(String(checked.rejected));
    // Amélie's second row merges into her first instead of being rejected.
    expect(rejectedRows()).toEqual([['4', 'Email Address', 'not a valid e-mail address']]);
    expect(screen.getByTestId('import-merged')).toHaveTextContent(
      '1 row merged into an earlier row of the same person',
    );
    // Hélène, who is a member already, gets hers too.
    expect(screen.getByTestId('import-join-dates')).toHaveTextContent(
      `${checked.joinDates} members would get their join date from the file`,
    );
    // Amélie's opt-in is older than the newsletter's 24 months; Hélène's is too, but her newer
    // consent still stands, so Go does not count it.
    expect(screen.getByTestId('import-expired-newsletter')).toHaveTextContent(
      /1 consent expired on Mar 2, 2026/,
    );
    expect(api.all()).toHaveLength(recordedMembers().length);

    // An import is not a sign-up: the welcome sequence is off unless asked for.
    expect(screen.getByTestId('import-enrol')).not.toBeChecked();
    await user.click(screen.getByTestId('import-start'));
    await screen.findByTestId('import-save-rejected', {}, { timeout: 10_000 });
    const real = api.importRequests()[1]!;
    expect(real).toMatchObject({ dryRun: false, enrol: false });
    const done = recordedRun(real, [real]);
    expect(count('created')).toBe(String(done.summary.created));
    expect(screen.getByTestId('import-join-dates')).toHaveTextContent(
      `${done.summary.joinDates} members got their join date from the file`,
    );
    // The members Go created and updated are in the list.
    expect(api.all()).toHaveLength(recordedMembers().length + done.summary.created);
    expect(api.all().find((m) => m.emails[0] === 'kenji.sato@example.net')).toMatchObject({
      name: 'Kenji Sato',
      notes: 'Rust',
      tags: ['speaker'],
      noAutoEnrol: true,
      customFields: { member_rating: '3', member_since: '2024-05-19' },
    });
    expect(api.all().find((m) => m.name === 'Hélène Dupont')).toMatchObject({
      id: 'member-01',
      tags: ['fr', 'speaker', 'newsletter'],
      notes: 'French',
    });
    // With the consent Go recorded from the opt-in columns, as evidence.
    const kenji = api.all().find((m) => m.name === 'Kenji Sato')!;
    expect(api.consentEvents().find((e) => e.memberId === kenji.id)).toMatchObject({
      purpose: 'newsletter',
      method: 'import',
      at: '2024-05-19T18:40:12Z',
      proof: { ip: '198.51.100.23', file: 'mailchimp-subscribed.csv', row: 3 },
    });

    await user.click(screen.getByTestId('import-save-rejected'));
    expect(
      await screen.findByText('Rejected rows saved to /home/demo/Documents/rejected.csv'),
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

  it('refuses the address of a member who was erased', async () => {
    const { api, user } = await openPreview({ import: { tickMs: 5 } });
    await api.gdpr.erase('member-01', 'helene@example.org');
    await user.click(screen.getByTestId('import-dry-run'));
    await screen.findByTestId('import-summary', {}, { timeout: 10_000 });
    expect(rejectedRows()).toEqual([
      ['4', 'Email Address', 'not a valid e-mail address'],
      ['8', 'Email Address', 'this person asked to be erased: never imported again'],
    ]);
  });

  it('enrols the new members in automations only when the box is ticked', async () => {
    const { api, user } = await openPreview({ import: { tickMs: 5 } });
    await user.click(screen.getByTestId('import-dry-run'));
    await user.click(await screen.findByTestId('import-enrol', {}, { timeout: 10_000 }));
    await user.click(screen.getByTestId('import-start'));
    await screen.findByTestId('import-close', {}, { timeout: 10_000 });
    expect(api.importRequests()[1]).toMatchObject({ dryRun: false, enrol: true, lang: 'en' });
    const kenji = api.all().find((m) => m.emails[0] === 'kenji.sato@example.net');
    expect(kenji).toBeDefined();
    expect(kenji?.noAutoEnrol).toBeUndefined();
  });

  it('shows the progress of the real import and can cancel it between batches', async () => {
    // 300 rows: Go writes them in batches of 256 and stops between two when cancelled.
    const { api, user } = await openPreview({
      // The real import's first batch at once, then held until the test has cancelled.
      import: {
        file: RECORDED_IMPORT_FILES.long,
        tickMs: (i, dry) => (dry || i === 0 ? 5 : 20_000),
      },
    });
    await user.click(screen.getByTestId('import-dry-run'));
    await user.click(await screen.findByTestId('import-start', {}, { timeout: 10_000 }));

    const bar = await screen.findByTestId('import-progress');
    await waitFor(
      () =>
        expect(
          Number(within(bar).getByRole('progressbar').getAttribute('aria-valuenow')),
        ).toBeGreaterThan(0),
      { timeout: 5_000 },
    );
    // No way out but Cancel while it runs.
    expect(screen.queryByRole('button', { name: /close/i })).toBeNull();
    await user.click(screen.getByTestId('import-cancel'));

    expect(
      await screen.findByTestId('import-cancelled', {}, { timeout: 5_000 }),
    ).toBeInTheDocument();
    const real = api.importRequests()[1]!;
    const cancelled = IMPORT_RECORDING.answers[
      `${recordedKey('start', [{ ...real, jobId: 'job' }])} › cancel["job"]||${recordedKey('run', [{ ...real, jobId: 'job' }])}`
    ]?.ok as { events: { payload: ImportSummary }[] };
    const summary = cancelled.events.at(-1)!.payload;
    expect(summary).toMatchObject({ cancelled: true, created: 256 });
    expect(count('created')).toBe('256');
    expect(api.all()).toHaveLength(recordedMembers().length + summary.created);
  }, 30_000);

  it('warns when no column identifies a person', async () => {
    const { user } = await openPreview();
    await user.click(screen.getByTestId('import-column-field-0'));
    await user.click(await screen.findByRole('option', { name: 'Do not import' }));
    expect(screen.getByTestId('import-no-key')).toBeInTheDocument();
  });

  it('in demo mode, refuses a file nobody recorded with the demo notice', async () => {
    const api = createFakeApi({ members: recordedMembers(), demo: true });
    expect(await api.imports.chooseFile()).toBe(RECORDED_IMPORT_FILES.mailchimp);
    await expect(
      api.imports.preview({ path: '/home/demo/other.csv', sheet: '', mapping: {}, dryRun: true }),
    ).rejects.toMatchObject({ code: 'demo_unrecorded' });
  });

  it('re-previews another sheet of a workbook', async () => {
    const { user } = await openPreview({ import: { file: RECORDED_IMPORT_FILES.workbook } });
    expect(screen.getByTestId('import-sheet')).toHaveValue('Subscribed');
    await user.click(screen.getByTestId('import-sheet'));
    await user.click(await screen.findByRole('option', { name: 'Unsubscribed' }));
    await waitFor(() => expect(screen.getByTestId('import-sheet')).toHaveValue('Unsubscribed'));
    expect(screen.getByText('old.friend@example.com')).toBeInTheDocument();
  });
});

describe('Export', () => {
  it('exports the filtered members and says where', async () => {
    // The search is Go's recorded answer over the recorded members.
    const { api, user } = await renderApp({ members: recordedMembers() });
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
