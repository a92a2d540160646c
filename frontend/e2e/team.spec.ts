import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { watchFailures } from './clickthrough';
import { openMembers, rowWith, search } from './members';

// Settings > Team against the real Go backend, with a teammate's copy made by the CLI the
// harness builds between its two runs (.ci/e2e: build/e2e/hearth), hence @after-restart.
// The native file dialogs cannot be driven from the browser: the spec answers them, and only
// them, by replacing the two bound methods that open them; everything else is the app's.

const HEARTH = fileURLToPath(new URL('../../build/e2e/hearth', import.meta.url));
const PASSPHRASE = 'e2e correct horse battery';

/** Answers TeamService's save or open dialog with `path`, as a person picking it would. */
async function answerDialog(
  page: Page,
  method: 'ChooseExportFile' | 'ChooseBundle' | 'ChooseShareFolder',
  path: string,
) {
  await page.evaluate(
    ([m, p]) => {
      const w = window as unknown as {
        go: { app: { TeamService: Record<string, () => Promise<string>> } };
      };
      w.go.app.TeamService[m] = () => Promise.resolve(p);
    },
    [method, path] as const,
  );
}

async function openTeam(page: Page) {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('settings-nav-team').click();
  await expect(page.getByTestId('team-public-key')).toContainText(/^age1[0-9a-z]{50,}$/);
}

