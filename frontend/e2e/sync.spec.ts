import { expect, test } from '@playwright/test';
import { openMembers } from './members';

/**
 * The address of an RSS or Atom feed the harness serves. Without it this spec cannot run: the
 * harness enables it by serving a feed and setting E2E_FEED_URL (select it with `--grep @feed`).
 */
const feedUrl = process.env.E2E_FEED_URL ?? '';

// Adds an RSS connection through the real Go backend, tests it, then syncs and sees it online.
test(
  'adds an RSS connection, tests it, and sees it online after Sync now',
  { tag: '@feed' },
  async ({ page }) => {
    test.skip(feedUrl === '', 'needs E2E_FEED_URL: a feed served by the e2e harness');
    const name = `watch-${Date.now()}`;
    await openMembers(page);

    await page.getByTestId('nav-settings').click();
    const section = page.getByTestId('settings-connections');
    await expect(section).toBeVisible();
    await section.getByTestId('connection-new').click();
    await page.getByTestId('connection-platform-rss').click();
    const form = page.getByTestId('connection-form');
    await form.getByTestId('connection-name').fill(name);
    await form.getByTestId('connection-url').fill(feedUrl);
    await form.getByTestId('connection-save').click();
    await expect(form).toBeHidden();

    const row = section.locator(`[data-testid="connection-row"][data-name="${name}"]`);
    await expect(row).toBeVisible();
    await row.getByTestId('connection-test').click();
    const result = row.getByTestId('connection-test-result');
    await expect(result).toHaveAttribute('data-ok', 'true');
    await expect(result).toContainText('OK');

    await page.getByTestId('nav-sync').click();
    await expect(page.getByTestId('screen-sync')).toBeVisible();
    await page.getByTestId('sync-now').click();
    await expect(page.getByTestId('sync-now')).toHaveAttribute('data-running', 'false');
    const card = page.locator(`[data-testid="sync-connection"][data-name="${name}"]`);
    await expect(card).toHaveAttribute('data-online', 'true');
    await expect(page.getByTestId('status-online')).not.toHaveAttribute('data-reach', 'none');

    // Leave the workspace as it was for the other specs.
    await page.getByTestId('nav-settings').click();
    await row.getByTestId('connection-remove').click();
    await page.getByTestId('connection-remove-confirm').click();
    await expect(row).toHaveCount(0);
  },
);
