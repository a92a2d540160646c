import { expect, test } from '@playwright/test';
import { openMembers } from './members';

// Settings against the real Go backend: the reply mailbox (IMAP) beside outgoing mail, whose
// password goes to the keychain and never comes back to the page, and the automatic merging
// switch. Both are put back as they were for the other specs: a reply mailbox left set would be
// read by the scheduler every 15 minutes.

test('saves the reply mailbox, never shows its password, and turns it off again', async ({
  page,
}) => {
  await openMembers(page);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-nav-newsletter').click();
  await expect(page.getByTestId('smtp-settings')).toBeVisible();
  const section = page.getByTestId('mailbox-settings');
  await expect(section.getByTestId('mailbox-port')).toHaveValue('993');
  await expect(section.getByTestId('mailbox-folder')).toHaveValue('INBOX');
  await expect(section.getByTestId('mailbox-check')).toBeDisabled();

  // A remote server without encryption: Go refuses, on the field.
  await section.getByTestId('mailbox-host').fill('imap.example.org');
  await section.getByTestId('mailbox-port').fill('143');
  await section.getByTestId('mailbox-tls').click();
  await page.getByRole('option', { name: 'None (this computer only)' }).click();
  await section.getByTestId('mailbox-username').fill('news@example.org');
  await section.getByTestId('mailbox-save').click();
  await expect(section.getByTestId('field-error-tls')).toContainText('STARTTLS or TLS');

  // A server on this machine may go without; the password is kept, never shown.
  await section.getByTestId('mailbox-host').fill('127.0.0.1');
  await section.getByTestId('mailbox-port').fill('1143');
  await section.getByTestId('mailbox-password').fill('e2e-imap-secret');
  await section.getByTestId('mailbox-save').click();
  await expect(page.getByText('Reply mailbox saved')).toBeVisible();
  await expect(section.getByTestId('mailbox-password-set')).toBeVisible();
  await expect(section.getByTestId('mailbox-password')).toHaveValue('');
  await expect(section.getByTestId('mailbox-check')).toBeEnabled();

  await page.reload();
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-nav-newsletter').click();
  await expect(section.getByTestId('mailbox-host')).toHaveValue('127.0.0.1');
  await expect(section.getByTestId('mailbox-port')).toHaveValue('1143');
  await expect(section.getByTestId('mailbox-username')).toHaveValue('news@example.org');
  await expect(section.getByTestId('mailbox-password-set')).toBeVisible();
  await expect(section.getByTestId('mailbox-password')).toHaveValue('');
  expect(await page.content()).not.toContain('e2e-imap-secret');

  // Off again: no server, no account.
  await section.getByTestId('mailbox-host').fill('');
  await section.getByTestId('mailbox-username').fill('');
  await section.getByTestId('mailbox-save').click();
  await expect(page.getByText('Reply mailbox turned off')).toBeVisible();
  await expect(section.getByTestId('mailbox-password-set')).toHaveCount(0);
  await expect(section.getByTestId('mailbox-check')).toBeDisabled();
});

test('turns automatic merging on, keeps it after a reload, and off again', async ({ page }) => {
  await openMembers(page);
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('settings-auto-merge');
  await expect(section).toContainText('Merge duplicates automatically');
  const toggle = section.getByTestId('auto-merge-switch');
  await expect(toggle).toBeEnabled();
  await expect(toggle).not.toBeChecked();

  // The switch shows what Go saved: it turns once the answer is back, so it is clicked, not
  // checked (Playwright's check wants the state changed at once).
  await toggle.click({ force: true });
  await expect(page.getByText('Automatic merging is on')).toBeVisible();
  await page.reload();
  await page.getByTestId('nav-settings').click();
  await expect(toggle).toBeEnabled();
  await expect(toggle).toBeChecked();

  await toggle.click({ force: true });
  await expect(page.getByText('Automatic merging is off')).toBeVisible();
  await expect(toggle).not.toBeChecked();
});
