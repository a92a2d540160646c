import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { MergeSuggestion } from '../../api';
import { MERGES_RECORDING } from '../../api/fake/merges';
import { recordedMembers, replay } from '../../api/fake/recorded';
import { member, renderApp } from '../../test/renderApp';

// The recorded workspace of app/recorded_merges_test.go: Camille Roux on Discourse (with her
// e-mail), Discord and Mastodon, Alex Martin on Discourse beside an "Alex" on Discord. What the
// drawer says and does is what Go answered for each of them.
const people = () => [
  ...recordedMembers(),
  member({
    id: 'member-camille-discourse',
    name: 'Camille Roux',
    emails: ['camille@example.org'],
    handles: [{ platform: 'discourse', handle: 'camille' }],
  }),
  member({
    id: 'member-camille-discord',
    name: 'Camille (Discord)',
    emails: [],
    handles: [{ platform: 'discord', handle: 'camille' }],
  }),
  member({
    id: 'member-camille-mastodon',
    name: 'Camille (Mastodon)',
    emails: [],
    handles: [{ platform: 'mastodon', handle: 'camille@mastodon.social' }],
  }),
  member({
    id: 'member-alex-martin',
    name: 'Alex Martin',
    emails: ['alex@example.org'],
    handles: [{ platform: 'discourse', handle: 'alex' }],
  }),
];

/** What Go answered for this member's drawer before anything was done. */
const goSuggestionsFor = (id: string) =>
  replay<MergeSuggestion[]>(MERGES_RECORDING, 'merges', '||suggestionsFor', [id]);

async function openDrawer(name: string, lang: 'en' | 'fr' = 'en') {
  const app = await renderApp({ members: people(), lang });
  await app.user.click(await screen.findByText(name));
  await screen.findByTestId('member-tab-story');
  return app;
}

describe('Possible duplicates in the member drawer', () => {
  it('names the other records, why and how sure', async () => {
    const [camille] = goSuggestionsFor('member-camille-mastodon');
    expect(camille?.a).toBe('member-camille-discourse');
    await openDrawer('Camille (Mastodon)');
    const notice = await screen.findByTestId('merge-notice');
    expect(notice).toHaveTextContent('Possibly the same person as Camille Roux, Camille Roux');
    const others = within(notice).getAllByTestId('merge-notice-other');
    expect(others).toHaveLength(2);
    for (const o of others) {
      expect(o).toHaveTextContent(/Same handle “camille” on Discourse and (Discord|Mastodon)/);
    }
    expect(others[0]).toHaveTextContent('90% sure');
    expect(notice).toHaveTextContent(
      'Merging keeps Camille Roux and brings the other records into it.',
    );
    expect(within(notice).getByTestId('merge-accept')).toHaveTextContent('Merge into Camille Roux');
  });

  it('merges into the kept record, opens it, and Undo takes the merge back', async () => {
    const { api, user } = await openDrawer('Camille (Mastodon)');
    const merge = vi.spyOn(api.merges, 'mergeGroup');
    const undo = vi.spyOn(api.merges, 'undo');
    const notice = await screen.findByTestId('merge-notice');
    await user.click(within(notice).getByTestId('merge-accept'));
    expect(merge).toHaveBeenCalledWith('member-camille-discourse', [
      'member-camille-discord',
      'member-camille-mastodon',
    ]);
    expect(await screen.findByText('2 records merged into Camille Roux')).toBeInTheDocument();
    // The drawer now shows the kept member, who has no other record left.
    await waitFor(() => expect(screen.queryByTestId('merge-notice')).not.toBeInTheDocument());
    await user.click(screen.getByTestId('undo-merge'));
    expect(undo).toHaveBeenCalledTimes(1);
    expect(
      await screen.findByText('Merge undone: Camille Roux is back to separate records'),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('merge-notice')).toBeInTheDocument();
  });

  it('leaves the notice out once the manager says they are not the same person', async () => {
    const { api, user } = await openDrawer('Alex Martin');
    const dismiss = vi.spyOn(api.merges, 'dismiss');
    const notice = await screen.findByTestId('merge-notice');
    expect(notice).toHaveTextContent('Possibly the same person as Alex');
    expect(notice).toHaveTextContent('80% sure');
    await user.click(within(notice).getByTestId('merge-dismiss'));
    expect(dismiss).toHaveBeenCalledWith('member-alex-martin', ['member-alex-discord']);
    expect(
      await screen.findByText('Alex Martin will not be proposed again with these records'),
    ).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByTestId('merge-notice')).not.toBeInTheDocument());
  });

  it('shows nothing for a member seen once', async () => {
    expect(goSuggestionsFor('member-01')).toEqual([]);
    const { api } = await openDrawer('Hélène Dupont');
    const asked = vi.spyOn(api.merges, 'suggestionsFor');
    await screen.findByTestId('member-tab-details');
    await waitFor(() => expect(asked).not.toHaveBeenCalledWith('member-camille-discourse'));
    expect(screen.queryByTestId('merge-notice')).not.toBeInTheDocument();
  });

  it('says it in French', async () => {
    await openDrawer('Camille (Mastodon)', 'fr');
    const notice = await screen.findByTestId('merge-notice');
    expect(notice).toHaveTextContent('Peut-être la même personne que Camille Roux, Camille Roux');
    expect(notice).toHaveTextContent(/Même pseudo « camille » sur Discourse et (Discord|Mastodon)/);
    expect(within(notice).getByTestId('merge-dismiss')).toHaveTextContent('Pas la même personne');
    expect(within(notice).getByTestId('merge-accept')).toHaveTextContent(
      'Fusionner dans Camille Roux',
    );
  });
});
