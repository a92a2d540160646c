import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../api';
import { IMPORT_RECORDING } from '../../api/fake/recorded';
import i18n from '../../i18n';
import { ImportSummaryView } from './ImportSummaryView';

// What Go's dry run of the recorded Mailchimp export answered (app/recorded_import_test.go):
// Hélène Dupont's and Amélie Roux's opt-ins of January and March 2024 are past the newsletter's
// 24 months.
const summary = (() => {
  const key = Object.keys(IMPORT_RECORDING.answers).find(
    (k) => k.startsWith('||run[') && k.includes('"dryRun":true') && k.includes('"lang":"en"'),
  )!;
  const run = IMPORT_RECORDING.answers[key]!.ok as { events: { payload: unknown }[] };
  return run.events.at(-1)!.payload as ImportSummary;
})();

function draw(lang: string) {
  void i18n.changeLanguage(lang);
  return render(
    <MantineProvider env="test">
      <ImportSummaryView summary={summary} />
    </MantineProvider>,
  );
}

describe('ImportSummaryView', () => {
  it('says how many imported consents are already expired, under which rule and when, in French', () => {
    draw('fr');
    const note = screen.getByTestId('import-expired-newsletter');
    expect(note.textContent).toMatch(/2 consentements ont expiré entre le/);
    expect(note.textContent).toMatch(/24 mois pour « /);
    expect(note.textContent).toMatch(/2026/);
    expect(note.textContent).not.toMatch(/expired|months/);
  });

  it('says it in English too', () => {
    draw('en');
    const note = screen.getByTestId('import-expired-newsletter');
    expect(note.textContent).toMatch(/2 consents expired between/);
    expect(note.textContent).toMatch(/24 months for “/);
  });

  it('shows no expiry note when nothing expired', () => {
    void i18n.changeLanguage('en');
    render(
      <MantineProvider env="test">
        <ImportSummaryView summary={{ ...summary, expiredConsents: [] }} />
      </MantineProvider>,
    );
    expect(screen.queryByTestId('import-expired-newsletter')).toBeNull();
  });
});
