import type { MergesApi } from '../api';
import type { MergeSuggestion, PeopleMerge } from '../types';
import type { FakeContext } from './context';
import { Scenario, type Recording } from './recorded';
import mergesFile from './recorded/merges.json';

/** The Members screen's possible duplicates, recorded (app/recorded_merges_test.go). */
export const MERGES_RECORDING = mergesFile as Recording;

/**
 * Possible duplicates replayed: Go's recorded answers over the quiet recorded workspace with
 * Camille Roux seen on Discourse, Discord and Mastodon, and Alex Martin beside an "Alex" on
 * Discord (app/recorded_merges_test.go): Camille merged into her Discourse record then the merge
 * undone, the Alexes said not to be one person, a merge of a member already merged away refused.
 * Nothing is computed here; as Go does, a merge and an undo emit `members:changed` naming the two
 * members of each merge. In demo mode (`demo`), a call nobody recorded is refused as demo data.
 */
export function createFakeMerges(ctx: FakeContext, opts: { demo?: boolean } = {}) {
  const scenario = new Scenario(MERGES_RECORDING, 'merges', '', () => 0, { demo: opts.demo });
  // The members of the merges Go answered, by merge id: what its undo names as changed.
  const pairs = new Map<string, string[]>();
  const api: MergesApi = {
    suggestions: () =>
      ctx.settle('merges.suggestions', () => scenario.read<MergeSuggestion[]>('suggestions', [])),
    mergeGroup: (keep, others) =>
      ctx.settle('merges.mergeGroup', () => {
        const done = scenario.step<PeopleMerge[]>('mergeGroup', [keep, others]);
        for (const m of done) pairs.set(m.id, [m.keep, m.other]);
        ctx.members.changed(done.flatMap((m) => [m.keep, m.other]));
        return done;
      }),
    undo: (ids) =>
      ctx.settle('merges.undo', () => {
        scenario.step<void>('undo', [ids]);
        ctx.members.changed(ids.flatMap((id) => pairs.get(id) ?? []));
      }),
    dismiss: (a, others) =>
      ctx.settle('merges.dismiss', () => scenario.step<void>('dismiss', [a, others])),
  };
  return { api };
}
