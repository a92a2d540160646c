import { expect, test } from '@playwright/test';
import { openMembers } from './members';

/**
 * The address of an RSS feed served by the platform fakes that .ci/e2e starts
 * (sync/internal/fakeplatforms).
 */
const feedUrl = process.env.E2E_FEED_URL ?? '';

// Adds an RSS connection through the real Go backend, tests it, then syncs and sees it online.
test(
  'adds an RSS connection, tests it, and sees it online after Sync now',
  { tag: '@feed' },
  async ({ page }) => {
    expect(feedUrl, 'E2E_FEED_URL: the feed served by .ci/e2e').not.toBe('');
    const name = `watch-${Date.now()}`;
    await openMembers(page);

    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-nav-connections').click();
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

    // The feed's articles came in (the fixture's HTML and <script> reduced to text).
    const feed = page.getByTestId('sync-feed');
    await expect(
      feed.getByTestId('feed-title').filter({ hasText: "Fête de l'Écologie au parc" }),
    ).toBeVisible();
    await expect(feed).not.toContainText('<script');

    // Leave the workspace as it was for the other specs.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-nav-connections').click();
    await row.getByTestId('connection-remove').click();
    await page.getByTestId('connection-remove-confirm').click();
    await expect(row).toHaveCount(0);
  },
);
