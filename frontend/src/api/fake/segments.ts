import type { Page } from '../types';
import type { SavedSegment, Segment, SegmentCount, SegmentsApi } from '../segmentsApi';
import type { FakeContext } from './context';
import { Scenario, type Recording } from './recorded';
import segmentsFile from './recorded/segments.json';

/** The Members screen's segments, recorded (app/recorded_segments_test.go). */
export const SEGMENTS_RECORDING = segmentsFile as Recording;

/**
 * Segments replayed: Go's recorded answers over the quiet recorded workspace where Hélène, Chloé
 * and Léa live in Lyon and Bruno in Paris, with "Lyonnais" (city = "Lyon") saved
 * (app/recorded_segments_test.go): a segment saved, renamed and deleted, the saved one given a
 * new expression or deleted, a name taken and a broken expression refused; at each state the
 * list, the live counts of the expressions recorded and each saved segment's first page of
 * members. Nothing is computed here. In demo mode (`demo`), a call nobody recorded is refused as
 * demo data.
 */
export function createFakeSegments(ctx: FakeContext, opts: { demo?: boolean } = {}) {
  const scenario = new Scenario(SEGMENTS_RECORDING, 'segments', '', () => 0, { demo: opts.demo });
  const api: SegmentsApi = {
    list: () => ctx.settle('segments.list', () => scenario.read<SavedSegment[]>('list', [])),
    create: (input) =>
      ctx.settle('segments.create', () => scenario.step<Segment>('create', [input])),
    update: (id, patch) =>
      ctx.settle('segments.update', () => scenario.step<Segment>('update', [id, patch])),
    delete: (id) => ctx.settle('segments.delete', () => scenario.step<Segment>('delete', [id])),
    count: (where) =>
      ctx.settle('segments.count', () => scenario.read<SegmentCount>('count', [where])),
    members: (segment, query) =>
      ctx.settle('segments.members', () => scenario.read<Page>('members', [segment, query])),
  };
  return { api };
}
