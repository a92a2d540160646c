import { useDebouncedValue } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useApi, type SegmentCount } from '../../api';

/** How long typing may pause before the expression is counted. */
export const COUNT_DEBOUNCE_MS = 250;

export interface LiveCount {
  /** True from a change of the expression until Go has counted it. */
  counting: boolean;
  /** Go's count of the expression shown (count, first members, or its syntax error). */
  count: SegmentCount | null;
  /** A count refused (the workspace unavailable, demo data): shown where the count goes. */
  failure: unknown;
}

/**
 * The members an expression matches, counted by Go once typing pauses for COUNT_DEBOUNCE_MS,
 * and again after the members change. Nothing is counted for an empty expression.
 */
export function useLiveCount(where: string): LiveCount {
  const api = useApi();
  // Counted as written (not trimmed), so that an error's position is the one the field shows.
  const wanted = where.trim() === '' ? '' : where;
  const [debounced] = useDebouncedValue(wanted, COUNT_DEBOUNCE_MS);
  const [changes, setChanges] = useState(0);
  const [done, setDone] = useState<{ where: string; count: SegmentCount | null; failure: unknown }>(
    {
      where: '',
      count: null,
      failure: null,
    },
  );
  useEffect(() => api.events.onMembersChanged(() => setChanges((n) => n + 1)), [api]);
  useEffect(() => {
    if (debounced === '') return;
    let live = true;
    api.segments.count(debounced).then(
      (count) => live && setDone({ where: debounced, count, failure: null }),
      (failure: unknown) => live && setDone({ where: debounced, count: null, failure }),
    );
    return () => {
      live = false;
    };
  }, [api, debounced, changes]);
  if (wanted === '') return { counting: false, count: null, failure: null };
  if (done.where !== wanted) return { counting: true, count: null, failure: null };
  return { counting: false, count: done.count, failure: done.failure };
}
