import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORDED_NOW } from '../../api/fake/recorded';
import type { Language } from '../../i18n';
import { renderApp } from '../../test/renderApp';
import { presetRange } from '../dashboard/ranges';

// Go's answers recorded at RECORDED_NOW (Monday 16 March 2026, 12:00 UTC) over the recorded
// workspace, whose weekly report wrote its workbook on Monday 9 March and was switched off since
// (app/recorded_reports_test.go).
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => vi.useRealTimers());

async function openReports(opts: Parameters<typeof renderApp>[0] & { lang?: Language } = {}) {
  const app = await renderApp(opts);
  await app.user.click(screen.getByTestId('nav-reports'));
  await screen.findByTestId('screen-reports');
  return app;
}

/** Waits until an export button is no longer busy. */
async function settled(testId: string) {
  await waitFor(() => expect(screen.getByTestId(testId)).not.toHaveAttribute('data-loading'));
}

describe('Reports', () => {
  it('exports the KPI workbook of the chosen period and says where it went', async () => {
    const { api, user } = await openReports();
    const card = screen.getByTestId('report-kpi');
    expect(card).toHaveTextContent(/summary with charts/);

    await user.click(within(card).getByTestId('range-preset'));
    await user.click(await screen.findByRole('option', { name: 'Last month' }));
    await user.click(within(card).getByTestId('report-kpi-lang'));
    await user.click(await screen.findByRole('option', { name: 'Français' }));
    await user.click(within(card).getByTestId('report-kpi-export'));

    const expected = presetRange('lastMonth', new Date());
    await waitFor(() => expect(api.reportExports()).toHaveLength(1));
    expect(api.reportExports()[0]).toEqual({
      kind: 'kpi',
      from: expected.from,
      to: expected.to,
      lang: 'fr',
      // Go names the workbook after the period's first day (the fake used to add the last).
      path: `/home/demo/Documents/hearth-kpi-${expected.from}.xlsx`,
    });
    expect(expected).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(await screen.findByTestId('report-saved-path')).toHaveTextContent(
      `hearth-kpi-${expected.from}.xlsx`,
    );
  });

  it('exports a custom period with both days as typed', async () => {
    const { api, user } = await openReports();
    const card = screen.getByTestId('report-kpi');
    await user.click(within(card).getByTestId('range-preset'));
    await user.click(await screen.findByRole('option', { name: 'Custom…' }));
    const from = within(card).getByTestId('range-from');
    const to = within(card).getByTestId('range-to');
    await user.clear(from);
    await user.type(from, '2025-01-01');
    await user.clear(to);
    await user.type(to, '2025-03-31');
    await user.click(within(card).getByTestId('report-kpi-export'));
    await waitFor(() => expect(api.reportExports()).toHaveLength(1));
    expect(api.reportExports()[0]).toMatchObject({ from: '2025-01-01', to: '2025-03-31' });
  });

  it('shows nothing when the save dialog is cancelled', async () => {
    const { api, user } = await openReports();
    api.cancelNextDialog();
    await user.click(screen.getByTestId('report-kpi-export'));
    await waitFor(() => expect(api.reportExports()).toHaveLength(1));
    await settled('report-kpi-export');
    expect(api.reportExports()[0]?.path).toBe('');
    expect(screen.queryByTestId('report-saved-path')).not.toBeInTheDocument();
    expect(screen.queryByText('Workbook saved')).not.toBeInTheDocument();
  });

  it('exports the members workbook in the language of the app', async () => {
    const { api, user } = await openReports({ lang: 'fr' });
    expect(screen.getByTestId('report-members')).toHaveTextContent('Classeur des membres');
    await user.click(screen.getByTestId('report-members-export'));
    expect(await screen.findByText('Classeur enregistré')).toBeInTheDocument();
    expect(api.reportExports()).toEqual([expect.objectContaining({ kind: 'members', lang: 'fr' })]);
  });

  it('shows the weekly report’s field errors in French on the fields', async () => {
    const { user } = await openReports({ lang: 'fr' });
    const card = screen.getByTestId('report-schedule');
    await within(card).findByTestId('report-schedule-folder');
    await user.click(within(card).getByTestId('report-schedule-enabled'));
    await user.clear(within(card).getByTestId('report-schedule-at'));
    await user.click(within(card).getByTestId('report-schedule-save'));

    expect(await within(card).findByTestId('field-error-at')).toHaveTextContent(
      'heure non valide (HH:MM)',
    );
    expect(within(card).getByTestId('field-error-folder')).toHaveTextContent('obligatoire');

    await user.type(within(card).getByTestId('report-schedule-folder'), 'rapports');
    // Typing in a field clears its error.
    expect(within(card).queryByTestId('field-error-folder')).not.toBeInTheDocument();
    await user.click(within(card).getByTestId('report-schedule-save'));
    expect(await within(card).findByTestId('field-error-folder')).toHaveTextContent(
      'Dossier : indiquez le chemin complet du dossier',
    );
    expect(within(card).getByTestId('report-schedule-status')).toHaveTextContent(
      'Le rapport hebdomadaire est désactivé.',
    );
  });

  it('saves the weekly report and shows when it runs next and the last file written', async () => {
    // Go's weekly report wrote its workbook on Monday 9 March at 08:00 and is off now.
    const { user } = await openReports();
    const card = screen.getByTestId('report-schedule');
    await within(card).findByTestId('report-schedule-folder');
    expect(within(card).getByTestId('report-schedule-last')).toHaveTextContent(
      /Monday, March 9, 2026.*hearth-kpi-2026-03-09\.xlsx/,
    );

    await user.click(within(card).getByTestId('report-schedule-choose'));
    await waitFor(() =>
      expect(within(card).getByTestId('report-schedule-folder')).toHaveValue(
        '/home/demo/Documents/Reports',
      ),
    );
    await user.click(within(card).getByTestId('report-schedule-enabled'));
    await user.click(within(card).getByTestId('report-schedule-save'));

    // Enabled on Monday at 12:00: today's 08:00 is past and not written late.
    expect(await within(card).findByTestId('report-schedule-next')).toHaveTextContent(
      /Next report: Monday, March 23, 2026.*8:00/,
    );
    expect(await screen.findByText('Weekly report saved')).toBeInTheDocument();
  });

  it('exports the dashboard’s period from the dashboard', async () => {
    const { api, user } = await renderApp();
    await user.click(screen.getByTestId('nav-dashboard'));
    await screen.findByTestId('kpi-cards');
    await user.click(screen.getByTestId('dashboard-export-excel'));
    const expected = presetRange('last30', new Date());
    expect(expected).toEqual({ from: '2026-02-15', to: '2026-03-16' });
    await waitFor(() => expect(api.reportExports()).toHaveLength(1));
    expect(api.reportExports()[0]).toMatchObject({
      kind: 'kpi',
      from: expected.from,
      to: expected.to,
      lang: 'en',
    });
    expect(await screen.findByTestId('report-saved-path')).toBeInTheDocument();
  });
});
