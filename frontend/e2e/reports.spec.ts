import { expect, test } from '@playwright/test';
import { openMembers } from './members';

// The dashboard and the Reports screen against the real Go backend: KPIs computed by the
// analytics service, and the weekly report's schedule validated and saved by it.
test('shows the dashboard, then schedules the weekly KPI workbook', async ({ page }) => {
  await openMembers(page);

  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('screen-dashboard')).toBeVisible();
  await expect(page.getByTestId('range-text')).toContainText(/\d{4}/);
  // The KPI cards, and (no activity in this workspace) how activity arrives.
  await expect(page.getByTestId('kpi-cards')).toBeVisible();
  await expect(page.getByTestId('dashboard-empty')).toBeVisible();

  await page.getByTestId('nav-reports').click();
  const card = page.getByTestId('report-schedule');
  await expect(card).toBeVisible();
  const enabled = card.getByTestId('report-schedule-enabled');
  if (!(await enabled.isChecked())) await enabled.check();
  await card.getByTestId('report-schedule-at').fill('08:00');
  // A relative folder is refused by the backend, on the field.
  await card.getByTestId('report-schedule-folder').fill('reports');
  await card.getByTestId('report-schedule-save').click();
  await expect(card).toContainText(/absolute|full path|chemin/i);
  await card.getByTestId('report-schedule-folder').fill('/tmp');
  await card.getByTestId('report-schedule-save').click();
  await expect(card.getByTestId('report-schedule-next')).toContainText(/\d/);

  // Leave the schedule off for the other runs.
  await enabled.uncheck();
  await card.getByTestId('report-schedule-save').click();
  await expect(card.getByTestId('report-schedule-next')).toHaveCount(0);
});
