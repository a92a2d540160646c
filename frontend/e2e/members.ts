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
