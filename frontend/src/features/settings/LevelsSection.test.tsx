import { MantineProvider } from '@mantine/core';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ApiError, type LevelSettings } from '../../api';
import { ApiProvider } from '../../api/context';
import { createFakeApi } from '../../api/fake';
import { DASHBOARD_RECORDINGS, replay } from '../../api/fake/recorded';
import i18n from '../../i18n';
import { LevelsSection } from './LevelsSection';

/** The defaults Go answered (recorded by app/recorded_test.go). */
const goDefaults = () =>
  replay<LevelSettings>(DASHBOARD_RECORDINGS.community, 'dashboard', 'levelDefaults', []);

/** The section over a fake whose level calls are mocks. */
function draw(
  opts: { lang?: string; saved?: LevelSettings; save?: () => Promise<LevelSettings> } = {},
) {
  const api = createFakeApi({});
  const saved = opts.saved ?? { ...goDefaults(), goalTags: ['client'] };
  const levelSettings = vi.fn(() => Promise.resolve(saved));
  const levelDefaults = vi.fn(() => Promise.resolve(goDefaults()));
  const saveLevelSettings = vi.fn(opts.save ?? ((input: LevelSettings) => Promise.resolve(input)));
  api.dashboard.levelSettings = levelSettings;
  api.dashboard.levelDefaults = levelDefaults;
  api.dashboard.saveLevelSettings = saveLevelSettings;
  void i18n.changeLanguage(opts.lang ?? 'en');
  render(
    <MantineProvider env="test">
      <ApiProvider api={api}>
        <LevelsSection />
      </ApiProvider>
    </MantineProvider>,
  );
  return { levelSettings, levelDefaults, saveLevelSettings, user: userEvent.setup() };
}

describe('LevelsSection', () => {
  it('shows the settings in force and saves what the person changed', async () => {
    const { saveLevelSettings, user } = draw();
    const post = await screen.findByTestId('levels-weight-post');
    expect(post).toHaveValue('3');
    expect(screen.getByTestId('levels-score-1')).toHaveValue('40');
    expect(screen.getByTestId('levels-days-2')).toHaveValue('4');
    expect(screen.getByTestId('levels-window')).toHaveValue('90');
    expect(screen.getByText('client')).toBeInTheDocument();

    await user.clear(post);
    await user.type(post, '5');
    const days = screen.getByTestId('levels-days-1');
    await user.clear(days);
    await user.type(days, '12');
    await user.type(screen.getByTestId('levels-goal-tags'), 'customer{Enter}');
    await user.click(screen.getByTestId('levels-save'));

    await waitFor(() => expect(saveLevelSettings).toHaveBeenCalledOnce());
    const sent = saveLevelSettings.mock.calls[0]![0];
    expect(sent.weights.post).toBe(5);
    expect(sent.weights.reply).toBe(2);
    expect(sent.milestones[0]).toMatchObject({ minScore: 40, activeDays: 12 });
    expect(sent.goalTags).toEqual(['client', 'customer']);
    expect(sent.teamTags).toEqual(['team', 'équipe']);
  });

  it('shows the Go side’s field errors next to their fields, in French', async () => {
    const { user } = draw({
      lang: 'fr',
      save: () =>
        Promise.reject(
          new ApiError({
            kind: 'invalid',
            code: 'invalid_input',
            message: 'analytics: invalid level settings',
            fields: [
              { field: 'weights.reply', code: 'max', params: { max: '100' } },
              { field: 'milestones[0].minScore', code: 'milestone_order', params: { level: '2' } },
              { field: 'scoreWindowDays', code: 'min', params: { min: '7' } },
            ],
          }),
        ),
    });
    await screen.findByTestId('levels-weight-post');
    expect(screen.getByText("Niveaux d'engagement")).toBeInTheDocument();
    await user.click(screen.getByTestId('levels-save'));
    expect(await screen.findByText('au plus 100')).toBeInTheDocument();
    expect(screen.getByText('ne doit pas être plus facile que Contributeurs')).toBeInTheDocument();
    expect(screen.getByText('au moins 7')).toBeInTheDocument();
    expect(screen.getByTestId('levels-weight-reply')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('levels-score-1')).toHaveAttribute('aria-invalid', 'true');
  });

  it('refuses an emptied number without calling Go', async () => {
    const { saveLevelSettings, user } = draw();
    const window = await screen.findByTestId('levels-window');
    await user.clear(window);
    await user.click(screen.getByTestId('levels-save'));
    expect(await screen.findByText('enter a number')).toBeInTheDocument();
    expect(saveLevelSettings).not.toHaveBeenCalled();
  });

  it('restores the defaults in the form, saving nothing until asked', async () => {
    const saved: LevelSettings = {
      ...goDefaults(),
      weights: { ...goDefaults().weights, post: 9 },
      scoreWindowDays: 30,
      teamTags: ['staff'],
      goalTags: ['customer'],
    };
    const { levelDefaults, saveLevelSettings, user } = draw({ saved });
    expect(await screen.findByTestId('levels-weight-post')).toHaveValue('9');
    await user.click(screen.getByTestId('levels-defaults'));
    await waitFor(() => expect(screen.getByTestId('levels-weight-post')).toHaveValue('3'));
    expect(levelDefaults).toHaveBeenCalledOnce();
    expect(screen.getByTestId('levels-window')).toHaveValue('90');
    expect(screen.queryByText('customer')).toBeNull();
    expect(saveLevelSettings).not.toHaveBeenCalled();
    await user.click(screen.getByTestId('levels-save'));
    await waitFor(() => expect(saveLevelSettings).toHaveBeenCalledWith(goDefaults()));
  });
});
