import { expect, test } from '@playwright/test';
import { addMember, openMembers } from './members';

// A run's own people and segment, so that the spec says the same on a workspace other specs filled.
const run = `dseg${Date.now()}`;
const people = [`Ana ${run}`, `Bo ${run}`];

test.describe('dashboard by segment', () => {
  test('counts only the members of a saved segment, as Go answers', async ({ page }) => {
    await openMembers(page);
    for (const name of people) await addMember(page, run, name, { tag: run });

    await page.getByTestId('members-segments').click();
    const drawer = page.getByTestId('segments-drawer');
    await drawer.getByTestId('segment-new').click();
    await drawer.getByTestId('segment-name').fill(`Run ${run}`);
    await drawer.getByTestId('segment-mode').getByText('Type the expression').click();
    await drawer.getByTestId('segment-where').fill(`tag = "${run}"`);
    await expect(drawer.getByTestId('segment-count')).toHaveText(/2 members match/);
    await drawer.getByTestId('segment-save').click();
    await expect(drawer.getByTestId('segment-item').filter({ hasText: `Run ${run}` })).toHaveCount(
      1,
    );
    await page.keyboard.press('Escape');

    await page.getByTestId('nav-dashboard').click();
    await expect(page.getByTestId('kpi-cards')).toBeVisible();
    await page.getByTestId('dashboard-segment').click();
    await page.getByRole('option', { name: `Run ${run} (2)` }).click();
    await expect(page.getByTestId('kpi-total-value')).toHaveText(/^2\b/);
    await expect(page.getByTestId('dashboard-segment-note')).toContainText('whole community');

    // The members behind the total are the segment's two.
    await page.getByTestId('kpi-total-value').click();
    const modal = page.getByRole('dialog');
    await expect(modal.getByTestId('behind-member')).toHaveCount(2);
    for (const name of people)
      await expect(modal.getByTestId('behind-member').filter({ hasText: name })).toHaveCount(1);
  });
});
