import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORDED_NOW } from '../../api/fake/recorded';
import { HELENE, renderApp } from '../../test/renderApp';

async function openBackups(lang: 'en' | 'fr') {
  const app = await renderApp({ lang, members: [HELENE()] });
  await app.user.click(screen.getByTestId('nav-settings'));
  await app.user.click(await screen.findByTestId('settings-nav-backups'));
  await screen.findByTestId('backups-table');
  return app;
}

describe('Settings: backups', () => {
  // Go's answers recorded at RECORDED_NOW (app/recorded_backups_test.go).
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(RECORDED_NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('lists the backups and restores one after showing what it holds', async () => {
    const { api, user } = await openBackups('en');
    expect(screen.getByTestId('settings-nav-backups')).toHaveTextContent('Backups');
    const rows = within(screen.getByTestId('backups-table')).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Daily');
    expect(rows[1]).toHaveTextContent('Before an import');

    const [daily] = await api.backups.list();
    await user.click(screen.getByTestId(`backup-restore-${daily!.id}`));
    const holds = await screen.findByTestId('backup-confirm-holds');
    expect(holds).toHaveTextContent('Daily');
    expect(holds).toHaveTextContent('12 members');
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'People erased since this backup stay erased',
    );
    expect(api.backupsRestored()).toEqual([]); // nothing before the confirmation

    await user.click(screen.getByTestId('backup-confirm-restore'));
    expect(await screen.findByTestId('backup-restarting')).toHaveTextContent(
      `Restoring ${daily!.id}: Hearth restarts now.`,
    );
    expect(api.backupsRestored()).toEqual([daily!.id]);
    expect(screen.getByTestId('backup-now')).toBeDisabled();
  }, 60_000);

  it('speaks French and backs up now', async () => {
    const { api, user } = await openBackups('fr');
    expect(screen.getByTestId('settings-nav-backups')).toHaveTextContent('Sauvegardes');
    const table = screen.getByTestId('backups-table');
    expect(table).toHaveTextContent('Quotidienne');
    expect(table).toHaveTextContent('Avant un import');
    expect(table).toHaveTextContent('Membres');

    await user.click(screen.getByTestId('backup-now'));
    await waitFor(() =>
      expect(within(screen.getByTestId('backups-table')).getAllByRole('row')).toHaveLength(4),
    );
    expect(screen.getByTestId('backups-table')).toHaveTextContent('À la main');
    expect(await api.backups.list()).toHaveLength(3);

    const [manual] = await api.backups.list();
    await user.click(screen.getByTestId(`backup-restore-${manual!.id}`));
    expect(await screen.findByTestId('backup-confirm-holds')).toHaveTextContent('À la main');
    expect(screen.getByRole('dialog')).toHaveTextContent('Hearth redémarre pour terminer.');
    await user.click(within(screen.getByRole('dialog')).getByText('Annuler'));
    await waitFor(() => expect(screen.queryByTestId('backup-confirm-holds')).toBeNull());
    expect(api.backupsRestored()).toEqual([]);
  }, 60_000);
});
