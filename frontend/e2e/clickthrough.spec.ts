import { expect, test, type Locator, type Page } from '@playwright/test';
import { SCREENS, type Screen } from '../src/features/shell/screens';
import { communityText, frenchChecker, screenText, watchFailures } from './clickthrough';
import { E2E_NAME, e2eEmail } from './members';

// A click through the whole app against the real backend, on the generated community the
// harness imported before the second run (e2e/community.mjs): every screen of the navigation,
// every settings section, a member, every dashboard number and drill-down, every editor; in
// English, then in French. It fails on any rejected call, console or page error, and, in
// French, on a raw i18n key or an English word of the interface (text members wrote, and code
// samples, are left out: see clickthrough.ts).

const memberText = [
  ...communityText(process.env.E2E_COMMUNITY),
  // What the first run's specs wrote.
  E2E_NAME,
  e2eEmail,
  'Gwendoline Kerjean',
  // The custom field the harness imports "since" into (member_since), as the drawer names it.
  'Member since',
];
const checkFrench = frenchChecker(memberText);

type Lang = 'en' | 'fr';

class Tour {
  readonly problems: string[] = [];
  private readonly seen = new Set<string>();
  private readonly failures;

  constructor(
    readonly page: Page,
    readonly lang: Lang,
  ) {
    this.failures = watchFailures(page);
  }

  /** Waits for loaders to go (without failing: some keep spinning), then runs the checks. */
  async check(where: string) {
    await settle(this.page);
    const found = await this.failures.take();
    if (this.lang === 'fr') found.push(...checkFrench(await screenText(this.page)));
    // The same words show on many screens: each is told once, where it was first seen.
    for (const f of found)
      if (!this.seen.has(f)) {
        this.seen.add(f);
        this.problems.push(`${where}: ${f}`);
      }
  }

  /** Opens what `opener` opens in a dialog (modal or drawer), checks it, and closes it. */
  async dialog(where: string, opener: Locator, ready?: Locator) {
    await opener.click();
    const dialog = this.page.getByRole('dialog').last();
    await expect(dialog, `${where} opens`).toBeVisible();
    if (ready) await expect(ready, `${where} shows its content`).toBeVisible();
    await this.check(where);
    await this.page.keyboard.press('Escape');
    await expect(this.page.getByRole('dialog'), `${where} closes on Escape`).toHaveCount(0);
  }
}

async function settle(page: Page) {
  const busy = page.locator(
    '.mantine-Loader-root:visible, .mantine-Skeleton-root:visible, [aria-busy="true"]:visible',
  );
  await expect(busy)
    .toHaveCount(0, { timeout: 10_000 })
    .catch(() => {});
}

async function go(tour: Tour, screen: Screen) {
  await tour.page.getByTestId(`nav-${screen}`).click();
  await expect(tour.page.getByTestId(`screen-${screen}`)).toBeVisible();
}

/** The tabs of a screen, if it has some, each clicked in turn; else the screen as it is. */
async function eachTab(root: Locator, visit: (where: string) => Promise<void>) {
  const tabs = root.getByRole('tab');
  const n = await tabs.count();
  if (n === 0) return visit('');
  for (let i = 0; i < n; i++) {
    const tab = tabs.nth(i);
    const name = (await tab.getAttribute('data-testid')) ?? `tab ${i + 1}`;
    await tab.click();
    await visit(` (${name})`);
  }
}

async function dashboard(tour: Tour) {
  const { page } = tour;
  await go(tour, 'dashboard');
  const screen = page.getByTestId('screen-dashboard');
  await expect(screen.getByTestId('kpi-cards').or(screen.getByRole('tab')).first()).toBeVisible();
  let numbers = 0;
  let opened = false;
  await eachTab(screen, async (tab) => {
    await tour.check(`dashboard${tab}`);
    // Every number with the members behind it: the KPI cards, the levels, the funnel stages.
    const drills = screen.locator(
      '[data-testid^="kpi-"][data-testid$="-value"]:visible, [data-testid^="level-link-"]:visible',
    );
    const ids = await drills.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    for (const id of ids) {
      numbers++;
      await tour.dialog(
        `dashboard${tab} ${id}`,
        screen.getByTestId(id!),
        page.getByTestId('behind-member').first().or(page.getByTestId('behind-empty')),
      );
    }
    // A member from the people tables opens in the drawer.
    const person = screen.getByTestId('person-open').first();
    if (!opened && (await person.isVisible())) {
      opened = true;
      await tour.dialog(`dashboard${tab} super user`, person, page.getByTestId('member-story'));
    }
  });
  // The generated community has numbers and super users to click.
  expect(numbers, 'dashboard numbers clicked').toBeGreaterThanOrEqual(9);
  expect(opened, 'a super user opened').toBe(true);
}

