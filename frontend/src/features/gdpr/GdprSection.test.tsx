import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORDED_NOW, recordedMembers } from '../../api/fake/recorded';
import { renderApp, rowNames } from '../../test/renderApp';

// Go's answers recorded at RECORDED_NOW over the recorded members (app/recorded_gdpr_test.go).
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(RECORDED_NOW);
});
afterEach(() => vi.useRealTimers());

const members = recordedMembers();
const others = members.filter((m) => m.name !== 'Hélène Dupont').map((m) => m.name);

async function openHelene(lang: 'en' | 'fr' = 'en') {
  const app = await renderApp({ members, lang });
  await app.user.click(await screen.findByText('Hélène Dupont'));
  await app.user.click(await screen.findByTestId('member-tab-details'));
  await screen.findByTestId('gdpr-erase');
  return app;
}

describe('Personal data', () => {
  it('erases a member only once the exact primary e-mail is typed, without undo', async () => {
    const { api, user } = await openHelene();
    await user.click(screen.getByTestId('gdpr-erase'));
    const input = await screen.findByTestId('gdpr-erase-confirm-input');
    const confirm = screen.getByTestId('gdpr-erase-confirm');
    expect(screen.getByText(/cannot be undone/)).toBeInTheDocument();
    expect(confirm).toBeDisabled();

    await user.type(input, 'helene@example');
    expect(confirm).toBeDisabled();
    await user.clear(input);
    await user.type(input, 'HELENE@example.org');
    expect(confirm).toBeDisabled();
    await user.click(confirm);
    expect(api.all()).toHaveLength(members.length);

    await user.clear(input);
    await user.type(input, 'helene@example.org');
    expect(confirm).toBeEnabled();
    await user.click(confirm);

    await waitFor(() => expect(screen.queryByTestId('member-form')).toBeNull());
    await waitFor(() => expect(rowNames()).not.toContain('Hélène Dupont'));
    expect(
      api
        .all()
        .map((m) => m.name)
        .sort(),
    ).toEqual([...others].sort());
    expect(screen.getByText('Hélène Dupont erased')).toBeInTheDocument();
    expect(screen.queryByTestId('undo-delete')).toBeNull();
    expect(api.auditLog()[0]).toMatchObject({ action: 'member_erased' });
  });

  it('keeps the member when the user changes their mind', async () => {
    const { api, user } = await openHelene();
    await user.click(screen.getByTestId('gdpr-erase'));
    await user.click(await screen.findByRole('button', { name: 'Keep' }));
    expect(screen.queryByTestId('gdpr-erase-confirm-input')).toBeNull();
    expect(screen.getByTestId('member-form')).toBeInTheDocument();
    expect(api.all()).toHaveLength(members.length);
  });

  it('exports the member’s data and says where (fr)', async () => {
    const { user } = await openHelene('fr');
    await user.click(screen.getByTestId('gdpr-export'));
    expect(
      await screen.findByText(/^Données exportées dans \/home\/demo\/Documents/),
    ).toBeInTheDocument();
  });
});
