import { expect, test } from '@playwright/test';

const pad = (n: number) => String(n).padStart(2, '0');
const key = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

// Schedules a post on the calendar through the real Go backend, then drags it to another day.
test('schedules a post and drags it to another day', async ({ page }) => {
  await page.addInitScript(() => localStorage.setItem('hearth.language', 'en'));
  await page.goto('/');
  await page.getByTestId('nav-calendar').click();
  await expect(page.getByTestId('calendar-view-month')).toBeVisible();

  // Two future days in one month: tomorrow and the day after, or the 10th and 11th of next month.
  const today = new Date();
  let first = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
  let second = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 2);
  const nextMonth = second.getMonth() !== today.getMonth();
  if (nextMonth) {
    first = new Date(today.getFullYear(), today.getMonth() + 1, 10);
    second = new Date(today.getFullYear(), today.getMonth() + 1, 11);
  }
  const title = `E2E post ${Date.now()}`;

  await page.getByTestId('calendar-new').click();
  const editor = page.getByTestId('item-editor');
  await expect(editor).toBeVisible();
  await editor.getByTestId('item-title').fill(title);
  await editor.getByTestId('item-at').fill(`${key(first)}T09:00`);
  await editor.getByTestId('item-status-initial').click();
  await page.getByRole('option', { name: 'Scheduled' }).click();
  await editor.getByTestId('item-save').click();
  await expect(editor).toBeHidden();

  if (nextMonth) await page.getByTestId('calendar-next').click();
  const chip = page.getByTestId('calendar-item').filter({ hasText: title });
  await expect(page.getByTestId(`calendar-day-${key(first)}`).getByText(title)).toBeVisible();

  await chip.dragTo(page.getByTestId(`calendar-day-${key(second)}`));
  await expect(page.getByTestId(`calendar-day-${key(second)}`).getByText(title)).toBeVisible();
  await expect(page.getByTestId(`calendar-day-${key(first)}`).getByText(title)).toHaveCount(0);
});
