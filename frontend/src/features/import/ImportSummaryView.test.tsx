import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../api';
import { IMPORT_RECORDING } from '../../api/fake/recorded';
import i18n from '../../i18n';
import { ImportSummaryView } from './ImportSummaryView';

// What Go's dry run of the recorded Mailchimp export answered (app/recorded_import_test.go):
// Amélie Roux's opt-in of March 2024 is past the newsletter's 24 months. Hélène Dupont's of
// January 2024 is too, but her consent of September 2025 still stands, so Go does not count it.
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
    expect(note.textContent).toMatch(/1 consentement a expiré le 2 mars 2026/);
    expect(note.textContent).toMatch(/24 mois pour « /);
    expect(note.textContent).toMatch(/2026/);
    expect(note.textContent).not.toMatch(/expired|months/);
  });

  it('says it in English too', () => {
    draw('en');
    const note = screen.getByTestId('import-expired-newsletter');
    expect(note.textContent).toMatch(/1 consent expired on Mar 2, 2026/);
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
