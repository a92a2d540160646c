import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORDED_NOW, recordedMembers } from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';

const SHARED = '/home/demo/Documents/Shared';

async function openTeam(lang: 'en' | 'fr') {
  const app = await renderApp({ lang, members: recordedMembers() });
  await app.user.click(screen.getByTestId('nav-settings'));
  await app.user.click(await screen.findByTestId('settings-nav-team'));
  await screen.findByTestId('team-share-switch');
  return app;
}

describe('Settings: team: shared folder', () => {
  // Go's answers recorded at RECORDED_NOW (app/recorded_team_test.go): Sam's copy shares
  // through ~/Documents/Shared first, where the sync tool also left a half-synced copy of his
  // file; Camille turns sharing on there and shares twice.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(RECORDED_NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('turns sharing on in a folder, merges a teammate’s file, says why another was not, then is up to date', async () => {
    const { api, user } = await openTeam('en');
    const card = screen.getByTestId('team-share');
    expect(within(card).getByTestId('team-share-hint')).toHaveTextContent(
      'Works with any file-sync tool (Nextcloud, Syncthing, Dropbox, a network share)',
    );
    expect(within(card).getByTestId('team-share-hint')).toHaveTextContent('every 5 minutes');
    expect(within(card).getByTestId('team-share-never')).toBeInTheDocument();
    expect(within(card).getByTestId('team-share-no-folder')).toHaveTextContent('No folder chosen');
    expect(within(card).getByTestId('team-share-now')).toBeDisabled();

    // On without a folder: Go's field error, under the folder.
    await user.click(within(card).getByTestId('team-share-switch'));
    expect(await within(card).findByTestId('field-error-folder')).toHaveTextContent(
      'Folder: required',
    );
    expect(within(card).getByTestId('team-share-switch')).not.toBeChecked();

    // Choosing the folder turns sharing on in it.
    await user.click(within(card).getByTestId('team-share-choose'));
    await waitFor(() => expect(within(card).getByTestId('team-share-switch')).toBeChecked());
    expect(within(card).getByTestId('team-share-folder')).toHaveTextContent(SHARED);
    expect(within(card).getByTestId('team-share-file')).toHaveTextContent(
      'My file in it: replica-camille.hearth',
    );
    expect(within(card).queryByTestId('field-error-folder')).toBeNull();

    await user.click(within(card).getByTestId('team-share-now'));
    const run = await within(card).findByTestId('team-share-run');
    expect(within(run).getByTestId('team-share-run-summary')).toHaveTextContent(
      '1 teammate’s file merged.',
    );
    const rows = within(run).getAllByTestId('team-share-file-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveAttribute('data-status', 'merged');
    expect(rows[0]).toHaveTextContent('replica-sam.hearth');
    expect(rows[0]).toHaveTextContent('Sam');
    expect(rows[0]).toHaveTextContent('4 added, 1 updated, 0 deleted, 0 erased, 38 unchanged');
    expect(rows[1]).toHaveAttribute('data-status', 'failed');
    expect(rows[1]).toHaveTextContent('sam (conflicted copy).hearth');
    expect(within(rows[1]!).getByTestId('team-share-file-error')).toHaveTextContent(
      'This bundle is incomplete: it ends early. If it is still being copied or synced, wait and try again',
    );
    expect(within(run).getByTestId('team-share-own')).toHaveTextContent(
      'My file was written: 44 records.',
    );
    expect(within(run).queryByTestId('team-share-no-key')).toBeNull();
    expect(within(run).getByTestId('team-share-conflicts')).toHaveTextContent(
      '2 conflicts: both copies changed these fields apart, the newer values were kept.',
    );
    expect(screen.queryByTestId('team-share-error')).toBeNull();
    // Sam is a teammate now, with his key.
    await waitFor(() =>
      expect(screen.getAllByTestId('team-teammate-row').map((r) => r.textContent)).toEqual([
        expect.stringContaining('Camille'),
        expect.stringContaining('Sam'),
      ]),
    );

    // Again: Sam's file is the one merged, mine holds nothing new.
    await user.click(within(card).getByTestId('team-share-now'));
    await waitFor(() =>
      expect(within(card).getByTestId('team-share-own')).toHaveTextContent(
        'My file was already up to date.',
      ),
    );
    const again = within(card).getAllByTestId('team-share-file-row');
    expect(again[0]).toHaveAttribute('data-status', 'upToDate');
    expect(again[0]).toHaveTextContent('Up to date');
    expect(within(card).getByTestId('team-share-conflicts')).toHaveTextContent('No conflict.');

    // Off: the folder is kept, and so is the last run; nothing to share now.
    await user.click(within(card).getByTestId('team-share-switch'));
    await waitFor(() => expect(within(card).getByTestId('team-share-switch')).not.toBeChecked());
    expect(within(card).getByTestId('team-share-folder')).toHaveTextContent(SHARED);
    expect(within(card).getByTestId('team-share-now')).toBeDisabled();
    expect(within(card).getByTestId('team-share-run')).toBeInTheDocument();
    expect((await api.team.share()).on).toBe(false);
  }, 60_000);

  it('shows the last run kept by Go again, in French, when Settings is opened again', async () => {
    const { user } = await openTeam('fr');
    const card = screen.getByTestId('team-share');
    expect(within(card).getByTestId('team-share-hint')).toHaveTextContent(
      'Fonctionne avec tout outil de synchronisation de fichiers (Nextcloud, Syncthing, Dropbox',
    );
    await user.click(within(card).getByTestId('team-share-choose'));
    await waitFor(() => expect(within(card).getByTestId('team-share-switch')).toBeChecked());
    await user.click(within(card).getByTestId('team-share-now'));
    await within(card).findByTestId('team-share-run');

    // Away and back: the run shown is the setting's, whose conflicts are counted per file.
    await user.click(screen.getByTestId('nav-members'));
    await user.click(screen.getByTestId('nav-settings'));
    await user.click(await screen.findByTestId('settings-nav-team'));
    const shown = await screen.findByTestId('team-share-run');
    expect(within(shown).getByTestId('team-share-run-summary')).toHaveTextContent(
      '1 fichier de coéquipier fusionné.',
    );
    const rows = within(shown).getAllByTestId('team-share-file-row');
    expect(rows[0]).toHaveTextContent('Fusionné');
    expect(rows[0]).toHaveTextContent(
      '4 ajoutés, 1 modifiés, 0 supprimés, 0 effacés, 38 inchangés',
    );
    expect(within(rows[1]!).getByTestId('team-share-file-error')).toHaveTextContent(
      'Ce paquet est incomplet',
    );
    expect(within(shown).getByTestId('team-share-own')).toHaveTextContent(
      'Mon fichier a été écrit : 44 enregistrements.',
    );
    expect(within(shown).getByTestId('team-share-conflicts')).toHaveTextContent('2 conflits');
  }, 60_000);
});
