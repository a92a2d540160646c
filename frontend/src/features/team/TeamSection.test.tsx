import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORDED_NOW, recordedMembers } from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';

// The public keys the recordings show (app/recorded_team_test.go).
const CAMILLE_KEY = 'age1rgq7dy5h9wq6thp9m5fh6hthh23wq4g8eanzy56r8lw2382pspws4yfqmm';
const SAM_KEY = 'age1x0f06sgewp3fc5z6my6lp9zrea25lr8zpwkh27xw6kmqqzuzpuzsv9azfk';
const PASSPHRASE = 'correct horse battery';
const DOCUMENTS = '/home/demo/Documents';

async function openTeam(lang: 'en' | 'fr') {
  const app = await renderApp({ lang, members: recordedMembers() });
  await app.user.click(screen.getByTestId('nav-settings'));
  await app.user.click(await screen.findByTestId('settings-nav-team'));
  await waitFor(() => expect(screen.getByTestId('team-public-key')).toHaveTextContent(CAMILLE_KEY));
  await waitFor(() => expect(screen.getByTestId('team-name')).toHaveValue('Camille'));
  return app;
}

/** The error notifications' texts (components/notifyError.ts), the one place errors show. */
async function notified(code: string): Promise<string> {
  const found = await screen.findAllByTestId('error-notification');
  const n = found.find((el) => el.getAttribute('data-error-code') === code);
  expect(n, `a notification of ${code}`).toBeDefined();
  return n!.textContent ?? '';
}