test('names me, exports for my team, merges a teammate’s copy and takes a value back @after-restart', async ({
  page,
}) => {
  expect(existsSync(HEARTH), `${HEARTH}, built by .ci/e2e before its second run`).toBe(true);
  const failures = watchFailures(page);
  const dir = mkdtempSync(join(tmpdir(), 'hearth-team-e2e-'));
  try {
    const stamp = Date.now();
    const email = `team-${stamp}@example.org`;
    const mine = join(dir, 'camille.hearth');
    const theirs = join(dir, 'sam.hearth');
    const passFile = join(dir, 'passphrase');
    writeFileSync(passFile, `${PASSPHRASE}\n`, { mode: 0o600 });
    // Sam's copy: another folder, and another person's credentials (so another age identity).
    const sam = (...args: string[]) =>
      execFileSync(HEARTH, ['--workspace', join(dir, 'sam'), ...args], {
        env: {
          ...process.env,
          HEARTH_CONFIG_DIR: join(dir, 'sam-credentials'),
          HEARTH_KEYCHAIN: 'off',
        },
        encoding: 'utf8',
      });

    // A member both copies will know.
    await openMembers(page);
    await page.getByTestId('member-new').click();
    const form = page.getByTestId('member-form');
    await form.getByTestId('member-name').fill('Team Mate E2E');
    await form.getByTestId('member-email-0').fill(email);
    await form.getByTestId('member-save').click();
    await expect(form).toBeHidden();

    // My name, then the export with a passphrase typed twice.
    await openTeam(page);
    const name = page.getByTestId('team-name');
    await name.fill('Camille E2E');
    await page.getByTestId('team-name-save').click();
    await expect(page.getByText('Your name is saved.')).toBeVisible();
    await expect(page.getByTestId('team-teammates')).toContainText('Camille E2E');
    await expect(page.getByTestId('team-export-secrets')).toContainText('SMTP password');
    await answerDialog(page, 'ChooseExportFile', mine);
    await page.getByTestId('team-export-passphrase').fill(PASSPHRASE);
    await page.getByTestId('team-export-confirm').fill(PASSPHRASE);
    await page.getByTestId('team-export-submit').click();
    await expect(page.getByTestId('team-export-done')).toContainText(`Written to ${mine}:`);
    expect(existsSync(mine)).toBe(true);

    // I change the member's notes here...
    await page.getByTestId('nav-members').click();
    await search(page, email);
    await rowWith(page, email).click();
    await page.getByTestId('member-tab-details').click(); // the drawer opens on the story
    await page.getByTestId('member-notes').fill('Notes from Camille');
    await page.getByTestId('member-save').click();
    await expect(page.getByTestId('member-form')).toBeHidden();

    // ...and Sam, on a copy joined from my bundle, changes them too, later, and adds someone.
    sam('workspace', 'join', mine, '--passphrase-file', passFile);
    sam('workspace', 'whoami', '--name', 'Sam E2E');
    sam('members', 'update', email, '--notes', 'Notes from Sam');
    sam('members', 'add', '--email', `nora-${stamp}@example.org`, '--name', 'Nora Team');
    sam('workspace', 'export', '--out', theirs, '--passphrase-file', passFile);

    // A wrong passphrase is refused in the one error notification, and changes nothing.
    await openTeam(page);
    await answerDialog(page, 'ChooseBundle', theirs);
    await page.getByTestId('team-merge-choose').click();
    await expect(page.getByTestId('team-merge-file')).toHaveText(theirs);
    await page.getByTestId('team-merge-passphrase').fill('not the passphrase');
    await page.getByTestId('team-merge-submit').click();
    const refused = page.locator(
      '[data-testid="error-notification"][data-error-code="bundle_wrong_passphrase"]',
    );
    await expect(refused).toContainText('the right one was not given');
    // The notification, and notifyError's console line about the same refusal: nothing else.
    const seen = await failures.take();
    expect(seen).toContainEqual(
      expect.stringContaining('error notification [bundle_wrong_passphrase]'),
    );
    for (const f of seen) expect(f).toMatch(/bundle_wrong_passphrase|passphrase does not open/);

    await page.getByTestId('team-merge-passphrase').fill(PASSPHRASE);
    await page.getByTestId('team-merge-submit').click();
    const report = page.getByTestId('team-report');
    await expect(report.getByTestId('team-report-summary')).toContainText(
      'sam.hearth, from Sam E2E',
    );
    await expect(report.getByTestId('team-report-added')).not.toContainText(/Added0$/);
    const row = report.getByTestId('team-conflict-row').filter({ hasText: 'Notes from Sam' });
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Team Mate E2E');
    await expect(row.getByTestId('team-conflict-kept')).toHaveText('Notes from Sam');
    await expect(row.getByTestId('team-conflict-other')).toHaveText('Notes from Camille');
    await expect(row).toContainText('by Sam E2E');
    await expect(row).toContainText('by Camille E2E');
    await expect(page.getByTestId('team-teammates')).toContainText('Sam E2E');

    // Take my value back: the row is done, and the member holds it again.
    await row.getByTestId('team-conflict-take').click();
    await expect(row.getByTestId('team-conflict-done')).toBeVisible();

    // Merging the same file again changes nothing, and finds no conflict: the value taken back
    // is the newer write now.
    await page.getByTestId('team-merge-passphrase').fill(PASSPHRASE);
    await page.getByTestId('team-merge-submit').click();
    await expect(report.getByTestId('team-report-no-conflicts')).toBeVisible();
    for (const [count, label] of [
      ['added', 'Added'],
      ['updated', 'Updated'],
      ['deleted', 'Deleted'],
      ['erased', 'Erased'],
    ])
      await expect(report.getByTestId(`team-report-${count}`)).toHaveText(`${label}0`);
    await expect(report.getByTestId('team-report-unchanged')).not.toHaveText('Unchanged0');

    await page.getByTestId('nav-members').click();
    await search(page, `nora-${stamp}@example.org`);
    await expect(rowWith(page, 'Nora Team')).toHaveCount(1);
    await search(page, email);
    await rowWith(page, email).click();
    await page.getByTestId('member-tab-details').click(); // the drawer opens on the story
    await expect(page.getByTestId('member-notes')).toHaveValue('Notes from Camille');
    await page.keyboard.press('Escape');

    // The shared folder: Sam's copy shares through it first (his file is encrypted to my key,
    // which his copy has known since it joined); then I turn sharing on there and share now.
    const shared = join(dir, 'Syncthing');
    mkdirSync(shared);
    sam('members', 'update', email, '--notes', 'Notes from Sam, shared');
    sam('workspace', 'share', '--folder', shared, '--now');
    await openTeam(page);
    const card = page.getByTestId('team-share');
    await expect(card.getByTestId('team-share-hint')).toContainText('Syncthing');
    await expect(card.getByTestId('team-share-never')).toBeVisible();
    await answerDialog(page, 'ChooseShareFolder', shared);
    await card.getByTestId('team-share-choose').click();
    await expect(card.getByTestId('team-share-folder')).toHaveText(shared);
    await expect(card.getByTestId('team-share-switch')).toBeChecked();
    await card.getByTestId('team-share-now').click();
    const merged = card.getByTestId('team-share-file-row');
    await expect(merged).toHaveCount(1);
    await expect(merged).toHaveAttribute('data-status', 'merged');
    await expect(merged).toContainText('Sam E2E');
    await expect(card.getByTestId('team-share-own')).toContainText('My file was written:');
    expect(readdirSync(shared).filter((f) => f.endsWith('.hearth'))).toHaveLength(2);
    // Sam's copy now merges mine; mine is up to date on the next run.
    expect(sam('workspace', 'share', '--now')).toContain('(Camille E2E): merged:');
    await card.getByTestId('team-share-now').click();
    await expect(card.getByTestId('team-share-own')).toHaveText('My file was already up to date.');
    await card.getByTestId('team-share-switch').click({ force: true });
    await expect(card.getByTestId('team-share-switch')).not.toBeChecked();
    await expect(card.getByTestId('team-share-now')).toBeDisabled();

    await page.getByTestId('nav-members').click();
    await search(page, email);
    await rowWith(page, email).click();
    await page.getByTestId('member-tab-details').click(); // the drawer opens on the story
    await expect(page.getByTestId('member-notes')).toHaveValue('Notes from Sam, shared');
    expect(await failures.take()).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
