import { expect, type Page } from '@playwright/test';

/**
 * The address the first run adds and the after-restart run looks for. The
 * harness sets HEARTH_E2E_EMAIL for both runs; alone, a fresh one is made.
 */
export const e2eEmail = process.env.HEARTH_E2E_EMAIL ?? `e2e-${Date.now()}@example.org`;

export const E2E_NAME = 'Hélène Dupont';

/** Opens the app in English and waits for the members screen. */
export async function openMembers(page: Page): Promise<void> {
  await page.addInitScript(() => localStorage.setItem('hearth.language', 'en'));
  await page.goto('/');
  await expect(page.getByTestId('screen-members')).toBeVisible();
  await expect(page.getByTestId('members-count')).toContainText(/\d/);
}

/** Types in the search box and waits for the table to show the match. */
export async function search(page: Page, text: string): Promise<void> {
  await page.getByTestId('members-search').fill(text);
  await expect(page.getByTestId('members-count')).toContainText('matching');
}

export function rowWith(page: Page, text: string) {
  return page.getByTestId('member-row').filter({ hasText: text });
}

/**
 * Adds a member through the form: a name, an e-mail made from the first name and `run`, and
 * either a custom field (`field`, `value`) or a tag.
 */
export async function addMember(
  page: Page,
  run: string,
  name: string,
  extra: { field: string; value: string } | { tag: string },
): Promise<void> {
  await page.getByTestId('member-new').click();
  const form = page.getByTestId('member-form');
  await expect(form).toBeVisible();
  await form.getByTestId('member-name').fill(name);
  await form
    .getByTestId('member-email-0')
    .fill(`${name.split(' ')[0]!.toLowerCase()}-${run}@example.org`);
  if ('tag' in extra) {
    await form.getByTestId('member-tags').fill(extra.tag);
    await form.getByTestId('member-tags').press('Enter');
  } else {
    await form.getByRole('button', { name: 'Add a field' }).click();
    await form.getByRole('textbox', { name: 'Field', exact: true }).fill(extra.field);
    await form.getByRole('textbox', { name: 'Value', exact: true }).fill(extra.value);
  }
  await form.getByTestId('member-save').click();
  await expect(form).toBeHidden();
}
