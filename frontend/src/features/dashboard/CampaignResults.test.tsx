import { MantineProvider } from '@mantine/core';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import type { CampaignReport, CampaignResult } from '../../api';
import { CampaignResults } from './CampaignResults';

const first: CampaignResult = {
  id: 'n1',
  subject: 'Spring <b>news</b> <img src=x onerror=alert(1)>',
  sentAt: '2026-03-10T13:00:00Z',
  recipients: 1200,
  delivered: 1180,
  bounced: 15,
  failedTemp: 5,
  unsubscribed: 3,
  engaged: 472,
  engagedRate: 0.4,
  baselineEngaged: 236,
  baselineEngagedRate: 0.2,
  conversions: 12,
};

const second: CampaignResult = {
  ...first,
  id: 'n2',
  subject: 'Agenda',
  sentAt: '2026-03-25T08:00:00Z',
  recipients: 800,
  delivered: 800,
  bounced: 0,
  failedTemp: 0,
  unsubscribed: 1,
  engaged: 200,
  engagedRate: 0.25,
  baselineEngaged: 160,
  baselineEngagedRate: 0.2,
  conversions: 2,
};

const report: CampaignReport = {
  from: '2026-03-01T00:00:00+01:00',
  to: '2026-04-01T00:00:00+02:00',
  newsletters: [first, second],
  totals: {
    newsletters: 2,
    recipients: 2000,
    delivered: 1980,
    bounced: 15,
    failedTemp: 5,
    unsubscribed: 4,
    engaged: 672,
    engagedRate: 672 / 1980,
    baselineEngaged: 396,
    baselineEngagedRate: 0.2,
    conversions: 14,
  },
};

function draw(r: CampaignReport | null, lang = 'en', now = new Date('2026-04-02T12:00:00Z')) {
  void i18n.changeLanguage(lang);
  return render(
    <MantineProvider env="test">
      <CampaignResults report={r} now={now} />
    </MantineProvider>,
  );
}

describe('CampaignResults', () => {
  it('shows each newsletter’s results and the totals in English', () => {
    draw(report);
    expect(screen.getByText('Newsletter results')).toBeTruthy();
    const rows = screen.getAllByTestId('campaign-row');
    expect(rows).toHaveLength(2);
    const row = within(rows[0]!);
    expect(row.getByTestId('campaign-sent').textContent).toContain('Mar 10, 2026');
    expect(row.getByTestId('campaign-delivered').textContent).toBe('1,180 of 1,200');
    expect(row.getByTestId('campaign-bounced').textContent).toBe('155 failed temporarily');
    expect(row.getByTestId('campaign-unsubscribed').textContent).toBe('3');
    expect(row.getByTestId('campaign-engaged').textContent).toBe('40%before: 20%');
    expect(row.getByTestId('campaign-conversions').textContent).toBe('12');
    const totals = within(screen.getByTestId('campaign-totals'));
    expect(totals.getByText('Total (2 newsletters)')).toBeTruthy();
    expect(totals.getByTestId('campaign-delivered').textContent).toBe('1,980 of 2,000');
    expect(totals.getByTestId('campaign-engaged').textContent).toBe('33.9%before: 20%');
    expect(totals.getByTestId('campaign-conversions').textContent).toBe('14');
  });

  it('formats numbers, dates and plurals in French', () => {
    draw(report, 'fr');
    expect(screen.getByText('Résultats des newsletters')).toBeTruthy();
    const row = within(screen.getAllByTestId('campaign-row')[0]!);
    expect(row.getByTestId('campaign-delivered').textContent).toMatch(/^1\s180 sur 1\s200$/);
    expect(row.getByTestId('campaign-bounced').textContent).toBe('155 échecs temporaires');
    expect(row.getByTestId('campaign-engaged').textContent).toMatch(/^40\s%avant : 20\s%$/);
    expect(row.getByTestId('campaign-sent').textContent).toContain('10 mars 2026');
    expect(screen.getByText('Total (2 newsletters)')).toBeTruthy();
  });

  it('shows a subject as text, never as markup', () => {
    const { container } = draw(report);
    expect(screen.getAllByTestId('campaign-subject')[0]!.textContent).toBe(first.subject);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
  });

  it('marks the sends whose 30 days are not over', () => {
    draw(report, 'en', new Date('2026-04-12T12:00:00Z'));
    const rows = screen.getAllByTestId('campaign-row');
    expect(within(rows[0]!).queryByTestId('campaign-ongoing')).toBeNull();
    expect(within(rows[1]!).getByTestId('campaign-ongoing').textContent).toBe('still measuring');
  });

  it('says when no newsletter was sent, and shows no totals for one', () => {
    draw({ ...report, newsletters: [], totals: { ...report.totals, newsletters: 0 } });
    expect(screen.getByTestId('campaigns-empty').textContent).toBe(
      'No newsletter was sent in this period.',
    );
    expect(screen.queryByTestId('campaign-row')).toBeNull();
  });

  it('shows a single newsletter without a totals row, and waits while loading', () => {
    const { unmount } = draw({ ...report, newsletters: [second] });
    expect(screen.getAllByTestId('campaign-row')).toHaveLength(1);
    expect(screen.queryByTestId('campaign-totals')).toBeNull();
    unmount();
    draw(null);
    expect(screen.getByText('Updating…')).toBeTruthy();
  });
});
