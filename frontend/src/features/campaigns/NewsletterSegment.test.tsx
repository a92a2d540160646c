import { screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RECORDED_NOW, recordedMembers } from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';

describe('Newsletter audience', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(RECORDED_NOW);
  });
  afterEach(() => vi.useRealTimers());

  it('can be a saved segment, sent to Go with the draft', async () => {
    const app = await renderApp({ members: recordedMembers() });
    const { api, user } = app;
    // The draft as Go saved it without a segment (the newsletter recordings have none), with
    // the segment the screen sent: what is checked is what the composer sends.
    const real = api.newsletters.save.bind(api.newsletters);
    const save = vi.spyOn(api.newsletters, 'save').mockImplementation(async (input) => ({
      ...(await real({ ...input, segment: '' })),
      segment: input.segment ?? '',
    }));
    await user.click(screen.getByTestId('nav-campaigns'));
    await screen.findByTestId('screen-campaigns');
    await user.click(screen.getByTestId('newsletter-new'));
    await user.type(screen.getByTestId('newsletter-body'), 'Hello ');
    await user.click(screen.getByTestId('newsletter-insert-field'));
    await user.click(await screen.findByTestId('newsletter-insert-name'));
    await user.click(screen.getByTestId('newsletter-tags'));
    await user.click(await screen.findByRole('option', { name: 'en' }));
    await user.click(screen.getByTestId('newsletter-segment'));
    await user.click(await screen.findByRole('option', { name: 'Lyonnais (3)' }));
    await user.click(screen.getByTestId('newsletter-subject'));
    await user.paste('June news');
    await waitFor(() =>
      expect(save).toHaveBeenCalledWith(expect.objectContaining({ segment: 'segment-lyonnais' })),
    );
    expect(screen.getByTestId('newsletter-segment')).toHaveValue('Lyonnais (3)');
  });
});
