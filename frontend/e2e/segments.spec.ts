import { expect, test, type Page } from '@playwright/test';
import { addMember, openMembers, rowWith, search } from './members';

// A run's own people, so that the spec says the same on a workspace other specs filled.
const run = `seg${Date.now()}`;
const lyon = [`Camille Lyon ${run}`, `Dominique Lyon ${run}`];
const paris = `Sacha Paris ${run}`;

/** The number the live count shows ("3 members match now"). */
async function liveCount(page: Page): Promise<number> {
  const count = page.getByTestId('segment-count');
  await expect(count).toHaveText(/\d+ members? match/);
  return Number((await count.textContent())!.replace(/\D/g, ''));
}

test.describe('segments', () => {
  test('builds city = "Lyon" with a live count, saves it and filters the table by it', async ({
    page,
  }) => {
    await openMembers(page);
    for (const name of lyon) await addMember(page, run, name, { field: 'city', value: 'Lyon' });
    await addMember(page, run, paris, { field: 'city', value: 'Paris' });

    await page.getByTestId('members-segments').click();
    const drawer = page.getByTestId('segments-drawer');
    await drawer.getByTestId('segment-new').click();
    await drawer.getByTestId('segment-name').fill(`Lyonnais ${run}`);
    await drawer.getByTestId('segment-mode').getByText('Type the expression').click();
    const where = drawer.getByTestId('segment-where');

    // A broken expression says where it breaks, under the field, and counts nothing.
    await where.fill('city = ');
    await expect(drawer.getByTestId('segment-error')).toContainText(
      'Not valid at character 8: expected a value',
    );

    await where.fill('city = "Lyon"');
    await expect(drawer.getByTestId('segment-error')).toHaveCount(0);
    const n = await liveCount(page);
    expect(n).toBeGreaterThanOrEqual(2);
    // Folded like search: the same members, whatever the case and accents.
    await where.fill('CITY = "lyon"');
    expect(await liveCount(page)).toBe(n);
    await where.fill('city = "Lyon"');
    expect(await liveCount(page)).toBe(n);

    await drawer.getByTestId('segment-save').click();
    const item = drawer.getByTestId('segment-item').filter({ hasText: `Lyonnais ${run}` });
    await expect(item).toHaveCount(1);
    await expect(item.getByTestId('segment-item-count')).toHaveText(`${n} members`);

    await item.getByTestId('segment-item-show').click();
    await expect(page.getByTestId('members-segment-active')).toContainText(`Lyonnais ${run}`);
    await search(page, run);
    await expect(page.getByTestId('member-row')).toHaveCount(2);
    for (const name of lyon) await expect(rowWith(page, name)).toHaveCount(1);
    await expect(rowWith(page, paris)).toHaveCount(0);

    // Every member again, Sacha among them.
    await page.getByTestId('members-segment-clear').click();
    await expect(page.getByTestId('member-row')).toHaveCount(3);
  });

  test('builds a segment from rows, renames it and deletes it after a confirmation', async ({
    page,
  }) => {
    await openMembers(page);
    await page.getByTestId('members-segments').click();
    const drawer = page.getByTestId('segments-drawer');
    await drawer.getByTestId('segment-new').click();
    await drawer.getByTestId('segment-name').fill(`Parisiens ${run}`);
    const row = drawer.getByTestId('segment-row').first();
    await row.getByTestId('segment-row-field').click();
    await page.getByRole('option', { name: 'Custom field' }).click();
    await row.getByTestId('segment-row-name').fill('city');
    await row.getByTestId('segment-row-value').fill('Paris');
    await expect(drawer.getByTestId('segment-where')).toHaveValue('city = "Paris"');
    expect(await liveCount(page)).toBeGreaterThanOrEqual(1);
    await drawer.getByTestId('segment-save').click();

    const item = drawer.getByTestId('segment-item').filter({ hasText: `Parisiens ${run}` });
    await item.getByTestId('segment-item-edit').click();
    await drawer.getByTestId('segment-name').fill(`Parisiennes ${run}`);
    await drawer.getByTestId('segment-save').click();
    const renamed = drawer.getByTestId('segment-item').filter({ hasText: `Parisiennes ${run}` });
    await expect(renamed).toHaveCount(1);

    await renamed.getByTestId('segment-item-delete').click();
    await page.getByTestId('confirm-segment-delete').click();
    await expect(renamed).toHaveCount(0);
  });
});
