import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HELENE, member, renderApp, rowNames } from '../../test/renderApp';

async function openHelene(lang: 'en' | 'fr' = 'en') {
  const app = await renderApp({ members: [HELENE(), member({ name: 'Zoë Martin' })], lang });
  await app.user.click(await screen.findByText('Hélène Dupont'));
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
    expect(api.all()).toHaveLength(2);

    await user.clear(input);
    await user.type(input, 'helene@example.org');
    expect(confirm).toBeEnabled();
    await user.click(confirm);

    await waitFor(() => expect(screen.queryByTestId('member-form')).toBeNull());
    await waitFor(() => expect(rowNames()).toEqual(['Zoë Martin']));
    expect(api.all().map((m) => m.name)).toEqual(['Zoë Martin']);
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
    expect(api.all()).toHaveLength(2);
  });

  it('exports the member’s data and says where (fr)', async () => {
    const { user } = await openHelene('fr');
    await user.click(screen.getByTestId('gdpr-export'));
    expect(
      await screen.findByText(/^Données exportées dans \/home\/demo\/Documents\/helene-dupont-/),
    ).toBeInTheDocument();
  });
});
