import { expect, test } from '@playwright/test';
import { openMembers, rowWith, search } from './members';

// Consent and erasure through the real Go bindings: the ledger records a grant made in the
// drawer, and an erasure with the typed e-mail removes the member for good.
test('grants newsletter consent, then erases the member after typing their e-mail', async ({
  page,
}) => {
  const email = `erase-${Date.now()}@example.org`;
  await openMembers(page);

  await page.getByTestId('member-new').click();
  const form = page.getByTestId('member-form');
  await form.getByTestId('member-name').fill('Gwendoline Kerjean');
  await form.getByTestId('member-email-0').fill(email);
  await form.getByTestId('member-save').click();
  await expect(form).toBeHidden();

  await search(page, email);
  await rowWith(page, email).click();
  // The drawer opens on the member's story; consent and erasure are on Details.
  await expect(page.getByTestId('member-story')).toBeVisible();
  await page.getByTestId('member-tab-details').click();
  const panel = page.getByTestId('consent-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('consent-state-newsletter')).toHaveAttribute('data-state', 'none');
  await page.getByTestId('consent-grant-newsletter').click();
  await expect(page.getByTestId('consent-state-newsletter')).toHaveAttribute(
    'data-state',
    'granted',
  );

  await page.getByTestId('gdpr-erase').click();
  const confirm = page.getByTestId('gdpr-erase-confirm');
  await expect(confirm).toBeDisabled();
  await page.getByTestId('gdpr-erase-confirm-input').fill(email);
  await expect(confirm).toBeEnabled();
  await confirm.click();

  await expect(page.getByTestId('member-form')).toBeHidden();
  await expect(rowWith(page, email)).toHaveCount(0);
  await expect(page.getByTestId('members-count')).toContainText('0');

  // The person cannot be added back: Go refuses the suppressed address.
  await page.getByTestId('member-new').click();
  await page.getByTestId('member-email-0').fill(email);
  await page.getByTestId('member-save').click();
  await expect(page.getByTestId('field-error-emails[0]')).toContainText('erased');
});
