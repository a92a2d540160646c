import type { MergesApi } from '../api';
import type { MergeSettings, MergeSuggestion, PeopleMerge } from '../types';
import type { FakeContext } from './context';
import { Scenario, type Recording } from './recorded';
import mergesFile from './recorded/merges.json';

/** The Members screen's possible duplicates, recorded (app/recorded_merges_test.go). */
export const MERGES_RECORDING = mergesFile as Recording;

/** The members whose suggestions were recorded (`suggestionsFor`), by id. */
const RECORDED_FOR = new Set(
  Object.keys(MERGES_RECORDING.answers).flatMap((k) => {
    const m = /\|suggestionsFor\["([^"]+)"\]$/.exec(k);
    return m ? [m[1]] : [];
  }),
);
/** A recorded member seen once: an unrecorded member's drawer is answered as theirs. */
const SEEN_ONCE = 'member-12';

/** One event Go emitted during a search for duplicates, as recorded. */
interface RecordedEvent {
  event: string;
  payload: unknown;
}

/**
 * Possible duplicates replayed: Go's recorded answers over the quiet recorded workspace with
 * Camille Roux seen on Discourse, Discord and Mastodon, and Alex Martin beside an "Alex" on
 * Discord (app/recorded_merges_test.go): Camille merged into her Discourse record then the merge
 * undone, the Alexes said not to be one person, a merge of a member already merged away refused,
 * automatic merging turned on then off. Nothing is computed here; as Go does, a merge and an undo
 * emit `members:changed` naming the two members of each merge, and the background search
 * (`find`) emits the progress and done events Go emitted, once its job id is known. A member the
 * recording does not know (a test's own, demo mode's) is answered, in their drawer, as a
 * recorded member seen once. In demo mode (`demo`), a call nobody recorded is refused as demo
 * data.
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
    suggestionsFor: (id) =>
      ctx.settle('merges.suggestionsFor', () =>
        scenario.read<MergeSuggestion[]>('suggestionsFor', [RECORDED_FOR.has(id) ? id : SEEN_ONCE]),
      ),
    find: () =>
      ctx.settle('merges.find', () => {
        const job = scenario.read<string>('find', []);
        const events = scenario.read<RecordedEvent[]>('find.events', []);
        // After the job id reaches the window, as Go's events do.
        setTimeout(() => events.forEach((e) => ctx.emit(e.event, e.payload)), 0);
        return job;
      }),
    // The recorded searches were over when the window could cancel them.
    cancel: (id) => ctx.settle('merges.cancel', () => scenario.read<void>('cancel', [id])),
    settings: () =>
      ctx.settle('merges.settings', () => scenario.read<MergeSettings>('settings', [])),
    saveSettings: (settings) =>
      ctx.settle('merges.saveSettings', () =>
        scenario.step<MergeSettings>('saveSettings', [settings]),
      ),
  };
  return { api };
}
