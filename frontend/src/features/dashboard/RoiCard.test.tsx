import { MantineProvider } from '@mantine/core';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiProvider } from '../../api/context';
import { createFakeApi } from '../../api/fake';
import i18n from '../../i18n';
import type { ROI } from '../../api';
import { RoiCard } from './RoiCard';

function draw(roi: ROI | null, lang = 'en') {
  const api = createFakeApi({});
  const onSaved = vi.fn();
  void i18n.changeLanguage(lang);
  render(
    <MantineProvider env="test">
      <ApiProvider api={api}>
        <RoiCard roi={roi} onSaved={onSaved} />
      </ApiProvider>
    </MantineProvider>,
  );
  return { api, onSaved, user: userEvent.setup() };
}

describe('RoiCard', () => {
  it('shows cost, conversions, value and ROI in the person’s language', async () => {
    draw({ currency: 'EUR', cost: 500, conversions: 3, value: 750, roi: 0.5 }, 'fr');
    expect(await screen.findByText('Retour sur investissement')).toBeTruthy();
    expect(screen.getByTestId('roi-cost').textContent).toMatch(/500,00\s€/);
    expect(screen.getByTestId('roi-conversions').textContent).toBe('3');
    expect(screen.getByTestId('roi-value').textContent).toMatch(/750,00\s€/);
    expect(screen.getByTestId('roi-roi').textContent).toMatch(/50\s%/);
  });

  it('says there is no ROI without a cost', async () => {
    draw({ currency: 'EUR', cost: 0, conversions: 2, value: 100, roi: null });
    expect((await screen.findByTestId('roi-roi')).textContent).toBe('n/a (no cost entered)');
  });

  it('saves the two amounts and asks for the ROI again', async () => {
    const { api, onSaved, user } = draw(null);
    const cost = await screen.findByTestId('roi-cost-input');
    await waitFor(() => expect((cost as HTMLInputElement).value).toBe('0'));
    await user.clear(cost);
    await user.type(cost, '300');
    const value = screen.getByTestId('roi-value-input');
    await user.clear(value);
    await user.type(value, '120.5');
    await user.click(screen.getByTestId('roi-save'));
    await waitFor(() => expect(onSaved).toHaveBeenCalledOnce());
    expect(await api.dashboard.roiSettings()).toEqual({
      costPerMonth: 300,
      valuePerConversion: 120.5,
      currency: 'EUR',
    });
  });

  it('refuses a negative amount, naming the field', async () => {
    const { api } = draw(null);
    await expect(
      api.dashboard.saveRoiSettings({
        costPerMonth: -1,
        valuePerConversion: 0,
        currency: 'EUR',
      }),
    ).rejects.toMatchObject({ fields: [{ field: 'costPerMonth', code: 'min' }] });
  });
});
