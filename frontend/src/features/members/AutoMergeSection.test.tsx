import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { recordedMembers } from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';

// Go's answers (app/recorded_merges_test.go): automatic merging is off in a new workspace, then
// turned on and off again.

async function openGeneral(lang: 'en' | 'fr' = 'en') {
  const app = await renderApp({ members: recordedMembers(), lang });
  await app.user.click(screen.getByTestId('nav-settings'));
  const section = await screen.findByTestId('settings-auto-merge');
  const toggle = within(section).getByTestId('auto-merge-switch');
  await waitFor(() => expect(toggle).toBeEnabled());
  return { ...app, section, toggle };
}

describe('Settings: automatic merging', () => {
  it('says what it merges, and turns on and off', async () => {
    const { api, user, section, toggle } = await openGeneral();
    expect(section).toHaveTextContent('Merge duplicates automatically');
    expect(section).toHaveTextContent(
      'the same e-mail, or the same handle on another platform when the full names agree',
    );
    expect(toggle).not.toBeChecked();

    await user.click(toggle);
    expect(await screen.findByText('Automatic merging is on')).toBeInTheDocument();
    await waitFor(() => expect(toggle).toBeChecked());
    expect(await api.merges.settings()).toEqual({ auto: true });

    await user.click(toggle);
    expect(await screen.findByText('Automatic merging is off')).toBeInTheDocument();
    await waitFor(() => expect(toggle).not.toBeChecked());
    expect(await api.merges.settings()).toEqual({ auto: false });
  });

  it('says it in French', async () => {
    const { section } = await openGeneral('fr');
    expect(section).toHaveTextContent('Fusionner les doublons automatiquement');
    expect(section).toHaveTextContent(
      'même e-mail, ou même pseudo sur une autre plateforme quand les noms complets concordent',
    );
  });
});
