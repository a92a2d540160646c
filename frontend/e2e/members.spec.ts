import { expect, test } from '@playwright/test';
import { E2E_NAME, e2eEmail, openMembers, rowWith, search } from './members';

test.describe('members', () => {
  test('adds a member through the form and finds it in the table', async ({ page }) => {
    await openMembers(page);

    await page.getByTestId('member-new').click();
    const form = page.getByTestId('member-form');
    await expect(form).toBeVisible();
    await form.getByTestId('member-name').fill(E2E_NAME);
    await form.getByTestId('member-email-0').fill(e2eEmail);
    await form.getByTestId('member-save').click();
    await expect(form).toBeHidden();

    await search(page, e2eEmail);
    const row = rowWith(page, e2eEmail);
    await expect(row).toHaveCount(1);
    await expect(row).toContainText(E2E_NAME);
  });

  test('opens the member on their story, beside where they stand', async ({ page }) => {
    await openMembers(page);
    await search(page, e2eEmail);
    await rowWith(page, e2eEmail).click();

    await expect(page.getByTestId('member-tab-story')).toHaveAttribute('aria-selected', 'true');
    const story = page.getByTestId('member-story');
    await expect(story.getByTestId('story-level')).toHaveText('Observers');
    await expect(story.getByTestId('story-activity')).toHaveText('No activity yet.');
    // Their story so far: the log says they were added.
    const added = story.getByTestId('story-entry').filter({ hasText: 'Member added' });
    await expect(added).toHaveCount(1);
    await expect(added).toHaveAttribute('data-kind', 'log');
    await story
      .locator('label')
      .filter({ hasText: /^Consent$/ })
      .click();
    await expect(story.getByTestId('story-empty')).toBeVisible();

    // The form is on Details.
    await page.getByTestId('member-tab-details').click();
    await expect(page.getByTestId('member-name')).toHaveValue(E2E_NAME);
  });

  test('shows an inline error for a bad e-mail', async ({ page }) => {
    await openMembers(page);

    await page.getByTestId('member-new').click();
    const form = page.getByTestId('member-form');
    await form.getByTestId('member-name').fill('Not An Address');
    await form.getByTestId('member-email-0').fill('not-an-email');
    await form.getByTestId('member-save').click();

    await expect(page.getByTestId('field-error-emails[0]')).toHaveText(
      'E-mail: not a valid address',
    );
    await expect(form).toBeVisible();
  });

  test('refuses the same e-mail in another case, with the reason from Go', async ({ page }) => {
    await openMembers(page);

    await page.getByTestId('member-new').click();
    const form = page.getByTestId('member-form');
    await form.getByTestId('member-name').fill('Copy Cat');
    await form.getByTestId('member-email-0').fill(e2eEmail.toUpperCase());
    await form.getByTestId('member-save').click();

    await expect(page.getByTestId('field-error-emails[0]')).toContainText('already');
    await expect(form).toBeVisible();
  });
});

// Run by the harness after restarting the app, with --grep @after-restart and
// the HEARTH_E2E_EMAIL of the first run: the member must have been persisted.
test('finds the member added before the restart @after-restart', async ({ page }) => {
  // Without the first run's address this test would prove nothing: fail rather than pass.
  expect(process.env.HEARTH_E2E_EMAIL, 'HEARTH_E2E_EMAIL from the first run').toBeTruthy();
  await openMembers(page);

  await search(page, 'helene');
  // Newest first, so the member is in view however many earlier runs added one.
  await page.getByTestId('members-sort-created').click();
  await expect(page.getByTestId('members-sort-created').locator('..')).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  const row = rowWith(page, e2eEmail);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(E2E_NAME);
});
