import { expect, test } from '@playwright/test';
import { openMembers } from './members';

// Settings > Engagement levels against the real Go backend: a milestone easier than the next
// level is refused on its field by the analytics service; valid settings are saved, survive a
// reload, and "Restore defaults" puts the defaults back.
test('changes the engagement levels and the goal tag, refused then saved', async ({ page }) => {
  await openMembers(page);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-nav-levels').click();
  const section = page.getByTestId('settings-levels');
  await expect(section).toBeVisible();
  await expect(section.getByTestId('levels-score-1')).toHaveValue('40');

  // Contributors asking more than Ambassadors: Go refuses, on the field.
  await section.getByTestId('levels-score-2').fill('60');
  await section.getByTestId('levels-save').click();
  await expect(section).toContainText(/easier than|make one of the two harder/i);

  await section.getByTestId('levels-score-2').fill('15');
  await section.getByTestId('levels-weight-post').fill('4');
  const goal = section.getByTestId('levels-goal-tags');
  await goal.fill('customer');
  await goal.press('Enter');
  await section.getByTestId('levels-save').click();
  await expect(page.getByText('Engagement levels saved')).toBeVisible();

  await page.reload();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-nav-levels').click();
  await expect(section.getByTestId('levels-score-2')).toHaveValue('15');
  await expect(section.getByTestId('levels-weight-post')).toHaveValue('4');
  await expect(section).toContainText('customer');

  // Back to the defaults for the other specs.
  await section.getByTestId('levels-defaults').click();
  await section.getByTestId('levels-save').click();
  await expect(page.getByText('Engagement levels saved').first()).toBeVisible();
  await expect(section.getByTestId('levels-score-2')).toHaveValue('12');
});