async function members(tour: Tour) {
  const { page } = tour;
  await go(tour, 'members');
  await expect(page.getByTestId('member-row').first()).toBeVisible();
  await tour.check('members');
  await tour.dialog(
    'members: a member',
    page.getByTestId('member-row').first(),
    page.getByTestId('member-story'),
  );
  await tour.dialog(
    'members: new member',
    page.getByTestId('member-new'),
    page.getByTestId('member-form'),
  );
  await tour.dialog(
    'members: import',
    page.getByTestId('members-import'),
    page.getByTestId('import-choose'),
  );
}

async function calendar(tour: Tour) {
  const { page } = tour;
  await go(tour, 'calendar');
  const views = page.locator('[data-testid^="calendar-view-"]');
  const ids = await views.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  expect(ids.length, 'calendar views').toBeGreaterThan(0);
  for (const id of ids) {
    await page.getByTestId(id!).click();
    await tour.check(`calendar ${id}`);
  }
  await tour.dialog(
    'calendar: new item',
    page.getByTestId('calendar-new'),
    page.getByTestId('item-editor'),
  );
}

async function campaigns(tour: Tour) {
  const { page } = tour;
  await go(tour, 'campaigns');
  await page.getByTestId('campaigns-tab-newsletters').click();
  await tour.check('campaigns (newsletters)');
  await page.getByTestId('newsletter-new').click();
  await expect(page.getByTestId('newsletter-composer')).toBeVisible();
  await tour.check('campaigns: newsletter composer');
  await page.getByTestId('campaigns-tab-automations').click();
  await tour.check('campaigns (automations)');
  await tour.dialog(
    'campaigns: automation editor',
    page.getByTestId('automation-new'),
    page.getByTestId('automation-editor'),
  );
}

async function settings(tour: Tour) {
  const { page } = tour;
  await go(tour, 'settings');
  const sections = page.locator('[data-testid^="settings-nav-"]');
  const ids = await sections.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
  if (ids.length === 0) {
    // One long page: bring each section into view on the way down.
    const screen = page.getByTestId('screen-settings');
    for (const box of await screen.locator(':scope > *').all()) await box.scrollIntoViewIfNeeded();
    await tour.check('settings');
    return;
  }
  for (const id of ids) {
    await page.getByTestId(id!).click();
    await tour.check(`settings ${id}`);
  }
}

async function visit(tour: Tour, screen: Screen) {
  switch (screen) {
    case 'dashboard':
      return dashboard(tour);
    case 'members':
      return members(tour);
    case 'calendar':
      return calendar(tour);
    case 'campaigns':
      return campaigns(tour);
    case 'settings':
      return settings(tour);
    default:
      await go(tour, screen);
      await eachTab(tour.page.getByTestId(`screen-${screen}`), (tab) =>
        tour.check(`${screen}${tab}`),
      );
  }
}

for (const lang of ['en', 'fr'] as const) {
  test(`clicks through every screen in ${lang} without an error @after-restart`, async ({
    page,
  }) => {
    test.setTimeout(240_000);
    // Opens in English; French is chosen with the app's own switch, as a person would.
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('e2e-started')) {
        sessionStorage.setItem('e2e-started', '1');
        localStorage.setItem('hearth.language', 'en');
      }
    });
    const tour = new Tour(page, lang);
    await page.goto('/');
    await expect(page.getByTestId('screen-members')).toBeVisible();
    if (lang === 'fr') {
      await page.getByTestId('lang-switch').getByText('FR', { exact: true }).click();
      await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    }
    for (const screen of SCREENS) await visit(tour, screen);
    expect(tour.problems, tour.problems.join('\n')).toEqual([]);
  });
}
