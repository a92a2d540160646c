import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { openMembers } from './members';

// Before the second run the harness imports a generated community (e2e/community.mjs) with
// the CLI and saves `hearth stats --json` for the default range to E2E_STATS. The dashboard
// the window shows for the same range must say the same numbers.
interface Stats {
  members_total: number;
  members_new: number;
  members_active: number;
  members_churned: number;
  engagement_rate: number;
  stickiness: number;
  growth_rate: number;
  activities: number;
  questions: number;
  questions_answered: number;
  super_users: { name: string }[];
}

function loadStats(): Stats {
  const file = process.env.E2E_STATS;
  if (!file) throw new Error('E2E_STATS is not set: run this spec through .ci/e2e');
  return JSON.parse(readFileSync(file, 'utf8')) as Stats;
}

test('the dashboard says what `hearth stats --json` says @after-restart', async ({ page }) => {
  const stats = loadStats();
  const count = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
  const percent = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });

  await openMembers(page);
  await page.getByTestId('nav-dashboard').click();
  await expect(page.getByTestId('kpi-cards')).toBeVisible();

  const cards: [string, string][] = [
    ['total', count.format(stats.members_total)],
    ['new', count.format(stats.members_new)],
    ['active', count.format(stats.members_active)],
    ['churned', count.format(stats.members_churned)],
    ['activities', count.format(stats.activities)],
    ['engagement', percent.format(stats.engagement_rate)],
    ['stickiness', percent.format(stats.stickiness)],
    ['growth', percent.format(stats.growth_rate)],
    ['answered', count.format(stats.questions_answered)],
  ];
  // The generated community is big enough to say something.
  expect(stats.members_total).toBeGreaterThanOrEqual(150);
  expect(stats.questions_answered).toBeGreaterThan(0);
  for (const [key, want] of cards) {
    await expect(page.getByTestId(`kpi-${key}-value`)).toHaveText(want);
  }

  await expect(page.getByTestId('kpi-answered')).toContainText(
    `of ${count.format(stats.questions)} asked`,
  );

  // The super users, in the CLI's order, on the Engagement tab.
  await page.getByTestId('dashboard-tab-engagement').click();
  const names = page.getByTestId('super-users').getByTestId('super-user');
  await expect(names.first()).toContainText(stats.super_users[0].name);
  await expect(names).toHaveCount(stats.super_users.length);
});
