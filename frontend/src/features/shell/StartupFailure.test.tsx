import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/errors';
import { createFakeApi } from '../../api/fake';
import { App } from '../../App';
import i18n, { type Language } from '../../i18n';

const damaged = () =>
  new ApiError({
    kind: 'unavailable',
    code: 'workspace_index_damaged',
    message: 'store: db/MANIFEST is damaged; nothing was changed',
    params: { file: 'db/MANIFEST', dir: '/home/camille/hearth' },
  });

describe('a window whose workspace could not be opened', () => {
  it.each<[Language, RegExp, RegExp]>([
    [
      'en',
      /Hearth cannot open this workspace/,
      /index file \(db\/MANIFEST\) is damaged or missing; nothing was changed/,
    ],
    ['fr', /Hearth ne peut pas ouvrir cet espace de travail/, /db\/MANIFEST/],
  ])('says why in %s, names the folder, and closes', async (lang, title, message) => {
    await i18n.changeLanguage(lang);
    const api = createFakeApi({});
    const quit = vi.spyOn(api.window, 'quit');
    render(<App api={api} env="test" startupFailure={damaged()} />);
    expect(await screen.findByText(title)).toBeInTheDocument();
    const text = screen.getByTestId('startup-failure').textContent ?? '';
    expect(text).toMatch(message);
    expect(text).toContain('/home/camille/hearth');
    expect(text).not.toMatch(/startupFailed|errors\.code|workspace_index_damaged/);
    expect(screen.queryByTestId('screen-members')).not.toBeInTheDocument();
    await userEvent.setup().click(screen.getByTestId('startup-failure-quit'));
    expect(quit).toHaveBeenCalledOnce();
  });
});