describe('Settings: team', () => {
  // Go's answers recorded at RECORDED_NOW over Camille's copy of the recorded workspace, of
  // which Sam keeps another (app/recorded_team_test.go).
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(RECORDED_NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('names me, shows my key, and exports for my team with a passphrase', async () => {
    const { user } = await openTeam('en');
    expect(screen.getByTestId('settings-nav-team')).toHaveTextContent('Team');
    const mates = screen.getByTestId('team-teammates');
    const rows = within(mates).getAllByTestId('team-teammate-row');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toHaveTextContent('Camille');
    expect(rows[0]).toHaveTextContent('you');
    expect(rows[0]).toHaveTextContent('Known');
    expect(within(mates).getByTestId('team-teammates-empty')).toBeInTheDocument();
    expect(screen.getByTestId('team-export-secrets')).toHaveTextContent(
      'Secrets are never in a bundle: connection tokens and the SMTP password stay',
    );
    expect(screen.getByTestId('team-public-key-copy')).toHaveTextContent('Copy');
    expect(screen.queryByTestId('team-report')).toBeNull(); // no merge yet

    // An empty name: Go's field error, on the field.
    const name = screen.getByTestId('team-name');
    await user.clear(name);
    await user.click(screen.getByTestId('team-name-save'));
    expect(await screen.findByTestId('field-error-name')).toHaveTextContent('Name: required');
    await user.type(name, 'Camille Martin');
    await user.click(screen.getByTestId('team-name-save'));
    expect(await screen.findByText('Your name is saved.')).toBeInTheDocument();
    await waitFor(() =>
      expect(within(mates).getByTestId('team-teammate-row')).toHaveTextContent('Camille Martin'),
    );
    expect(screen.queryByTestId('field-error-name')).toBeNull();

    // The passphrase, typed twice: the export waits for both to match.
    const submit = screen.getByTestId('team-export-submit');
    expect(submit).toBeDisabled();
    await user.type(screen.getByTestId('team-export-passphrase'), PASSPHRASE);
    await user.type(screen.getByTestId('team-export-confirm'), 'correct horse');
    expect(screen.getByText('The two passphrases differ.')).toBeInTheDocument();
    expect(submit).toBeDisabled();
    await user.type(screen.getByTestId('team-export-confirm'), ' battery');
    expect(submit).toBeEnabled();
    await user.click(submit);
    expect(await screen.findByTestId('team-export-done')).toHaveTextContent(
      `Written to ${DOCUMENTS}/hearth-team-2026-03-16.hearth: 40 records.`,
    );

    // A pasted key that is not one: Go's field error, next to the key.
    await user.click(screen.getByText('Teammates’ keys'));
    expect(screen.getByTestId('team-export')).toHaveTextContent(
      'No teammate’s key known yet: paste one below.',
    );
    await user.type(screen.getByTestId('team-export-keys'), 'age1nope');
    await user.click(screen.getByTestId('team-export-submit'));
    const errors = await screen.findByTestId('team-export-errors');
    expect(errors).toHaveTextContent('age1nope');
    expect(errors).toHaveTextContent('Public key: is not an age public key (age1…)');
  }, 60_000);

  it('merges a teammate’s bundle in French, refusing a wrong passphrase, and takes a value back', async () => {
    const { api, user } = await openTeam('fr');
    expect(screen.getByTestId('settings-nav-team')).toHaveTextContent('Équipe');
    expect(screen.getByTestId('team-merge-submit')).toBeDisabled();
    await user.click(screen.getByTestId('team-merge-choose'));
    expect(await screen.findByTestId('team-merge-file')).toHaveTextContent(
      `${DOCUMENTS}/sam.hearth`,
    );

    await user.type(screen.getByTestId('team-merge-passphrase'), 'wrong passphrase');
    await user.click(screen.getByTestId('team-merge-submit'));
    expect(await notified('bundle_wrong_passphrase')).toContain(
      'Ce paquet est protégé par une phrase secrète, et la bonne n’a pas été donnée.',
    );
    expect(screen.queryByTestId('team-report')).toBeNull();

    await user.clear(screen.getByTestId('team-merge-passphrase'));
    await user.type(screen.getByTestId('team-merge-passphrase'), PASSPHRASE);
    await user.click(screen.getByTestId('team-merge-submit'));
    const report = await screen.findByTestId('team-report');
    expect(within(report).getByTestId('team-report-summary')).toHaveTextContent(
      'sam.hearth, de Sam, fusionné le',
    );
    expect(within(report).getByTestId('team-report-added')).toHaveTextContent('Ajoutés4');
    expect(within(report).getByTestId('team-report-updated')).toHaveTextContent(/^Mis à jour1$/);
    expect(within(report).getByTestId('team-report-unchanged')).toHaveTextContent('Inchangés38');
    expect(within(report).getByTestId('team-report-conflicts')).toHaveTextContent(
      '2 conflits : les deux copies ont modifié ces champs séparément',
    );
    const rows = within(report).getAllByTestId('team-conflict-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Membre');
    await waitFor(() => expect(rows[0]).toHaveTextContent('Hélène Dupont'));
    expect(rows[0]).toHaveTextContent('Nom');
    expect(within(rows[0]!).getByTestId('team-conflict-kept')).toHaveTextContent('Hélène D.');
    expect(within(rows[0]!).getByTestId('team-conflict-other')).toHaveTextContent(
      'Hélène Dupont-Roy',
    );
    expect(rows[0]).toHaveTextContent('par Sam');
    expect(rows[0]).toHaveTextContent('par Camille');
    expect(rows[1]).toHaveTextContent('Notes');
    expect(within(rows[1]!).getByTestId('team-conflict-kept')).toHaveTextContent('Speaker in May');

    // Sam is a teammate now, with a key.
    await waitFor(() =>
      expect(screen.getAllByTestId('team-teammate-row').map((r) => r.textContent)).toEqual([
        expect.stringContaining('Camille'),
        expect.stringContaining('Sam'),
      ]),
    );

    await user.click(within(rows[0]!).getByTestId('team-conflict-take'));
    expect(await within(rows[0]!).findByTestId('team-conflict-done')).toHaveTextContent('Reprise');
    expect(within(rows[1]!).getByTestId('team-conflict-take')).toBeEnabled();
    expect((await api.team.lastMerge()).taken).toEqual([true, false]);

    // An export to Sam's key, chosen among the teammates.
    await user.click(screen.getByText('Les clés des coéquipiers'));
    await user.click(await screen.findByTestId('team-export-recipient-replica-sam'));
    await user.click(screen.getByTestId('team-export-submit'));
    expect(await screen.findByTestId('team-export-done')).toHaveTextContent(
      `Écrit dans ${DOCUMENTS}/hearth-team-2026-03-16.hearth`,
    );
    expect(screen.getByTestId('team-export')).not.toHaveTextContent(SAM_KEY);
  }, 60_000);

  it('refuses a damaged bundle and one of another workspace, changing nothing', async () => {
    const { api, user } = await openTeam('en');
    for (const [file, code, text] of [
      ['damaged.hearth', 'bundle_truncated', 'This bundle is incomplete: it ends early.'],
      [
        'other.hearth',
        'bundle_other_workspace',
        'This bundle is a copy of another workspace: only bundles of this workspace can be merged into it.',
      ],
    ] as const) {
      api.team.chooseBundle = () => Promise.resolve(`${DOCUMENTS}/${file}`);
      await user.click(screen.getByTestId('team-merge-choose'));
      await waitFor(() => expect(screen.getByTestId('team-merge-file')).toHaveTextContent(file));
      const pass = screen.getByTestId('team-merge-passphrase');
      await user.clear(pass);
      await user.type(pass, PASSPHRASE);
      await user.click(screen.getByTestId('team-merge-submit'));
      expect(await notified(code)).toContain(text);
    }
    expect(screen.queryByTestId('team-report')).toBeNull();
    expect((await api.team.lastMerge()).done).toBe(false);
  }, 60_000);
});
