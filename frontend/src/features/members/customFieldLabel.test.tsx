import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { member, renderApp } from '../../test/renderApp';
import { customFieldLabel } from './customFieldLabel';

describe('customFieldLabel', () => {
  it.each([
    ['en', 'phone', 'Phone'],
    ['fr', 'phone', 'Téléphone'],
    ['fr', 'City', 'Ville'],
    ['fr', 'email3', 'E-mail 3'],
    ['en', 'e-mail_2', 'E-mail 2'],
    ['fr', 'member_since', 'Member since'],
    ['en', 'job-title', 'Job title'],
  ] as const)('%s: %s reads “%s”', async (lang, key, label) => {
    await i18n.changeLanguage(lang);
    expect(customFieldLabel(i18n.t, key)).toBe(label);
  });
});

describe('Member form: custom fields', () => {
  it.each([
    ['fr', ['Ville', 'E-mail 3', 'Téléphone']],
    ['en', ['City', 'E-mail 3', 'Phone']],
  ] as const)('names saved fields by label, not by key (%s)', async (lang, labels) => {
    const zoe = member({
      name: 'Zoë Martin',
      customFields: { city: 'Lyon', email3: 'zoe@old.example', phone: '+33 6 00 00 00 00' },
    });
    const { user } = await renderApp({ members: [zoe], lang });
    await user.click(await screen.findByText('Zoë Martin'));
    await user.click(await screen.findByTestId('member-tab-details'));
    const found = await screen.findAllByTestId('custom-field-label');
    expect(found.map((l) => l.textContent).sort()).toEqual([...labels].sort());
    // The value is still editable, named by its label.
    expect(screen.getByRole('textbox', { name: labels[0] })).toHaveValue('Lyon');
    for (const raw of ['city', 'email3', 'phone'])
      expect(screen.queryByDisplayValue(raw)).toBeNull();

    // A new field: its key is typed.
    const form = screen.getByRole('dialog');
    await user.click(
      within(form).getByRole('button', {
        name: lang === 'fr' ? 'Ajouter un champ' : 'Add a field',
      }),
    );
    expect(
      within(form).getAllByRole('textbox', { name: lang === 'fr' ? 'Champ' : 'Field' }),
    ).toHaveLength(1);
  });
});
