// Live segments (SegmentsService): saved, named expressions over members (docs/SEGMENTS.md),
// counted as the manager builds them.
import type { app, members, segments } from '../../wailsjs/go/models';

/** A saved segment as Go stores it. */
export type Segment = segments.Segment;
/** What saving a segment sends. */
export type SegmentInput = Required<segments.Input>;
/** A rename or a new expression: only what is set changes. */
export type SegmentPatch = { name?: string; where?: string };
/** A saved segment and how many members it holds now. */
export type SavedSegment = app.SavedSegment;
/** A live count: how many members match and the first of them, or where the expression breaks. */
export type SegmentCount = app.SegmentCount;
/** One member of a count's preview. */
export type SegmentMember = app.SegmentMember;
/** Where an expression stops making sense (1-based character), the code of why, the text found. */
export type SegmentSyntaxError = segments.SyntaxError;

/** The Members screen's segments: the saved ones, a live count, saving, and a segment's members. */
export interface SegmentsApi {
  /** Every saved segment by name, each with its count now. */
  list(): Promise<SavedSegment[]>;
  /** Saves a segment; field errors on `name` (taken, required) and `where` (pos, syntax, found). */
  create(input: SegmentInput): Promise<Segment>;
  /** Renames a segment (id or name) or changes its expression. */
  update(id: string, patch: SegmentPatch): Promise<Segment>;
  /** Deletes a segment (id or name) and resolves with it. */
  delete(id: string): Promise<Segment>;
  /** How many members the expression matches now, with the first 20, or its syntax error. */
  count(where: string): Promise<SegmentCount>;
  /** A page of a saved segment's members in the table's order, filtered by its search and tag. */
  members(segment: string, query: members.ListQuery): Promise<members.Page>;
}
