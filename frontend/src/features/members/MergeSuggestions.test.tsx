import { screen, waitFor, within } from '@testing-library/react';
import { act } from 'react';
import { ApiError, mergesDoneEvent, mergesProgressEvent, type MergesFound } from '../../api';
import { describe, expect, it, vi } from 'vitest';
import type { MergeSuggestion } from '../../api';
import { MERGES_RECORDING } from '../../api/fake/merges';
import { recordedMembers, replay } from '../../api/fake/recorded';
import { renderApp } from '../../test/renderApp';

// The recorded workspace with Camille Roux on Discourse, Discord and Mastodon, and Alex Martin
// beside an "Alex" on Discord (app/recorded_merges_test.go): what the screen proposes, merges
// and undoes is what Go answered.
const recorded = () => recordedMembers();

/** What Go proposed before anything was done. */
const goSuggestions = () =>
  replay<MergeSuggestion[]>(MERGES_RECORDING, 'merges', '||suggestions', []);

const cards = () => screen.queryAllByTestId('merge-suggestion');
const cardOf = (name: string) => {
  const card = cards().find((c) => within(c).getByTestId('merge-keep').textContent === name);
  if (!card) throw new Error(`no suggestion keeping ${name}`);
  return card;
};

describe('Possible duplicates', () => {
  it('shows how many people Go found more than once', async () => {
    expect(goSuggestions()).toHaveLength(2);
    await renderApp({ members: recorded() });
    expect(await screen.findByTestId('merges-open')).toHaveTextContent('Possible duplicates (2)');
  });

  it('in a big workspace, looks for duplicates only when asked', async () => {
    const { api, user } = await renderApp({ members: recorded(), memberCount: 150_000 });
    const suggestions = vi.spyOn(api.merges, 'suggestions');
    const search = vi.spyOn(api.merges, 'find');
    const find = await screen.findByTestId('merges-find');
    expect(find).toHaveTextContent('Look for duplicates');
    expect(screen.queryByTestId('merges-open')).not.toBeInTheDocument();
    expect(suggestions).not.toHaveBeenCalled();
    expect(search).not.toHaveBeenCalled();

    // Go's background search, whose done event brings what it found.
    await user.click(find);
    expect(await screen.findByTestId('merges-open')).toHaveTextContent('Possible duplicates (2)');
    expect(search).toHaveBeenCalledTimes(1);
    expect(suggestions).not.toHaveBeenCalled();
    expect(screen.queryByTestId('merges-find')).not.toBeInTheDocument();
  });

  it('in a big workspace, shows how far the search is and stops it on Cancel', async () => {
    const { api, user } = await renderApp({ members: recorded(), memberCount: 150_000 });
    // A search still running: Go reports members examined as it goes, and says when it stopped.
    vi.spyOn(api.merges, 'find').mockResolvedValue('find-9');
    const cancel = vi.spyOn(api.merges, 'cancel').mockImplementation(async (id) => {
      api.emit(mergesDoneEvent(id), {
        examined: 40_960,
        total: 150_000,
        suggestions: [],
        cancelled: true,
      } satisfies MergesFound);
    });
    await user.click(await screen.findByTestId('merges-find'));
    expect(await screen.findByTestId('merges-progress')).toHaveTextContent(
      'Looking for duplicates…',
    );
    // Heard once the window follows the job Go named.
    await waitFor(() => {
      act(() => api.emit(mergesProgressEvent('find-9'), { examined: 40_960, total: 150_000 }));
      expect(screen.getByTestId('merges-progress')).toHaveTextContent(
        'Looking for duplicates: 40,960 of 150,000 members examined',
      );
    });

    await user.click(screen.getByTestId('merges-cancel'));
    expect(cancel).toHaveBeenCalledWith('find-9');
    expect(await screen.findByText('Search for duplicates cancelled')).toBeInTheDocument();
    expect(screen.queryByTestId('merges-searching')).not.toBeInTheDocument();
    expect(screen.getByTestId('merges-find')).toHaveTextContent('No duplicates found · look again');
    expect(screen.queryByTestId('merges-open')).not.toBeInTheDocument();
  });

  it('stops Go’s search when the manager leaves the Members screen', async () => {
    const { api, user } = await renderApp({ members: recorded(), memberCount: 150_000 });
    vi.spyOn(api.merges, 'find').mockResolvedValue('find-9');
    const cancel = vi.spyOn(api.merges, 'cancel').mockResolvedValue();
    await user.click(await screen.findByTestId('merges-find'));
    await waitFor(() => expect(api.merges.find).toHaveBeenCalled());
    await screen.findByTestId('merges-cancel');
    await user.click(screen.getByTestId('nav-settings'));
    await waitFor(() => expect(cancel).toHaveBeenCalledWith('find-9'));
  });

  it('says how far the search is in French', async () => {
    const { api, user } = await renderApp({
      members: recorded(),
      memberCount: 150_000,
      lang: 'fr',
    });
    vi.spyOn(api.merges, 'find').mockResolvedValue('find-9');
    await user.click(await screen.findByTestId('merges-find'));
    await screen.findByTestId('merges-progress');
    await waitFor(() => {
      act(() => api.emit(mergesProgressEvent('find-9'), { examined: 40_960, total: 150_000 }));
      expect(screen.getByTestId('merges-progress')).toHaveTextContent(
        /Recherche des doublons : 40\s960 membres examinés sur 150\s000/,
      );
    });
    expect(screen.getByTestId('merges-cancel')).toHaveTextContent('Annuler');
  });

  it('says it in French too', async () => {
    await renderApp({ members: recorded(), lang: 'fr' });
    expect(await screen.findByTestId('merges-open')).toHaveTextContent('Doublons possibles (2)');
  });

  it('lists the person seen on three platforms once, with the reason and how sure', async () => {
    const { user } = await renderApp({ members: recorded() });
    await user.click(await screen.findByTestId('merges-open'));
    await waitFor(() => expect(cards()).toHaveLength(2));
    const keeps = cards().map((c) => within(c).getByTestId('merge-keep').textContent);
    expect(keeps.filter((n) => n === 'Camille Roux')).toHaveLength(1);

    const camille = cardOf('Camille Roux');
    expect(
      within(camille)
        .getAllByTestId('merge-other')
        .map((o) => o.textContent),
    ).toEqual(['Camille Roux', 'Camille Roux']);
    expect(within(camille).getByTestId('merge-reason')).toHaveTextContent(
      'Same handle “camille” on Discourse, Discord, and Mastodon',
    );
    expect(within(camille).getByTestId('merge-score')).toHaveTextContent('90% sure');
    expect(within(cardOf('Alex Martin')).getByTestId('merge-score')).toHaveTextContent('80% sure');
  });

  it('words the reason in French', async () => {
    const { user } = await renderApp({ members: recorded(), lang: 'fr' });
    await user.click(await screen.findByTestId('merges-open'));
    await waitFor(() => expect(cards()).toHaveLength(2));
    expect(within(cardOf('Camille Roux')).getByTestId('merge-reason')).toHaveTextContent(
      'Même pseudo « camille » sur Discourse, Discord et Mastodon',
    );
    expect(
      within(cardOf('Camille Roux')).getByRole('button', { name: 'Fusionner dans Camille Roux' }),
    ).toBeInTheDocument();
  });

  it('merges every other record into the kept one, then undo takes the merge back', async () => {
    const { api, user } = await renderApp({ members: recorded() });
    const mergeGroup = vi.spyOn(api.merges, 'mergeGroup');
    const undo = vi.spyOn(api.merges, 'undo');
    await user.click(await screen.findByTestId('merges-open'));
    await waitFor(() => expect(cards()).toHaveLength(2));
    const lists = api.listCalls();

    await user.click(
      within(cardOf('Camille Roux')).getByRole('button', { name: 'Merge into Camille Roux' }),
    );
    const [camille] = goSuggestions();
    expect(mergeGroup).toHaveBeenCalledWith(
      camille!.a,
      camille!.others.map((o) => o.id),
    );
    expect(await screen.findByText('2 records merged into Camille Roux')).toBeInTheDocument();
    await waitFor(() => expect(cards()).toHaveLength(1));
    expect(within(cards()[0]!).getByTestId('merge-keep')).toHaveTextContent('Alex Martin');
    expect(screen.getByTestId('merges-open')).toHaveTextContent('Possible duplicates (1)');
    // Go says the members changed: the list is asked again.
    await waitFor(() => expect(api.listCalls()).toBeGreaterThan(lists));

    const afterMerge = api.listCalls();
    await user.click(screen.getByTestId('undo-merge'));
    const merges = await mergeGroup.mock.results[0]!.value;
    expect(undo).toHaveBeenCalledWith(merges.map((m: { id: string }) => m.id));
    expect(
      await screen.findByText('Merge undone: Camille Roux is back to separate records'),
    ).toBeInTheDocument();
    await waitFor(() => expect(cards()).toHaveLength(2));
    expect(screen.getByTestId('merges-open')).toHaveTextContent('Possible duplicates (2)');
    await waitFor(() => expect(api.listCalls()).toBeGreaterThan(afterMerge));
  });

  it('leaves a suggestion out once the manager says they are not the same person', async () => {
    const { api, user } = await renderApp({ members: recorded() });
    const dismiss = vi.spyOn(api.merges, 'dismiss');
    await user.click(await screen.findByTestId('merges-open'));
    await waitFor(() => expect(cards()).toHaveLength(2));

    await user.click(
      within(cardOf('Alex Martin')).getByRole('button', { name: 'Not the same person' }),
    );
    const alex = goSuggestions().find((s) => s.aName === 'Alex Martin')!;
    expect(dismiss).toHaveBeenCalledWith(
      alex.a,
      alex.others.map((o) => o.id),
    );
    await waitFor(() => expect(cards()).toHaveLength(1));
    expect(within(cards()[0]!).getByTestId('merge-keep')).toHaveTextContent('Camille Roux');
    expect(screen.getByTestId('merges-open')).toHaveTextContent('Possible duplicates (1)');
  });

  it('shows a refused merge as an error and keeps the suggestion', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { api, user } = await renderApp({ members: recorded() });
    api.failNext(
      'merges.mergeGroup',
      new ApiError({
        kind: 'not_found',
        code: 'member_not_found',
        message: 'members: no member',
      }),
    );
    await user.click(await screen.findByTestId('merges-open'));
    await waitFor(() => expect(cards()).toHaveLength(2));
    await user.click(
      within(cardOf('Camille Roux')).getByRole('button', { name: 'Merge into Camille Roux' }),
    );
    expect(await screen.findByTestId('error-notification')).toBeInTheDocument();
    expect(cards()).toHaveLength(2);
    consoleError.mockRestore();
  });
});
