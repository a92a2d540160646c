import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../api';
import i18n from '../../i18n';
import { ImportSummaryView } from './ImportSummaryView';

// A Mailchimp audience of 2023 opt-ins imported under a 24-month rule for the newsletter: the
// shape Go's imports.Summary has (backend/imports' expired-consents tally).
const summary: ImportSummary = {
  jobId: 'j1',
  file: 'audience.csv',
  dryRun: false,
  cancelled: false,
  created: 60,
  updated: 0,
  unchanged: 0,
  rejected: 0,
  merged: 0,
  joinDates: 60,
  errors: [],
  expiredConsents: [
    {
      purpose: 'newsletter',
      purposeName: '',
      expiryMonths: 24,
      count: 8,
      first: '2025-03-12T08:35:00Z',
      last: '2025-05-03T08:35:00Z',
    },
  ],
};

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
    expect(note.textContent).toMatch(/8 consentements ont expiré entre le/);
    expect(note.textContent).toMatch(/24 mois pour « /);
    expect(note.textContent).toMatch(/2025/);
    expect(note.textContent).not.toMatch(/expired|months/);
  });

  it('says it in English too', () => {
    draw('en');
    const note = screen.getByTestId('import-expired-newsletter');
    expect(note.textContent).toMatch(/8 consents expired between/);
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
