import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { SegmentCount } from '../../api';
import { SEGMENTS_RECORDING } from '../../api/fake/segments';
import { recordedMembers, replay } from '../../api/fake/recorded';
import { renderApp, rowNames } from '../../test/renderApp';

// The quiet recorded workspace where Hélène, Chloé and Léa live in Lyon and Bruno in Paris, with
// "Lyonnais" (city = "Lyon") saved (app/recorded_segments_test.go): what the builder counts,
// saves and shows is what Go answered.
const goCount = (where: string, steps = '') =>
  replay<SegmentCount>(SEGMENTS_RECORDING, 'segments', `${steps}||count`, [where]);

async function openSegments() {
  const app = await renderApp({ members: recordedMembers() });
  await app.user.click(screen.getByTestId('members-segments'));
  await screen.findByTestId('segments-drawer');
  return app;
}

/** A live count waits for typing to pause, then for Go: slower on a busy machine. */
const LIVE = { timeout: 5000 };

const items = () => screen.queryAllByTestId('segment-item');
const where = () => screen.getByTestId('segment-where') as HTMLTextAreaElement;

describe('Segments on the Members screen', () => {
  it('lists the saved segments with how many members each holds now', async () => {
    await openSegments();
    await waitFor(() => expect(items()).toHaveLength(1));
    expect(within(items()[0]!).getByTestId('segment-item-name')).toHaveTextContent('Lyonnais');
    expect(within(items()[0]!).getByTestId('segment-item-count')).toHaveTextContent('3 members');
  });

  it('writes the expression from rows and counts it live, showing … while it counts', async () => {
    const { user, api } = await openSegments();
    const count = vi.spyOn(api.segments, 'count');
    await user.click(screen.getByTestId('segment-new'));
    const row = screen.getByTestId('segment-row');
    // Pasted, as one change: typed key by key on a busy machine, a pause between keys would
    // count "tag = "f"" too, which Go was not recorded answering.
    await user.click(within(row).getByTestId('segment-row-value'));
    await user.paste('fr');
    expect(where().value).toBe('tag = "fr"');
    expect(screen.getByTestId('segment-count')).toHaveTextContent('…');
    const fr = goCount('tag = "fr"');
    await waitFor(
      () =>
        expect(screen.getByTestId('segment-count')).toHaveTextContent(
          `${fr.count} members match now`,
        ),
      LIVE,
    );
    expect(screen.getByTestId('segment-preview')).toHaveTextContent(fr.members[0]!.name);
    expect(count.mock.calls.map((c) => c[0])).toEqual(['tag = "fr"']);

    await user.click(screen.getByTestId('segment-add-row'));
    const second = screen.getAllByTestId('segment-row')[1]!;
    await user.click(within(second).getByTestId('segment-row-field'));
    await user.click(await screen.findByRole('option', { name: 'Platform' }));
    await user.click(within(second).getByTestId('segment-row-value'));
    await user.click(await screen.findByRole('option', { name: 'Discourse' }));
    expect(where().value).toBe('tag = "fr" AND platform = discourse');
    const both = goCount('tag = "fr" AND platform = discourse');
    await waitFor(
      () =>
        expect(screen.getByTestId('segment-count')).toHaveTextContent(
          `${both.count} ${both.count === 1 ? 'member matches' : 'members match'} now`,
        ),
      LIVE,
    );
    expect(both.count).toBeLessThan(fr.count);
  });

  it('shows where a typed expression stops making sense, in the reader’s language', async () => {
    const { user } = await openSegments();
    await user.click(screen.getByTestId('segment-new'));
    await user.click(screen.getByText('Type the expression'));
    await user.type(where(), 'city = ');
    expect(await screen.findByTestId('segment-error', {}, LIVE)).toHaveTextContent(
      'Not valid at character 8: expected a value (a word, a number, a date or text in double quotes) (found the end of the expression)',
    );
    expect(goCount('city = ').error).toMatchObject({ pos: 8, code: 'expected_value' });
    expect(screen.queryByText(/members? match/)).not.toBeInTheDocument();
  });

  it('keeps an expression typed by hand, back to rows, until a row changes', async () => {
    const { user } = await openSegments();
    await user.click(screen.getByTestId('segment-new'));
    await user.click(screen.getByText('Type the expression'));
    await user.type(where(), 'city = ');
    await user.click(screen.getByText('Build with rows'));
    expect(where().value).toBe('city = ');
    expect(screen.getByText(/Typed by hand/)).toBeInTheDocument();
    await user.type(screen.getByTestId('segment-row-value'), 'fr');
    expect(where().value).toBe('tag = "fr"');
  });

  it('says the error in French too', async () => {
    const app = await renderApp({ members: recordedMembers(), lang: 'fr' });
    await app.user.click(screen.getByTestId('members-segments'));
    await app.user.click(await screen.findByTestId('segment-new'));
    await app.user.click(screen.getByText('Écrire l’expression'));
    await app.user.type(where(), 'city = ');
    expect(await screen.findByTestId('segment-error', {}, LIVE)).toHaveTextContent(
      'Non valide au caractère 8 : une valeur était attendue',
    );
  });

  it('saves a segment, then shows only its members in the table', async () => {
    const { user } = await openSegments();
    await user.click(screen.getByTestId('segment-new'));
    await user.type(screen.getByTestId('segment-name'), 'Parisiens');
    await user.click(screen.getByText('Type the expression'));
    await user.type(where(), 'city = "Paris"');
    await waitFor(
      () => expect(screen.getByTestId('segment-count')).toHaveTextContent('1 member matches now'),
      LIVE,
    );
    await user.click(screen.getByTestId('segment-save'));
    await waitFor(() => expect(items()).toHaveLength(2));
    const paris = items().find((i) => i.textContent?.includes('Parisiens'))!;
    expect(within(paris).getByTestId('segment-item-count')).toHaveTextContent('1 member');

    await user.click(within(paris).getByTestId('segment-item-show'));
    await waitFor(() => expect(rowNames()).toEqual(['Bruno Petit']));
    expect(screen.getByTestId('members-segment-active')).toHaveTextContent('Segment: Parisiens');
    expect(screen.getByTestId('members-count')).toHaveTextContent('1 matching member');

    await user.click(screen.getByTestId('members-segment-clear'));
    await waitFor(() => expect(rowNames()).toHaveLength(12));
  });

  it('exports the members of the segment the table shows', async () => {
    const { user, api } = await openSegments();
    const exported = vi.spyOn(api.exports, 'export');
    await waitFor(() => expect(items()).toHaveLength(1));
    await user.click(screen.getByTestId('segment-item-show'));
    await waitFor(() =>
      expect(rowNames()).toEqual(['Chloé Martin', 'Hélène Dupont', 'Léa Bernard']),
    );
    await user.click(screen.getByTestId('members-export'));
    await user.click(await screen.findByTestId('export-csv'));
    await waitFor(() =>
      expect(exported).toHaveBeenCalledWith(
        expect.objectContaining({ format: 'csv', segment: 'segment-lyonnais' }),
      ),
    );
  });

  it('refuses a name another segment has, ignoring case', async () => {
    const { user } = await openSegments();
    await user.click(screen.getByTestId('segment-new'));
    await user.type(screen.getByTestId('segment-name'), 'LYONNAIS');
    await user.click(screen.getByText('Type the expression'));
    await user.type(where(), 'tag = "fr"');
    await user.click(screen.getByTestId('segment-save'));
    expect(await screen.findByText('another segment already has this name')).toBeInTheDocument();
  });

  it('changes a saved segment’s expression', async () => {
    const { user } = await openSegments();
    await waitFor(() => expect(items()).toHaveLength(1));
    await user.click(screen.getByTestId('segment-item-edit'));
    expect(where().value).toBe('city = "Lyon"');
    await user.type(where(), ' OR city = "Paris"');
    await waitFor(
      () => expect(screen.getByTestId('segment-count')).toHaveTextContent('4 members match now'),
      LIVE,
    );
    await user.click(screen.getByTestId('segment-save'));
    await waitFor(() =>
      expect(within(items()[0]!).getByTestId('segment-item-count')).toHaveTextContent('4 members'),
    );
  });

  it('renames a segment', async () => {
    const { user } = await openSegments();
    await user.click(screen.getByTestId('segment-new'));
    await user.type(screen.getByTestId('segment-name'), 'Parisiens');
    await user.click(screen.getByText('Type the expression'));
    await user.type(where(), 'city = "Paris"');
    await user.click(screen.getByTestId('segment-save'));
    await waitFor(() => expect(items()).toHaveLength(2));
    const paris = items().find((i) => i.textContent?.includes('Parisiens'))!;
    await user.click(within(paris).getByTestId('segment-item-edit'));
    const name = screen.getByTestId('segment-name');
    await user.clear(name);
    await user.type(name, 'Parisiens et Parisiennes');
    await user.click(screen.getByTestId('segment-save'));
    await waitFor(() =>
      expect(screen.getAllByTestId('segment-item-name').map((n) => n.textContent)).toEqual([
        'Lyonnais',
        'Parisiens et Parisiennes',
      ]),
    );
  });

  it('deletes a segment only once confirmed', async () => {
    const { user } = await openSegments();
    await waitFor(() => expect(items()).toHaveLength(1));
    await user.click(screen.getByTestId('segment-item-delete'));
    expect(await screen.findByText(/The segment “Lyonnais” will be deleted/)).toBeInTheDocument();
    await user.click(screen.getByTestId('confirm-segment-delete'));
    expect(await screen.findByTestId('segments-empty')).toBeInTheDocument();
  });
});
